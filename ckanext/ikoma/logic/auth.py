"""Auth functions: a validation report is visible to whoever may see its resource; and the
ckanext-harvest actions that anonymous users could call are closed (see logic/action.py for the
actions that checked nothing at all)."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit


@toolkit.auth_allow_anonymous_access
def ikoma_validation_show(context, data_dict):
    try:
        toolkit.check_access("resource_show", dict(context), {"id": data_dict["resource_id"]})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return {"success": False}
    return {"success": True}


# ---------------------------------------------------------------- ckanext-harvest

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
    """Everybody, upstream: but an object holds a dataset as harvested, also one a curator has
    since made private or withdrawn. Like the job it belongs to: who may update the source."""
    return _may_update_source(context, _harvest_object(data_dict).harvest_source_id)


@toolkit.chained_auth_function
def harvest_object_list(next_auth, context, data_dict):
    """Any caller, anonymous included, upstream: the objects of one source for who may update it."""
    if not data_dict.get("source_id"):
        return {"success": False, "msg": toolkit._("Only sysadmins can list the objects of all harvest sources")}
    return _may_update_source(context, data_dict["source_id"])


# Sysadmins only. Upstream has no auth function for the first two, and registers the action itself
# in its place (its get_actions and get_auth_functions fill one shared dict); the others answer an
# anonymous caller with a 500 (user_is_sysadmin fails on a missing user).
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


def get_auth_functions():
    functions = {"ikoma_validation_show": ikoma_validation_show}
    if plugins.plugin_loaded("harvest"):
        functions.update(harvest_object_show=harvest_object_show, harvest_object_list=harvest_object_list)
        functions.update({name: _sysadmins_only(name) for name in SYSADMIN_ONLY})
    return functions
