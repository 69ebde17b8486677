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
    :returns: status (pending, running, success, failure, error; or suggested, when the dataset
        declares no standard and the report is the standard its header reads as), counts and the report
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


@toolkit.side_effect_free
def ikoma_kpi_show(context, data_dict) -> dict[str, Any]:
    """オープンデータ公開件数: public datasets now, per organization and per month (as /region shows).

    :returns: total, own (the municipality running the site), organizations, months, monthly
    """
    from ckanext.ikoma.region.figures import kpi

    toolkit.check_access("ikoma_kpi_show", context, data_dict)
    return kpi().as_dict()


@toolkit.side_effect_free
def ikoma_coverage_show(context, data_dict) -> dict[str, Any]:
    """Standard datasets by organization: which datasets declare which standard, and what is missing.

    :returns: standards, organizations (each with its datasets per standard and the missing ones), totals
    """
    from ckanext.ikoma.region.figures import coverage

    toolkit.check_access("ikoma_coverage_show", context, data_dict)
    return coverage().as_dict()


@toolkit.side_effect_free
def ikoma_quality_show(context, data_dict) -> dict[str, Any]:
    """Metadata quality (MQA for Japan): of one dataset (`id`), else per organization and for the region.

    :param id: a dataset name or id (optional)
    :returns: points, rating and missed indicators of the dataset; or region, organizations, indicators
    """
    from ckanext.ikoma.quality import summary

    toolkit.check_access("ikoma_quality_show", context, data_dict)
    if data_dict.get("id"):
        dataset = toolkit.get_action("package_show")(dict(context), {"id": data_dict["id"]})
        quality = summary.dataset_quality(dataset["id"])
        if quality is None:
            raise toolkit.ObjectNotFound(toolkit._("This dataset has not been scored yet"))
        return quality
    from ckanext.ikoma.region.figures import quality

    figures = quality()
    return {"region": figures.region, "indicators": figures.shares,
            "organizations": [o.__dict__ for o in figures.organizations]}


def get_actions() -> dict[str, Any]:
    from ckanext.ikoma.logic import harvest_access, harvest_progress, harvest_sources, purge

    actions = {"ikoma_validation_show": ikoma_validation_show, "ikoma_kpi_show": ikoma_kpi_show,
               "ikoma_coverage_show": ikoma_coverage_show, "ikoma_quality_show": ikoma_quality_show,
               **purge.ACTIONS}
    if plugins.plugin_loaded("harvest"):
        actions.update(harvest_sources.ACTIONS)
        actions.update(harvest_access.ACTIONS)
        actions.update(harvest_progress.ACTIONS)
    return actions
