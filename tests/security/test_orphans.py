"""Nothing orphaned: a validation report (which may hold lines of the checked file) goes with its
resource when the resource or its dataset is deleted or purged, and ikoma_validation_show answers
404 for a resource that is not there."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.plugins.toolkit import config
from ckan.tests.helpers import call_action

from ckanext.ikoma.model import ResourceValidation

from roles import headers_of

pytestmark = pytest.mark.usefixtures("clean_queues")
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")
CSV = {"format": "CSV", "description": "CSV", "character_encoding": "UTF-8"}


def rows(package_id: str) -> set[str]:
    model.Session.remove()
    found = {row.resource_id for row in ResourceValidation.for_package(package_id)}
    model.Session.remove()  # no open transaction: the migration test alters the table
    return found


@pytest.fixture
def checked(create_dataset, sysadmin):
    """A conforming dataset with two CSV resources, each waiting for its check (a report row)."""
    dataset = create_dataset(conforms_to="08", resources=[
        dict(CSV, url="https://example.jp/a.csv", name="A"), dict(CSV, url="https://example.jp/b.csv", name="B")])
    assert rows(dataset["id"]) == {r["id"] for r in dataset["resources"]}
    return dataset


def test_purging_a_dataset_removes_its_validation_rows(checked, sysadmin):
    call_action("dataset_purge", context={"user": sysadmin["name"]}, id=checked["id"])
    assert rows(checked["id"]) == set()


def test_deleting_a_dataset_removes_its_validation_rows(checked, sysadmin):
    call_action("package_delete", context={"user": sysadmin["name"]}, id=checked["id"])
    assert rows(checked["id"]) == set()


def test_deleting_a_resource_removes_its_row_only(checked, sysadmin):
    first, second = checked["resources"]
    call_action("resource_delete", context={"user": sysadmin["name"]}, id=first["id"])
    assert rows(checked["id"]) == {second["id"]}


def test_a_resource_left_out_of_an_update_loses_its_row(checked, sysadmin):
    first, second = checked["resources"]
    call_action("package_patch", context={"user": sysadmin["name"]}, id=checked["id"], resources=[second])
    assert rows(checked["id"]) == {second["id"]}


@pytest.mark.parametrize("how", ["purged", "deleted", "never existed"])
def test_validation_show_is_404_for_a_resource_that_is_not_there(app, checked, sysadmin, people, how):
    resource_id = checked["resources"][0]["id"]
    if how == "purged":
        call_action("dataset_purge", context={"user": sysadmin["name"]}, id=checked["id"])
    elif how == "deleted":
        call_action("resource_delete", context={"user": sysadmin["name"]}, id=resource_id)
    else:
        resource_id = "00000000-0000-0000-0000-000000000000"
    for user in (None, people["sysadmin"]):
        response = app.get("/api/3/action/ikoma_validation_show", params={"resource_id": resource_id},
                           headers=headers_of(user), status=None)
        assert response.status_code == 404, response.body[:300]


def test_migration_removes_orphans_and_then_the_database_removes_them(checked, sysadmin):
    """0006 deletes rows left by earlier versions, then foreign keys make PostgreSQL cascade."""
    def ckan(*args):
        result = subprocess.run([CKAN, "-c", config["__file__"], *args], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]

    kept, gone = checked["resources"]
    model.Session.remove()
    ckan("db", "downgrade", "-p", "ikoma", "-v", "0005_quality")
    try:
        model.Session.remove()
        call_action("resource_delete", context={"user": sysadmin["name"]}, id=gone["id"])
        model.Session.execute(sa.text(
            "INSERT INTO ikoma_resource_validation (resource_id, package_id, standard, status, created) VALUES "
            "('purged-long-ago', :package, '08', 'success', now()), (:gone, :package, '08', 'success', now())"),
            {"package": checked["id"], "gone": gone["id"]})
        model.Session.commit()
        assert rows(checked["id"]) == {kept["id"], gone["id"], "purged-long-ago"}
        model.Session.remove()
    finally:
        ckan("db", "upgrade", "-p", "ikoma")
    assert rows(checked["id"]) == {kept["id"]}
    model.Session.execute(sa.text("DELETE FROM resource WHERE id = :id"), {"id": kept["id"]})  # a purge
    model.Session.commit()
    assert rows(checked["id"]) == set()
