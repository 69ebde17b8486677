"""Auth functions: a validation report is visible to whoever may see its resource."""
from __future__ import annotations

import ckan.plugins.toolkit as toolkit


@toolkit.auth_allow_anonymous_access
def ikoma_validation_show(context, data_dict):
    try:
        toolkit.check_access("resource_show", dict(context), {"id": data_dict["resource_id"]})
    except (toolkit.NotAuthorized, toolkit.ObjectNotFound):
        return {"success": False}
    return {"success": True}


@toolkit.auth_allow_anonymous_access
def public_figures(context, data_dict):
    """Figures built from public datasets only: anyone may read them."""
    return {"success": True}


def get_auth_functions():
    return {"ikoma_validation_show": ikoma_validation_show, "ikoma_kpi_show": public_figures,
            "ikoma_coverage_show": public_figures, "ikoma_quality_show": public_figures}
