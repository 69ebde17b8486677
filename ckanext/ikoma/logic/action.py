"""Actions of ckanext-ikoma, and the ckanext-harvest actions that checked no rights at all."""
from __future__ import annotations

import contextvars
from typing import Any

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.model import ResourceValidation


@toolkit.side_effect_free
def ikoma_validation_show(context, data_dict) -> dict[str, Any]:
    """The latest validation of a resource against its standard dataset.

    :param resource_id: the resource id
    :returns: status (pending, running, success, failure, error), counts and the report
    """
    resource_id = toolkit.get_or_bust(data_dict, "resource_id")
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":  # purged, deleted or never there
        raise toolkit.ObjectNotFound(toolkit._("Resource not found"))
    toolkit.check_access("ikoma_validation_show", context, {"resource_id": resource_id})
    row = ResourceValidation.get(resource_id)
    if row is None:
        raise toolkit.ObjectNotFound(toolkit._("No validation for this resource"))
    return row.as_dict()


# ---------------------------------------------------------------- ckanext-harvest

# Upstream's harvest_sources_reindex reindexes each source with a context of its own, without a
# user: those calls are let through once the caller has passed the all-sources check.
_REINDEXING_ALL = contextvars.ContextVar("ikoma_reindexing_all_sources", default=False)


@toolkit.chained_action
def harvest_source_reindex(up_func, context, data_dict):
    """Upstream checks nothing (anyone could reindex any source): the rights its auth function
    names, those to update the source."""
    check_context = dict(context, ignore_auth=True) if _REINDEXING_ALL.get() else context
    toolkit.check_access("harvest_source_reindex", check_context, data_dict)
    return up_func(context, data_dict)


@toolkit.chained_action
def harvest_sources_reindex(up_func, context, data_dict):
    toolkit.check_access("harvest_sources_reindex", context, data_dict)
    token = _REINDEXING_ALL.set(True)
    try:
        return up_func(context, data_dict)
    finally:
        _REINDEXING_ALL.reset(token)


@toolkit.chained_action
def harvest_abort_failed_jobs(up_func, context, data_dict):
    """Upstream checks nothing (anyone could abort every running job): sysadmins only."""
    toolkit.check_access("harvest_abort_failed_jobs", context, data_dict)
    return up_func(context, data_dict)


@toolkit.chained_action
@toolkit.side_effect_free
def harvest_source_list(up_func, context, data_dict):
    """Upstream gives an anonymous caller every source, private and deleted ones included: only
    the sources the caller may see."""
    toolkit.check_access("harvest_source_list", context, data_dict)
    sources = up_func(context, data_dict)
    if context.get("ignore_auth"):
        return sources
    visible = []
    for source in sources:
        try:
            toolkit.check_access("harvest_source_show", dict(context), {"id": source["id"]})
        except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
            continue
        visible.append(source)
    return visible


def get_actions() -> dict[str, Any]:
    actions = {"ikoma_validation_show": ikoma_validation_show}
    if plugins.plugin_loaded("harvest"):
        actions.update(harvest_source_reindex=harvest_source_reindex, harvest_sources_reindex=harvest_sources_reindex,
                       harvest_abort_failed_jobs=harvest_abort_failed_jobs, harvest_source_list=harvest_source_list)
    return actions
