"""The home page for residents: what there is (public datasets, by theme and by standard dataset),
what changed lately, and the neighbours' catalogs. Read through CKAN's own search, as the
anonymous public sees it: private and draft datasets never count or show."""
from __future__ import annotations

import dataclasses
from typing import Any

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma import vocabularies
from ckanext.ikoma.logic.index_fields import THEMES as THEME_FIELD  # one entry per theme

LATEST = 6


@dataclasses.dataclass(frozen=True)
class Entry:
    """One link of the home page: a theme or a standard dataset, with its count of public datasets."""
    value: str
    label: str
    count: int


@dataclasses.dataclass(frozen=True)
class HomePage:
    public_datasets: int
    themes: list[Entry]
    standards: list[Entry]
    latest: list[dict[str, Any]]
    neighbours: list[dict[str, Any]]


def home_page(lang: str) -> HomePage:
    result = toolkit.get_action("package_search")({"user": ""}, {
        "q": "*:*", "fq": "+dataset_type:dataset", "rows": LATEST, "sort": "metadata_modified desc",
        "facet.field": [THEME_FIELD, "conforms_to"], "facet.limit": -1, "include_private": False})
    facets = result.get("facets", {})
    themes = [Entry(t.value, t.label(lang), facets.get(THEME_FIELD, {}).get(t.value, 0))
              for t in vocabularies.vocabulary("themes")]
    standards = [Entry(t.value, t.label(lang), count)
                 for t in vocabularies.vocabulary("standard_datasets")
                 if (count := facets.get("conforms_to", {}).get(t.value, 0))]
    return HomePage(result["count"], themes, standards, result["results"], _neighbours())


def _neighbours() -> list[dict[str, Any]]:
    from ckanext.ikoma.logic.harvest_report import source_summary, visible_sources

    return [source_summary(s) for s in visible_sources({"user": ""})]
