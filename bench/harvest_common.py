"""What the harvest benchmarks share (`harvest.py`, `hub.py`): a bench ini derived from test.ini,
generated catalogs served over HTTP, a fresh database, the real gather and fetch consumers, and
waiting for ckanext-harvest to mark jobs finished."""
from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "harvest"))
STACK = os.path.join(ROOT, "stack", "stack.sh")
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")
CONSUMERS = ("gather-consumer", "fetch-consumer")


def write_ini(path: str, database: str, site_id: str, redis_db: int,
              edit: Callable[[str], str] = lambda text: text) -> None:
    """test.ini on the bench's own database, site id and Redis db (the queues too), not in testing mode."""
    with open(os.path.join(ROOT, "test.ini"), encoding="utf-8") as f:
        text = edit(f.read())
    text = text.replace("/ckan_test\n", f"/{database}\n").replace("= ikoma_test\n", f"= {site_id}\n")
    text = text.replace("redis://127.0.0.1:6379/1", f"redis://127.0.0.1:6379/{redis_db}")
    text = text.replace("ckan.harvest.mq.redis_db = 1", f"ckan.harvest.mq.redis_db = {redis_db}")
    text = text.replace("testing = true", "testing = false")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: str) -> str:
    """A static HTTP server for the folder; the base URL. Other sites bind 127.0.0.2, the one
    non-public address test.ini allows the fetcher."""
    server = ThreadingHTTPServer(("127.0.0.2", 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.2:{server.server_port}"


def fresh_database(ini: str, database: str) -> None:
    subprocess.run([STACK, "recreate-db", database], check=True, capture_output=True)
    subprocess.run([CKAN, "-c", ini, "db", "upgrade"], check=True, capture_output=True)
    for plugin in ("activity", "harvest", "ikoma"):
        subprocess.run([CKAN, "-c", ini, "db", "upgrade", "-p", plugin], check=False, capture_output=True)
    subprocess.run([CKAN, "-c", ini, "search-index", "clear"], check=True, capture_output=True)
    subprocess.run([CKAN, "-c", ini, "harvester", "purge-queues"], check=False, capture_output=True)


class Consumers:
    """The real `ckan harvester gather-consumer` and `fetch-consumer` processes; `peak_mib()` is
    each one's peak resident memory (VmHWM), read before they are stopped."""

    def __init__(self, ini: str, fetch_command: list[str] | None = None, fetch_consumers: int = 1):
        commands = {kind: [CKAN, "-c", ini, "harvester", kind] for kind in CONSUMERS}
        if fetch_command:  # e.g. the fetch consumer under cProfile (bench/harvest.py, BENCH_PROFILE)
            commands["fetch-consumer"] = fetch_command
        for number in range(2, fetch_consumers + 1):  # more fetch consumers on the same Redis queue
            commands[f"fetch-consumer {number}"] = commands["fetch-consumer"]
        self.processes = {kind: subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                          for kind, command in commands.items()}

    def peak_mib(self) -> dict[str, float]:
        peaks = {}
        for kind, process in self.processes.items():
            try:
                with open(f"/proc/{process.pid}/status", encoding="ascii") as f:
                    line = next(line for line in f if line.startswith("VmHWM:"))
                peaks[kind] = int(line.split()[1]) / 1024
            except (OSError, StopIteration):
                peaks[kind] = float("nan")
        return peaks

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            process.wait(timeout=60)

    def __enter__(self) -> "Consumers":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def site_context() -> dict:
    import ckan.plugins.toolkit as toolkit

    user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return {"user": user, "ignore_auth": True}


def run_jobs(source_ids: list[str], poll: float = 0.5, progress: Callable[[int], None] = lambda n: None) -> float:
    """Create a job for each source (ckanext-harvest queues it for the gather consumer), wait until
    every job is gathered and every object handled, then let ckanext-harvest mark the jobs finished;
    the seconds from the first creation. harvest_jobs_run is not called while objects are in
    flight: it re-sends each WAITING object missing from the queue, one a consumer has just taken
    included, and the duplicate turns the imported object "errored" (tests/harvest/conftest.py)."""
    import ckan.model as model
    import ckan.plugins.toolkit as toolkit
    from ckanext.harvest.model import HarvestJob, HarvestObject

    start = time.perf_counter()
    jobs = [toolkit.get_action("harvest_job_create")(site_context(), {"source_id": sid})["id"] for sid in source_ids]
    gathered = -1
    while True:
        model.Session.remove()
        done = model.Session.query(HarvestJob).filter(HarvestJob.id.in_(jobs),
                                                      HarvestJob.gather_finished.isnot(None)).count()
        in_flight = model.Session.query(HarvestObject.id).filter(
            HarvestObject.harvest_job_id.in_(jobs), HarvestObject.state.notin_(("COMPLETE", "ERROR"))).first()
        if done != gathered:
            gathered = done
            progress(done)
        if done == len(jobs) and not in_flight:
            toolkit.get_action("harvest_jobs_run")(site_context(), {})
            model.Session.remove()
            if model.Session.query(HarvestJob).filter(HarvestJob.id.in_(jobs),
                                                      HarvestJob.status != "Finished").count() == 0:
                return time.perf_counter() - start
        time.sleep(poll)
