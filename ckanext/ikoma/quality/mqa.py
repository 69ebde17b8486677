"""The Metadata Quality Assessment of one dataset: which indicators of vocab/mqa_indicators.yaml it
meets, the points (of 405), the rating, and in words what it misses.

Pure: no CKAN import. What needs the network or the database comes in as arguments: the link
checker's status per URL, whether the dataset passes the SHACL shapes, its CSV conformance.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any, Optional

from ckanext.ikoma import vocabularies
from ckanext.ikoma.yamlfile import read_yaml

INDICATORS_FILE = os.path.join(vocabularies.VOCAB_DIR, "mqa_indicators.yaml")
MAX_POINTS = 405


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    points: int
    field: str
    ja: str
    en: str


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    share: Optional[float]  # 0..1 of the dataset (or of its distributions) that meets it; None: not known

    @property
    def earned(self) -> float:
        return self.indicator.points * (self.share or 0.0)

    @property
    def met(self) -> bool:
        return self.share is not None and self.share >= 1.0


@dataclass(frozen=True)
class Assessment:
    results: tuple[Result, ...]

    @property
    def points(self) -> int:
        return round(sum(r.earned for r in self.results if r.indicator.dimension != "japan"))

    @property
    def rating(self) -> str:
        return rating_of(self.points)

    def missed(self) -> list[Result]:
        return [r for r in self.results if not r.met]

    def as_dict(self) -> dict[str, Any]:
        return {"points": self.points, "max_points": MAX_POINTS, "rating": self.rating,
                "indicators": {r.indicator.key: None if r.share is None else round(r.share, 3) for r in self.results}}


@functools.lru_cache(maxsize=1)
def definitions() -> dict[str, Any]:
    return read_yaml(INDICATORS_FILE)


def rating_of(points: float) -> str:
    """excellent, good, sufficient or bad, by the MQA's thresholds."""
    return next(r["value"] for r in definitions()["ratings"] if points >= r["min"])


@functools.lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    return tuple(Indicator(i["key"], i["dimension"], int(i["points"]), i["field"] or "", i["ja"], i["en"])
                 for i in definitions()["indicators"])


def _present(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip()) and value.strip() not in ("[]", "{}")
    return bool(value)


def _share(items: list, test) -> Optional[float]:
    return sum(1 for item in items if test(item)) / len(items) if items else 0.0


def _file_type(resource: dict[str, Any]):
    file_types = vocabularies.vocabulary("file_types")
    return file_types.find(str(resource.get("format") or "")) or file_types.find(str(resource.get("mimetype") or ""))


def _is_download(resource: dict[str, Any]) -> bool:
    """A file, not a page: an upload, or a link in a file format other than HTML."""
    if resource.get("url_type") == "upload":
        return True
    kind = _file_type(resource)
    return kind is not None and kind.value != "HTML"


def assess(dataset: dict[str, Any], link_status: Optional[dict[str, Optional[int]]] = None,
           shacl_ok: Optional[bool] = None, csv_conformance: Optional[float] = None) -> Assessment:
    """`link_status`: the link checker's last HTTP status per URL (missing: not checked yet);
    uploads are the site's own files and count as answering."""
    resources = [r for r in dataset.get("resources") or [] if r.get("state", "active") == "active"]
    links = link_status or {}

    def answers(resource) -> bool:
        return resource.get("url_type") == "upload" or links.get(resource.get("url") or "") == 200

    downloads = [r for r in resources if _is_download(r)]
    csvs = [r for r in resources if getattr(_file_type(r), "value", None) == "CSV"]
    contact = any(_present(dataset.get(k)) for k in ("contact_phone", "contact_email", "contact_url"))
    license_id = str(dataset.get("license_id") or "")
    access_rights = str(dataset.get("access_rights") or "")
    by_key = {
        "keywords": 1.0 if dataset.get("tags") else 0.0,
        "theme": 1.0 if _present(dataset.get("theme")) else 0.0,
        "spatial": 1.0 if _present(dataset.get("spatial_lg_codes")) else 0.0,
        "temporal": 1.0 if _present(dataset.get("temporal")) else 0.0,
        "access_url_ok": _share(resources, answers),
        "download_url": _share(resources, _is_download),
        "download_url_ok": _share(downloads, answers) if downloads else 0.0,
        "format": _share(resources, lambda r: _present(r.get("format"))),
        "media_type": _share(resources, lambda r: _present(r.get("mimetype"))),
        "format_vocabulary": _share(resources, lambda r: _file_type(r) is not None),
        "non_proprietary": _share(resources, lambda r: bool(_file_type(r) and _file_type(r).extra.get("non_proprietary"))),
        "machine_readable": _share(resources, lambda r: bool(_file_type(r) and _file_type(r).extra.get("machine_readable"))),
        "shacl": None if shacl_ok is None else float(shacl_ok),
        "license": 1.0 if license_id else 0.0,
        "license_vocabulary": 1.0 if license_id and vocabularies.vocabulary("licenses").get(license_id) else 0.0,
        "access_rights": 1.0 if access_rights else 0.0,
        "access_rights_vocabulary": 1.0 if vocabularies.vocabulary("access_rights").get(access_rights) else 0.0,
        "contact": 1.0 if contact else 0.0,
        "publisher": 1.0 if dataset.get("owner_org") else 0.0,
        "rights": _share(resources, lambda r: _present(r.get("license"))),
        "byte_size": _share(resources, lambda r: _present(r.get("size"))),
        "issued": 1.0 if _present(dataset.get("issued")) else 0.0,
        "modified": 1.0 if _present(dataset.get("modified")) else 0.0,
        "declares_standard": 1.0 if _present(dataset.get("conforms_to")) else 0.0,
        "csv_conformance": csv_conformance,
        "english": 1.0 if _present(dataset.get("title_en")) and _present(dataset.get("notes_en")) else 0.0,
        "utf8_csv": _share(csvs, lambda r: str(r.get("character_encoding") or "").lower().startswith("utf-8"))
        if csvs else None,
    }
    return Assessment(tuple(Result(i, by_key[i.key]) for i in indicators()))
