"""A harvest job run in this process (`ckan ikoma harvest run`, `neighbours sync --harvest`) rather
than by the queue consumers: ckanext-harvest's own stages, called as its `ckan harvester run-test`
calls them, with a callback per object so the command can show progress."""
from __future__ import annotations

from typing import Callable

import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject


def run_in_foreground(source_id: str, gathered: Callable[[int], None] = lambda n: None,
                      imported: Callable[[], None] = lambda: None) -> HarvestJob:
    """Create a job for the source without queueing it, gather, then fetch and import each object;
    ckanext-harvest's `harvest_jobs_run` marks it finished. HarvestJobExists when the source already
    has a job waiting or running (the consumers', or another run's)."""
    context = {"ignore_auth": True, "model": model, "session": model.Session,
               "user": toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    source = toolkit.get_action("harvest_source_show")(dict(context), {"id": source_id})
    job_id = toolkit.get_action("harvest_job_create")(dict(context), {"source_id": source["id"], "run": False})["id"]
    job = HarvestJob.get(job_id)
    job.status = "Running"  # what harvest_send_job_to_gather_queue would set
    job.save()
    harvester = queue.get_harvester(source["source_type"])
    object_ids = queue.gather_stage(harvester, job)
    object_ids = object_ids if isinstance(object_ids, list) else []
    gathered(len(object_ids))
    for object_id in object_ids:
        harvest_object = HarvestObject.get(object_id)
        if harvest_object is not None:
            queue.fetch_and_import_stages(harvester, harvest_object)
        imported()
    toolkit.get_action("harvest_jobs_run")(dict(context), {"source_id": source["id"]})
    model.Session.remove()
    return HarvestJob.get(job_id)
