"""Benchmark: ckanext-ikoma's CSV checker against frictionless-py and against the bare `csv.reader`
pass (the floor) on the same 100,000-row 自治体標準オープンデータセット files, frictionless validating
the Table Schema we export: 13 公衆トイレ一覧 whose cells repeat row after row, and the real-shaped
10 医療機関一覧 (csv_real_shaped.py: distinct values on every row) in UTF-8 and in CP932.

Each pass runs in its own process so that its peak memory (max RSS) and CPU time are its own; the
four passes over a file (frictionless-py, csv_check with its fast pass, csv_check with the row pass
only, the floor) run one after the other in one run (the machine is shared: compare ratios).
Errors are planted at known rows; each tool must find exactly the planted ones it checks.
Run with `make bench` (arguments `repeating`, `real`, `utf-8` or `cp932` run some files only;
`--repeat N` runs N rounds of the passes and prints each pass's least time, steadier on a shared
machine); prints Markdown tables to paste into bench/README.md.
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
REPEAT = 1  # rounds of the passes over each file (`--repeat N`): the least time of each is printed
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
TOILET_CODES = ["csv_required_cell_empty", "choice_expected", "non_negative_integer", "time_range",
                "lg_code_check_digit", "latitude_range"]
TOILET_THEIRS = ["constraint-error:名称", "constraint-error:車椅子使用者用トイレ有無", "type-error:男性トイレ総数",
                 "type-error:利用開始時間", None, None]


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
from ckanext.ikoma.csv_check import check_csv, engine
from ckanext.ikoma.standards import standard_dataset
if {row_pass!r}:  # the encoding pass and the row pass alone, as without pyarrow
    engine._fast_pass = lambda: None
report = check_csv({path!r}, standard_dataset({number!r}), max_issues=0)
print(json.dumps(dict(report.counts)))
"""

FRICTIONLESS = """
import json, os, sys
from collections import Counter
from frictionless import Resource, Schema
schema = Schema.from_descriptor(json.load(open({schema!r}, encoding="utf-8")))
report = Resource(os.path.basename({path!r}), basepath=os.path.dirname({path!r}), schema=schema,
                  encoding={encoding!r}).validate(limit_errors=10_000_000)
counts = Counter()
for task in report.tasks:
    for error in task.errors:
        counts[getattr(error, "field_name", None) and error.type + ":" + error.field_name or error.type] += 1
print(json.dumps(counts))
"""

# The floor: decoding the file and splitting it into rows with the standard library, nothing else.
FLOOR = """
import csv, json
with open({path!r}, encoding={encoding!r}, newline="") as f:
    rows = sum(1 for _ in csv.reader(f)) - 1
print(json.dumps({{"rows": rows}}))
"""


def run(code: str) -> tuple[float, str]:
    """Wall time and standard output of a fresh Python process."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    out, _ = process.communicate()
    elapsed = time.perf_counter() - start
    assert process.returncode == 0, out
    return elapsed, out


def measured(code: str) -> tuple[float, float, int, dict]:
    """Wall time, CPU time (user + system), peak RSS (KiB) and the printed JSON counts of a child.
    RUSAGE_CHILDREN keeps the largest child seen so far: see measured_alone."""
    elapsed, out = run(code)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, json.loads(out)


def measured_alone(code: str) -> tuple[float, float, int, dict]:
    """`measured` in a process of its own, so each tool's peak RSS and CPU time are its own."""
    probe = (
        "import json, sys; sys.path.insert(0, %r); import csv_check_vs_frictionless as b; "
        "print(json.dumps(b.measured(%r)))" % (HERE, code)
    )
    return tuple(json.loads(subprocess.run([sys.executable, "-c", probe], check=True,
                                           capture_output=True, text=True).stdout))


def _ours_by_kind(counts: dict, planted) -> dict:
    """The checker's count for each planted kind (each kind has a code of its own in the file)."""
    return {kind: counts.get(code, 0) for kind, code in planted}


