"""A harvest source reads and saves the same after a finished job as before it.

ckanext-harvest 1.6.3 on CKAN 2.12 reindexes a source when its job finishes with the source's
unvalidated dict in the place of the validated one; package_show reads that back (no top-level
`source_type`, `frequency`, `config`; all three in `extras`), and harvest_source_patch, the
neighbours sync and the source's edit form fail with "source_type: Missing value" and "There is a
schema field with the same name". ckanext-ikoma validates that index entry as it is written
(compat.validated_harvest_source); on CKAN 2.11 the entry is already right."""
from __future__ import annotations

import pytest

import ckan.model as model
from ckan.tests.helpers import call_action

from catalog_factory import dataset, write_catalog

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

SOURCE_FIELDS = ("source_type", "frequency", "config", "url", "title")


def _show(source_id):
    model.Session.remove()
    shown = call_action("harvest_source_show", id=source_id)
    return {key: shown.get(key) for key in SOURCE_FIELDS}, shown.get("extras") or []


def test_a_finished_job_leaves_the_source_as_it_was_shown(catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    source = make_source(f"{base}/{write_catalog(directory, [dataset(1)])}")
    before, _ = _show(source["id"])
    assert harvest(source["id"])["stats"]["added"] == 1

    after, extras = _show(source["id"])
    assert after == before and after["source_type"] == "ikoma_dcat"
    assert not {e["key"] for e in extras} & set(SOURCE_FIELDS)


def test_a_source_can_be_patched_after_a_finished_job(catalog_server, make_source, harvest, sysadmin):
    directory, base, _ = catalog_server
    source = make_source(f"{base}/{write_catalog(directory, [dataset(1)])}")
    harvest(source["id"])

    patched = call_action("harvest_source_patch", context={"user": sysadmin["name"]}, id=source["id"],
                          title="平群町のカタログ（更新）")
    assert patched["title"] == "平群町のカタログ（更新）" and patched["source_type"] == "ikoma_dcat"
    assert _show(source["id"])[0]["title"] == "平群町のカタログ（更新）"
