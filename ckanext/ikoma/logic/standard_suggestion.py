"""A CSV added to a dataset that declares no standard dataset: which one its header reads as, kept as
a suggestion for the curator (shown on the resource page to those who may edit the dataset). It is
never applied: declaring the standard, and so having the file checked, is the curator's choice.

The suggestion is a row of ikoma_resource_validation with the status `suggested` and the detection
as its report; a real check of the resource replaces it, and scores and facets ignore it.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any, Optional

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.csv_check.detect import HEADER_BYTES, detect_standard, read_header
from ckanext.ikoma.logic.validation import NotACsv, _package, is_csv, local_copy, resource_standard
from ckanext.ikoma.model import SUGGESTED, ResourceValidation
from ckanext.ikoma.net.fetch import FetchError

log = logging.getLogger(__name__)


def enqueue_suggestion(resource: dict[str, Any], package: dict[str, Any]) -> bool:
    if resource_standard(resource, package) or not is_csv(resource):
        return False
    toolkit.enqueue_job(suggest_standard, [resource["id"]], title=f"ikoma suggest standard {resource['id']}")
    return True


def suggest_standard(resource_id: str) -> Optional[str]:
    """The background job: read the header (the first 64 KiB at most), store the best match.
    Returns the suggested number, or None."""
    try:
        resource = toolkit.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    except toolkit.ObjectNotFound:
        return None
    package = _package(resource["package_id"])
    if resource_standard(resource, package):
        return None  # declared meanwhile: the check runs instead
    try:
        with local_copy(resource, HEADER_BYTES) as path:
            header = read_header(path)
    except (FetchError, NotACsv, OSError) as e:
        log.info("no standard suggested for resource %s: %s", resource_id, e)
        return None
    detection = detect_standard(header or [])
    row = ResourceValidation.get(resource_id)
    if row is not None and row.status != SUGGESTED:
        return None  # a check of its own: never replaced by a guess
    if detection.best is None:
        if row is not None:
            model.Session.delete(row)
            model.Session.commit()
        return None
    row = row or ResourceValidation(resource_id=resource_id)
    row.package_id, row.standard, row.status = package["id"], detection.best.number, SUGGESTED
    row.error_count = row.warning_count = 0
    row.report, row.message = json.dumps(detection.to_dict(), ensure_ascii=False), None
    row.created = row.finished = dt.datetime.utcnow()
    model.Session.add(row)
    model.Session.commit()
    return detection.best.number
