"""Search indexing of harvested datasets in batches (issue #15): a dataset is written and committed
in its own transaction without CKAN indexing it, its id is queued, and the queue is indexed with
CKAN's own batch path (`search.rebuild(package_ids=…)`: one Solr add per dataset without a commit)
and one Solr commit per batch, instead of an add and a commit (twice, on CKAN 2.11) per dataset.

The queue is a Redis set of the site (`ckan.redis.url`) per harvest job, so that any fetch consumer
can index what another one wrote. A batch is indexed when the queue holds `BATCH` datasets, and the
whole queue when the job has no object left waiting: that happens in the import of the job's last
objects, before they are marked complete, so every dataset is in the index when ckanext-harvest
marks the job finished. If a consumer dies between its commit and queueing the id, the dataset is
in the database but not in the index: `ckan search-index rebuild -o` (only missing) repairs it."""
from __future__ import annotations

import logging

import ckan.model as model
from ckan.lib import search
from ckan.lib.redis import connect_to_redis
from ckan.lib.search.common import make_connection
from ckan.plugins.toolkit import config
from ckanext.harvest.model import HarvestObject

from ckanext.ikoma.compat import CKAN_2_12

log = logging.getLogger(__name__)

BATCH = 100  # a catalog page's worth of datasets per Solr commit


def _key(job_id: str) -> str:
    return f"{config.get('ckan.site_id')}:ikoma:harvest:unindexed:{job_id}"


def commit_unindexed() -> bool:
    """Commit the session's transaction (one dataset written with `defer_commit`) without CKAN
    indexing it; True if so, False if CKAN indexed it as usual (the caller then queues nothing).

    CKAN 2.12 indexes in the actions themselves and not with `defer_commit`. CKAN 2.11 indexes in
    the session's before-commit hook, from the objects its before-flush hook collected
    (ckan/model/meta.py, modification.py) and has no setting to turn it off for one commit: the
    collected objects are dropped after a flush, unless a resource's URL changed (the plugins that
    listen for that, such as xloader, must hear it: CKAN then indexes the dataset itself)."""
    if CKAN_2_12:
        model.repo.commit()
        return True
    session = model.Session()
    session.flush()
    collected = getattr(session, "_object_cache", None)
    if collected and any(getattr(obj, "url_changed", False) for obj in collected["changed"]):
        session.commit()
        return False
    if collected is not None:
        del session._object_cache
    session.commit()
    return True


def queue(job_id: str, package_id: str) -> None:
    """After the dataset's commit: index it with the next batch."""
    connect_to_redis().sadd(_key(job_id), package_id)


def index_due(job_id: str) -> None:
    """Index a full batch of the job's queue, or the whole queue once no object of the job waits."""
    redis = connect_to_redis()
    key = _key(job_id)
    if _waiting(job_id):
        if redis.scard(key) >= BATCH:
            _index(redis, key, redis.spop(key, BATCH))
        return
    while True:
        ids = redis.spop(key, BATCH)
        if not ids or not _index(redis, key, ids, last=True):
            return


def _waiting(job_id: str) -> bool:
    return model.Session.query(HarvestObject.id).filter(
        HarvestObject.harvest_job_id == job_id, HarvestObject.state == "WAITING").first() is not None


def _index(redis, key: str, ids, last: bool = False) -> bool:
    ids = [i.decode() if isinstance(i, bytes) else i for i in ids]
    present = [row[0] for row in model.Session.query(model.Package.id).filter(model.Package.id.in_(ids))]
    try:
        search.rebuild(package_ids=present, quiet=True)  # an add per dataset, no Solr commit
        # the job's last batch waits for the new searcher: the datasets are found once it finishes
        make_connection().commit(waitSearcher=last)
    except Exception:  # Solr down: the import stands, the next import of the job tries again
        log.exception("indexing harvested datasets failed; they stay queued")
        redis.sadd(key, *ids)
        model.Session.rollback()
        return False
    return True
