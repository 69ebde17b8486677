"""ckanext.ikoma.compat on the installed CKAN (the suite runs on 2.11 and on 2.12): queries on
dataset and organization extras, the batched lookup of harvested datasets, and no module using
the model classes CKAN 2.12 removed."""
from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.tests.helpers import call_action

import ckanext.ikoma
from ckanext.ikoma import compat
from ckanext.ikoma.harvesters.store import find_holders

PACKAGE_ROOT = os.path.dirname(os.path.abspath(ckanext.ikoma.__file__))
REMOVED_IN_2_12 = re.compile(r"\b(PackageExtra|GroupExtra|package_extra|group_extra)\b")


def test_the_version_choice_matches_the_model_of_the_installed_ckan():
    assert compat.CKAN_2_12 is (not hasattr(model, "PackageExtra"))


def test_no_module_but_compat_names_the_extras_models_ckan_2_12_removed():
    offenders = []
    for directory, _, files in os.walk(PACKAGE_ROOT):
        if os.path.relpath(directory, PACKAGE_ROOT).startswith("migration"):
            continue  # migrations name the tables the database has (0007 looks which before it acts)
        for name in files:
            path = os.path.join(directory, name)
            if name.endswith(".py") and path != os.path.abspath(compat.__file__):
                with open(path, encoding="utf-8") as f:
                    if REMOVED_IN_2_12.search(f.read()):
                        offenders.append(os.path.relpath(path, PACKAGE_ROOT))
    assert offenders == []


@pytest.fixture
def harvested_like(create_dataset):
    """Three datasets with provenance as the harvester writes it, one of them withdrawn."""
    return [
        create_dataset(name="kept", harvest_identity="a@292095", harvest_content_hash="h-a"),
        create_dataset(name="withdrawn", harvest_identity="b@292095", harvest_content_hash="h-b",
                       harvest_withdrawn_at="2026-01-01T00:00:00"),
        create_dataset(name="local"),
    ]


def test_extra_value_selects_filters_and_keeps_rows_without_the_extra(harvested_like):
    query, identity = compat.extra_value(model.Session.query(model.Package.name), model.Package,
                                         "harvest_identity", outer=True)
    rows = dict(query.add_columns(identity).filter(model.Package.type == "dataset").all())
    assert rows == {"kept": "a@292095", "withdrawn": "b@292095", "local": None}

    query, identity = compat.extra_value(model.Session.query(model.Package.name), model.Package,
                                         "harvest_identity")
    assert sorted(name for (name,) in query.filter(identity.in_(["b@292095", "c@292095"]))) == ["withdrawn"]


def test_organization_extras_are_queried_the_same_way(sysadmin):
    # a context each: CKAN 2.12's call_action leaves the created group in the one it is given
    org = call_action("organization_create", context={"user": sysadmin["name"]}, name="292010", title="奈良市",
                      lg_code="292010")
    call_action("organization_create", context={"user": sysadmin["name"]}, name="no-code", title="コードなし")
    query, lg_code = compat.extra_value(model.Session.query(model.Group.id), model.Group, "lg_code")
    assert [row[0] for row in query.filter(lg_code == "292010")] == [org["id"]]


def test_find_holders_looks_up_a_batch_in_one_statement_per_table(harvested_like):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        holders = find_holders([f"{c}@292095" for c in "abcdefghij"])
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 2  # datasets with their extras, then the harvest objects
    assert set(holders) == {"a@292095", "b@292095"}
    assert (holders["a@292095"].content_hash, holders["a@292095"].withdrawn) == ("h-a", False)
    assert (holders["b@292095"].content_hash, holders["b@292095"].withdrawn) == ("h-b", True)
