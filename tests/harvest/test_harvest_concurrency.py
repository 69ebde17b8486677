"""Several fetch consumers on one queue, as a hub runs them (one per core, docs/scaling.md): the same
dataset reached through an origin and an aggregator (BODIK, the prefecture), imported by two
consumers at the same moment, is still one dataset, held by the origin, and neither import fails."""
from __future__ import annotations

import time

import pytest

import ckan.model as model
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestSource

from catalog_factory import dataset, write_catalog
from conftest import _handled, package_trigger, start_consumers, stop_consumers

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

PAIRS = 4


@pytest.fixture(scope="module")
def consumers(tmp_path_factory):
    """One gather consumer and two fetch consumers."""
    processes = start_consumers(tmp_path_factory.mktemp("consumers"), fetch_consumers=2)
    yield processes
    stop_consumers(processes)


@pytest.fixture
def slow_commits():
    """Each new dataset's commit takes a second: the two imports of an identity overlap for
    certain, as they may by chance on a busy hub."""
    with package_trigger("ikoma_test_slow", "IF TG_OP = 'INSERT' AND NEW.type = 'dataset' THEN PERFORM pg_sleep(1); END IF;"):
        yield


def test_one_dataset_per_identity_when_two_consumers_import_it_at_once(
        catalog_server, make_source, sysadmin, consumers, clean_queues, slow_commits):
    directory, base, _ = catalog_server
    bodik = call_action("organization_create", context={"user": sysadmin["name"]}, name="bodik", title="BODIK")
    jobs = []
    # origin and aggregator of each dataset one after the other in the gather queue, so that their
    # objects reach the two fetch consumers together
    for number in range(1, PAIRS + 1):
        origin = write_catalog(directory, [dataset(number)], prefix=f"origin{number}")
        copy = write_catalog(directory, [dataset(number, uri=f"https://bodik.example.jp/dataset/{number}")],
                             prefix=f"bodik{number}")
        for source in (make_source(f"{base}/{origin}", name=f"origin-{number}"),
                       make_source(f"{base}/{copy}", name=f"bodik-{number}", org=bodik, role="aggregator")):
            jobs.append(call_action("harvest_job_create", source_id=source["id"])["id"])
    deadline = time.monotonic() + 300
    while True:
        model.Session.remove()
        if all(_handled(job_id) for job_id in jobs):
            break
        assert all(p.poll() is None for p in consumers), "a harvest consumer died"
        assert time.monotonic() < deadline, "the jobs did not finish"
        time.sleep(0.3)
    call_action("harvest_jobs_run")

    errors = model.Session.query(HarvestObjectError.message).all()
    assert errors == [], errors  # the later import waited for the first one and found its dataset
    held = model.Session.query(model.Package.name, HarvestSource.url).join(
        HarvestObject, HarvestObject.package_id == model.Package.id).join(
        HarvestSource, HarvestSource.id == HarvestObject.harvest_source_id).filter(
        model.Package.type == "dataset", model.Package.state == "active", HarvestObject.current.is_(True)).all()
    assert model.Session.query(model.Package).filter_by(type="dataset", state="active").count() == PAIRS, held
    assert len(held) == PAIRS and all("/origin" in url for _name, url in held), held  # the origin holds each
