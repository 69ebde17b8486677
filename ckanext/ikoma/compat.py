"""What differs between the CKAN versions ckanext-ikoma runs on (2.11 and 2.12), decided once at import.

Dataset and organization extras: CKAN 2.11 keeps them as rows of `package_extra` / `group_extra`
(`model.PackageExtra`, `model.GroupExtra`); CKAN 2.12 keeps them in a JSONB column `extras` of
`package` / `group` and has no such tables or classes. Reading one object's extras through
`package.extras` / `group.extras` works on both; a query that selects or filters on an extra takes
the value's column from `extra_value`, so one query serves both versions (still one statement).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

import ckan.model as model
import ckan.plugins.toolkit as toolkit

CKAN_2_12 = toolkit.check_ckan_version(min_version="2.12")


def extra_value(query, owner: Any, key: str, outer: bool = False):
    """(query, column): `query` made to give `column`, the value of the extra `key` of `owner`
    (model.Package or model.Group). Rows without that extra are left out, or (outer) kept with
    NULL. Each call adds one join on CKAN 2.11 and none on 2.12."""
    if CKAN_2_12:
        column = owner.extras[key].astext
        return (query if outer else query.filter(column.is_not(None))), column
    if owner is model.Package:
        extra = aliased(model.PackageExtra)
        owner_id = extra.package_id
    else:
        extra = aliased(model.GroupExtra)
        owner_id = extra.group_id
    on = sa.and_(owner_id == owner.id, extra.key == key, extra.state == "active")
    return (query.outerjoin(extra, on) if outer else query.join(extra, on)), extra.value

