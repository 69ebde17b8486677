"""The region's figures (KPI, coverage, quality) as /region, its downloads and the actions read
them: computed once and kept in Redis until something they are made of changes. The key carries a
fingerprint of the public catalog (how many datasets, the newest change: any edit, deletion,
privacy change or purge moves one of them), the catalog generation (organization edits) and the
region generation, which the daily snapshot, the nightly scoring and each finished CSV check bump.
An hour's expiry bounds what a missed change could cost."""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
from dataclasses import dataclass
from typing import Any, Callable, Optional

import ckan.plugins.toolkit as toolkit
from ckan.lib.redis import connect_to_redis

GENERATION_KEY = "ikoma:region:generation"
_KEY = "ikoma:region:{part}:{fingerprint}"
TTL = 3600


@dataclass
class QualityFigures:
    region: dict[str, Any]
    organizations: list  # quality.summary.OrganizationQuality
    shares: dict[str, Optional[float]]


def changed() -> None:
    """Something the figures are made of changed outside the catalog (scores, snapshots, checks)."""
    connect_to_redis().incr(GENERATION_KEY)


def _fingerprint(redis) -> str:
    from ckanext.ikoma.logic import catalog

    newest = toolkit.get_action("package_search")({"ignore_auth": True}, {
        "q": "*:*", "fq": "+dataset_type:dataset", "rows": 1, "sort": "metadata_modified desc",
        "fl": ["id", "metadata_modified"], "include_private": False, "include_drafts": False})
    latest = newest["results"][0] if newest["results"] else {}
    parts = [newest["count"], latest.get("id"), latest.get("metadata_modified"), catalog.generation(),
             int(redis.get(GENERATION_KEY) or 0)]  # no language: the figures hold no translated text
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _cached(part: str, compute: Callable[[], Any]) -> Any:
    # pickle: the values are the extension's own dataclasses, in the site's own Redis
    redis = connect_to_redis()
    key = _KEY.format(part=part, fingerprint=_fingerprint(redis))
    found = redis.get(key)
    if found is not None:
        return pickle.loads(found)
    value = compute()
    redis.set(key, pickle.dumps(value), ex=TTL)
    return value


def kpi():
    from ckanext.ikoma.region.kpi import kpi as compute

    return _cached("kpi", compute)


def coverage(undeclared_limit: Optional[int] = None):
    """The matrix with every undeclared dataset (downloads, the action), or the first
    `undeclared_limit` of them; the matrix is cached once for both."""
    from ckanext.ikoma.region import coverage as module

    matrix = _cached("coverage", module.matrix)
    listed, more = _cached(f"undeclared-{'all' if undeclared_limit is None else undeclared_limit}",
                           lambda: module.undeclared(undeclared_limit))
    return dataclasses.replace(matrix, undeclared=listed, more_undeclared=more)


def coverage_for_page():
    """The matrix with the first undeclared datasets only (the region page)."""
    from ckanext.ikoma.region import coverage as module

    return coverage(module.UNDECLARED_ON_PAGE)


def quality() -> QualityFigures:
    from ckanext.ikoma.quality import summary

    return _cached("quality", lambda: QualityFigures(summary.region(), summary.organizations(),
                                                     summary.indicator_shares()))
