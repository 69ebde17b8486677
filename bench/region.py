"""Benchmark: the region pages (/region, /statistics) and their actions on 10,000 public datasets
in 30 organizations, cold (first request of a fresh process) and warm; the daily KPI snapshot with
its backfill and the nightly quality scoring of every dataset (without link checks).

Runs against the real stack (`make stack`) in its own database `ckan_bench_region` (site id
ikoma_bench_region, Redis db 3). The datasets are created once through `package_create` (with Solr
the index rebuilt once at the end) and reused while the count matches; creation dates are spread over two
years so the KPI has a history. Requests go through CKAN's WSGI app (no network in between).
Run with `make bench` or `python bench/region.py [--datasets N]`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from page_timing import cold_and_warm

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
STACK = os.path.join(ROOT, "stack", "stack.sh")
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")
ORGANIZATIONS = 30
WARM_RUNS = 10
URLS = ("/region/", "/statistics/", "/api/3/action/ikoma_kpi_show", "/api/3/action/ikoma_coverage_show",
        "/api/3/action/ikoma_quality_show")


def write_ini(path: str) -> None:
    with open(os.path.join(ROOT, "test.ini"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("ckan_test", "ckan_bench_region").replace("ikoma_test", "ikoma_bench_region")
    text = text.replace("redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/3")
    text = text.replace("testing = true", "testing = false")
    text = text.replace("ckan.search.solr_commit = true", "ckan.search.solr_commit = false")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(ini))


def count(ini: str) -> None:
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as toolkit
        print(toolkit.get_action("package_search")({"ignore_auth": True}, {"rows": 0})["count"])


def _organizations() -> list[tuple[str, str, str]]:
    """(code, name ja, name en) of 30 real municipalities: Nara's first, from the shipped codes."""
    from ckanext.ikoma import vocabularies

    governments = [g for code, g in sorted(vocabularies.local_governments().items())
                   if code.startswith("29") and g.kind == "municipality"]
    return [(g.code, g.full_name, g.name_en or g.code) for g in governments[:ORGANIZATIONS]]


def populate(ini: str, datasets: int) -> None:
    import ckan.plugins as plugins

    app = _app(ini)
    # not indexed one by one: `search-index rebuild` indexes them all afterwards, faster
    plugins.unload("synchronous_search")
    rng = random.Random(2026)
    with app._wsgi_app.test_request_context():
        import ckan.model as model
        import ckan.plugins.toolkit as toolkit

        from ckanext.ikoma import vocabularies
        from ckanext.ikoma.standards import standard_datasets

        site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ctx = lambda: {"user": site_user, "ignore_auth": True}  # noqa: E731
        orgs = [toolkit.get_action("organization_create")(ctx(), {
            "name": code, "title": ja, "title_en": en, "lg_code": code}) for code, ja, en in _organizations()]
        themes = [t.value for t in vocabularies.vocabulary("themes")]
        numbers = list(standard_datasets())
        start = time.perf_counter()
        for i in range(datasets):
            org = orgs[i % len(orgs)]
            full = i % 3 != 0  # a third of the datasets lack the optional fields: the scores differ
            dataset = {
                "name": f"region-{i:05d}", "title": f"地域ベンチマーク{i}", "notes": f"データセット{i}の説明",
                "owner_org": org["id"], "contact_phone": "0743-74-1111", "theme": [rng.choice(themes)],
                "spatial_lg_codes": org["name"], "private": i % 50 == 49,
                "conforms_to": rng.choice(numbers) if i % 4 == 0 else "",
                "resources": [{"url": f"https://example.org/{i}.csv", "name": "CSV", "description": "CSV",
                               "format": "CSV", "character_encoding": "utf-8"}],
            }
            if full:
                dataset |= {"title_en": f"Region benchmark {i}", "tag_string": "統計,ベンチマーク",
                            "frequency": "毎月", "temporal": f"{2020 + i % 6}-04-01/{2021 + i % 6}-03-31",
                            "issued": "2024-04-01"}
            toolkit.get_action("package_create")(ctx(), dataset)
            if (i + 1) % 500 == 0:
                rate = (i + 1) / (time.perf_counter() - start)
                print(f"  {i + 1:,}/{datasets:,} datasets ({rate:.0f}/s)", file=sys.stderr, flush=True)
        # a history for the KPI: creation dates spread over the last two years
        now = time.time()
        for package in model.Session.query(model.Package).filter(model.Package.type == "dataset"):
            package.metadata_created = __import__("datetime").datetime.fromtimestamp(
                now - rng.uniform(0, 730 * 86400))
        model.Session.commit()


def timed(ini: str, command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([CKAN, "-c", ini, *command], check=True, capture_output=True)
    return time.perf_counter() - start


def requests(ini: str) -> None:
    """Cold: the first request to each URL in a fresh process with the region's cache emptied;
    warm: the median of the next runs."""
    from werkzeug.test import Client

    app = _app(ini)
    client = Client(app)  # the whole WSGI stack, language middleware included
    with app._wsgi_app.test_request_context():
        from ckan.lib.redis import connect_to_redis

        redis = connect_to_redis()
    client.get("/api/3/action/status_show")  # the app itself warmed, not the pages
    result = {}
    for url in URLS:  # each URL's first request computes its figures
        result[url] = cold_and_warm(client, redis, url, ("ikoma:region:*",), WARM_RUNS)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    args = parser.parse_args()
    ini = os.path.join(tempfile.mkdtemp(prefix="ikoma-bench-region-"), "region.ini")
    write_ini(ini)
    probe = subprocess.run([sys.executable, __file__, "count", ini], capture_output=True, text=True)
    public = args.datasets - args.datasets // 50
    if probe.returncode != 0 or probe.stdout.strip() != str(public):
        subprocess.run([STACK, "recreate-db", "ckan_bench_region"], check=True)
        subprocess.run([CKAN, "-c", ini, "db", "upgrade"], check=True, capture_output=True)
        for plugin in ("activity", "harvest", "ikoma"):
            subprocess.run([CKAN, "-c", ini, "db", "upgrade", "-p", plugin], check=True, capture_output=True)
        subprocess.run([CKAN, "-c", ini, "search-index", "clear"], check=True, capture_output=True)
        subprocess.run([sys.executable, __file__, "populate", ini, str(args.datasets)], check=True)
        subprocess.run([CKAN, "-c", ini, "search-index", "rebuild"], check=True, capture_output=True)
    snapshot = timed(ini, ["ikoma", "stats", "snapshot"])
    scoring = timed(ini, ["ikoma", "quality", "score"])  # after a change of code or shapes: every graph checked
    nightly = timed(ini, ["ikoma", "quality", "score"])  # the next night: unchanged graphs keep their verdicts
    out = subprocess.run([sys.executable, __file__, "requests", ini], check=True, capture_output=True, text=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{public:,} public datasets (of {args.datasets:,}) in {ORGANIZATIONS} organizations, "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("| request | cold (ms) | warm (ms) |")
    print("|---|---:|---:|")
    for url, f in figures.items():
        print(f"| `{url}` | {1000 * f['cold']:.0f} | {1000 * f['warm']:.0f} |")
    print(f"\n| batch | time (s) |\n|---|---:|\n| `ckan ikoma stats snapshot` (with backfill) | {snapshot:.1f} |")
    print(f"| `ckan ikoma quality score`, first run (every graph through SHACL) | {scoring:.1f} |")
    print(f"| `ckan ikoma quality score`, nightly (unchanged graphs keep their verdict) | {nightly:.1f} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "count":
        count(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "populate":
        populate(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "requests":
        requests(sys.argv[2])
    else:
        main()
