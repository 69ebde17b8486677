"""A harvest source's configuration: defaults, every key checked, errors that name the key in
Japanese and English."""
import pytest

from ckanext.ikoma.harvesters.config import ConfigError, SourceConfig, host_of, parse_config
from ckanext.ikoma.net.addresses import PrivateAllowlist


def test_empty_configuration_is_the_defaults():
    assert parse_config(None) == parse_config("") == parse_config("  ") == SourceConfig()
    policy = SourceConfig().fetch_policy("https://data.example.jp:8443/catalog.ttl")
    assert policy.allowed_hosts == ("data.example.jp:8443",) and policy.private_allowlist == PrivateAllowlist()
    assert (policy.connect_timeout, policy.read_timeout, policy.max_bytes) == (10.0, 60.0, 50 * 1024 * 1024)


def test_every_key_is_read():
    config = parse_config('{"api": "ckan", "profiles": ["ikoma_dcat"], "rdf_format": "text/turtle",'
                          ' "connect_timeout": 2, "read_timeout": 5.5, "max_bytes": 2048, "retries": 0, "backoff": 0,'
                          ' "defaults": {"license_id": "cc-by"}, "allowed_hosts": ["Data.Example.jp"],'
                          ' "deletion": "withdraw", "local_edits": "keep",'
                          ' "owner": "source", "role": "aggregator", "publisher_code": "292010"}',
                          known_profiles={"ikoma_dcat"})
    assert config.api == "ckan" and config.read_timeout == 5.5 and config.allowed_hosts == ("data.example.jp",)
    assert config.deletion == "withdraw" and config.role == "aggregator" and config.publisher_code == "292010"


@pytest.mark.parametrize("text, named", [
    ("{not json", "JSON"),
    ("[1, 2]", "JSON"),
    ('{"read_timout": 5}', "read_timout"),
    ('{"read_timeout": "5"}', "read_timeout"),
    ('{"read_timeout": 0}', "read_timeout"),
    ('{"retries": 1.5}', "retries"),
    ('{"max_bytes": true}', "max_bytes"),
    ('{"deletion": "purge"}', "deletion"),
    ('{"allowed_hosts": [""]}', "allowed_hosts"),
    ('{"allow_private_addresses": "yes"}', "allow_private_addresses"),
    ('{"allow_private_addresses": true}', "ckanext.ikoma.fetch.allowed_private"),  # a site setting, not a source's
    ('{"publisher_code": "292011"}', "publisher_code"),
    ('{"profiles": ["no_such"]}', "no_such"),
    ('{"defaults": []}', "defaults"),
    ('{"api": "soap"}', "api"),
])
def test_bad_values_name_the_key_in_both_languages(text, named):
    with pytest.raises(ConfigError) as error:
        parse_config(text, known_profiles={"ikoma_dcat", "euro_dcat_ap_3"})
    assert named in error.value.ja + error.value.en
    assert any("\u3040" <= c <= "\u9fff" for c in error.value.ja) and error.value.en.isascii()


def test_ipv6_hosts_are_written_as_in_urls():
    assert host_of("http://[::1]:8080/catalog.ttl") == "[::1]:8080"


def test_every_error_kind_reads_in_both_languages():
    from ckanext.ikoma.jp.errors import catalogue
    from ckanext.ikoma.logic.harvest_report import ERROR_KINDS

    for kind in ERROR_KINDS:
        entry = catalogue()["harvest_kind_" + kind.replace(":", "_")]
        assert entry["ja"] != entry["en"] and entry["en"].isascii()
