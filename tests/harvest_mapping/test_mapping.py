"""From a parsed neighbour dataset to the Ikoma schema: identity, publisher code, fallbacks for
required fields, unmapped values kept, a content hash that only the data moves."""
import pytest

from ckanext.ikoma.harvesters.mapping import MappingError, dataset_name, map_dataset


def parsed(**overrides):
    data = {
        "title": "平群町のデータ", "notes": "説明", "identifier": "ds-1", "uri": "https://example.jp/ds/1",
        "ikoma_publisher": {"uri": "https://example.jp/org", "lg_code": "293423", "name": "平群町", "name_en": ""},
        "contact_phone": "0745-45-1001", "spatial_lg_codes": [], "frequency": "annual",
        "extras": [{"key": "uri", "value": "https://example.jp/ds/1"}], "ikoma_unmapped": {},
        "resources": [{"url": "https://example.jp/1.csv", "format": "CSV", "uri": "https://example.jp/1.csv#d"}],
    }
    data.update(overrides)
    return data


def test_identity_is_the_original_identifier_at_the_publishers_code():
    h = map_dataset(parsed())
    assert h.identity == "ds-1@293423" and h.publisher_code == "293423"
    assert h.original_uri == "https://example.jp/ds/1"
    assert h.dataset["spatial_lg_codes"] == ["293423"]  # the publisher's area when none is given


@pytest.mark.parametrize("publisher, spatial, fallback, fixed, expected", [
    ({"lg_code": "２９３４２３"}, [], None, None, "293423"),               # full-width digits
    ({"lg_code": "", "uri": "https://x.jp/lg/292010"}, [], None, None, "292010"),  # code ending the URI
    ({"lg_code": "123456"}, ["292010"], None, None, "292010"),          # wrong check digit: the one spatial code
    ({}, ["292010", "293423"], "290009", None, "290009"),                # several areas: the source's code
    ({"lg_code": "293423"}, [], None, "290009", "290009"),              # fixed by the source's configuration
])
def test_the_publishers_code_comes_from_the_best_place(publisher, spatial, fallback, fixed, expected):
    h = map_dataset(parsed(ikoma_publisher=publisher, spatial_lg_codes=spatial), fixed_code=fixed,
                    fallback_code=fallback)
    assert h.publisher_code == expected


def test_no_identifier_and_no_code_are_clear_errors():
    with pytest.raises(MappingError) as error:
        map_dataset(parsed(identifier="", uri="", extras=[]))
    assert "識別子" in error.value.ja and "identifier" in error.value.en
    with pytest.raises(MappingError) as error:
        map_dataset(parsed(ikoma_publisher={}))
    assert "全国地方公共団体コード" in error.value.ja


def test_required_fields_are_filled_and_unmapped_values_kept():
    h = map_dataset(parsed(notes="", contact_phone="", url="https://example.jp/page", spatial_lg_codes=["999999"],
                           ikoma_unmapped={"license_id": ["独自ライセンス"]},
                           extras=[{"key": "uri", "value": "x"}, {"key": "version_notes", "value": "v2"}]))
    assert h.dataset["notes"] == "平群町のデータ"              # the title when there is no description
    assert h.dataset["contact_url"] == "https://example.jp/page"  # the landing page to ask about it
    assert h.dataset["license_id"] == "other"                 # never the default licence for an unknown one
    assert h.unmapped == {"license_id": ["独自ライセンス"], "version_notes": ["v2"], "spatial_lg_codes": ["999999"]}
    resource = h.dataset["resources"][0]
    assert resource["name"] == "CSV" and resource["description"] == "CSV" and resource["uri"].endswith("#d")


def test_defaults_fill_only_what_is_missing():
    h = map_dataset(parsed(frequency=""), defaults={"frequency": "monthly", "title": "上書きしない"})
    assert h.dataset["frequency"] == "monthly" and h.dataset["title"] == "平群町のデータ"


def test_the_hash_moves_with_the_data_only():
    assert map_dataset(parsed()).content_hash == map_dataset(parsed()).content_hash
    assert map_dataset(parsed()).content_hash != map_dataset(parsed(title="変更")).content_hash
    assert map_dataset(parsed()).content_hash != map_dataset(parsed(ikoma_unmapped={"x": ["y"]})).content_hash


def test_names_are_made_from_code_and_identifier_and_kept_unique():
    taken = {"293423-ds-1"}
    assert dataset_name("ds-1@293423", taken.__contains__) == "293423-ds-1-2"
    assert dataset_name("https://example.jp/dataset/ABC_1/@292010", lambda n: False) == "292010-abc_1"
    assert dataset_name("公園一覧@292010", lambda n: False).startswith("292010-")


def test_keywords_become_tags_ckan_accepts_and_respellings_are_kept():
    h = map_dataset(parsed(tags=[{"name": "地域・年齢別人口"}, {"name": "ＡＥＤ"}, {"name": "防災"}, {"name": "犬"}]))
    assert h.dataset["tags"] == [{"name": "地域 年齢別人口"}, {"name": "AED"}, {"name": "防災"}, {"name": "犬"}]
    assert h.unmapped["tags"] == ["地域・年齢別人口", "ＡＥＤ"]  # one kanji is a keyword as it is


def test_ckan_api_pages_are_a_keyset_not_an_offset():
    from urllib.parse import parse_qs, urlsplit

    from ckanext.ikoma.harvesters.ckan_api import ckan_search_url

    first = ckan_search_url("https://data.example.jp/", rows=50)
    assert first.startswith("https://data.example.jp/api/3/action/package_search?")
    assert ckan_search_url("https://data.example.jp/api/3/action/package_search", rows=50) == first
    query = parse_qs(urlsplit(ckan_search_url(first, 50, ("2024-04-01T09:00:00.5", 'ab"c'))).query)
    assert "start" not in query and query["sort"] == ["metadata_created asc, id asc"]
    assert query["fq"] == ['+(metadata_created:{"2024-04-01T09:00:00.5Z" TO *] OR '
                           '(metadata_created:"2024-04-01T09:00:00.5Z" AND id:{"abc" TO *]))']


def test_a_ckan_neighbours_extras_are_read_or_kept_unmapped():
    """Extras the reader does not use (a free 'language' or 'theme' of a CKAN without the Ikoma
    schema) are kept in ikoma_unmapped; provenance and identity extras are not data."""
    from ckanext.ikoma.harvesters.ckan_api import from_ckan_package

    package = {"id": "p1", "name": "aed", "title": "AED", "extras": [
        {"key": "frequency", "value": "毎月"}, {"key": "language", "value": "日本語"},
        {"key": "theme", "value": "防災"}, {"key": "harvest_source_url", "value": "https://x.example.jp/"},
        {"key": "guid", "value": "abc"}, {"key": "title_en", "value": "AEDs"}]}
    parsed = from_ckan_package(package, "https://data.example.jp")
    assert parsed["ikoma_unmapped"] == {"language": ["日本語"], "theme": ["防災"]}
    assert parsed["title_en"] == "AEDs" and parsed["frequency"]
