"""Benchmark: harvesting a generated 1,000-dataset DCAT catalog (10 pages of 100, Turtle, served over
HTTP on 127.0.0.1) with ckanext-ikoma's `ikoma_dcat` harvester and with ckanext-dcat's stock
`dcat_rdf` harvester, on the same files, in one run. Each harvester gets a fresh database
(`ckan_bench_harvest`, site id ikoma_bench_h, Redis db 3) and the real gather and fetch consumers;
each job is timed from its creation until ckanext-harvest marks it finished. Then each re-runs the
unchanged catalog. Run with `make bench`.
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
DATABASE = "ckan_bench_harvest"


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
    bench_ini(path, DATABASE, "ikoma_bench_h", 3, edit)


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


def bench(ini: str, source_type: str, url: str) -> list[dict]:
    fresh_database(ini, DATABASE)
    with Consumers(ini):
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


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        run_harvests(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
