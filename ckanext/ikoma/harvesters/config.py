"""A harvest source's configuration (the JSON in its "設定" box), checked with clear errors.

Pure: no CKAN import. Every key is optional; what is not given takes the default below. Unknown keys
are refused (a typo such as "read_timout" would otherwise silently keep the default).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlsplit

from ckanext.ikoma.net.addresses import PrivateAllowlist
from ckanext.ikoma.net.fetch import FetchPolicy
from ckanext.ikoma.jp.codes import is_valid_lg_code
from ckanext.ikoma.jp.errors import JpValueError

# priority order: the origin's own copy wins; "statistics" marks a prefecture's or the state's
# statistics catalog, whose datasets /statistics lists whatever their theme
ROLES = ("origin", "prefecture", "statistics", "aggregator")
DELETION_POLICIES = ("delete", "withdraw")
LOCAL_EDIT_POLICIES = ("overwrite", "keep")
OWNERS = ("publisher", "source")
APIS = ("dcat", "ckan")  # a DCAT catalog (RDF pages), or a CKAN site's package_search API  # file datasets under their publisher's organization, or the source's
RDF_FORMATS = ("text/turtle", "application/rdf+xml", "application/ld+json", "application/n-triples",
               "turtle", "xml", "json-ld", "nt")
MB = 1024 * 1024


class ConfigError(JpValueError):
    """A source setting that cannot be used: `code` is a harvest_config_* entry of jp/messages.yaml."""

    def __str__(self) -> str:
        return f"{self.ja} / {self.en}"


@dataclass(frozen=True)
class SourceConfig:
    api: str = "dcat"
    page_size: int = 100  # datasets per package_search request (api: ckan)
    profiles: tuple[str, ...] = ("ikoma_dcat",)
    rdf_format: Optional[str] = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 50 * MB
    retries: int = 2
    backoff: float = 1.0
    defaults: dict[str, Any] = field(default_factory=dict)
    allowed_hosts: tuple[str, ...] = ()
    deletion: str = "delete"
    local_edits: str = "overwrite"
    owner: str = "publisher"
    role: Optional[str] = None  # None: the neighbour's role in vocab/neighbours.yaml, else origin
    publisher_code: Optional[str] = None  # None: the publisher's code in the data, else the source's organization

    def fetch_policy(self, source_url: str, private_allowlist: PrivateAllowlist = PrivateAllowlist()) -> FetchPolicy:
        """The fetcher's rules for this source; private addresses only as the site allows them."""
        hosts = self.allowed_hosts or (host_of(source_url),)
        return FetchPolicy(connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
                           max_bytes=self.max_bytes, retries=self.retries, backoff=self.backoff,
                           allowed_hosts=tuple(hosts), private_allowlist=private_allowlist,
                           user_agent="ckanext-ikoma harvester")


def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6, written as in URLs
        host = f"[{host}]"
    return host + (f":{parts.port}" if parts.port else "")


def _number(config: dict, key: str, low: float, high: float, integer: bool = False):
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        raise ConfigError("harvest_config_whole_number" if integer else "harvest_config_number", key=key)
    if not low <= value <= high:
        raise ConfigError("harvest_config_range", key=key, low=f"{low:g}", high=f"{high:g}")
    return value


def _choice(config: dict, key: str, choices: tuple[str, ...]) -> str:
    value = config[key]
    if value not in choices:
        raise ConfigError("harvest_config_choice", key=key, choices=", ".join(choices))
    return value


def _string_list(config: dict, key: str) -> tuple[str, ...]:
    value = config[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError("harvest_config_string_list", key=key)
    return tuple(v.strip() for v in value)


def parse_config(text: Optional[str], known_profiles: Optional[set[str]] = None) -> SourceConfig:
    """The source configuration, or ConfigError naming the key and what it must be."""
    if not text or not text.strip():
        return SourceConfig()
    try:
        config = json.loads(text)
    except ValueError as error:
        raise ConfigError("harvest_config_not_json", detail=str(error)) from None
    if not isinstance(config, dict):
        raise ConfigError("harvest_config_not_object")
    if "allow_private_addresses" in config:  # was a source setting: a curator could open the site's network
        raise ConfigError("harvest_config_private_addresses")
    known = set(SourceConfig.__dataclass_fields__)
    unknown = sorted(set(config) - known)
    if unknown:
        raise ConfigError("harvest_config_unknown_keys", unknown=", ".join(unknown), known=", ".join(sorted(known)))
    values: dict[str, Any] = {}
    if "api" in config:
        values["api"] = _choice(config, "api", APIS)
    if "page_size" in config:
        values["page_size"] = _number(config, "page_size", 1, 1000, integer=True)
    if "profiles" in config:
        values["profiles"] = _string_list(config, "profiles")
        missing = [p for p in values["profiles"] if known_profiles is not None and p not in known_profiles]
        if missing:
            raise ConfigError("harvest_config_unknown_profiles", missing=", ".join(missing),
                              known=", ".join(sorted(known_profiles)))
    if "rdf_format" in config:
        values["rdf_format"] = _choice(config, "rdf_format", RDF_FORMATS)
    if "connect_timeout" in config:
        values["connect_timeout"] = float(_number(config, "connect_timeout", 0.1, 120))
    if "read_timeout" in config:
        values["read_timeout"] = float(_number(config, "read_timeout", 0.1, 600))
    if "max_bytes" in config:
        values["max_bytes"] = _number(config, "max_bytes", 1024, 1024 * MB, integer=True)
    if "retries" in config:
        values["retries"] = _number(config, "retries", 0, 10, integer=True)
    if "backoff" in config:
        values["backoff"] = float(_number(config, "backoff", 0, 60))
    if "defaults" in config:
        if not isinstance(config["defaults"], dict):
            raise ConfigError("harvest_config_defaults")
        values["defaults"] = dict(config["defaults"])
    if "allowed_hosts" in config:
        values["allowed_hosts"] = tuple(h.lower() for h in _string_list(config, "allowed_hosts"))
    if "deletion" in config:
        values["deletion"] = _choice(config, "deletion", DELETION_POLICIES)
    if "local_edits" in config:
        values["local_edits"] = _choice(config, "local_edits", LOCAL_EDIT_POLICIES)
    if "owner" in config:
        values["owner"] = _choice(config, "owner", OWNERS)
    if "role" in config:
        values["role"] = _choice(config, "role", ROLES)
    if "publisher_code" in config:
        code = str(config["publisher_code"])
        if not is_valid_lg_code(code):
            raise ConfigError("harvest_config_publisher_code", value=code)
        values["publisher_code"] = code
    return SourceConfig(**values)
