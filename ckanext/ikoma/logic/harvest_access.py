"""ckanext-harvest's actions that an anonymous caller could use and should not, closed here.

Upstream's harvest_source_reindex and harvest_abort_failed_jobs check no rights at all;
harvest_source_list gives an anonymous caller every source (private and deleted ones too);
harvest_object_show and harvest_object_list are open to everyone; harvest_log_list has the action
itself as its auth function (its get_actions and get_auth_functions fill one shared dict); and its
sysadmin-only auth functions answer an anonymous caller with a 500."""
from __future__ import annotations

import contextvars

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit

# ---------------------------------------------------------------- actions

# Upstream's harvest_sources_reindex reindexes each source with a context of its own, without a
# user: those calls are let through once the caller has passed the all-sources check.
_REINDEXING_ALL = contextvars.ContextVar("ikoma_reindexing_all_sources", default=False)


@toolkit.chained_action
def harvest_source_reindex(up_func, context, data_dict):
    """The rights its auth function names: those to update the source."""
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
    toolkit.check_access("harvest_abort_failed_jobs", context, data_dict)
    return up_func(context, data_dict)


@toolkit.chained_action
@toolkit.side_effect_free
def harvest_source_list(up_func, context, data_dict):
    """Only the sources the caller may see."""
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


ACTIONS = {"harvest_source_reindex": harvest_source_reindex, "harvest_sources_reindex": harvest_sources_reindex,
           "harvest_abort_failed_jobs": harvest_abort_failed_jobs, "harvest_source_list": harvest_source_list}

# ---------------------------------------------------------------- auth functions


def _may_update_source(context, source_id) -> dict:
    """What ckanext-harvest asks to see a source's jobs: the right to update the source."""
    try:
        toolkit.check_access("harvest_source_update", dict(context), {"id": source_id})
    except toolkit.NotAuthorized:
        return {"success": False, "msg": toolkit._("Not authorized to see this harvest source's jobs")}
    return {"success": True}


def _harvest_object(data_dict):
    """The object harvest_object_show would show (by id, or the current one of a dataset)."""
    from ckanext.harvest.model import HarvestObject

    if data_dict.get("id"):
        obj = HarvestObject.get(data_dict["id"], attr=data_dict.get("attr"))
    else:
        package = model.Package.get(data_dict.get("dataset_id") or "")
        obj = package and model.Session.query(HarvestObject).filter(
            HarvestObject.package_id == package.id, HarvestObject.current.is_(True)).first()
    if not obj:
        raise toolkit.ObjectNotFound(toolkit._("Harvest object not found"))
    return obj


@toolkit.chained_auth_function
def harvest_object_show(next_auth, context, data_dict):
    """An object holds a dataset as harvested, also one a curator has since made private or
    withdrawn. Like the job it belongs to: who may update the source."""
    return _may_update_source(context, _harvest_object(data_dict).harvest_source_id)


@toolkit.chained_auth_function
def harvest_object_list(next_auth, context, data_dict):
    """The objects of one source for who may update it; of all sources for sysadmins."""
    if not data_dict.get("source_id"):
        return {"success": False, "msg": toolkit._("Only sysadmins can list the objects of all harvest sources")}
    return _may_update_source(context, data_dict["source_id"])


# Sysadmins only: no auth function upstream (harvest_abort_failed_jobs, harvest_log_list), or one
# that fails with a 500 on an anonymous caller (the others).
SYSADMIN_ONLY = ("harvest_abort_failed_jobs", "harvest_log_list", "harvest_sources_reindex", "harvest_sources_clear",
                 "harvest_jobs_run", "harvest_job_abort", "harvest_job_create_all", "harvest_objects_import")


def _sysadmins_only(name: str):
    """Chained over upstream's function without calling it (or defined, where a ckanext-harvest
    without that slip has none): refuse. Sysadmins are let through before auth functions run."""
    def refuse(*_):  # (context, data_dict), or (upstream, context, data_dict) when chained
        return {"success": False, "msg": toolkit._("Only sysadmins can do this")}
    refuse.__name__ = name
    if name in plugins.get_plugin("harvest").get_auth_functions():
        return toolkit.chained_auth_function(refuse)
    return refuse


def auth_functions() -> dict:
    functions = {"harvest_object_show": harvest_object_show, "harvest_object_list": harvest_object_list}
    functions.update({name: _sysadmins_only(name) for name in SYSADMIN_ONLY})
    return functions
