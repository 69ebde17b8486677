"""Scoring every public dataset (`ckan ikoma quality score`, nightly): the MQA of quality/mqa.py with
the link checker's answers, the SHACL shapes run once per batch of datasets, and the CSV
conformance of the validation reports; one row per dataset per day, kept so scores can be plotted."""
from __future__ import annotations

import datetime as dt
import json
from typing import Callable, Optional

from rdflib import Graph, URIRef

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.dcat.utils import dataset_uri

from ckanext.ikoma.catalog_check import check_catalog
from ckanext.ikoma.logic.validation import conformance_scores
from ckanext.ikoma.model import QualityScore
from ckanext.ikoma.quality.links import link_statuses
from ckanext.ikoma.quality.mqa import Assessment, assess

BATCH = 200


def _failing_shapes(datasets: list[dict]) -> set[str]:
    """Ids of those datasets whose graph has a SHACL violation (one pyshacl run for the batch)."""
    from ckanext.ikoma.logic import catalog

    graph = Graph()
    for nt in catalog.dataset_ntriples(datasets, catalog.generation()).values():
        graph.parse(data=nt.decode() if isinstance(nt, bytes) else nt, format="nt")
    owner: dict[str, str] = {}  # node (as text: focus nodes may be blank) -> dataset id, within two steps
    for dataset in datasets:
        frontier = [URIRef(dataset_uri(dataset))]
        for _ in range(3):
            for node in frontier:
                owner.setdefault(str(node), dataset["id"])
            frontier = [o for node in frontier for o in graph.objects(node, None) if str(o) not in owner]
    return {owner[r.focus] for r in check_catalog(graph) if r.severity == "Violation" and r.focus in owner}


def _share(score: Optional[float]) -> Optional[float]:
    return None if score is None else score / 100


def _public_datasets():
    start = 0
    while True:
        page = toolkit.get_action("package_search")({"ignore_auth": True}, {
            "q": "*:*", "fq": "+dataset_type:dataset", "rows": BATCH, "start": start, "sort": "id asc",
            "include_private": False, "include_drafts": False})
        if page["results"]:
            yield page["count"], page["results"]
        start += BATCH
        if start >= page["count"]:
            return


def score_all(day: Optional[dt.date] = None, progress: Optional[Callable[[int], None]] = None,
              total: Optional[Callable[[int], None]] = None) -> int:
    """Score every public dataset for `day` (today); scoring again the same day replaces it."""
    day = day or dt.date.today()
    links = link_statuses()
    scored = 0
    for count, datasets in _public_datasets():
        if total and scored == 0:
            total(count)
        failing = _failing_shapes(datasets)
        conformance = conformance_scores([d["id"] for d in datasets])
        for dataset in datasets:
            assessment = assess(dataset, links, shacl_ok=dataset["id"] not in failing,
                                csv_conformance=_share(conformance.get(dataset["id"])))
            _store(dataset["id"], day, assessment)
        model.Session.commit()
        scored += len(datasets)
        if progress:
            progress(len(datasets))
    return scored


def _store(package_id: str, day: dt.date, assessment: Assessment) -> None:
    row = model.Session.get(QualityScore, (package_id, day)) or QualityScore(package_id=package_id, day=day)
    row.points, row.rating = assessment.points, assessment.rating
    row.indicators = json.dumps(assessment.as_dict()["indicators"])
    model.Session.add(row)
