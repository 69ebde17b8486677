"""What a purged dataset leaves behind in the extension's own stores is removed with it. CKAN calls
no plugin hook on dataset_purge, and afterwards the dataset's name no longer leads to its id, so
the action is chained: the id is read first, the stores are cleaned after the purge succeeded."""
from __future__ import annotations

import ckan.model as model
import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.logic import catalog


@toolkit.chained_action
def dataset_purge(original_action, context, data_dict):
    package = model.Package.get(str((data_dict or {}).get("id") or ""))
    package_id = package.id if package is not None else None
    result = original_action(context, data_dict)
    if package_id:
        catalog.forget_dataset(package_id)
    return result


ACTIONS = {"dataset_purge": dataset_purge}
