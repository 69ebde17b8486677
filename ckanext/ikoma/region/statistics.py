"""/statistics (統計情報): the statistics of every publisher in one place — the city's, the
neighbours', and any harvest source given the role "statistics" (a prefecture's or the state's
catalog) — grouped by 統計分野 (the themes of vocab/themes.yaml other than その他) and then by area,
filterable by area, year and field, paged. Filtering and counting are Solr's (the period is indexed
as two dates by logic/index_fields.py), so a page costs one search whatever the size of the catalog."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma import vocabularies
from ckanext.ikoma.helpers import ikoma_as_list  # the stored-JSON-list reader
from ckanext.ikoma.logic.catalog_query import solr_phrase
from ckanext.ikoma.logic.index_fields import PERIOD_END, PERIOD_START, THEMES

PAGE_SIZE = 100
MAX_PAGE = 1000  # deep paging is Solr's slowest query; 100,000 statistics is more than any region has
STATISTICS_ROLE = "statistics"
_CODE = re.compile(r"^\d{6}$")
_YEAR = re.compile(r"^\d{4}$")
_PAGE = re.compile(r"^\d{1,4}$")
_THEME = re.compile(r"^[a-z-]{1,64}$")


@dataclass(frozen=True)
class Filters:
    area: Optional[str] = None  # 全国地方公共団体コード
    year: Optional[str] = None
    theme: Optional[str] = None  # a 統計分野's value
    page: int = 1

    def query(self, **changes: Any) -> dict[str, Any]:
        """The query string of these filters with `changes` (for links: pages, a field)."""
        values = {"area": self.area, "year": self.year, "theme": self.theme, "page": self.page, **changes}
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


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
    theme: Optional[vocabularies.Term]  # None: a statistics source's dataset with no 統計分野
    areas: dict[str, list[Entry]] = field(default_factory=dict)  # area label -> entries


@dataclass
class Statistics:
    groups: list[Group]
    count: int  # datasets matching the filters, over every page
    filters: Filters
    fields: list[tuple[vocabularies.Term, int]]  # every 統計分野 with its count under the other filters

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.count // PAGE_SIZE)))

    @property
    def first(self) -> int:
        return (self.filters.page - 1) * PAGE_SIZE + 1 if self.count else 0

    @property
    def last(self) -> int:
        return min(self.count, self.filters.page * PAGE_SIZE)


def read_filters(args) -> Filters:
    """The filters of the query string; a malformed one is no filter (never an error page)."""
    def value(name: str, pattern: re.Pattern) -> Optional[str]:
        text = (args.get(name) or "").strip()
        return text if pattern.match(text) else None

    themes = {t.value for t in statistics_themes()}
    theme = value("theme", _THEME)
    page = value("page", _PAGE)
    return Filters(value("area", _CODE), value("year", _YEAR), theme if theme in themes else None,
                   min(MAX_PAGE, max(1, int(page))) if page else 1)


def statistics_themes() -> list[vocabularies.Term]:
    return [t for t in vocabularies.vocabulary("themes") if t.value != "other"]


def statistics_source_urls() -> list[str]:
    """The catalogs of the active harvest sources whose configuration gives the role "statistics"."""
    from ckanext.harvest.model import HarvestSource

    from ckanext.ikoma.harvesters.config import ConfigError, parse_config

    urls = []
    for url, config in model.Session.query(HarvestSource.url, HarvestSource.config).filter(
            HarvestSource.active.is_(True)):
        try:
            if parse_config(config or "").role == STATISTICS_ROLE:
                urls.append(url)
        except ConfigError:
            continue  # a source whose configuration is refused has no role to speak of
    return urls


def _filter_query(filters: Filters, themes: list[vocabularies.Term], sources: list[str],
                  with_theme: bool = True) -> str:
    selected = [filters.theme] if with_theme and filters.theme else [t.value for t in themes]
    scope = f"{THEMES}:(" + " OR ".join(f'"{solr_phrase(t)}"' for t in selected) + ")"
    if not (with_theme and filters.theme):
        if sources:
            scope += " OR harvest_source_url:(" + " OR ".join(f'"{solr_phrase(u)}"' for u in sources) + ")"
    fq = ["+dataset_type:dataset", f"+({scope})"]
    if filters.area:
        fq.append(f"+spatial_lg_codes:*{filters.area}*")
    if filters.year:
        fq.append(f"+{PERIOD_START}:[* TO {filters.year}-12-31T23:59:59Z]")
        fq.append(f"+{PERIOD_END}:[{filters.year}-01-01T00:00:00Z TO *]")
    return " ".join(fq)


def _search(fq: str, **params: Any) -> dict[str, Any]:
    return toolkit.get_action("package_search")({"ignore_auth": True}, {
        "q": "*:*", "fq": fq, "include_private": False, "include_drafts": False, **params})


def statistics(filters: Filters = Filters(), lang: str = "ja") -> Statistics:
    themes = statistics_themes()
    sources = statistics_source_urls()  # one read for both searches
    result = _search(_filter_query(filters, themes, sources), rows=PAGE_SIZE, start=(filters.page - 1) * PAGE_SIZE,
                     sort="metadata_modified desc")
    facets = _search(_filter_query(filters, themes, sources, with_theme=False), rows=0, **{
        "facet.field": f'["{THEMES}"]', "facet.limit": -1})["facets"].get(THEMES, {})
    governments = vocabularies.local_governments()
    frequencies = vocabularies.vocabulary("frequencies")
    groups = {t.value: Group(t) for t in themes}
    unfielded = Group(None)
    for dataset in result["results"]:
        codes = [str(c) for c in ikoma_as_list(dataset.get("spatial_lg_codes"))] or ["-"]
        frequency = frequencies.get(dataset.get("frequency") or "")
        entry = Entry(dataset["name"], dataset.get("title") or dataset["name"],
                      (dataset.get("organization") or {}).get("title") or "", dataset.get("temporal") or "",
                      (frequency.label(lang) if frequency else ""),
                      sorted({r.get("format") for r in dataset.get("resources", []) if r.get("format")}))
        targets = [groups[t] for t in ikoma_as_list(dataset.get("theme")) if t in groups
                   and (not filters.theme or t == filters.theme)] or [unfielded]
        for group in targets:
            for code in codes:
                government = governments.get(code)
                label = (government.name_en if lang == "en" and government.name_en else government.full_name) \
                    if government else code
                group.areas.setdefault(label, []).append(entry)
    found = [g for g in groups.values() if g.areas] + ([unfielded] if unfielded.areas else [])
    return Statistics(found, result["count"], filters, [(t, facets.get(t.value, 0)) for t in themes])
