"""Benchmark: ckanext-ikoma's CSV checker against frictionless-py on the same 100,000-row
自治体標準オープンデータセット file (13 公衆トイレ一覧), validating the Table Schema we export.

Each tool runs in its own process so that its peak memory (max RSS) is its own. Errors are
planted at known rows; for the checks both tools do, both must find exactly the planted ones.
Run with `make bench`; prints a Markdown table to paste into bench/README.md.
"""
from __future__ import annotations

import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

ROWS = 100_000
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

# (every n-th row, column, bad value, category) — categories both tools check, then ours only
PLANTED = [
    (997, "名称", "", "required"),
    (1009, "車椅子使用者用トイレ有無", "あり", "enum"),
    (1013, "男性トイレ総数", "三", "integer"),
    (1019, "利用開始時間", "25:00", "time"),
    (1021, "全国地方公共団体コード", "292096", "check digit (ours only)"),
    (1031, "緯度", "10.000000", "latitude in Japan (ours only)"),
]


def make_file(path: str) -> dict[str, int]:
    from ckanext.ikoma.standards import standard_dataset

    columns = [c.name for c in standard_dataset("13").columns_for("current")]
    good = {
        "全国地方公共団体コード": "292095", "ID": "T0", "地方公共団体名": "奈良県生駒市", "名称": "生駒駅前公衆トイレ",
        "名称_カナ": "イコマエキマエコウシュウトイレ", "名称_英語": "Ikoma Station Toilet", "所在地_全国地方公共団体コード": "292095",
        "所在地_連結表記": "奈良県生駒市元町一丁目1-1", "所在地_都道府県": "奈良県", "所在地_市区町村": "生駒市",
        "所在地_町字": "元町一丁目", "所在地_番地以下": "1-1", "設置位置": "駅前広場北側", "緯度": "34.692500",
        "経度": "135.699800", "男性トイレ総数": "3", "女性トイレ総数": "2", "男女共用トイレ総数": "1",
        "バリアフリートイレ数": "1", "車椅子使用者用トイレ有無": "有", "乳幼児用設備設置トイレ有無": "有",
        "オストメイト設置トイレ有無": "無", "利用開始時間": "06:00", "利用終了時間": "23:00",
    }
    expected = {category: 0 for *_, category in PLANTED}
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(columns)
        for i in range(1, ROWS + 1):
            # realistic variety: every place has its own name, position and counts
            row = dict(good, ID=f"T{i}", 名称=f"公衆トイレ{i}", 名称_カナ=f"コウシュウトイレ{i % 97}",
                       所在地_番地以下=f"{i % 50 + 1}-{i % 7 + 1}", 緯度=f"{34.6 + (i % 9973) / 100000:.6f}",
                       経度=f"{135.65 + (i % 9967) / 100000:.6f}", 男性トイレ総数=str(i % 10),
                       女性トイレ総数=str(i % 8), 利用開始時間=f"{5 + i % 4:02d}:00")
            for every, column, bad, category in PLANTED:
                if i % every == 0:
                    row[column] = bad
                    expected[category] += 1
            writer.writerow([row.get(c, "") for c in columns])
    return expected


OURS = """
import json, sys
sys.path.insert(0, {root!r})
from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.standards import standard_dataset
report = check_csv({path!r}, standard_dataset("13"), max_issues=0)
print(json.dumps(dict(report.counts)))
"""

FRICTIONLESS = """
import json, os, sys
from collections import Counter
from frictionless import Resource, Schema
schema = Schema.from_descriptor(json.load(open({schema!r}, encoding="utf-8")))
report = Resource(os.path.basename({path!r}), basepath=os.path.dirname({path!r}), schema=schema).validate(
    limit_errors=10_000_000)
counts = Counter()
for task in report.tasks:
    for error in task.errors:
        counts[getattr(error, "field_name", None) and error.type + ":" + error.field_name or error.type] += 1
print(json.dumps(counts))
"""


