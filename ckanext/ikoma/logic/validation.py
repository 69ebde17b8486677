"""Checking CSV resources of datasets that conform to a standard dataset, in a background job.

The job reads the uploaded file (or downloads a linked one to a temporary file), runs the pure
checker in csv_check/ and stores the report in ikoma_resource_validation. It never deletes or
blocks the resource, and any failure ends as a stored `error` status, not a crashed worker.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import os
import tempfile
import time
from typing import Any, Iterator, Optional

import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckan.lib import search
from ckan.lib.uploader import get_resource_uploader

from ckanext.ikoma.jp.errors import message
from ckanext.ikoma.logic.catalog import forget_dataset
from ckanext.ikoma.logic.imi_distribution import check_and_convert, remove_imi
from ckanext.ikoma.net.content import looks_like_html
from ckanext.ikoma.net.fetch import FetchError, FetchPolicy, fetch
from ckanext.ikoma.net.site import private_allowlist
from ckanext.ikoma.model import ERROR, FAILURE, RUNNING, SUCCESS, SUGGESTED, ResourceValidation
from ckanext.ikoma.standards import standard_dataset

log = logging.getLogger(__name__)
CSV_MEDIA_TYPES = {"text/csv", "application/csv", "text/comma-separated-values"}


def resource_standard(resource: dict[str, Any], package: dict[str, Any]) -> Optional[str]:
    """The standard a resource should meet: its own conforms_to, else its dataset's."""
    return resource.get("conforms_to") or package.get("conforms_to") or None


def is_csv(resource: dict[str, Any]) -> bool:
    fmt = (resource.get("format") or "").strip().lower()
    url = (resource.get("url") or "").lower().split("?")[0]
    return fmt == "csv" or resource.get("mimetype") in CSV_MEDIA_TYPES or url.endswith(".csv")


def start_validation(resource: dict[str, Any], package: dict[str, Any], commit: bool = True) -> bool:
    """Mark the resource as waiting for its check, if it is a CSV of a conforming dataset."""
    standard = resource_standard(resource, package)
    if not standard or not is_csv(resource):
        return False
    ResourceValidation.start(resource["id"], package["id"], standard, commit=commit)
    return True


def enqueue_validation(resource: dict[str, Any], package: dict[str, Any], commit: bool = True) -> bool:
    if not start_validation(resource, package, commit=commit):
        return False
    toolkit.enqueue_job(
        run_validation, [resource["id"]], title=f"ikoma validate {resource['id']}",
        rq_kwargs={"timeout": toolkit.config.get("ckanext.ikoma.validation.timeout")},
    )
    return True


@contextlib.contextmanager
def local_copy(resource: dict[str, Any], max_bytes: int) -> Iterator[str]:
    """A path to the resource's bytes: the stored upload, read from storage (never over HTTP), or
    a download of the linked URL through the extension's one fetcher (public addresses only, unless
    the site allows others; capped at max_bytes + 1, enough for the checker to say it is too large).
    A web page where a CSV was expected is refused here, so that no report quotes a page."""
    if resource.get("url_type") == "upload":
        yield get_resource_uploader(resource).get_path(resource["id"])
        return
    timeout = float(toolkit.config.get("ckan.requests.timeout") or 30)
    policy = FetchPolicy(connect_timeout=timeout, read_timeout=timeout, max_bytes=max_bytes, retries=1,
                         any_host=True, private_allowlist=private_allowlist(), user_agent="ckanext-ikoma validator")
    with tempfile.NamedTemporaryFile(prefix="ikoma-validate-", suffix=".csv") as tmp:
        result = fetch(resource["url"], policy, sink=tmp, truncate=True)
        tmp.seek(0)
        if looks_like_html(tmp.read(4096), result.content_type):
            raise NotACsv()
        yield tmp.name


class NotACsv(Exception):
    """The linked URL answered with a web page."""


