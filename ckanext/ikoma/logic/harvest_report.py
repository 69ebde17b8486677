"""What the harvest pages and `ckan ikoma harvest …` report: each neighbour's last run with its
counts and its errors grouped by kind, and the datasets reached through more than one source."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Optional

import sqlalchemy as sa

import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckanext.harvest.model import (
    HarvestGatherError, HarvestJob, HarvestObject, HarvestObjectError, HarvestObjectExtra, HarvestSource,
)

from ckanext.ikoma.compat import extra_value
from ckanext.ikoma.harvesters.harvester import HARVESTER_NAME
from ckanext.ikoma.harvesters.mapping import read_unmapped
from ckanext.ikoma.harvesters.records import error_kind, is_warning
from ckanext.ikoma.logic.harvest_progress import job_progress

# Error kinds as the harvester records them, in the order the source page lists them; what a
# curator reads for each is harvest_kind_* in jp/messages.yaml.
ERROR_KINDS = ("config", "url", "host_not_allowed", "private_address", "redirect", "timeout", "connection",
               "http_status", "too_large", "not_rdf", "entity", "parse", "paging", "incomplete", "mapping",
               "duplicate_identifier", "validation", "local_edit", "internal", "stuck", "warning:value_left_out",
               "warning:value_invalid", "warning:markup", "other")


def kind_label(kind: str, lang: str = "ja") -> str:
    from ckanext.ikoma.jp.errors import message

    return message("harvest_kind_" + (kind if kind in ERROR_KINDS else "other").replace(":", "_"),
                   "en" if lang.startswith("en") else "ja")


def ikoma_sources() -> list[HarvestSource]:
    return (model.Session.query(HarvestSource).filter(HarvestSource.type == HARVESTER_NAME,
                                                      HarvestSource.active.is_(True))
            .order_by(HarvestSource.title).all())


def allowed(action: str, context: dict[str, Any], source_id: str) -> bool:
    try:
        toolkit.check_access(action, dict(context), {"id": source_id})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return False
    return True


def visible_sources(context: dict[str, Any]) -> list[HarvestSource]:
    """The sources the viewer may see: a private source only for its organization's members."""
    return [source for source in ikoma_sources() if allowed("harvest_source_show", context, source.id)]


def last_job(source_id: str) -> Optional[HarvestJob]:
    return (model.Session.query(HarvestJob).filter(HarvestJob.source_id == source_id)
            .order_by(HarvestJob.created.desc()).first())


def job_counts(job: HarvestJob) -> dict[str, int]:
    """new / updated / unchanged / withdrawn / errors / duplicates of one job."""
    counts = dict(new=0, updated=0, unchanged=0, withdrawn=0, errors=0, duplicates=0)
    names = {"added": "new", "updated": "updated", "not modified": "unchanged", "deleted": "withdrawn",
             "errored": "errors"}
    for status, count in (model.Session.query(HarvestObject.report_status, sa.func.count(HarvestObject.id))
                          .filter(HarvestObject.harvest_job_id == job.id).group_by(HarvestObject.report_status)):
        if status in names:
            counts[names[status]] += count
    counts["duplicates"] = (model.Session.query(sa.func.count(HarvestObjectExtra.id))
                            .join(HarvestObject, HarvestObject.id == HarvestObjectExtra.harvest_object_id)
                            .filter(HarvestObject.harvest_job_id == job.id,
                                    HarvestObjectExtra.key == "duplicate_of").scalar())
    counts["unchanged"] -= counts["duplicates"]  # duplicates are stored as "not modified"
    counts["errors"] += (model.Session.query(sa.func.count(HarvestGatherError.id))
                         .filter(HarvestGatherError.harvest_job_id == job.id).scalar())
    return counts


