"""Long harvests stay observable: a job's progress read from ckanext-harvest's own records (the job's
gather times, its objects' states), and jobs whose objects stopped moving closed with a reason.

Closing uses ckanext-harvest's pieces: `HarvestJob.get_last_action_time` (the last object imported,
else the gather's end, else the last object gathered) says when a job last moved, and the
`harvest_job_abort` action marks it finished and its unfinished objects ERROR. What this adds to its
`ckan.harvest.timeout`: seconds rather than minutes, the unfinished objects closed too, and the reason
as a job error in Japanese and English that the source page shows (kind `stuck`)."""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

from ckanext.ikoma.harvesters.records import error_kind, error_text
from ckanext.ikoma.jp.errors import message
from ckanext.ikoma.model import HarvestPage
from ckanext.ikoma.vocabularies import text_language

log = logging.getLogger(__name__)

STUCK = "stuck"
DONE_STATES = ("COMPLETE", "ERROR")


@dataclass(frozen=True)
class JobProgress:
    """Where a job stands: `total` objects gathered so far, `done` of them imported or failed
    (`errors` of those failed), `waiting` not yet fetched, `importing` being fetched or imported."""
    job_id: str
    status: str  # New, Running, Finished (ckanext-harvest's)
    gathering: bool  # the gather stage has not finished: more objects may come
    total: int
    done: int
    errors: int
    waiting: int
    importing: int
    last_action: Optional[datetime.datetime]
    stuck_reason: Optional[tuple[str, str]] = None  # (ja, en) when the job was closed as stuck

    @property
    def percent(self) -> int:
        if self.status == "Finished":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def reason(self, lang: str = "ja") -> str:
        """The reason in a UI locale's half of ja/en (English in the zh and ko UIs too)."""
        if not self.stuck_reason:
            return ""
        return self.stuck_reason[1] if text_language(lang) == "en" else self.stuck_reason[0]


def job_progress(job: HarvestJob) -> JobProgress:
    states = dict(model.Session.query(HarvestObject.state, sa.func.count(HarvestObject.id))
                  .filter(HarvestObject.harvest_job_id == job.id).group_by(HarvestObject.state).all())
    total = sum(states.values())
    return JobProgress(
        job_id=job.id, status=job.status, gathering=job.status != "Finished" and job.gather_finished is None,
        total=total, done=sum(states.get(s, 0) for s in DONE_STATES), errors=states.get("ERROR", 0),
        waiting=states.get("WAITING", 0), importing=states.get("FETCH", 0) + states.get("IMPORT", 0),
        last_action=job.get_last_action_time() if job.status != "Finished" else job.finished,
        stuck_reason=stuck_reason(job))


def stuck_reason(job: HarvestJob) -> Optional[tuple[str, str]]:
    """(ja, en) of the reason the job was closed as stuck, if it was."""
    for (text,) in (model.Session.query(HarvestGatherError.message)
                    .filter(HarvestGatherError.harvest_job_id == job.id,
                            HarvestGatherError.message.like(f"[{STUCK}]%"))):
        if error_kind(text) == STUCK:
            body = text.split("] ", 1)[1]
            ja, _, en = body.partition(" / ")
            return ja, en
    return None


def stuck_after() -> int:
    """Seconds without any movement after which a job is closed (0: never)."""
    return toolkit.config.get("ckanext.ikoma.harvest.stuck_after")


def _duration(seconds: int, lang: str) -> str:
    if seconds < 120:
        return message("duration_seconds", lang, count=seconds)
    return message("duration_minutes", lang, count=round(seconds / 60))