def _wait_for_row(resource_id: str, seconds: float = 10) -> Optional[ResourceValidation]:
    """A job enqueued inside package_create can start before that action commits its row."""
    deadline = time.monotonic() + seconds
    while True:
        row = ResourceValidation.get(resource_id)
        if row is not None or time.monotonic() > deadline:
            return row
        model.Session.rollback()  # end the snapshot so the next query sees new commits
        time.sleep(0.5)


def run_validation(resource_id: str) -> Optional[str]:
    """The background job. Returns the final status."""
    row = _wait_for_row(resource_id)
    if row is None:
        log.warning("no pending validation for resource %s", resource_id)
        return None
    row.status = RUNNING
    model.Session.commit()
    try:
        context = {"ignore_auth": True}
        resource = toolkit.get_action("resource_show")(context, {"id": resource_id})
        definition = standard_dataset(row.standard)
        max_bytes = toolkit.config.get("ckanext.ikoma.validation.max_bytes")
        with local_copy(resource, max_bytes) as path:
            if not os.path.exists(path):
                raise FileNotFoundError(f"the uploaded file of resource {resource_id} is not in storage")
            # the IMI form is written in the same pass (kept only when usable)
            report = check_and_convert(resource_id, path, definition, max_bytes)
        row.status = SUCCESS if report.valid else FAILURE
        row.error_count = report.severities["error"]
        row.warning_count = report.severities["warning"]
        row.report = report.to_json()
        row.message = None
    except Exception as e:  # the worker survives anything a file or a server throws at it
        log.warning("validation of resource %s failed: %r", resource_id, e)
        model.Session.rollback()
        row = ResourceValidation.get(resource_id)
        row.status, row.message = ERROR, _failure_message(e)
        remove_imi(resource_id)  # no IMI form of a file that could not be checked
    row.finished = dt.datetime.utcnow()
    status = row.status
    package_id = row.package_id
    model.Session.commit()
    search.rebuild(package_id)  # the conformance facet follows the new report
    from ckanext.ikoma.region import figures

    figures.changed()  # and the region's coverage cells
    forget_dataset(package_id)  # its DCAT lists the IMI form or not, and metadata_modified did not move
    return status


def _failure_message(error: Exception) -> str:
    """What the report says when no check ran: the fetcher's ja/en reason, or the kind of failure;
    never bytes of the answer."""
    if isinstance(error, FetchError):
        return str(error)
    if isinstance(error, NotACsv):
        return f"{message('csv_html', 'ja')} / {message('csv_html', 'en')}"
    return type(error).__name__


def validate_now(resource_id: str) -> Optional[str]:
    """Check one resource in this process and store the report as the job does (the CLI's way);
    None when it is not a CSV of a conforming dataset."""
    resource = toolkit.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    if not start_validation(resource, _package(resource["package_id"])):
        return None
    return run_validation(resource_id)


def finished_checks(rows: list[ResourceValidation]) -> list[ResourceValidation]:
    return [r for r in rows if r.status in (SUCCESS, FAILURE)]


def file_score(row: ResourceValidation) -> float:
    """A checked file's share of rows without errors (report format 2); a file that could not be
    read as rows, or a report from before the share was kept, counts as all or nothing."""
    summary = (json.loads(row.report) if row.report else {}).get("summary", {})
    score = summary.get("score")
    if score is None:
        return 100.0 if row.status == SUCCESS else 0.0
    return float(score)


def conformance_scores(package_ids: list[str]) -> dict[str, float]:
    """Each dataset's conformance score (0–100, the mean of its checked files' shares of rows
    without errors, as the dataset page shows it) for a batch of datasets in one query; datasets
    with no finished check are absent."""
    if not package_ids:
        return {}
    rows = model.Session.query(ResourceValidation).filter(ResourceValidation.package_id.in_(package_ids)).all()
    per: dict[str, list[float]] = {}
    for row in finished_checks(rows):
        per.setdefault(row.package_id, []).append(file_score(row))
    return {k: _mean_score(v) for k, v in per.items()}


