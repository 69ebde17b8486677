"""Long harvests stay observable: a job's progress on the source page and in the CLI matches its
objects' states; a job whose objects stop moving is closed with the reason (ja, en) after
ckanext.ikoma.harvest.stuck_after seconds, by ckanext-harvest's own `harvest_jobs_run`; a harvest
run in the foreground shows its progress.

The job that stops moving is a real one: the real gather consumer gathers it and queues its objects
for fetching, and no fetch consumer takes them (as when the fetch consumer has died)."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from collections import Counter

import pytest

import ckan.model as model
from ckan.cli.cli import ckan as ckan_command
from ckan.plugins.toolkit import config
from ckan.tests.helpers import call_action
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject

from catalog_factory import dataset, write_catalog
from conftest import wait_until_listening

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")


@pytest.fixture
def gather_consumer_only():
    """The real gather consumer, and no fetch consumer: gathered objects wait in the fetch queue."""
    ini = config["__file__"]
    subprocess.run([CKAN, "-c", ini, "harvester", "purge-queues"], capture_output=True, check=False)
    process = subprocess.Popen([CKAN, "-c", ini, "harvester", "gather-consumer"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    wait_until_listening([process])
    yield process
    process.terminate()
    process.wait(timeout=30)
    subprocess.run([CKAN, "-c", ini, "harvester", "purge-queues"], capture_output=True, check=False)


def _gathered(job_id: str, timeout: float = 120) -> HarvestJob:
    deadline = time.monotonic() + timeout
    while True:
        model.Session.remove()
        job = HarvestJob.get(job_id)
        if job.gather_finished is not None:
            return job
        assert time.monotonic() < deadline, "the gather consumer did not gather the job"
        time.sleep(0.3)


def _states(job_id: str) -> Counter:
    model.Session.remove()
    return Counter(state for (state,) in model.Session.query(HarvestObject.state)
                   .filter(HarvestObject.harvest_job_id == job_id))


def _page_progress(app, name: str, pages: str = "/neighbours/") -> dict[str, int]:
    html = app.get(f"{pages}{name}").get_data(as_text=True)
    return {key: int(value) for key, value in re.findall(r'class="ikoma-progress-(\w+)">(\d+)%?<', html)}


def _source_with_a_gathered_job(catalog_server, make_source, datasets: int):
    directory, base, _ = catalog_server
    source = make_source(f"{base}/{write_catalog(directory, [dataset(i) for i in range(1, datasets + 1)], per_page=2)}")
    job = call_action("harvest_job_create", source_id=source["id"])
    return source, _gathered(job["id"]).id


def test_progress_on_the_page_and_in_the_cli_matches_the_objects_states(app, cli, catalog_server, make_source,
                                                                        gather_consumer_only):
    source, job_id = _source_with_a_gathered_job(catalog_server, make_source, 5)
    # two objects fetched and imported here by ckanext-harvest's own step, as the fetch consumer would
    harvester = queue.get_harvester("ikoma_dcat")
    for obj in (model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == job_id)
                .order_by(HarvestObject.guid).limit(2)):
        queue.fetch_and_import_stages(harvester, obj)
    states = _states(job_id)
    assert states == Counter({"COMPLETE": 2, "WAITING": 3})

    shown = _page_progress(app, "neighbour")
    assert shown == {"percent": 40, "done": states["COMPLETE"] + states["ERROR"], "total": sum(states.values()),
                     "waiting": states["WAITING"], "importing": states["FETCH"] + states["IMPORT"],
                     "errors": states["ERROR"]}
    assert _page_progress(app, "") == shown  # the list of neighbours shows the same
    assert _page_progress(app, "neighbour", "/harvest/") == shown  # and ckanext-harvest's source page
    result = cli.invoke(ckan_command, ["ikoma", "harvest", "progress"])
    assert result.exit_code == 0, result.output
    assert "neighbour: Running 2/5 (40%), waiting 3, importing 0, errors 0, last activity" in result.output


def test_a_job_whose_objects_stop_moving_is_closed_with_the_reason(app, cli, catalog_server, make_source,
                                                                   gather_consumer_only, monkeypatch):
    source, job_id = _source_with_a_gathered_job(catalog_server, make_source, 3)
    monkeypatch.setitem(config, "ckanext.ikoma.harvest.stuck_after", 3600)
    call_action("harvest_jobs_run", source_id=source["id"])
    model.Session.remove()
    assert HarvestJob.get(job_id).status == "Running"  # not stuck yet: it moved within the hour

    monkeypatch.setitem(config, "ckanext.ikoma.harvest.stuck_after", 2)
    _wait_past(HarvestJob.get(job_id).get_last_action_time(), 3)  # nothing moves: no fetch consumer
    call_action("harvest_jobs_run", source_id=source["id"])  # ckanext-harvest's periodic check (cron)

    model.Session.remove()
    job = HarvestJob.get(job_id)
    assert job.status == "Finished" and job.finished is not None
    assert _states(job_id) == Counter({"ERROR": 3})  # closed by ckanext-harvest's harvest_job_abort
    reasons = [e.message for e in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job_id)]
    assert len(reasons) == 1 and reasons[0].startswith("[stuck] ")

    ja = app.get("/neighbours/neighbour").get_data(as_text=True)
    en = app.get("/en/neighbours/neighbour").get_data(as_text=True)
    assert re.search(r'ikoma-harvest-stuck">2秒以上、収集も取り込みも進まなかったため、このジョブを打ち切りました（最後の動き：'
                     r'[0-9: -]+UTC。未処理の3件はエラーとし', ja)
    assert re.search(r'ikoma-harvest-stuck">closed: nothing was gathered or imported for more than 2 seconds '
                     r'\(last movement [0-9: -]+UTC\); the 3 objects left were marked as errors', en)
    assert 'data-kind="stuck"' in ja and "進まなくなったジョブ" in ja and "job stopped moving" in en
    korean = app.get("/ko_KR/neighbours/neighbour").get_data(as_text=True)  # the English half, not the Japanese
    assert re.search(r'ikoma-harvest-stuck">closed: nothing was gathered or imported for more than 2 seconds', korean)
    harvest_page = app.get("/harvest/neighbour").get_data(as_text=True)
    assert re.search(r'ikoma-harvest-stuck">2秒以上、収集も取り込みも進まなかった', harvest_page)
    result = cli.invoke(ckan_command, ["ikoma", "harvest", "progress"])
    assert "neighbour: Finished 3/3 (100%)" in result.output and "2秒以上" in result.output
    assert "more than 2 seconds" in result.output

    # the next run imports them again (here in the foreground, with its progress)
    result = cli.invoke(ckan_command, ["ikoma", "harvest", "run", "neighbour"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:5] == ["neighbour: 3 datasets to import", "neighbour: 0/3 (0%)",
                                              "neighbour: 1/3 (33%)", "neighbour: 2/3 (66%)", "neighbour: 3/3 (100%)"]
    assert "neighbour: Finished; new 3, updated 0, unchanged 0, withdrawn 0, errors 0, duplicates 0" in result.output
    assert call_action("package_search", q="harvest_identity:*", rows=0)["count"] == 3


def test_a_job_waiting_its_turn_behind_moving_jobs_is_not_closed(catalog_server, make_source, gather_consumer_only,
                                                                  monkeypatch):
    """On a hub, one source's objects wait in the shared fetch queue while others' are imported."""
    directory, base, _ = catalog_server
    waiting = make_source(f"{base}/{write_catalog(directory, [dataset(1), dataset(2)], per_page=2)}")
    moving = make_source(f"{base}/{write_catalog(directory, [dataset(11), dataset(12)], prefix='other')}",
                         name="other")
    waiting_job = _gathered(call_action("harvest_job_create", source_id=waiting["id"])["id"]).id
    moving_job = _gathered(call_action("harvest_job_create", source_id=moving["id"])["id"]).id
    monkeypatch.setitem(config, "ckanext.ikoma.harvest.stuck_after", 3)
    _wait_past(HarvestJob.get(waiting_job).get_last_action_time(), 4)
    harvester = queue.get_harvester("ikoma_dcat")
    obj = model.Session.query(HarvestObject).filter(HarvestObject.harvest_job_id == moving_job).first()
    queue.fetch_and_import_stages(harvester, obj)  # the fetch consumer is busy with the other job

    call_action("harvest_jobs_run")
    model.Session.remove()
    assert HarvestJob.get(waiting_job).status == "Running"
    assert HarvestJob.get(moving_job).status == "Running"

    _wait_past(HarvestJob.get(moving_job).get_last_action_time(), 4)  # then nothing moves any more
    call_action("harvest_jobs_run")
    model.Session.remove()
    assert HarvestJob.get(waiting_job).status == HarvestJob.get(moving_job).status == "Finished"


def _wait_past(moment, seconds: float) -> None:
    """Until `seconds` have passed since `moment` (a naive UTC time, as ckanext-harvest stores)."""
    import datetime

    while (datetime.datetime.utcnow() - moment).total_seconds() <= seconds:
        time.sleep(0.2)


def test_stuck_jobs_are_left_alone_when_the_check_is_off(cli, catalog_server, make_source, gather_consumer_only,
                                                         monkeypatch):
    source, job_id = _source_with_a_gathered_job(catalog_server, make_source, 1)
    monkeypatch.setitem(config, "ckanext.ikoma.harvest.stuck_after", 0)
    _wait_past(HarvestJob.get(job_id).get_last_action_time(), 1)
    result = cli.invoke(ckan_command, ["ikoma", "harvest", "close-stuck"])
    assert result.exit_code == 0 and "0 stuck jobs closed" in result.output
    model.Session.remove()
    assert HarvestJob.get(job_id).status == "Running"


def test_a_foreground_run_draws_a_progress_bar_on_a_terminal(catalog_server, make_source):
    directory, base, _ = catalog_server
    make_source(f"{base}/{write_catalog(directory, [dataset(i) for i in range(1, 5)], per_page=2)}")
    model.Session.commit()
    output = _run_in_a_terminal([CKAN, "-c", config["__file__"], "ikoma", "harvest", "run", "neighbour"])
    assert "neighbour: 4 datasets to import" in output, repr(output)
    frames = re.findall(r"neighbour\s+\[[#-]+\]\s+(\d)/4\s+(\d+)%", output)  # click's bar, redrawn per object
    assert frames and frames[-1] == ("4", "100"), repr(output)
    assert frames[-1] == ("4", "100") and len({f for f in frames}) >= 2
    assert "neighbour: Finished; new 4," in output


def _run_in_a_terminal(command: list[str], timeout: float = 180) -> str:
    """The command's output as a terminal receives it (a pseudo-terminal)."""
    parent, child = pty.openpty()
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=subprocess.DEVNULL, close_fds=True)
    os.close(child)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=30)
    os.close(parent)
    assert process.returncode == 0, b"".join(chunks).decode("utf-8", "replace")
    return b"".join(chunks).decode("utf-8", "replace")


