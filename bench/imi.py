"""Benchmark: standard CSV → IMI linked data, ckanext-ikoma's streaming converter against the
straightforward way, on the 公衆トイレ一覧 (13) file of csv_check_vs_frictionless.py.

The straightforward way takes the same normalised rows from the checker and the same instance
dict per row, then (JSON-LD) expands each row with pyld through a document loader serving the
shipped context, or (N-Triples) turns each row into RDF with pyld, adds it to one rdflib graph and
serialises the graph at the end. Each case runs in a process of its own (peak RSS is its own).
The baseline runs at about 70 rows/s, so it is measured on the first BASE_ROWS rows; ours runs on
those and on the whole file, to show that its memory does not grow with the row count.
Run with `make bench`; prints a Markdown table for bench/README.md.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROWS = 100_000
BASE_ROWS = 5_000
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

CASE = """
import io, json, resource, sys, time
sys.path.insert(0, {root!r})
from ckanext.ikoma.standards import standard_dataset
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "rows": rows, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""

OURS = """
from ckanext.ikoma.imi.convert import convert_csv
with open({out!r}, "w", encoding="utf-8") as out:
    rows = convert_csv({path!r}, standard_dataset("13"), out, {fmt!r}).converted
"""

BASELINE = """
from pyld import jsonld
import rdflib
from ckanext.ikoma.csv_check.engine import check_csv
from ckanext.ikoma.imi import serialize
from ckanext.ikoma.imi.instance import InstanceBuilder
from ckanext.ikoma.imi.vocabulary import imi_context, imi_vocabulary

def loader(url, options=None):
    return {{"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
             "document": imi_context()}}

fmt, builders, graph, count = {fmt!r}, {{}}, rdflib.Graph(), [0]
out = open({out!r}, "w", encoding="utf-8")

def take(match, row):
    builder = builders.setdefault(id(match), InstanceBuilder(standard_dataset("13"), match))
    document = dict(serialize.jsonld(builder.build(row)), **{{"@context": imi_vocabulary().context_url}})
    if fmt == "jsonld":
        out.write(json.dumps(jsonld.expand(document, {{"documentLoader": loader}}), ensure_ascii=False) + "\\n")
    else:
        nquads = jsonld.to_rdf(document, {{"format": "application/n-quads", "documentLoader": loader}})
        graph.parse(data=nquads, format="nt")
    count[0] += 1

check_csv({path!r}, standard_dataset("13"), rows_to=take)
if fmt == "nt":
    out.write(graph.serialize(format="nt"))
out.close()
rows = count[0]
"""


def run(body: str) -> dict:
    code = CASE.format(root=ROOT, body=body)
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    sys.path.insert(0, HERE)
    import csv_check_vs_frictionless as toilets

    workdir = tempfile.mkdtemp(prefix="ikoma-bench-imi-")
    full, small = os.path.join(workdir, "toilets_100k.csv"), os.path.join(workdir, "toilets_5k.csv")
    toilets.make_file(full)
    with open(full, encoding="utf-8") as src, open(small, "w", encoding="utf-8", newline="") as dst:
        for _, line in zip(range(BASE_ROWS + 1), src):
            dst.write(line)
    cases = []
    for fmt, label in (("jsonld", "JSON-LD"), ("nt", "N-Triples")):
        out = os.path.join(workdir, "out." + fmt)
        base = run(BASELINE.format(path=small, out=out, fmt=fmt))
        ours_small = run(OURS.format(path=small, out=out, fmt=fmt))
        ours = run(OURS.format(path=full, out=out, fmt=fmt))
        size = os.path.getsize(out) / 1e6
        cases += [(label, "straightforward (pyld per row" + (" + one rdflib graph" if fmt == "nt" else "") + ")",
                   BASE_ROWS, base, None),
                  (label, "ckanext-ikoma imi (streaming)", BASE_ROWS, ours_small, None),
                  (label, "ckanext-ikoma imi (streaming)", ROWS, ours, size)]
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}\n")
    print("| output | way | rows in file | rows converted | wall time (s) | rows/s | peak RSS (MiB) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, way, rows, r, size in cases:
        print(f"| {label} | {way} | {rows:,} | {r['rows']:,} | {r['seconds']:.1f} | "
              f"{r['rows'] / r['seconds']:,.0f} | {r['rss_kib'] / 1024:.0f} |")
    for i in range(0, len(cases), 3):
        base, ours = cases[i][3], cases[i + 2][3]
        print(f"\n{cases[i][0]}: {ours['rows'] / ours['seconds'] / (base['rows'] / base['seconds']):.0f}x the "
              f"straightforward way's rows/s; output of {ROWS:,} rows {cases[i + 2][4]:.0f} MB")


if __name__ == "__main__":
    main()