def job_errors(job: HarvestJob, include_private: bool = True, warnings: bool = False) -> list[dict[str, Any]]:
    """Errors (or, with `warnings`, warnings) grouped by kind: [{kind, label_ja, label_en, errors:
    [{message, dataset, package}]}]; without include_private, a private dataset is not named (its
    identity upstream still is)."""
    groups: "OrderedDict[str, list]" = OrderedDict((kind, []) for kind in ERROR_KINDS)
    for error in ([] if warnings else model.Session.query(HarvestGatherError).filter(HarvestGatherError.harvest_job_id == job.id)
                  .order_by(HarvestGatherError.created)):
        groups.setdefault(error_kind(error.message), []).append(
            {"message": _message(error.message), "dataset": None, "package": None})
    rows = (model.Session.query(HarvestObjectError.message, HarvestObject.guid, model.Package.name,
                                model.Package.private, model.Package.state)
            .join(HarvestObject, HarvestObject.id == HarvestObjectError.harvest_object_id)
            .outerjoin(model.Package, model.Package.id == HarvestObject.package_id)
            .filter(HarvestObject.harvest_job_id == job.id).order_by(HarvestObject.guid))
    for message, guid, package_name, private, state in rows:
        if is_warning(message) != warnings:
            continue
        shown = include_private or (not private and state == "active")
        groups.setdefault(error_kind(message), []).append(
            {"message": _message(message), "dataset": guid, "package": package_name if shown else None})
    return [{"kind": kind, "label_ja": kind_label(kind, "ja"), "label_en": kind_label(kind, "en"), "errors": errors}
            for kind, errors in groups.items() if errors]


def _message(text: str) -> str:
    return text.split("] ", 1)[1] if text.startswith("[") and "] " in text else text


def unmapped_values(source_id: str, include_private: bool = True) -> list[dict[str, Any]]:
    """The source's datasets that had values the schema could not take: [{package, title, fields}]
    (public ones only, without include_private)."""
    query = (model.Session.query(model.Package.name, model.Package.title)
             .join(HarvestObject, HarvestObject.package_id == model.Package.id))
    query, unmapped = extra_value(query, model.Package, "harvest_unmapped")
    rows = (query.add_columns(unmapped)
            .filter(HarvestObject.harvest_source_id == source_id, HarvestObject.current.is_(True),
                    unmapped != "", model.Package.state == "active")
            .order_by(model.Package.name))
    if not include_private:
        rows = rows.filter(model.Package.private.is_(False))
    out = []
    for name, title, value in rows:
        fields = sorted(read_unmapped(value))
        if fields:
            out.append({"package": name, "title": title, "fields": fields})
    return out


def source_summary(source: HarvestSource) -> dict[str, Any]:
    """What the list of neighbours shows: the source, its organization, its last job and counts."""
    job = last_job(source.id)
    package = model.Package.get(source.id)
    return {
        "source": source, "name": package.name if package else source.id,
        "organization": model.Group.get(package.owner_org) if package is not None and package.owner_org else None,
        "job": job, "counts": job_counts(job) if job else None,
        "progress": job_progress(job) if job else None,
    }


def source_status(source: HarvestSource, include_private: bool = True) -> dict[str, Any]:
    """A neighbour's own page: the summary, the last job's errors and the unmapped values. Private
    datasets (a copy withdrawn upstream, or made private here) are named only with include_private."""
    status = source_summary(source)
    status["errors"] = job_errors(status["job"], include_private) if status["job"] else []
    status["warnings"] = job_errors(status["job"], include_private, warnings=True) if status["job"] else []
    status["unmapped"] = unmapped_values(source.id, include_private)
    status["withdrawn"] = withdrawn_datasets(source.id, include_private)
    status["duplicates"] = job_duplicates(status["job"], include_private) if status["job"] else []
    return status


def withdrawn_datasets(source_id: str, include_private: bool = True) -> list[dict[str, Any]]:
    """The source's datasets withdrawn because they left its catalog: [{package, title, when}].
    A withdrawn copy is private: named only with include_private."""
    if not include_private:
        return []
    query = (model.Session.query(model.Package.name, model.Package.title)
             .join(HarvestObject, HarvestObject.package_id == model.Package.id))
    query, withdrawn = extra_value(query, model.Package, "harvest_withdrawn_at")
    rows = (query.add_columns(withdrawn)
            .filter(HarvestObject.harvest_source_id == source_id, withdrawn != "", model.Package.state == "active")
            .distinct().order_by(model.Package.name))
    return [{"package": name, "title": title, "when": when} for name, title, when in rows]


