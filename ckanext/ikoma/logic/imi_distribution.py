"""The IMI (共通語彙基盤) form of a checked standard-dataset CSV resource, kept in storage.

The validation job checks the file and converts it in the same pass (imi.convert_csv hands the
checker's rows to the converter); when some rows convert and no error concerns the whole file, the
JSON-LD is kept at <ckan.storage_path>/ikoma/imi/<resource id>.jsonld, else any earlier one is
removed. Rows with errors are left out. The resource and dataset pages offer it, and the dataset's
DCAT lists it as a distribution conforming to IMI core 2.4.1 and the standard dataset.
"""
from __future__ import annotations

import os
import tempfile

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.imi.convert import convert_csv

MEDIA_TYPE = "application/ld+json"
IMI_CORE = "http://imi.go.jp/ns/core/rdf"  # the ontology IRI of IMI core 2.4.1


def imi_file(resource_id: str) -> str:
    root = toolkit.config.get("ckan.storage_path") or tempfile.gettempdir()
    return os.path.join(root, "ikoma", "imi", f"{os.path.basename(resource_id)}.jsonld")


def has_imi(resource_id: str) -> bool:
    return os.path.exists(imi_file(resource_id))


def check_and_convert(resource_id: str, path: str, definition, max_bytes):
    """Check `path` and write its IMI form in one pass; keep the file only when it is usable.
    The file appears whole or not at all (written beside it, then renamed). Returns the report."""
    if not toolkit.asbool(toolkit.config.get("ckanext.ikoma.imi.enabled")):
        remove_imi(resource_id)
        return check_csv(path, definition, max_bytes=max_bytes)
    target = imi_file(resource_id)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".imi-", suffix=".jsonld", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            conversion = convert_csv(path, definition, out, "jsonld", max_bytes=max_bytes)
        if conversion.usable:
            os.replace(tmp, target)
        else:
            os.unlink(tmp)
            remove_imi(resource_id)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return conversion.report


def remove_imi(resource_id: str) -> None:
    try:
        os.unlink(imi_file(resource_id))
    except FileNotFoundError:
        pass
