"""Which municipality publishes which standard dataset (自治体標準オープンデータセット): a matrix of
organizations × standard datasets, built from what datasets declare (`conforms_to`, their own or
harvested), never guessed from tags or titles. One search query reads every declaring dataset."""
from __future__ import annotations

from dataclasses import dataclass, field

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.logic.catalog_query import solr_phrase
from ckanext.ikoma.logic.index_fields import STANDARD
from ckanext.ikoma.logic.validation import conformance_scores
from ckanext.ikoma.standards import standard_datasets

PAGE = 500


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


def _search(fq: str) -> list[dict]:
    results, start = [], 0
    while True:
        page = toolkit.get_action("package_search")({"ignore_auth": True}, {
            "q": "*:*", "fq": fq, "rows": PAGE, "start": start, "sort": "name asc", "fl": _FIELDS,
            "include_private": False, "include_drafts": False})
        results.extend(page["results"])
        start += PAGE
        if start >= page["count"]:
            return results


def probably_undeclared(standards, titles: dict[str, str]) -> list[dict]:
    """Datasets that carry a standard dataset's tag or name (as BODIK guesses) but declare none:
    a curator should set conforms_to. One search for all standards; `titles`: organization name ->
    title."""
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
    return found


def coverage() -> Coverage:
    standards = [(d.number, d.name_ja, d.name_en) for d in standard_datasets().values()]
    known = {n for n, _, _ in standards}
    organizations = model.Session.query(model.Group).filter(
        model.Group.is_organization.is_(True), model.Group.state == "active").order_by(model.Group.title).all()
    rows = {g.name: Row(g.id, g.name, g.title or g.name) for g in organizations}
    declaring = _search(f"+dataset_type:dataset +{STANDARD}:[* TO *]")
    scores = conformance_scores([d["id"] for d in declaring])
    for dataset in declaring:
        row = rows.get(dataset.get("organization") or "")
        number = next(iter(dataset.get(STANDARD) or []), "")
        if row is not None and number in known:
            row.cells.setdefault(number, []).append({"name": dataset["name"], "title": dataset.get("title") or "",
                                                     "score": scores.get(dataset["id"])})
    return Coverage(standards, sorted(rows.values(), key=lambda r: (-r.covered, r.title)),
                    probably_undeclared(list(standard_datasets().values()), {r.name: r.title for r in rows.values()}))