def _mean_score(scores: list[float]) -> float:
    return math.floor(10 * sum(scores) / len(scores)) / 10  # 99.97 shows as 99.9, never 100


def package_conformance_summary(package_id: str) -> Optional[dict[str, Any]]:
    """The dataset's conformance: the mean of its checked CSV files' shares of rows without errors
    (one bad cell in a thousand rows is 99.9%, not 0%), with the counts of findings; None while no
    file has a finished check."""
    finished = finished_checks(ResourceValidation.for_package(package_id))
    if not finished:
        return None
    scores = [file_score(r) for r in finished]
    return {
        "score": _mean_score(scores),
        "errors": sum(r.error_count for r in finished), "warnings": sum(r.warning_count for r in finished),
        "files": len(finished), "conforming": all(r.status == SUCCESS for r in finished),
    }


def package_conformance(package_id: str) -> Optional[str]:
    """`conforming` when every checked CSV passes, else by the share of rows without errors:
    `mostly` (90% or more), `partly`, `nonconforming` (0%); `unchecked` while none has a finished
    check; None for datasets with nothing to check (suggestions are not checks)."""
    if not [r for r in ResourceValidation.for_package(package_id) if r.status != SUGGESTED]:
        return None
    summary = package_conformance_summary(package_id)
    if summary is None:
        return "unchecked"
    if summary["conforming"]:
        return "conforming"
    score = summary["score"]
    return "mostly" if score >= 90 else "partly" if score > 0 else "nonconforming"


def package_score(package_id: str) -> Optional[float]:
    """Mean share of rows without errors over the dataset's checked CSV files, in percent."""
    summary = package_conformance_summary(package_id)
    return summary["score"] if summary else None


# ---------------------------------------------------------------- hooks (wired in plugin.py)

CONFORMANCE_FIELD = "ikoma_conformance"
CONFORMANCE_LABELS = {
    state: f"{message(f'conformance_{state}', 'ja')} / {message(f'conformance_{state}', 'en')}"
    for state in ("conforming", "mostly", "partly", "nonconforming", "unchecked")
}
# The indexed value is bilingual (stable for fq links); pages show one language of it.
CONFORMANCE_FACET_LABELS = {
    label: {"ja": message(f"conformance_{state}", "ja"), "en": message(f"conformance_{state}", "en")}
    for state, label in CONFORMANCE_LABELS.items()
}


def _package(package_id: str) -> dict[str, Any]:
    # use_cache off: inside package_create/update the dataset is not committed yet
    return toolkit.get_action("package_show")({"ignore_auth": True, "use_cache": False}, {"id": package_id})


def enqueue_for_resource(resource: dict[str, Any]) -> None:
    package = _package(resource["package_id"])
    if not enqueue_validation(resource, package):
        from ckanext.ikoma.logic.standard_suggestion import enqueue_suggestion

        enqueue_suggestion(resource, package)  # a CSV of a dataset that declares no standard


def enqueue_unchecked(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """After package_create/package_update, inside their transaction: check CSV resources never
    checked, or checked against another standard than the dataset's current one."""
    if context.get("defer_commit"):
        return  # called from resource_create/update, whose own hook checks the resource once stored
    if not pkg_dict.get("id") or not pkg_dict.get("resources"):
        return
    if not pkg_dict.get("conforms_to") and not any(r.get("conforms_to") for r in pkg_dict["resources"]):
        return  # nothing to check against (and no package_show for most datasets, e.g. harvested ones)
    package = _package(pkg_dict["id"])
    for resource in package["resources"]:
        standard = resource_standard(resource, package)
        row = ResourceValidation.get(resource["id"])
        if standard and (row is None or row.status == SUGGESTED or row.standard != standard):
            enqueue_validation(resource, package, commit=False)


def index_conformance(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    conformance = package_conformance(pkg_dict["id"])
    if conformance:
        pkg_dict[CONFORMANCE_FIELD] = CONFORMANCE_LABELS[conformance]
    return pkg_dict
