"""/statistics (統計情報): the statistics of every publisher in one place — the city's, the
neighbours', and any harvested prefectural or national source — grouped by 統計分野 (the themes of
vocab/themes.yaml other than その他) and then by area, filterable by area and by year."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma import vocabularies
from ckanext.ikoma.helpers import ikoma_as_list  # the stored-JSON-list reader

MAX_ROWS = 1000
_CODE = re.compile(r"^\d{6}$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class Entry:
    name: str
    title: str
    publisher: str
    temporal: str
    frequency: str
    formats: list[str]


@dataclass
class Group:
    theme: vocabularies.Term
    areas: dict[str, list[Entry]] = field(default_factory=dict)  # area label -> entries


def _overlaps(temporal: str, year: str) -> bool:
    start, _, end = (temporal or "").partition("/")
    if not start:
        return False
    return start[:4] <= year <= (end or start)[:4]


def read_filters(args) -> tuple[Optional[str], Optional[str]]:
    """(area code, year) from the query string; anything else is ignored with no filter."""
    area = (args.get("area") or "").strip()
    year = (args.get("year") or "").strip()
    return (area if _CODE.match(area) else None), (year if _YEAR.match(year) else None)


def statistics(area: Optional[str] = None, year: Optional[str] = None, lang: str = "ja") -> list[Group]:
    themes = [t for t in vocabularies.vocabulary("themes") if t.value != "other"]
    fq = ["+dataset_type:dataset", "+theme:[* TO *]"]
    if area:
        fq.append(f"+spatial_lg_codes:*{area}*")
    result = toolkit.get_action("package_search")({"ignore_auth": True}, {
        "q": "*:*", "fq": " ".join(fq), "rows": MAX_ROWS, "sort": "metadata_modified desc",
        "include_private": False, "include_drafts": False})
    governments = vocabularies.local_governments()
    frequencies = vocabularies.vocabulary("frequencies")
    groups = {t.value: Group(t) for t in themes}
    for dataset in result["results"]:
        if year and not _overlaps(dataset.get("temporal") or "", year):
            continue
        codes = [str(c) for c in ikoma_as_list(dataset.get("spatial_lg_codes"))] or ["-"]
        frequency = frequencies.get(dataset.get("frequency") or "")
        entry = Entry(dataset["name"], dataset.get("title") or dataset["name"],
                      (dataset.get("organization") or {}).get("title") or "", dataset.get("temporal") or "",
                      (frequency.label(lang) if frequency else ""),
                      sorted({r.get("format") for r in dataset.get("resources", []) if r.get("format")}))
        for theme in ikoma_as_list(dataset.get("theme")):
            if theme not in groups:
                continue
            for code in codes:
                government = governments.get(code)
                label = (government.name_en if lang == "en" and government.name_en else government.full_name) \
                    if government else code
                groups[theme].areas.setdefault(label, []).append(entry)
    return [g for g in groups.values() if g.areas]
