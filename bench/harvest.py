"""Benchmark: harvesting a generated 1,000-dataset DCAT catalog (10 pages of 100, Turtle, served over
HTTP on 127.0.0.1) with ckanext-ikoma's `ikoma_dcat` harvester and with ckanext-dcat's stock
`dcat_rdf` harvester, on the same files, in one run. Each harvester gets a fresh database
(`ckan_bench_harvest`, site id ikoma_bench_h, Redis db 3) and the real gather and fetch consumers;
each job is timed from its creation until ckanext-harvest marks it finished. Then each re-runs the
unchanged catalog. Run with `make bench`.

Environment: BENCH_DATASETS (1000), BENCH_DB / BENCH_SITE_ID / BENCH_REDIS_DB (the database, site id and
Redis db of the run, so parallel sessions do not collide), BENCH_PROFILE=DIR (the fetch consumer runs
under cProfile and writes DIR/<harvester>.prof when stopped).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from harvest_common import Consumers, fresh_database, serve, write_ini as bench_ini
from catalog_factory import dataset, write_catalog  # noqa: E402 (tests/harvest, put on the path by harvest_common)

DATASETS, PAGE = int(os.environ.get("BENCH_DATASETS", 1000)), 100
DB = os.environ.get("BENCH_DB", "ckan_bench_harvest")
SITE_ID = os.environ.get("BENCH_SITE_ID", "ikoma_bench_h")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "3"))
PROFILE = os.environ.get("BENCH_PROFILE")


def write_ini(path: str, stock: bool = False) -> None:
    """The test settings on the bench database. The stock harvester cannot import into the Ikoma
    schema (its parser emits DCAT-AP scheming fields the schema refuses), so it runs as stock
    ckanext-dcat users run it: `euro_dcat_ap_3` into ckanext-dcat's own DCAT-AP scheming schema."""
    def edit(text: str) -> str:
        if stock:
            text = text.replace("scheming.dataset_schemas = ckanext.ikoma:schemas/dataset.yaml",
                                "scheming.dataset_schemas = ckanext.dcat.schemas:dcat_ap_full.yaml")
            text = text.replace("scheming.presets = ckanext.scheming:presets.json ckanext.ikoma:schemas/presets.yaml",
                                "scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml "
                                "ckanext.ikoma:schemas/presets.yaml")
            text = text.replace("ckanext.dcat.rdf.profiles = ikoma_dcat", "ckanext.dcat.rdf.profiles = euro_dcat_ap_3")
        return text
    bench_ini(path, DB, SITE_ID, REDIS_DB, edit)


