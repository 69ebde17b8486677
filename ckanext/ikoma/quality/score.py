"""Scoring every public dataset (`ckan ikoma quality score`, nightly): the MQA of quality/mqa.py with
the link checker's answers, the SHACL shapes run once per batch of datasets, and the CSV
conformance of the validation reports; one row per dataset per day, kept so scores can be plotted."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from typing import Callable, Optional

from rdflib import Graph, URIRef

import ckan.model as model
from ckan.lib.redis import connect_to_redis
import ckan.plugins.toolkit as toolkit

from ckanext.dcat.utils import dataset_uri

from ckanext.ikoma.catalog_check import SHAPES, check_catalog
from ckanext.ikoma.logic.validation import conformance_scores
from ckanext.ikoma.model import QualityScore
from ckanext.ikoma.quality.links import link_statuses
from ckanext.ikoma.quality.mqa import Assessment, assess

BATCH = 200


_SHAPES_VERDICT = "ikoma:quality:shacl:{shapes}:{graph}"  # "1" passes, "0" fails; by content, 30 days
_VERDICT_TTL = 30 * 86400


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()  # a cache key, not a security boundary


@functools.lru_cache(maxsize=1)
def _shapes_digest() -> str:
    with open(SHAPES, "rb") as f:  # read once per process, not once per batch
        return _digest(f.read())


def _failing_shapes(datasets: list[dict]) -> set[str]:
    """Ids of those datasets whose graph has a SHACL violation. A verdict is remembered by the
    content of the dataset's graph and of the shapes, so a nightly run checks only the graphs
    that changed (pyshacl is most of the scoring time); those go through one pyshacl run."""
    from ckanext.ikoma.logic import catalog

    redis = connect_to_redis()
    graphs = {k: (v if isinstance(v, bytes) else v.encode())
              for k, v in catalog.dataset_ntriples(datasets, catalog.generation()).items()}
    shapes = _shapes_digest()
    keys = {k: _SHAPES_VERDICT.format(shapes=shapes, graph=_digest(nt)) for k, nt in graphs.items()}
    known = dict(zip(keys, redis.mget(list(keys.values())))) if keys else {}
    failing = {k for k, verdict in known.items() if verdict == b"0"}
    unknown = [k for k, verdict in known.items() if verdict is None]
    if not unknown:
        return failing
    graph = Graph()
    for k in unknown:
        graph.parse(data=graphs[k].decode(), format="nt")
    owner: dict[str, str] = {}  # node (as text: focus nodes may be blank) -> dataset id, within two steps
    for dataset in datasets:
        if dataset["id"] not in unknown:
            continue
        frontier = [URIRef(dataset_uri(dataset))]
        for _ in range(3):
            for node in frontier:
                owner.setdefault(str(node), dataset["id"])
            frontier = [o for node in frontier for o in graph.objects(node, None) if str(o) not in owner]
    found = {owner[r.focus] for r in check_catalog(graph) if r.severity == "Violation" and r.focus in owner}
    pipe = redis.pipeline()
    for k in unknown:
        pipe.set(keys[k], "0" if k in found else "1", ex=_VERDICT_TTL)
    pipe.execute()
    return failing | found


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
        _store(day, {dataset["id"]: assess(dataset, links, shacl_ok=dataset["id"] not in failing,
                                           csv_conformance=_share(conformance.get(dataset["id"])))
                     for dataset in datasets})
        model.Session.commit()
        scored += len(datasets)
        if progress:
            progress(len(datasets))
    from ckanext.ikoma.region import figures

    figures.changed()
    return scored


def _store(day: dt.date, assessments: dict[str, Assessment]) -> None:
    """One INSERT … ON CONFLICT for the batch: scoring again the same day replaces its scores."""
    from sqlalchemy.dialects.postgresql import insert

    if not assessments:
        return
    table = QualityScore.__table__
    statement = insert(table).values([
        {"package_id": package_id, "day": day, "points": a.points, "rating": a.rating,
         "indicators": json.dumps(a.as_dict()["indicators"])} for package_id, a in assessments.items()])
    model.Session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.package_id, table.c.day],
        set_={"points": statement.excluded.points, "rating": statement.excluded.rating,
              "indicators": statement.excluded.indicators}))