def run(code: str) -> tuple[float, str]:
    """Wall time and standard output of a fresh Python process."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    out, _ = process.communicate()
    elapsed = time.perf_counter() - start
    assert process.returncode == 0, out
    return elapsed, out


def measured(code: str) -> tuple[float, int, dict]:
    """Wall time, peak RSS (KiB) and the printed JSON counts. RUSAGE_CHILDREN keeps the largest
    child seen so far, so the tools run smallest first: see main()."""
    elapsed, out = run(code)
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, json.loads(out)


def measured_alone(code: str) -> tuple[float, int, dict]:
    """`measured` in a process of its own, so each tool's peak RSS is its own."""
    probe = (
        "import json, sys; sys.path.insert(0, %r); import csv_check_vs_frictionless as b; "
        "print(json.dumps(b.measured(%r)))" % (HERE, code)
    )
    elapsed, rss, counts = json.loads(subprocess.run([sys.executable, "-c", probe], check=True,
                                                     capture_output=True, text=True).stdout)
    return elapsed, rss, counts


def main() -> None:
    from ckanext.ikoma.standards import standard_dataset
    from ckanext.ikoma.standards.export import table_schema

    workdir = tempfile.mkdtemp(prefix="ikoma-bench-")
    path = os.path.join(workdir, "toilets_100k.csv")
    schema_path = os.path.join(workdir, "schema.json")
    expected = make_file(path)
    with open(schema_path, "w", encoding="utf-8") as f:
        json.dump(table_schema(standard_dataset("13")), f, ensure_ascii=False)
    size_mb = os.path.getsize(path) / 1e6

    # ours first: RUSAGE_CHILDREN reports the largest child so far, so the second figure would
    # hide a smaller first one; a separate measuring process per tool avoids relying on order.
    o_time, o_rss, o_counts = measured_alone(OURS.format(root=os.path.dirname(HERE), path=path))
    f_time, f_rss, f_counts = measured_alone(FRICTIONLESS.format(schema=schema_path, path=path))

    ours = {
        "required": o_counts.get("csv_required_cell_empty", 0),
        "enum": o_counts.get("choice_expected", 0),
        "integer": o_counts.get("non_negative_integer", 0),
        "time": o_counts.get("time_range", 0),
        "check digit (ours only)": o_counts.get("lg_code_check_digit", 0),
        "latitude in Japan (ours only)": o_counts.get("latitude_range", 0),
    }
    theirs = {
        "required": f_counts.get("constraint-error:名称", 0),
        "enum": f_counts.get("constraint-error:車椅子使用者用トイレ有無", 0),
        "integer": f_counts.get("type-error:男性トイレ総数", 0),
        "time": f_counts.get("type-error:利用開始時間", 0),
        "check digit (ours only)": f_counts.get("constraint-error:全国地方公共団体コード", 0),
        "latitude in Japan (ours only)": f_counts.get("constraint-error:緯度", 0),
    }
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}; file: {ROWS:,} rows × 39 columns, {size_mb:.1f} MB UTF-8\n")
    print("| tool | wall time (s) | rows/s | peak RSS (MiB) |")
    print("|---|---:|---:|---:|")
    print(f"| frictionless-py 5.18.1 (exported Table Schema) | {f_time:.1f} | {ROWS / f_time:,.0f} | {f_rss / 1024:.0f} |")
    print(f"| ckanext-ikoma csv_check | {o_time:.1f} | {ROWS / o_time:,.0f} | {o_rss / 1024:.0f} |")
    print(f"\nSpeed-up: {f_time / o_time:.1f}x\n")
    print("| planted error | rows planted | found by csv_check | found by frictionless |")
    print("|---|---:|---:|---:|")
    for category, count in expected.items():
        print(f"| {category} | {count} | {ours[category]} | {theirs[category]} |")
    for category in ("required", "enum", "integer", "time"):
        assert ours[category] == theirs[category] == expected[category], (category, ours, theirs, expected)
    for category in ("check digit (ours only)", "latitude in Japan (ours only)"):
        assert ours[category] == expected[category], (category, ours)
    other = {k: v for k, v in f_counts.items() if not any(k.endswith(":" + c) for _, c, _, _ in PLANTED)}
    if other:
        print(f"\nfrictionless also reported: {other}")


if __name__ == "__main__":
    main()