def run_harvests(ini: str, source_type: str, url: str) -> None:
    """In a fresh process: create the source, run the job twice, print the timings as JSON."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    with app._wsgi_app.test_request_context():
        import ckan.model as model
        import ckan.plugins.toolkit as toolkit

        site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        context = lambda: {"user": site_user, "ignore_auth": True}  # noqa: E731
        org = toolkit.get_action("organization_create")(context(), {
            "name": "293423", "title": "平群町", "lg_code": "293423"})
        config = {}
        source = toolkit.get_action("harvest_source_create")(context(), {
            "url": url, "name": "bench", "title": "bench", "source_type": source_type, "owner_org": org["id"],
            "frequency": "MANUAL", "config": json.dumps(config) if config else None})
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            job = toolkit.get_action("harvest_job_create")(context(), {"source_id": source["id"]})
            while True:
                model.Session.remove()
                # as a site's cron would: harvest_jobs_run re-sends every WAITING object it does
                # not find in the queue, so called while the job gathers or objects are being
                # taken it queues them again and each is imported twice (as the tests avoid too)
                if handled(job["id"]):
                    toolkit.get_action("harvest_jobs_run")(context(), {"source_id": source["id"]})
                    shown = toolkit.get_action("harvest_job_show")(context(), {"id": job["id"]})
                    if shown["status"] == "Finished":
                        break
                time.sleep(0.2)
            seconds = time.perf_counter() - start
            count = toolkit.get_action("package_search")(context(), {"q": "*:*", "rows": 0})["count"]
            report = toolkit.get_action("harvest_job_report")(context(), {"id": job["id"]})
            errors = [e["message"][:300] for e in report["gather_errors"]][:2] + [
                e["message"][:300] for o in report["object_errors"].values() for e in o["errors"]][:2]
            timings.append({"seconds": seconds, "stats": shown["stats"], "datasets": count, "errors": errors})
        print(json.dumps(timings))


def handled(job_id: str) -> bool:
    """Gathered, and none of its objects waiting, being fetched or being imported."""
    import ckan.model as model
    from ckanext.harvest.model import HarvestJob, HarvestObject

    job = HarvestJob.get(job_id)
    return bool(job and job.gather_finished) and not model.Session.query(HarvestObject.id).filter(
        HarvestObject.harvest_job_id == job_id, HarvestObject.state.notin_(("COMPLETE", "ERROR"))).first()


def bench(ini: str, source_type: str, url: str) -> list[dict]:
    fresh_database(ini, DB)
    profiled = [sys.executable, __file__, "profile-fetch", ini, os.path.join(PROFILE, f"{source_type}.prof")] \
        if PROFILE else None
    with Consumers(ini, fetch_command=profiled):
        out = subprocess.run([sys.executable, __file__, "run", ini, source_type, url], check=True,
                             capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="ikoma-bench-harvest-")
    inis = {"dcat_rdf": os.path.join(workdir, "stock.ini"), "ikoma_dcat": os.path.join(workdir, "ikoma.ini")}
    write_ini(inis["dcat_rdf"], stock=True)
    write_ini(inis["ikoma_dcat"])
    catalog = os.path.join(workdir, "catalog")
    os.makedirs(catalog)
    base = serve(catalog)
    # ISO dates: with 和暦 ones (令和6年4月1日) the stock harvester imports none (DCAT-AP date
    # validator); absolute next links: it does not resolve relative ones and stops after page 1
    first = write_catalog(catalog, [dataset(i, issued="2024-04-01") for i in range(1, DATASETS + 1)], per_page=PAGE,
                          base_url=base + "/")
    url = f"{base}/{first}"
    names = sys.argv[1:] or ["dcat_rdf", "ikoma_dcat"]
    results = {name: bench(inis[name], name, url) for name in names}
    for name, runs in results.items():
        for run in runs:
            for error in run["errors"]:
                print(f"{name}: {error}", file=sys.stderr)

    print(f"{DATASETS:,} datasets in {DATASETS // PAGE} pages of {PAGE} (Turtle), {time.strftime('%Y-%m-%d')}\n")
    print("| harvester | first run (s) | datasets/s | imported | re-run, unchanged (s) | written on re-run |")
    print("|---|---:|---:|---:|---:|---:|")
    labels = {"dcat_rdf": "stock ckanext-dcat 2.4.4 `dcat_rdf`", "ikoma_dcat": "ckanext-ikoma `ikoma_dcat`"}
    for name, (first_run, rerun) in results.items():
        written = rerun["stats"].get("added", 0) + rerun["stats"].get("updated", 0)
        print(f"| {labels[name]} | {first_run['seconds']:.1f} | {first_run['datasets'] / first_run['seconds']:.1f} | "
              f"{first_run['datasets']} | {rerun['seconds']:.1f} | {written} |")
    if len(results) < 2:
        return
    ours = results["ikoma_dcat"]
    stock = results["dcat_rdf"]
    print(f"\nikoma_dcat re-run: {ours[0]['seconds'] / ours[1]['seconds']:.0f}x faster than its first run; "
          f"first run {stock[0]['seconds'] / ours[0]['seconds']:.2f}x the stock harvester's speed")


def profile_fetch(ini: str, out: str) -> None:
    """The fetch consumer under cProfile; its statistics written to `out` when it is terminated."""
    import cProfile
    import signal

    from ckan.cli.cli import ckan

    profiler = cProfile.Profile()

    def stop(*_args):
        profiler.disable()
        profiler.dump_stats(out)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    profiler.enable()
    ckan.main(args=["-c", ini, "harvester", "fetch-consumer"])


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        run_harvests(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "profile-fetch":
        profile_fetch(sys.argv[2], sys.argv[3])
    else:
        main()
