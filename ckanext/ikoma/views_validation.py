"""The corrected copy of a checked CSV resource: /dataset/<id>/resource/<resource_id>/normalized.csv;
and its IMI form kept by the validation job: …/imi.jsonld.

Made on request from the stored upload (or the linked file, through the extension's fetcher and the
site's allow-list, as the check reads it), by the checker itself in the same pass as its report:
UTF-8 with BOM, canonical header names, every warning's fix applied, nothing else changed. Served
only to those who may see the resource, only for files the checker reads whole (never over
ckanext.ikoma.validation.max_bytes). The resource itself is never changed: the curator checks the
copy and uploads it.
"""
from __future__ import annotations

import json
import os
import tempfile
from urllib.parse import quote, unquote, urlsplit

from flask import Blueprint, Response, send_file

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.jp.errors import message

validation_blueprint = Blueprint("ikoma_validation", __name__)


def _error(status: int, code: str, **params) -> Response:
    response = Response(json.dumps({"error": {"ja": message(code, "ja", **params), "en": message(code, "en", **params)}},
                                   ensure_ascii=False), status=status, mimetype="application/json")
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def _visible_resource(id: str, resource_id: str):
    """The resource when this user may see it and it belongs to the dataset named; else None."""
    context = {"user": toolkit.current_user.name if toolkit.current_user else ""}
    try:
        package = toolkit.get_action("package_show")(dict(context), {"id": id})
        resource = toolkit.get_action("resource_show")(dict(context), {"id": resource_id})
    except (toolkit.ObjectNotFound, toolkit.NotAuthorized, toolkit.ValidationError):
        return None, None
    if resource.get("package_id") != package["id"] or package.get("state") != "active":
        return None, None
    return package, resource


def _for_viewers_of(package: dict, response: Response) -> Response:
    """A file of a private dataset is for its members only: never stored by a shared cache."""
    if package.get("private"):
        from flask import request

        request.environ["__no_cache__"] = True  # else CKAN's after_request marks it public again
        response.cache_control.private = True
        response.cache_control.no_store = True
    response.vary.update(("Cookie", "Authorization"))
    return response


def _download_name(resource: dict) -> str:
    name = os.path.basename(unquote(urlsplit(resource.get("url") or "").path)) or resource["id"]
    stem = name[:-4] if name.lower().endswith(".csv") else name
    return f"{stem}_normalized.csv"


@validation_blueprint.route("/dataset/<id>/resource/<resource_id>/normalized.csv")
def normalized(id, resource_id):
    from ckanext.ikoma.csv_check import check_csv
    from ckanext.ikoma.logic.validation import NotACsv, local_copy
    from ckanext.ikoma.model import FAILURE, SUCCESS, ResourceValidation
    from ckanext.ikoma.net.fetch import FetchError
    from ckanext.ikoma.standards import standard_dataset

    package, resource = _visible_resource(id, resource_id)
    if resource is None:
        return _error(404, "fix_not_found")
    row = ResourceValidation.get(resource_id)
    if row is None or row.status not in (SUCCESS, FAILURE):
        return _error(404, "fix_not_found")
    max_bytes = toolkit.config.get("ckanext.ikoma.validation.max_bytes")
    out = tempfile.TemporaryFile(prefix="ikoma-normalized-")
    try:
        with local_copy(resource, max_bytes) as path:
            report = check_csv(path, standard_dataset(row.standard), max_issues=0, max_bytes=max_bytes, fix_to=out)
    except (FetchError, NotACsv, OSError):
        out.close()
        return _error(502, "fix_unreadable")
    if not (report.checked and report.fixable):
        out.close()
        return _error(404, "fix_unavailable")
    out.seek(0)
    filename = _download_name(resource)
    response = send_file(out, mimetype="text/csv", as_attachment=False, max_age=0)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"normalized.csv\"; filename*=UTF-8''{quote(filename)}")
    return _for_viewers_of(package, response)


@validation_blueprint.route("/dataset/<id>/resource/<resource_id>/imi.jsonld")
def imi(id, resource_id):
    """The IMI form the validation job kept (logic/imi_distribution.py), to those who may see the
    resource."""
    from ckanext.ikoma.logic.imi_distribution import MEDIA_TYPE, imi_file

    package, resource = _visible_resource(id, resource_id)
    path = imi_file(resource_id) if resource else None
    if not path or not os.path.exists(path):
        return _error(404, "imi_not_found")
    response = send_file(path, mimetype=MEDIA_TYPE, max_age=0, conditional=True)
    return _for_viewers_of(package, response)


def get_blueprints():
    return [validation_blueprint]
