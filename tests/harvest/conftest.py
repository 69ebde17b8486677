"""Harvesting end to end: neighbours' catalogs served over real HTTP on 127.0.0.2, and the real
ckanext-harvest gather and fetch consumers (separate `ckan harvester …-consumer` processes on Redis)."""
from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

import ckan.model as model
from ckan.plugins.toolkit import config
from hosts import NEIGHBOUR_HOST
from ckan.tests.helpers import call_action
from ckanext.harvest.model import HarvestJob, HarvestObject

CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")
# the tests' catalogs are on 127.0.0.2, which test.ini (not a source) allows
LOCAL = {"retries": 0, "backoff": 0}


def start_consumers(log_dir, fetch_consumers: int = 1) -> list:
    """The gather consumer and `fetch_consumers` fetch consumers, as a site runs them."""
    ini = config["__file__"]  # the ini of this run (--ckan-ini): its database, site and Redis db
    subprocess.run([CKAN, "-c", ini, "harvester", "purge-queues"], capture_output=True, check=False)
    processes = []
    for number, kind in enumerate(["gather-consumer"] + ["fetch-consumer"] * fetch_consumers):
        log = open(log_dir / f"{kind}-{number}.log", "wb")
        processes.append(subprocess.Popen([CKAN, "-c", ini, "harvester", kind], stdout=log, stderr=subprocess.STDOUT))
    wait_until_listening(processes)
    return processes


def wait_until_listening(processes: list, timeout: float = 120) -> None:
    """Until every consumer waits on its Redis queue. A CKAN process creates the site user while it
    starts (ckan/config/environment.py); one still starting while a test resets the database and
    creates users itself collides with it on the user's unique name (seen once in CI)."""
    from ckanext.harvest.queue import get_connection_redis

    redis = get_connection_redis()
    db = redis.connection_pool.connection_kwargs.get("db", 0)
    deadline = time.monotonic() + timeout
    while sum(1 for c in redis.client_list() if int(c["db"]) == db and c["cmd"] == "blpop") < len(processes):
        assert all(p.poll() is None for p in processes), "a harvest consumer died while starting"
        assert time.monotonic() < deadline, "the harvest consumers did not start listening"
        time.sleep(0.2)


def stop_consumers(processes: list) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def consumers(tmp_path_factory):
    """The gather and fetch consumers as a site runs them; tests check they survive bad input."""
    processes = start_consumers(tmp_path_factory.mktemp("consumers"))
    yield processes
    stop_consumers(processes)


@contextlib.contextmanager
def package_trigger(name: str, body: str):
    """A deferred trigger on new and changed `package` rows for the test's time: `body` runs at
    each dataset's COMMIT, after every statement of its import (to fail or delay it there)."""
    statements = [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NEW; END $$",
        f"""CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE ON package
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {name}()""",
    ]
    for statement in statements:
        model.Session.execute(sa.text(statement))
    model.Session.commit()
    try:
        yield
    finally:
        model.Session.remove()
        model.Session.execute(sa.text(f"DROP TRIGGER IF EXISTS {name} ON package"))
        model.Session.execute(sa.text(f"DROP FUNCTION IF EXISTS {name}()"))
        model.Session.commit()


class _LoggingHandler(SimpleHTTPRequestHandler):
    """Static files (with Last-Modified and 304s, as SimpleHTTPRequestHandler does), each request
    and its status recorded."""
    requests: list = []

    def log_request(self, code="-", size="-"):
        self.requests.append((self.path, int(code) if str(code).isdigit() else code))

    def log_message(self, *args):
        pass


@pytest.fixture
def catalog_server(tmp_path):
    """(directory, base URL, requests) of a static catalog server on 127.0.0.2."""
    directory = tmp_path / "catalog"
    directory.mkdir()
    handler = type("Handler", (_LoggingHandler,), {"requests": []})
    server = ThreadingHTTPServer((NEIGHBOUR_HOST, 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield directory, f"http://{NEIGHBOUR_HOST}:{server.server_port}", handler.requests
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def make_source(sysadmin):
    def make(url, name="neighbour", org=None, **config):
        if org is None and model.Group.get("293423") is not None:  # a second source of the same test
            org = call_action("organization_show", id="293423")
        elif org is None:
            org = call_action("organization_create", context={"user": sysadmin["name"]}, name="293423",
                              title="平群町", title_en="Heguri Town", lg_code="293423")
        return call_action("harvest_source_create", context={"user": sysadmin["name"]}, url=url, name=name,
                           title=name, source_type="ikoma_dcat", owner_org=org["id"], frequency="MANUAL",
                           config=json.dumps({**LOCAL, **config}))
    return make


def run_harvest(source_id: str, consumers, timeout: float = 180) -> dict:
    """Create a job (which queues it for gathering), wait until the consumers have gathered it and
    handled every object, then let ckanext-harvest mark it finished. harvest_jobs_run is not called
    while objects are in flight: it re-sends each WAITING object missing from the queue, one a
    consumer has just taken included, and that duplicate, arriving after the job has finished,
    turns its object "errored" (seen under load)."""
    job = call_action("harvest_job_create", source_id=source_id)
    deadline = time.monotonic() + timeout
    shown = job
    while True:
        model.Session.remove()
        if _handled(job["id"]):
            call_action("harvest_jobs_run", source_id=source_id)
            shown = call_action("harvest_job_show", id=job["id"])
            if shown["status"] == "Finished":
                assert all(p.poll() is None for p in consumers), "a harvest consumer died"
                return call_action("harvest_job_report", id=job["id"]) | {"stats": shown["stats"], "id": job["id"]}
        assert all(p.poll() is None for p in consumers), "a harvest consumer died"
        assert time.monotonic() < deadline, f"harvest job did not finish: {shown}"
        time.sleep(0.3)


def _handled(job_id: str) -> bool:
    """Gathered, and none of its objects waiting, being fetched or being imported."""
    job = HarvestJob.get(job_id)
    return bool(job and job.gather_finished) and not model.Session.query(HarvestObject.id).filter(
        HarvestObject.harvest_job_id == job_id, HarvestObject.state.notin_(("COMPLETE", "ERROR"))).first()


@pytest.fixture
def harvest(consumers, clean_queues):
    return functools.partial(run_harvest, consumers=consumers)