def compare(title: str, path: str, schema_path: str, encoding: str, number: str, expected: dict,
            ours_code: dict, theirs_key: dict) -> None:
    """One file: the three passes in one run, the table, and the findings side by side.
    ours_code: kind -> our code; theirs_key: kind -> frictionless's "type:field" (kinds both check)."""
    root = os.path.dirname(HERE)
    codes = [FRICTIONLESS.format(schema=schema_path, path=path, encoding=encoding),
             OURS.format(root=root, path=path, number=number, row_pass=False),
             OURS.format(root=root, path=path, number=number, row_pass=True),
             FLOOR.format(path=path, encoding=encoding)]
    # REPEAT rounds of the four passes one after the other; each pass's least wall and CPU time
    # (the round the other agents disturbed least), its largest peak memory
    results = [measured_alone(code) for code in codes]
    for _ in range(REPEAT - 1):
        for i, (wall, cpu, rss, counts) in enumerate(measured_alone(code) for code in codes):
            assert counts == results[i][3], (counts, results[i][3])
            results[i] = (min(wall, results[i][0]), min(cpu, results[i][1]), max(rss, results[i][2]), counts)
    (f_wall, f_cpu, f_rss, f_counts), (o_wall, o_cpu, o_rss, o_counts), (r_wall, r_cpu, r_rss, r_counts), \
        (c_wall, c_cpu, c_rss, c_counts) = results
    assert r_counts == o_counts, ("the fast pass and the row pass disagree", o_counts, r_counts)
    assert c_counts["rows"] == ROWS, c_counts
    size_mb = os.path.getsize(path) / 1e6
    print(f"### {title}: {ROWS:,} rows, {size_mb:.1f} MB {encoding} "
          f"(load {os.getloadavg()[0]:.1f} after the passes, {time.strftime('%H:%M')})\n")
    print("| pass | wall (s) | rows/s (wall) | CPU (s) | rows/s (CPU) | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, wall, cpu, rss in (("frictionless-py 5.18.1 (exported Table Schema)", f_wall, f_cpu, f_rss),
                                 ("ckanext-ikoma csv_check (fast pass, pyarrow 26.0.1)", o_wall, o_cpu, o_rss),
                                 ("ckanext-ikoma csv_check, row pass only (no pyarrow)", r_wall, r_cpu, r_rss),
                                 ("bare `csv.reader` pass (floor)", c_wall, c_cpu, c_rss)):
        print(f"| {name} | {wall:.2f} | {ROWS / wall:,.0f} | {cpu:.2f} | {ROWS / cpu:,.0f} | {rss / 1024:.0f} |")
    print(f"\ncsv_check vs frictionless: {f_wall / o_wall:.1f}x (wall), {f_cpu / o_cpu:.1f}x (CPU); "
          f"csv_check / floor: {o_wall / c_wall:.2f}x (wall), {o_cpu / c_cpu:.2f}x (CPU); "
          f"row pass only: {f_cpu / r_cpu:.1f}x frictionless, {r_cpu / c_cpu:.2f}x the floor (CPU)\n")
    print("| planted | rows | found by csv_check | found by frictionless |")
    print("|---|---:|---:|---:|")
    for kind, count in expected.items():
        theirs = f_counts.get(theirs_key[kind], 0) if kind in theirs_key else "–"
        print(f"| {kind} | {count} | {o_counts.get(ours_code[kind], 0)} | {theirs} |")
    print()
    for kind, count in expected.items():
        assert o_counts.get(ours_code[kind], 0) == count, (kind, o_counts)
        if kind in theirs_key:
            assert f_counts.get(theirs_key[kind], 0) == count, (kind, f_counts)
    if encoding != "utf-8":  # the file-wide warning that names the fix (save as UTF-8)
        assert o_counts.pop("csv_encoding_not_utf8") == 1, o_counts
    assert sum(o_counts.values()) == sum(expected.values()), ("csv_check found more", o_counts)
    other = {k: v for k, v in f_counts.items() if k not in theirs_key.values()}
    if other:
        print(f"frictionless also reported: {other}\n")


def main() -> None:
    from ckanext.ikoma.standards import standard_dataset
    from ckanext.ikoma.standards.export import table_schema
    import csv_real_shaped as real

    global REPEAT
    only = sys.argv[1:]  # e.g. `real` or `cp932`: some of the files only (while working); --repeat N
    if "--repeat" in only:
        at = only.index("--repeat")
        REPEAT = int(only[at + 1])
        only = only[:at] + only[at + 2:]
    workdir = tempfile.mkdtemp(prefix="ikoma-bench-")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"best of {REPEAT} round(s)\n")

    if not only or "repeating" in only:
        path = os.path.join(workdir, "toilets_100k.csv")
        schema_path = os.path.join(workdir, "schema-13.json")
        expected = make_file(path)
        with open(schema_path, "w", encoding="utf-8") as f:
            json.dump(table_schema(standard_dataset("13")), f, ensure_ascii=False)
        compare("13 公衆トイレ一覧, values repeating row after row", path, schema_path, "utf-8", "13", expected,
                {k: c for k, c in zip(expected, TOILET_CODES)},
                {k: t for k, t in zip(expected, TOILET_THEIRS) if t})

    schema_path = os.path.join(workdir, "schema-10-legacy.json")
    with open(schema_path, "w", encoding="utf-8") as f:
        json.dump(table_schema(standard_dataset(real.STANDARD), real.LAYOUT), f, ensure_ascii=False)
    ours_code = {kind: code for _, _, _, kind, code, _ in real.PLANTED}
    theirs_key = {kind: f"{error}:{column}" for _, column, _, kind, _, error in real.PLANTED if error}
    for encoding in ("utf-8", "cp932"):
        if only and not ({"real", encoding} & set(only)):
            continue
        path = os.path.join(workdir, f"medical_100k_{encoding}.csv")
        expected = real.make_real_shaped(path, ROWS, encoding)
        compare(f"10 医療機関一覧 (legacy layout), real-shaped, {encoding.upper()}", path, schema_path, encoding,
                real.STANDARD, expected, ours_code, theirs_key)


if __name__ == "__main__":
    main()