def job_duplicates(job: HarvestJob, include_private: bool = True) -> list[dict[str, Any]]:
    """The datasets of this job that another source's copy stands for: [{identity, package, title,
    uri}] (uri: this source's URI of it)."""
    uri = sa.orm.aliased(HarvestObjectExtra)
    rows = (model.Session.query(HarvestObject.guid, model.Package.name, model.Package.title, model.Package.private,
                                uri.value)
            .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
            .join(model.Package, model.Package.id == HarvestObjectExtra.value)
            .outerjoin(uri, sa.and_(uri.harvest_object_id == HarvestObject.id, uri.key == "original_uri"))
            .filter(HarvestObject.harvest_job_id == job.id, HarvestObjectExtra.key == "duplicate_of")
            .order_by(HarvestObject.guid))
    return [{"identity": guid, "package": name if include_private or not private else None,
             "title": title if include_private or not private else guid, "uri": original or ""}
            for guid, name, title, private, original in rows]


def duplicates() -> list[dict[str, Any]]:
    """Datasets that more than one source brings, or one catalog lists twice under one identifier,
    from each source's last job: who holds the copy kept, and which copies were left out."""
    latest = (model.Session.query(HarvestJob.source_id, sa.func.max(HarvestJob.created).label("created"))
              .group_by(HarvestJob.source_id).subquery())
    uri = sa.orm.aliased(HarvestObjectExtra)
    rows = (model.Session.query(HarvestObject.guid, HarvestObjectExtra.value, HarvestObject.harvest_source_id,
                                uri.value)
            .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id)
            .outerjoin(uri, sa.and_(uri.harvest_object_id == HarvestObject.id, uri.key == "original_uri"))
            .join(HarvestJob, HarvestJob.id == HarvestObject.harvest_job_id)
            .join(latest, sa.and_(latest.c.source_id == HarvestJob.source_id, latest.c.created == HarvestJob.created))
            .filter(HarvestObjectExtra.key == "duplicate_of").order_by(HarvestObject.guid))
    report: "OrderedDict[str, dict]" = OrderedDict()

    def entry_for(identity: str) -> dict[str, Any]:
        return report.setdefault(identity, {"identity": identity, "package": None, "kept_from": None,
                                            "kept_uri": "", "left_out": [], "left_out_uris": []})

    for identity, package_id, source_id, left_out_uri in rows:
        entry = entry_for(identity)
        package = model.Package.get(package_id)
        entry["package"] = package.name if package else package_id
        entry["kept_uri"] = (package.extras or {}).get("harvest_original_uri", "") if package else ""
        entry["left_out_uris"].append(left_out_uri or "")
        holder = (model.Session.query(HarvestObject.harvest_source_id)
                  .filter(HarvestObject.guid == identity, HarvestObject.current.is_(True)).first())
        entry["kept_from"] = _source_name(holder[0]) if holder else None
        entry["left_out"].append(_source_name(source_id))
    # one catalog giving one identifier to two datasets: the one kept and the one left out are both
    # of that source (recorded as an error object with both URIs)
    kept = sa.orm.aliased(HarvestObjectExtra)
    within = (model.Session.query(HarvestObject.guid, HarvestObject.harvest_source_id, kept.value, uri.value)
              .join(kept, sa.and_(kept.harvest_object_id == HarvestObject.id, kept.key == "kept_uri"))
              .outerjoin(uri, sa.and_(uri.harvest_object_id == HarvestObject.id, uri.key == "original_uri"))
              .join(HarvestJob, HarvestJob.id == HarvestObject.harvest_job_id)
              .join(latest, sa.and_(latest.c.source_id == HarvestJob.source_id,
                                    latest.c.created == HarvestJob.created))
              .order_by(HarvestObject.guid))
    for identity, source_id, kept_uri, left_out_uri in within:
        entry = entry_for(identity)
        holder = (model.Session.query(model.Package.name).join(HarvestObject, HarvestObject.package_id == model.Package.id)
                  .filter(HarvestObject.guid == identity, HarvestObject.current.is_(True)).first())
        entry["package"] = entry["package"] or (holder[0] if holder else None)
        entry["kept_from"] = entry["kept_from"] or _source_name(source_id)
        entry["kept_uri"] = entry["kept_uri"] or kept_uri
        entry["left_out"].append(_source_name(source_id))
        entry["left_out_uris"].append(left_out_uri or "")
    return list(report.values())


def _source_name(source_id: str) -> str:
    package = model.Package.get(source_id)
    return package.name if package else source_id
