"""Harvest sources whose URL points into the site's own network are refused when created or
changed, whatever their harvester: ckanext-harvest checks only that the URL looks like one, and a
curator could otherwise aim the site's harvesters at 169.254.169.254 or an internal admin page.

Harvest sources are datasets of type `harvest`: the API's harvest_source_create/update/patch and
the harvest forms all end in package_create / package_update, so those two are chained."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.bilingual import pick
from ckanext.ikoma.net.fetch import FetchError, FetchPolicy, check_url
from ckanext.ikoma.net.site import private_allowlist

SOURCE_TYPE = "harvest"


def _is_source(data_dict) -> bool:
    if data_dict.get("type"):
        return data_dict["type"] == SOURCE_TYPE
    existing = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    return existing is not None and existing.type == SOURCE_TYPE


def _check_source_url(action: str, context, data_dict) -> None:
    url = (data_dict or {}).get("url")
    if not url or not _is_source(data_dict):
        return  # no URL: ckanext-harvest's own schema says it is required
    toolkit.check_access(action, context, data_dict)  # who may, before anything is said of the URL
    try:
        check_url(str(url).strip(), FetchPolicy(any_host=True, private_allowlist=private_allowlist()))
    except FetchError as error:
        raise toolkit.ValidationError({"url": [pick(error.ja, error.en)]})


@toolkit.chained_action
def package_create(original_action, context, data_dict):
    _check_source_url("package_create", context, data_dict)
    return original_action(context, data_dict)


@toolkit.chained_action
def package_update(original_action, context, data_dict):
    _check_source_url("package_update", context, data_dict)
    return original_action(context, data_dict)


ACTIONS = {"package_create": package_create, "package_update": package_update}
