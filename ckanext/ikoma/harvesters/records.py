"""How the harvester records what happened, as ckanext-harvest keeps it: errors on the job or on one
harvest object, stored as "[kind] 日本語 / English" (the kind first, so the harvest pages can group
them). A warning is an object error of kind `warning:<what>` on an object that was imported: the
dataset is in, without the value the warning names (README "Harvesting", the policy)."""
from __future__ import annotations

import uuid
from typing import Iterable, Optional

import ckan.model as model
from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestObjectExtra

from ckanext.ikoma.harvesters.mapping import HarvestWarning
from ckanext.ikoma.jp.errors import message

WARNING = "warning:"


def bilingual(code: str, **params) -> tuple[str, str]:
    """(ja, en) of a jp/messages.yaml entry."""
    return message(code, "ja", **params), message(code, "en", **params)


def error_text(kind: str, ja: str, en: str) -> str:
    return f"[{kind}] {ja} / {en}"


def error_kind(message: str) -> str:
    return message[1:message.index("]")] if message.startswith("[") and "]" in message else "other"


def is_warning(message: str) -> bool:
    return error_kind(message).startswith(WARNING)


def warning_kind(warning: HarvestWarning) -> str:
    return WARNING + warning.code.removeprefix("harvest_")


def add_warnings(harvest_object, warnings: Iterable[HarvestWarning], source: str) -> None:
    """The warnings of an imported dataset, on its object (committed by the caller)."""
    for warning in warnings:
        model.Session.add(HarvestObjectError(
            harvest_object_id=harvest_object.id, stage="Import",
            message=error_text(warning_kind(warning), warning.text("ja", source), warning.text("en", source))))


def errored_object(job, source_id: str, guid: str, messages: Iterable[str], stage: str = "Gather",
                   extras: Optional[dict[str, str]] = None) -> None:
    """An object in ERROR for one dataset, so the job report lists it (committed here)."""
    obj = HarvestObject(guid=guid, job=job, state="ERROR", report_status="errored", harvest_source_id=source_id,
                        extras=[HarvestObjectExtra(key=k, value=v) for k, v in (extras or {}).items()])
    model.Session.add(obj)
    model.Session.flush()
    for text in messages:
        model.Session.add(HarvestObjectError(harvest_object_id=obj.id, stage=stage, message=text))
    model.Session.commit()


def copy_errors(old_to_new: dict[str, str]) -> None:
    """The errors of earlier objects, on the objects that stand for them in this job."""
    if not old_to_new:
        return
    query = model.Session.query(HarvestObjectError).filter(HarvestObjectError.harvest_object_id.in_(list(old_to_new)))
    model.Session.bulk_insert_mappings(HarvestObjectError, [
        {"id": str(uuid.uuid4()), "harvest_object_id": old_to_new[error.harvest_object_id], "message": error.message,
         "stage": error.stage, "line": error.line, "created": error.created} for error in query])


def carry_errored(job, source_id: str, previous_job_id: Optional[str], guids: Iterable[str]) -> None:
    """The datasets of an unchanged page that failed in the previous job fail again, unread: their
    objects and errors are copied into this job, so the report still lists them."""
    guids = list(guids)
    if not previous_job_id or not guids:
        return
    failed = model.Session.query(HarvestObject).filter(
        HarvestObject.harvest_job_id == previous_job_id, HarvestObject.report_status == "errored",
        HarvestObject.guid.in_(guids)).all()
    old_to_new = {}
    for old in failed:
        new = HarvestObject(guid=old.guid, job=job, state="ERROR", report_status="errored",
                            harvest_source_id=source_id,
                            extras=[HarvestObjectExtra(key=e.key, value=e.value) for e in old.extras])
        model.Session.add(new)
        model.Session.flush()
        old_to_new[old.id] = new.id
    copy_errors(old_to_new)
    model.Session.commit()