def close_stuck_jobs(source_id: Optional[str] = None, now: Optional[datetime.datetime] = None) -> list[str]:
    """Close every running job (of one source, or all) that has not moved for `stuck_after`
    seconds: a `stuck` job error with the reason, then ckanext-harvest's `harvest_job_abort`.
    On a hub, jobs wait their turn in the shared gather and fetch queues: a job whose work is still
    queued is stuck only when nothing of any running job has moved either (the consumers stopped).
    Returns the ids of the jobs closed."""
    limit = stuck_after()
    if not limit:
        return []
    now = now or datetime.datetime.utcnow()
    query = model.Session.query(HarvestJob.id).filter(HarvestJob.status == "Running")
    if source_id:
        query = query.filter(HarvestJob.source_id == source_id)
    closed = []
    moved = last_movement()
    harvesting = moved is not None and (now - moved).total_seconds() <= limit
    for (job_id,) in query.all():  # by id: harvest_job_abort ends the session
        job = HarvestJob.get(job_id)
        last = job.get_last_action_time()
        if last is None or (now - last).total_seconds() <= limit:
            continue
        if harvesting and _queued(job):
            continue  # its objects wait behind other jobs' in the shared queues, which are moving
        left = (model.Session.query(sa.func.count(HarvestObject.id))
                .filter(HarvestObject.harvest_job_id == job.id, HarvestObject.state.notin_(DONE_STATES)).scalar())
        params = {"left": left, "since": last.strftime("%Y-%m-%d %H:%M:%S UTC")}
        reason = error_text(STUCK, message("harvest_job_stuck", "ja", duration=_duration(limit, "ja"), **params),
                            message("harvest_job_stuck", "en", duration=_duration(limit, "en"), **params))
        source_id_of_job = job.source_id
        HarvestGatherError.create(reason, job)  # commits
        toolkit.get_action("harvest_job_abort")({"ignore_auth": True, "model": model, "session": model.Session},
                                                {"id": job_id})
        finished = HarvestJob.get(job_id)
        if finished.finished is None:  # harvest_job_abort leaves it empty; the pages date a run by it
            finished.finished = now
        # the next run reads every page again: with the pages' validators kept, the catalog would
        # answer "not modified" and the datasets left unimported would wait for its next change
        model.Session.query(HarvestPage).filter(HarvestPage.source_id == source_id_of_job).delete()
        model.Session.commit()
        log.warning("harvest job %s closed: nothing moved for %s s (%s objects left)", job_id, limit, left)
        closed.append(job_id)
    return closed


def last_movement() -> Optional[datetime.datetime]:
    """When anything of any running job last moved: a gather started or finished, an object
    gathered, fetched or imported."""
    running = sa.select(HarvestJob.id).where(HarvestJob.status == "Running")
    objects = (model.Session.query(sa.func.max(sa.func.greatest(
        HarvestObject.gathered, HarvestObject.fetch_started, HarvestObject.import_started,
        HarvestObject.import_finished))).filter(HarvestObject.harvest_job_id.in_(running)).scalar())
    jobs = (model.Session.query(sa.func.max(sa.func.greatest(HarvestJob.gather_started, HarvestJob.gather_finished)))
            .filter(HarvestJob.status == "Running").scalar())
    return max((t for t in (objects, jobs) if t is not None), default=None)


def _queued(job: HarvestJob) -> bool:
    """Waiting in a queue rather than held: not gathered yet, or objects waiting to be fetched.
    (One left in FETCH or IMPORT, or a gather that started and stopped, is held by a consumer
    that no longer works on it.)"""
    if job.gather_started is None:
        return True
    return bool(model.Session.query(HarvestObject.id)
                .filter(HarvestObject.harvest_job_id == job.id, HarvestObject.state == "WAITING").first())


@toolkit.chained_action
def harvest_jobs_run(original_action, context: dict[str, Any], data_dict: dict[str, Any]):
    """ckanext-harvest's periodic check (`ckan harvester run`, from cron) closes stuck jobs first."""
    toolkit.check_access("harvest_jobs_run", context, data_dict)
    close_stuck_jobs(data_dict.get("source_id"))
    return original_action(context, data_dict)


ACTIONS = {"harvest_jobs_run": harvest_jobs_run}
