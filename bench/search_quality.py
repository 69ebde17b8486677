"""Benchmark: search quality of the stock CKAN 2.11 Solr schema and of ckanext-ikoma's Japanese
schema on the same hand-written set (tests/data/search_quality: 81 datasets, 76 queries), in one run.

One real Solr 9 (the stack's launcher, stack/solr/IkomaSolr.java) is started on a free port with two
cores: `stock` (schema.xml from the installed CKAN package, empty synonyms/protwords as CKAN ships
them) and `ikoma` (stack/solr/configset/ckan/conf). Each record goes into both as the document
CKAN's indexer makes of it (scheming fields as `extras_*`; ours also through the extension's
before_dataset_index); each query is sent as CKAN's package_search sends it (dismax, CKAN's mm,
q.op AND), with CKAN's query fields and tie for stock and the extension's (before_dataset_search)
for ours. Prints Markdown: the table in bench/README.md, per kind of query, and what ours still misses.
Needs the Solr jars (`stack/stack.sh up`); run with `make bench` or `.venv/bin/python bench/search_quality.py`.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
import search_quality_set as qs  # noqa: E402

from ckanext.ikoma import search  # noqa: E402  (pure: no CKAN import)

SOLR = os.path.join(ROOT, "stack", "solr")
CONF = os.path.join(SOLR, "configset", "ckan", "conf")
STOCK_QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"  # ckan.lib.search.query.QUERY_FIELDS
SITE = "ikoma_bench_search"


def ckan_schema() -> str:
    import ckan  # only to find the file the installed package ships
    return os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")


def make_home(home: str) -> None:
    shutil.copy(os.path.join(SOLR, "configset", "solr.xml"), home)
    for core in ("stock", "ikoma"):
        conf = os.path.join(home, core, "conf")
        if core == "ikoma":
            shutil.copytree(CONF, conf)
        else:
            os.makedirs(conf)
            shutil.copy(os.path.join(CONF, "solrconfig.xml"), conf)
            shutil.copy(ckan_schema(), os.path.join(conf, "schema.xml"))
            for name in ("synonyms.txt", "protwords.txt"):
                open(os.path.join(conf, name), "w").close()
        with open(os.path.join(home, core, "core.properties"), "w") as f:
            f.write(f"name={core}\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_solr(home: str, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOLR_") and k != "ZK_HOST"}
    proc = subprocess.Popen(
        ["java", "-Xmx512m", f"-Dlog4j2.configurationFile={SOLR}/log4j2.xml", f"-Dsolr.log.dir={home}",
         "-cp", os.path.join(SOLR, "target", "lib", "*"), os.path.join(SOLR, "IkomaSolr.java"),
         home, str(port), "ikoma"],
        stdout=open(os.path.join(home, "solr.out"), "w"), stderr=subprocess.STDOUT, env=env)
    for _ in range(180):
        if proc.poll() is not None:
            sys.exit("Solr did not start; see " + os.path.join(home, "solr.out"))
        try:
            for core in ("stock", "ikoma"):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/solr/{core}/select?q=*:*&rows=0")
            return proc
        except OSError:
            time.sleep(1)
    proc.terminate()
    sys.exit("Solr was not ready after 180 s")


def solr_doc(record: dict, ours: bool) -> dict:
    """The document CKAN 2.11's indexer makes of the record (the fields that reach a search)."""
    doc = {
        "id": record["name"], "name": record["name"], "site_id": SITE, "entity_type": "package",
        "dataset_type": "dataset", "state": "active", "capacity": "public",
        "index_id": hashlib.md5(f"{record['name']}{SITE}".encode()).hexdigest(),
        "title": record["title"], "notes": record["notes"],
        "tags": [t.strip() for t in record.get("tags", "").split(",") if t.strip()],
        "extras_title_en": record.get("title_en", ""), "extras_notes_en": record.get("notes_en", ""),
        "extras_keywords_en": record.get("keywords_en", ""),
    }
    return search.index_english_fields(doc) if ours else doc


def post(url: str, body) -> None:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def ranked(base: str, q: str, query_fields: str, tie: str) -> list[str]:
    params = {"q": q, "defType": "dismax", "tie": tie, "mm": "2<-1 5<80%", "qf": query_fields,
              "q.op": "AND", "df": "text", "fq": f"+site_id:{SITE} +capacity:public +state:active",
              "rows": qs.K, "fl": "name", "sort": "score desc, name asc", "wt": "json"}
    with urllib.request.urlopen(base + "/select?" + urllib.parse.urlencode(params)) as response:
        return [doc["name"] for doc in json.load(response)["response"]["docs"]]


def run(port: int) -> None:
    records, queries = qs.records(), qs.queries()
    results = {}
    for core, ours in (("stock", False), ("ikoma", True)):
        base = f"http://127.0.0.1:{port}/solr/{core}"
        post(base + "/update?commit=true", [solr_doc(r, ours) for r in records])
        params = search.search_params({}) if ours else {"qf": STOCK_QUERY_FIELDS, "tie": "0.1"}
        results[core] = {query.q: ranked(base, query.q, params["qf"], params["tie"]) for query in queries}
    stock, ours = (qs.scores(results[c], queries) for c in ("stock", "ikoma"))
    print(f"{len(records)} datasets, {len(queries)} queries, top {qs.K}.\n")
    print("| schema | recall@10 | precision@10 | nDCG@10 | zero-result rate | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| stock CKAN 2.11 `schema.xml` | {stock.row()} |")
    print(f"| ckanext-ikoma configset | {ours.row()} |")
    ratio = ours.precision / stock.precision if stock.precision else float("inf")
    print(f"\nprecision@10: {ratio:.1f}x stock.\n")
    print("| kind of query | queries | stock recall / nDCG | ikoma recall / nDCG |")
    print("|---|---:|---:|---:|")
    for kind in dict.fromkeys(q.kind for q in queries):
        subset = [q for q in queries if q.kind == kind]
        s, o = qs.scores(results["stock"], subset), qs.scores(results["ikoma"], subset)
        print(f"| {kind} | {len(subset)} | {s.recall:.2f} / {s.ndcg:.2f} | {o.recall:.2f} / {o.ndcg:.2f} |")
    print("\nNot perfect with ckanext-ikoma's schema:\n")
    for line in qs.misses(results["ikoma"], queries):
        print("- " + line)


def main() -> None:
    home = tempfile.mkdtemp(prefix="ikoma-bench-solr-")
    make_home(home)
    proc = start_solr(home, free_port())
    try:
        run(int(proc.args[-2]))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
