"""Benchmark: Ikoma's catalog endpoint (cold and warm) against stock ckanext-dcat's endpoint with
`euro_dcat_ap_3`, on the same 2,000 datasets with resources, created through the API.

Runs against the real stack (`make stack`) in its own database `ckan_bench` (site id ikoma_bench,
so it shares Solr with nothing else). Each endpoint runs in its own process with its own config;
pages of 100 are fetched in Turtle through CKAN's WSGI app (no network in between), one after the
other: stock by ?page=N, Ikoma's by following hydra:next. Run with `make bench`.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATASETS = 2000
PAGE = 100
STACK = os.path.join(ROOT, "stack", "stack.sh")


def write_ini(path: str, stock: bool) -> None:
    with open(os.path.join(ROOT, "test.ini"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("ckan_test", "ckan_bench").replace("ikoma_test", "ikoma_bench")
    text = text.replace("redis://127.0.0.1:6379/1", "redis://127.0.0.1:6379/2")
    text = text.replace("testing = true", "testing = false")
    if stock:
        text = text.replace("ckanext.dcat.rdf.profiles = ikoma_dcat", "ckanext.dcat.rdf.profiles = euro_dcat_ap_3")
        text = text.replace("ckanext.dcat.enable_rdf_endpoints = false", "ckanext.dcat.enable_rdf_endpoints = true")
    text = text.replace("ckanext.dcat.enable_rdf_endpoints = true",
                        f"ckanext.dcat.enable_rdf_endpoints = true\nckanext.dcat.datasets_per_page = {PAGE}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def ensure_database(ini: str) -> None:
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    probe = subprocess.run([sys.executable, __file__, "count", ini], capture_output=True, text=True)
    if probe.returncode == 0 and probe.stdout.strip() == str(DATASETS):
        return
    subprocess.run([STACK, "recreate-db", "ckan_bench"], check=True)
    subprocess.run([ckan, "-c", ini, "db", "upgrade"], check=True, capture_output=True)
    subprocess.run([ckan, "-c", ini, "search-index", "clear"], check=True, capture_output=True)
    subprocess.run([sys.executable, __file__, "populate", ini], check=True)


def _app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(ini))
    return app


def count(ini: str) -> None:
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as toolkit
        print(toolkit.get_action("package_search")({"ignore_auth": True}, {"rows": 0})["count"])


def populate(ini: str) -> None:
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        import ckan.plugins.toolkit as toolkit
        site_user = toolkit.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        ctx = lambda: {"user": site_user, "ignore_auth": True}  # noqa: E731
        org = toolkit.get_action("organization_create")(ctx(), {
            "name": "ikoma-city", "title": "生駒市", "title_en": "Ikoma City", "lg_code": "292095"})
        for i in range(DATASETS):
            toolkit.get_action("package_create")(ctx(), {
                "name": f"bench-{i:05d}", "title": f"ベンチマーク用データセット{i}", "title_en": f"Benchmark dataset {i}",
                "notes": f"生駒市のデータセット{i}の説明", "owner_org": org["id"], "contact_phone": "0743-74-1111",
                "tag_string": "防災,ベンチマーク", "theme": ["行財政"], "frequency": "毎月", "conforms_to": "13",
                "temporal": "2024-04-01/2025-03-31", "issued": "2024-04-01",
                "resources": [
                    {"url": f"https://example.org/{i}.csv", "name": "CSV", "description": "UTF-8のCSV", "format": "CSV",
                     "character_encoding": "utf-8"},
                    {"url": f"https://example.org/{i}.json", "name": "JSON", "description": "JSON", "format": "JSON"},
                ],
            })
            if i % 200 == 0:
                print(f"  {i} datasets", flush=True)


def timed_pages(ini: str, mode: str) -> None:
    """Fetch every page; print {"seconds": [...per pass...], "datasets": n} as JSON."""
    app = _app(ini)
    client = app._wsgi_app.test_client()
    passes = []
    datasets = 0

    def one_pass() -> int:
        seen = 0
        if mode == "stock":
            for page in range(1, DATASETS // PAGE + 1):
                body = client.get(f"/catalog.ttl?page={page}").get_data(as_text=True)
                seen += body.count("a dcat:Dataset")
        else:
            url = f"/catalog.ttl?limit={PAGE}"
            while url:
                body = client.get(url).get_data(as_text=True)
                seen += body.count("a dcat:Dataset")
                match = re.search(r'hydra:next "[^"]*(/catalog\.ttl\?[^"]+)"', body)
                url = match.group(1).replace("&amp;", "&") if match else None
        return seen

    if mode == "ikoma":
        from ckan.lib.redis import connect_to_redis
        with app._wsgi_app.test_request_context():
            redis = connect_to_redis()
            for key in redis.scan_iter("ikoma:dcat:*"):
                redis.delete(key)
    for _ in range(2 if mode == "ikoma" else 1):  # ikoma: cold, then warm
        start = time.perf_counter()
        datasets = one_pass()
        passes.append(time.perf_counter() - start)
    print(json.dumps({"seconds": passes, "datasets": datasets}))


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="ikoma-bench-catalog-")
    ours, stock = os.path.join(workdir, "ikoma.ini"), os.path.join(workdir, "stock.ini")
    write_ini(ours, stock=False)
    write_ini(stock, stock=True)
    ensure_database(ours)

    def run(mode, ini):
        out = subprocess.run([sys.executable, __file__, "pages", ini, mode], check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    stock_result = run("stock", stock)
    ikoma_result = run("ikoma", ours)
    stock_s = stock_result["seconds"][0]
    cold_s, warm_s = ikoma_result["seconds"]
    pages = DATASETS // PAGE
    print(f"{DATASETS:,} datasets (2 resources each), {pages} pages of {PAGE} in Turtle, {time.strftime('%Y-%m-%d')}\n")
    print("| endpoint | all pages (s) | per page (ms) | datasets seen |")
    print("|---|---:|---:|---:|")
    print(f"| stock ckanext-dcat 2.4.4, euro_dcat_ap_3 | {stock_s:.1f} | {1000 * stock_s / pages:.0f} | {stock_result['datasets']} |")
    print(f"| ckanext-ikoma ikoma_dcat, cold cache | {cold_s:.1f} | {1000 * cold_s / pages:.0f} | {ikoma_result['datasets']} |")
    print(f"| ckanext-ikoma ikoma_dcat, warm cache | {warm_s:.2f} | {1000 * warm_s / pages:.0f} | {ikoma_result['datasets']} |")
    print(f"\nwarm: {stock_s / warm_s:.0f}x faster than stock; cold: {cold_s / stock_s:.2f}x the stock time")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "count":
        count(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "populate":
        populate(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "pages":
        timed_pages(sys.argv[2], sys.argv[3])
    else:
        main()
