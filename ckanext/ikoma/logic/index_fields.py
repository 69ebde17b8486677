"""Fields the extension adds to each dataset's search document (before_dataset_index), so the
region pages filter, count and list with Solr alone. Scheming's list fields are indexed as JSON
text and its other fields are indexed but not stored; these copies are real lists and stored
(CKAN's `vocab_*` and `*_date` dynamic fields), so a listing can ask for them with `fl` instead of
loading every dataset's full dict."""
from __future__ import annotations

import re
from typing import Any

from ckanext.ikoma.helpers import ikoma_as_list  # the stored-JSON-list reader

THEMES = "vocab_theme"
STANDARD = "vocab_conforms_to"  # the standard dataset the dataset declares
PERIOD_START, PERIOD_END = "temporal_start_date", "temporal_end_date"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def add_index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    themes = ikoma_as_list(pkg_dict.get("theme"))
    if themes:
        pkg_dict[THEMES] = [str(t) for t in themes]
    if pkg_dict.get("conforms_to"):
        pkg_dict[STANDARD] = [str(pkg_dict["conforms_to"])]
    # the period (`temporal`, YYYY-MM-DD/YYYY-MM-DD once validated) as two dates: a year filter
    # is then a range query
    start, _, end = str(pkg_dict.get("temporal") or "").partition("/")
    if _DAY.match(start) and _DAY.match(end or start):
        pkg_dict[PERIOD_START] = f"{start}T00:00:00Z"
        pkg_dict[PERIOD_END] = f"{end or start}T23:59:59Z"
    return pkg_dict
