"""Benchmark: a regional hub. 100 generated municipal catalogs (real codes from
vocab/local_government_codes.csv, 1,000 datasets each at full scale, Turtle pages linked by
hydra:next) served over HTTP on loopback, harvested by 100 `ikoma_dcat` sources with the real gather
and fetch consumers; then the filled site's catalog page, search and /region.

The catalogs mix what neighbours publish: 和暦 and ISO dates, free-text frequencies, relative and
absolute next links. Reported: the first full harvest, a re-harvest with nothing changed, one with
1% of the datasets changed, a fourth (harvest_object retention at its steady state), each
consumer's peak memory, database size and harvest_object rows per
dataset; /catalog.ttl cold and warm, package_search p50/p95 over 20 Japanese queries, /region cold
and warm. Own database `ckan_bench_hub`, site id ikoma_bench_hub, Redis db 10.

    python bench/hub.py --scale 0.01     # 100 catalogs x 10 datasets: minutes
    python bench/hub.py --scale 0.01 --catalogs 20
    python bench/hub.py                  # 100 x 1,000 = 100,000 datasets: a dedicated run (hours)
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from page_timing import cold_and_warm
from harvest_common import Consumers, fresh_database, run_jobs, serve, site_context, write_ini
from catalog_factory import dataset, write_catalog  # noqa: E402 (tests/harvest, on the path by harvest_common)

DATABASE, SITE_ID, REDIS_DB = "ckan_bench_hub", "ikoma_bench_hub", 10
FULL_DATASETS, FULL_PAGE = 1000, 100
TOPICS = ["人口統計", "指定緊急避難場所", "公衆トイレ", "AED設置箇所", "観光施設", "文化財", "子育て施設",
          "医療機関", "介護サービス事業所", "公共施設", "消防水利", "投票所", "都市計画", "図書館", "公園",
          "ごみ収集日", "バス停留所", "地域・年齢別人口", "食品等営業許可", "オープンデータ"]
QUERIES = ["人口", "避難所", "公衆トイレ", "AED", "観光", "文化財", "子育て", "医療機関", "介護", "公共施設",
           "消防", "投票所", "都市計画", "図書館", "公園", "ごみ", "バス", "年齢別人口", "北海道", "営業許可"]
FREQUENCIES = ["年1回", "毎月", "随時", "月1回更新", "毎年度", "不定期"]
WARM_RUNS = 10


# ---------------------------------------------------------------- catalogs

def municipalities(count: int) -> list[tuple[str, str]]:
    """(code, name) of `count` real municipalities spread over the country (every n-th of the list)."""
    from ckanext.ikoma import vocabularies

    towns = [g for _code, g in sorted(vocabularies.local_governments().items()) if g.kind == "municipality"]
    step = max(1, len(towns) // count)
    return [(g.code, g.full_name) for g in towns[::step][:count]]


def issued(n: int) -> str:
    """和暦 for two datasets in three (both eras), ISO for the rest."""
    return ("令和{}年4月1日".format(1 + n % 6), "平成30年{}月1日".format(1 + n % 12), "2024-04-01")[n % 3]


def catalog_datasets(code: str, name: str, count: int, changed: frozenset = frozenset()) -> list[dict]:
    out = []
    for n in range(1, count + 1):
        topic = TOPICS[(n + int(code[:2])) % len(TOPICS)]
        title = f"{name}の{topic}データ{n}" + ("（更新）" if n in changed else "")
        out.append(dataset(n, code=code, title=title, title_en=f"{topic} data {n}",
                           notes=f"{name}が公開する{topic}の一覧です。", keywords=[topic, "オープンデータ"],
                           frequency=FREQUENCIES[n % len(FREQUENCIES)], issued=issued(n)))
    return out


def write_catalogs(root: str, base: str, towns: list[tuple[str, str]], per_catalog: int, page: int,
                   changed: dict[str, frozenset] = {}) -> dict[str, str]:
    """Each municipality's catalog under root/<code>/; {code: first page URL}. Odd catalogs link
    their pages with relative next links, even ones with absolute links."""
    urls = {}
    for i, (code, name) in enumerate(towns):
        if changed and code not in changed:
            continue
        folder = os.path.join(root, code)
        first = write_catalog(folder, catalog_datasets(code, name, per_catalog, changed.get(code, frozenset())),
                              per_page=page, base_url="" if i % 2 else f"{base}/{code}/")
        urls[code] = f"{base}/{code}/{first}"
    return urls


def one_percent(towns: list[tuple[str, str]], per_catalog: int) -> dict[str, frozenset]:
    """1% of all datasets (at least one), spread over the catalogs: {code: dataset numbers}."""
    total = len(towns) * per_catalog
    picks: dict[str, set] = {}
    for k in range(max(1, total // 100)):
        index = (k * 100 + 37) % total
        code = towns[index // per_catalog][0]
        picks.setdefault(code, set()).add(index % per_catalog + 1)
    return {code: frozenset(numbers) for code, numbers in picks.items()}


# ---------------------------------------------------------------- child: harvest

def _app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(ini))


def _storage() -> dict:
    import ckan.model as model
    from ckanext.harvest.model import HarvestObject

    datasets = model.Session.query(model.Package).filter(model.Package.type == "dataset",
                                                         model.Package.state == "active").count()
    size = model.Session.execute(model.sa.text("SELECT pg_database_size(current_database())")).scalar()
    objects = model.Session.query(HarvestObject).count()
    errored = model.Session.query(HarvestObject).filter(HarvestObject.state == "ERROR").count()
    return {"datasets": datasets, "db_bytes": size, "harvest_objects": objects, "errored": errored}


def harvest(ini: str, spec_path: str) -> None:
    """Create the organizations and sources, then time the three harvests; prints JSON."""
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        import ckan.model as model
        import ckan.plugins.toolkit as toolkit

        source_ids = []
        for code, name in spec["towns"]:
            org = toolkit.get_action("organization_create")(site_context(), {
                "name": code, "title": name, "lg_code": code})
            source_ids.append(toolkit.get_action("harvest_source_create")(site_context(), {
                "url": spec["urls"][code], "name": f"hub-{code}", "title": f"{name}のカタログ",
                "source_type": "ikoma_dcat", "owner_org": org["id"], "frequency": "MANUAL"})["id"])
        model.Session.remove()
        result = {"empty": _storage()}
        total = len(source_ids)

        def say(phase):
            return lambda done: print(f"  {phase}: {done}/{total} jobs gathered", file=sys.stderr, flush=True)

        def timed(phase):
            """A harvest of all sources; its figures also on stderr as soon as it ends (a long run
            that is stopped early still tells what it measured)."""
            entry = {"seconds": run_jobs(source_ids, progress=say(phase)), **_storage()}
            print(f"{phase}: {json.dumps(entry)}", file=sys.stderr, flush=True)
            return entry

        result["first"] = timed("first")
        result["unchanged"] = timed("unchanged")
        changed = {code: frozenset(numbers) for code, numbers in spec["changed"].items()}
        write_catalogs(spec["root"], spec["base"], [tuple(t) for t in spec["towns"]], spec["per_catalog"],
                       spec["page"], changed)
        result["changed"] = timed("1% changed")
        # retention at its steady state: the old jobs' objects pruned as the next jobs gather
        result["again"] = timed("again")
        from ckanext.harvest.model import HarvestObjectError

        result["object_errors"] = [m[:200] for (m,) in model.Session.query(HarvestObjectError.message)
                                   .filter(~HarvestObjectError.message.like("[warning%")).limit(3)]
    print(json.dumps(result))


# ---------------------------------------------------------------- child: the filled site

def site(ini: str) -> None:
    """/catalog.ttl and /region cold and warm, package_search percentiles; prints JSON."""
    from werkzeug.test import Client

    app = _app(ini)
    client = Client(app)  # the whole WSGI stack, as a request from outside sees it
    with app._wsgi_app.test_request_context():
        from ckan.lib.redis import connect_to_redis

        redis = connect_to_redis()
    client.get("/api/3/action/status_show")
    result = {}
    for url, prefix in (("/catalog.ttl", "ikoma:dcat:*"), ("/region/", "ikoma:region:*")):
        result[url] = cold_and_warm(client, redis, url, (prefix,), WARM_RUNS)
    timings, hits = [], {}
    for round_ in range(6):  # the first round warms Solr's caches for each query and is not counted
        for q in QUERIES:
            start = time.perf_counter()
            response = client.get("/api/3/action/package_search?" + urllib.parse.urlencode({"q": q, "rows": 20}))
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (q, response.status_code)
            hits[q] = response.json["result"]["count"]
            if round_:
                timings.append(elapsed)
    timings.sort()
    result["search"] = {"p50": statistics.median(timings), "p95": timings[math.ceil(0.95 * len(timings)) - 1],
                        "samples": len(timings), "no_hits": [q for q, n in hits.items() if n == 0]}
    print(json.dumps(result))


# ---------------------------------------------------------------- report

def report(args, towns, per_catalog, page, harvested, figures, peaks, started) -> None:
    load = os.getloadavg()
    print(f"{len(towns)} catalogs x {per_catalog:,} datasets = {len(towns) * per_catalog:,} datasets "
          f"(--scale {args.scale}), pages of {page}, {args.fetch_consumers} fetch consumer(s); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
          f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}\n")
    print("| harvest of all sources | time (s) | datasets/s | datasets | DB size / dataset (KiB) | "
          "harvest_object rows / dataset | objects in error (all runs) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    labels = {"first": "first full harvest", "unchanged": "re-harvest, nothing changed",
              "changed": "re-harvest, 1% changed", "again": "4th harvest, nothing changed"}
    empty = harvested["empty"]["db_bytes"]  # the database with its organizations and sources, before any harvest
    for key, label in labels.items():
        run = harvested[key]
        n = max(run["datasets"], 1)
        print(f"| {label} | {run['seconds']:.1f} | {n / run['seconds']:.1f} | {run['datasets']:,} | "
              f"{(run['db_bytes'] - empty) / n / 1024:.1f} | {run['harvest_objects'] / n:.2f} | {run['errored']} |")
    print(f"\nDB size / dataset: growth of `pg_database_size` over the database before the first harvest "
          f"({empty / 2**20:.0f} MiB with its organizations and sources), divided by the datasets.")
    print("\n| consumer | peak RSS (MiB) |\n|---|---:|")
    for kind, mib in peaks.items():
        print(f"| `ckan harvester {kind}` | {mib:.0f} |")
    print("\n| on the filled site | cold (ms) | warm (ms) |\n|---|---:|---:|")
    for url in ("/catalog.ttl", "/region/"):
        print(f"| `{url}` (first page) | {1000 * figures[url]['cold']:.0f} | {1000 * figures[url]['warm']:.0f} |"
              if url == "/catalog.ttl" else
              f"| `{url}` | {1000 * figures[url]['cold']:.0f} | {1000 * figures[url]['warm']:.0f} |")
    s = figures["search"]
    print(f"\n`package_search`, {len(QUERIES)} Japanese queries x 5 (after one warm-up round), "
          f"{s['samples']} requests: p50 {1000 * s['p50']:.0f} ms, p95 {1000 * s['p95']:.0f} ms"
          + (f"; no hits for {', '.join(s['no_hits'])}" if s["no_hits"] else ""))
    for error in harvested["object_errors"]:
        print(f"object error: {error}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 1,000 datasets per catalog")
    parser.add_argument("--catalogs", type=int, default=100)
    parser.add_argument("--fetch-consumers", type=int, default=1,
                        help="fetch consumers on the queue (a hub runs one per core)")
    args = parser.parse_args()
    started = time.time()
    per_catalog = max(1, round(FULL_DATASETS * args.scale))
    page = FULL_PAGE if per_catalog >= 10 * FULL_PAGE else max(2, per_catalog // 10 or 1)  # ~10 pages a catalog
    workdir = tempfile.mkdtemp(prefix="ikoma-bench-hub-")
    ini = os.path.join(workdir, "hub.ini")
    write_ini(ini, DATABASE, SITE_ID, REDIS_DB)
    root = os.path.join(workdir, "catalogs")
    base = serve(root)
    towns = municipalities(args.catalogs)
    print(f"writing {len(towns)} catalogs of {per_catalog} datasets …", file=sys.stderr, flush=True)
    urls = write_catalogs(root, base, towns, per_catalog, page)
    spec = {"towns": towns, "urls": urls, "root": root, "base": base, "per_catalog": per_catalog, "page": page,
            "changed": {code: sorted(numbers) for code, numbers in one_percent(towns, per_catalog).items()}}
    spec_path = os.path.join(workdir, "spec.json")
    with open(spec_path, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False)
    fresh_database(ini, DATABASE)
    with Consumers(ini, fetch_consumers=args.fetch_consumers) as consumers:
        out = subprocess.run([sys.executable, __file__, "harvest", ini, spec_path], check=True,
                             stdout=subprocess.PIPE, text=True)
        peaks = consumers.peak_mib()
    harvested = json.loads(out.stdout.strip().splitlines()[-1])
    print("measuring the filled site …", file=sys.stderr, flush=True)
    out = subprocess.run([sys.executable, __file__, "site", ini], check=True, stdout=subprocess.PIPE, text=True)
    report(args, towns, per_catalog, page, harvested, json.loads(out.stdout.strip().splitlines()[-1]), peaks, started)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "harvest":
        harvest(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "site":
        site(sys.argv[2])
    else:
        main()
