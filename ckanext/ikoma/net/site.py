"""The site's own rules for the fetcher, from ckan.ini: the only place that can let the extension
reach non-public addresses (`ckanext.ikoma.fetch.allowed_private`). CKAN-facing: the rest of net/
is pure."""
from __future__ import annotations

import functools

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.net.addresses import PrivateAllowlist

ALLOWED_PRIVATE = "ckanext.ikoma.fetch.allowed_private"


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> PrivateAllowlist:
    return PrivateAllowlist.parse(text)


def private_allowlist() -> PrivateAllowlist:
    """The admin's allow-list; a malformed entry stops the site at start-up (check_config)."""
    return _parsed(str(toolkit.config.get(ALLOWED_PRIVATE) or ""))


def check_config(config) -> None:
    try:
        _parsed(str(config.get(ALLOWED_PRIVATE) or ""))
    except ValueError as error:
        raise RuntimeError(f"{ALLOWED_PRIVATE}: {error}") from None
