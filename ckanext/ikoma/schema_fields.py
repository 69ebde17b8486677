"""The field names of the dataset schema (schemas/dataset.yaml), read once per process: the one list
the harvester maps into and the DCAT profile reads, never restated in Python. Pure: no CKAN import."""
from __future__ import annotations

import functools
import os

from ckanext.ikoma.yamlfile import read_yaml

SCHEMA_FILE = os.path.join(os.path.dirname(__file__), "schemas", "dataset.yaml")
# Set by CKAN or by the harvester itself, not taken from a source.
NOT_HARVESTED = {"name", "owner_org"}
# CKAN's own package columns (everything else of the schema is stored as an extra).
CORE = {"title", "notes", "tags", "license_id", "url", "version"}


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    return read_yaml(SCHEMA_FILE)


@functools.lru_cache(maxsize=1)
def dataset_fields() -> tuple[str, ...]:
    """The dataset fields a harvested value may fill, in schema order (tag_string as `tags`)."""
    names = ("tags" if f["field_name"] == "tag_string" else f["field_name"] for f in _schema()["dataset_fields"])
    return tuple(n for n in names if n not in NOT_HARVESTED and not n.startswith("harvest"))


@functools.lru_cache(maxsize=1)
def provenance_fields() -> frozenset[str]:
    """The schema's harvest_* fields: what a harvester (ours or a neighbour's) wrote, not the data."""
    return frozenset(f["field_name"] for f in _schema()["dataset_fields"]
                     if f["field_name"].startswith("harvest"))


@functools.lru_cache(maxsize=1)
def resource_fields() -> tuple[str, ...]:
    return tuple(f["field_name"] for f in _schema()["resource_fields"])


@functools.lru_cache(maxsize=1)
def extra_fields() -> frozenset[str]:
    """The schema's dataset fields that are not CKAN columns (the stock DCAT parser's extras)."""
    return frozenset(dataset_fields()) - CORE