def test_neighbours_sync_shows_its_progress_and_harvests_each_source_with_progress(cli, catalog_server, sysadmin,
                                                                                 tmp_path):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(i) for i in range(1, 3)], per_page=2)
    path = tmp_path / "neighbours.yaml"
    path.write_text(f"""
source: test
version: "1"
neighbours:
- {{code: "293423", ja: 平群町, en: Heguri Town, role: origin, kind: dcat, catalog_url: "{base}/{first}",
   config: {{retries: 0, backoff: 0}}}}
- {{code: "293431", ja: 三郷町, en: Sango Town, role: origin, kind: dcat, catalog_url: ""}}
""", encoding="utf-8")
    result = cli.invoke(ckan_command, ["ikoma", "neighbours", "sync", "--file", str(path), "--harvest"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == ["neighbours: 0/2 (0%)", "neighbours: 1/2 (50%)", "neighbours: 2/2 (100%)"]
    assert lines[5:9] == ["harvest-293423: 2 datasets to import", "harvest-293423: 0/2 (0%)",
                          "harvest-293423: 1/2 (50%)", "harvest-293423: 2/2 (100%)"]
    assert lines[9].startswith("harvest-293423: Finished; new 2, updated 0, unchanged 0")
    assert len(lines) == 10  # the neighbour without a catalog is not harvested
