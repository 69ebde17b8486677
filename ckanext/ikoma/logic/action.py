"""Actions of ckanext-ikoma."""
from __future__ import annotations

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
    if not isinstance(resource_id, str) or len(resource_id) > 100 or any(ord(c) < 32 for c in resource_id):
        raise toolkit.ValidationError({"resource_id": ["リソースIDではありません / not a resource id"]})
    resource = model.Resource.get(resource_id)
    if resource is None or resource.state != "active":  # purged, deleted or never there
        raise toolkit.ObjectNotFound(toolkit._("Resource not found"))
    toolkit.check_access("ikoma_validation_show", context, {"resource_id": resource_id})
    row = ResourceValidation.get(resource_id)
    if row is None:
        raise toolkit.ObjectNotFound(toolkit._("No validation for this resource"))
    return row.as_dict()


def get_actions() -> dict[str, Any]:
    from ckanext.ikoma.logic import harvest_access, harvest_sources, purge

    actions = {"ikoma_validation_show": ikoma_validation_show, **purge.ACTIONS}
    if plugins.plugin_loaded("harvest"):
        actions.update(harvest_sources.ACTIONS)
        actions.update(harvest_access.ACTIONS)
    return actions
