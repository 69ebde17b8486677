"""The CKAN-API reader: a neighbour's CKAN site without DCAT, read through its package_search, each
package given as the `ikoma_dcat` parser gives a dataset, so that one mapping (mapping.map_dataset)
applies to both readers. Pure: no CKAN import."""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from ckanext.ikoma.harvesters.mapping import DATASET_FIELDS, IDENTITY_EXTRAS, RESOURCE_FIELDS, _filled
from ckanext.ikoma.schema_fields import provenance_fields


def _ckan_extras(package: dict[str, Any]) -> dict[str, str]:
    return {str(e.get("key")): str(e.get("value") or "") for e in package.get("extras") or [] if e.get("key")}


def _term(vocabulary_name: str, *spellings: Any) -> str:
    """The value of the first spelling that names a term (vocabularies.resolve, as the profile)."""
    from ckanext.ikoma.vocabularies import resolve

    return next(filter(None, (resolve(vocabulary_name, str(s)) for s in spellings if s)), "")


def _date(*values: Any) -> tuple[str, list[str]]:
    """The first value that is a date, as YYYY-MM-DD, and those before it that were not."""
    from ckanext.ikoma.jp.dates import date_of
    from ckanext.ikoma.jp.errors import JpValueError

    wrong = []
    for value in values:
        text = str(value or "").strip()
        if not text:
            continue
        try:
            return date_of(text), wrong
        except JpValueError:
            wrong.append(text)
    return "", wrong


# The extras from_ckan_package reads (as values or as provenance); any other extra goes to
# ikoma_unmapped, so nothing a neighbour wrote is lost silently.
READ_FROM_EXTRAS = frozenset({"frequency", "issued", "modified", "title_en", "notes_en", "spatial_lg_codes"})
CKAN_KNOWN_EXTRAS = READ_FROM_EXTRAS | provenance_fields() | IDENTITY_EXTRAS


def from_ckan_package(package: dict[str, Any], site_url: str) -> dict[str, Any]:
    """A package from a neighbour's CKAN API (package_search) as the `ikoma_dcat` parser would give
    it, so the same mapping applies. Fields of the Ikoma schema are taken as they are when the
    neighbour runs it too; values that fit nowhere go to ikoma_unmapped."""
    extras = _ckan_extras(package)
    field = lambda key: package.get(key) or extras.get(key) or ""  # noqa: E731
    unmapped: dict[str, list[str]] = {}
    base = site_url.rstrip("/")
    license_id = _term("licenses", package.get("license_id"), package.get("license_title"), package.get("license_url"))
    if not license_id and (package.get("license_id") or package.get("license_title")):
        unmapped["license_id"] = [v for v in (package.get("license_id"), package.get("license_title")) if v]
    frequency = _term("frequencies", field("frequency"), extras.get("更新頻度"))
    raw_frequency = field("frequency") or extras.get("更新頻度") or ""
    if not frequency and raw_frequency:
        unmapped["frequency"] = [raw_frequency]
    raw = {"frequency": [raw_frequency]} if frequency and raw_frequency and raw_frequency != frequency else {}
    issued, wrong_issued = _date(field("issued"), extras.get("公開日"))
    modified, wrong_modified = _date(field("modified"), extras.get("最終更新日"), package.get("metadata_modified"))
    if wrong_issued:
        unmapped["issued"] = wrong_issued
    if wrong_modified:
        unmapped["modified"] = wrong_modified
    org = package.get("organization") or {}
    org_code = str(org.get("lg_code") or (org.get("name") if re.fullmatch(r"\d{6}", str(org.get("name") or "")) else ""))
    for key, value in extras.items():
        if key not in CKAN_KNOWN_EXTRAS and value:
            unmapped.setdefault(key, []).append(value)
    identifier = str(field("identifier") or package.get("id") or "")
    origin = field("harvest_identity")
    if "@" in origin:  # the neighbour harvested it too: keep the origin's identity and URI
        identifier, org_code = origin.rsplit("@", 1)
    spatial = package.get("spatial_lg_codes") or extras.get("spatial_lg_codes") or []
    if isinstance(spatial, str):
        try:
            spatial = json.loads(spatial)
        except ValueError:
            spatial = re.findall(r"\d{6}", spatial)
    same_schema = {key: package[key] for key in DATASET_FIELDS if _filled(package.get(key))}
    for key in ("theme", "language", "spatial_lg_codes"):  # stored JSON lists
        if isinstance(same_schema.get(key), str):
            try:
                same_schema[key] = json.loads(same_schema[key])
            except ValueError:
                same_schema.pop(key)
    computed = {
        "identifier": identifier,
        "uri": f"{base}/dataset/{package.get('name') or package.get('id')}",
        "ikoma_source": field("harvest_original_uri"),
        "title": package.get("title") or package.get("name") or "",
        "title_en": field("title_en"), "notes": package.get("notes") or "", "notes_en": field("notes_en"),
        "tags": [{"name": t.get("name")} for t in package.get("tags") or [] if t.get("name")],
        "license_id": license_id, "frequency": frequency, "issued": issued, "modified": modified,
        "url": package.get("url") or "", "version": package.get("version") or "",
        "contact_name": package.get("maintainer") or package.get("author") or "",
        "contact_email": package.get("maintainer_email") or package.get("author_email") or "",
        "spatial_lg_codes": [c for c in spatial if isinstance(c, str)],
        "ikoma_publisher": {"uri": f"{base}/organization/{org.get('name')}" if org.get("name") else "",
                            "lg_code": org_code, "name": org.get("title") or "", "name_en": ""},
        "ikoma_unmapped": unmapped, "ikoma_raw": raw, "extras": [],
        "resources": [{
            **{key: r[key] for key in RESOURCE_FIELDS if _filled(r.get(key))},
            "size": str(r["size"]) if str(r.get("size") or "").isdigit() else "",
            "uri": f"{base}/dataset/{package.get('name')}/resource/{r.get('id')}" if r.get("id") else r.get("url") or "",
        } for r in package.get("resources") or []],
    }
    # a neighbour running the Ikoma schema gives its fields as they are; others get the best guess
    return {**computed, **{k: v for k, v in same_schema.items() if k not in ("license_id", "frequency")
                           or not computed.get(k)}}


def ckan_search_url(url: str, rows: int = 100, after: Optional[tuple[str, str]] = None) -> str:
    """The package_search URL of a CKAN site given by its address or by the API URL itself. Pages
    are a keyset on (metadata_created, id), not an offset: a dataset deleted upstream while a run
    pages through would otherwise shift the next one onto a page already read, and it would be
    missed (and withdrawn here)."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path.endswith("/api/3/action/package_search"):
        path += "/api/3/action/package_search"
    params = {"q": "*:*", "rows": rows, "sort": "metadata_created asc, id asc"}
    if after:
        created = after[0] if after[0].endswith("Z") else after[0] + "Z"
        identifier = after[1].replace('"', "")
        # required as a whole: CKAN adds its own +clauses, beside which a bare OR would be optional
        params["fq"] = (f'+(metadata_created:{{"{created}" TO *] OR '
                        f'(metadata_created:"{created}" AND id:{{"{identifier}" TO *]))')
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(params), ""))
