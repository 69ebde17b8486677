"""Which municipality publishes which standard dataset (自治体標準オープンデータセット): a matrix of
organizations × standard datasets, built from what datasets declare (`conforms_to`, their own or
harvested), never guessed from tags or titles. One search query reads every declaring dataset."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.logic.catalog_query import solr_phrase
from ckanext.ikoma.logic.index_fields import STANDARD
from ckanext.ikoma.logic.validation import conformance_scores
from ckanext.ikoma.standards import standard_datasets

PAGE = 500
# the region page lists this many of the probably-standard datasets that declare nothing: a hub
# holds tens of thousands (reading and linking each made the page take seconds, cold and warm);
# the JSON download and ikoma_coverage_show list them all
UNDECLARED_ON_PAGE = 50


@dataclass
class Row:
    organization_id: str
    name: str
    title: str
    # standard number -> [{name, title, score}]; score: the CSV conformance (0–100), None while unchecked
    cells: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def covered(self) -> int:
        return len(self.cells)


@dataclass
class Coverage:
    standards: list[tuple[str, str, str]]  # (number, name ja, name en)
    rows: list[Row]
    undeclared: list[dict] = field(default_factory=list)  # {number, name, title, organization}: "probably NN"
    more_undeclared: bool = False  # the list was cut at a limit, and more follow

    def column_totals(self) -> dict[str, int]:
        return {number: sum(1 for row in self.rows if number in row.cells) for number, _, _ in self.standards}

    def missing(self, row: Row) -> list[tuple[str, str, str]]:
        return [s for s in self.standards if s[0] not in row.cells]

    def as_dict(self) -> dict:
        return {"standards": [{"number": n, "ja": ja, "en": en} for n, ja, en in self.standards],
                "organizations": [{"id": r.organization_id, "name": r.name, "title": r.title,
                                   "covered": r.covered, "datasets": r.cells,
                                   "missing": [n for n, _, _ in self.missing(r)]} for r in self.rows],
                "totals": self.column_totals(), "probably_undeclared": self.undeclared}


# stored fields only (logic/index_fields.py): a listing of thousands of datasets without loading
# one full dict
_FIELDS = ["id", "name", "title", "organization", STANDARD, "tags"]


def _search(fq: str):
    """The datasets `fq` finds, page by page (a caller may stop early)."""
    start = 0
    while True:
        page = toolkit.get_action("package_search")({"ignore_auth": True}, {
            "q": "*:*", "fq": fq, "rows": PAGE, "start": start, "sort": "name asc", "fl": _FIELDS,
            "include_private": False, "include_drafts": False})
        yield from page["results"]
        start += PAGE
        if start >= page["count"]:
            return


def probably_undeclared(standards, titles: dict[str, str], limit: Optional[int] = None) -> list[dict]:
    """Datasets that carry a standard dataset's tag or name (as BODIK guesses) but declare none:
    a curator should set conforms_to. One search for all standards, read until `limit` are found;
    `titles`: organization name -> title."""
    def phrase(text: str) -> str:
        return '"' + solr_phrase(text) + '"'

    tagged = " OR ".join(f"tags:{phrase(d.tag)} OR title:{phrase(d.name_ja)}" for d in standards if d.tag)
    found = []
    for dataset in _search(f"+dataset_type:dataset -conforms_to:[* TO *] +({tagged})"):
        tags = set(dataset.get("tags") or [])
        title = dataset.get("title") or ""
        number = next((d.number for d in standards if d.tag in tags or d.name_ja in title), None)
        if number:
            found.append({"number": number, "name": dataset["name"], "title": title,
                          "organization": titles.get(dataset.get("organization") or "", "")})
            if limit is not None and len(found) >= limit:
                break
    return found


def _organization_rows() -> dict[str, Row]:
    organizations = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").order_by(model.Group.title).all()
    return {g.name: Row(g.id, g.name, g.title or g.name) for g in organizations}


def matrix() -> Coverage:
    """Organizations × standard datasets, from what datasets declare; without the undeclared list
    (`undeclared`), which the page wants short and the downloads whole."""
    standards = [(d.number, d.name_ja, d.name_en) for d in standard_datasets().values()]
    known = {n for n, _, _ in standards}
    rows = _organization_rows()
    declaring = list(_search(f"+dataset_type:dataset +{STANDARD}:[* TO *]"))
    scores = conformance_scores([d["id"] for d in declaring])
    for dataset in declaring:
        row = rows.get(dataset.get("organization") or "")
        number = next(iter(dataset.get(STANDARD) or []), "")
        if row is not None and number in known:
            row.cells.setdefault(number, []).append({"name": dataset["name"], "title": dataset.get("title") or "",
                                                     "score": scores.get(dataset["id"])})
    return Coverage(standards, sorted(rows.values(), key=lambda r: (-r.covered, r.title)))


def undeclared(limit: Optional[int] = None) -> tuple[list[dict], bool]:
    """The probably-standard datasets that declare nothing: all of them, or the first `limit` (the
    page's); and whether more follow."""
    titles = {r.name: r.title for r in _organization_rows().values()}
    found = probably_undeclared(list(standard_datasets().values()), titles, None if limit is None else limit + 1)
    if limit is not None and len(found) > limit:
        return found[:limit], True
    return found, False
