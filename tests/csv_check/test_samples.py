"""The real-data corpus (issue #11): every sample CSV in ../shared/data/samples that follows a
standard dataset, checked as published. The table of vocab/standard-datasets/README.md lists the
same counts; a test keeps the two equal. Every error left is one a curator would agree with."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.csv_check.detect import detect_standard, read_header
from ckanext.ikoma.standards import standard_dataset
from ckanext.ikoma.standards.definitions import DEFINITIONS_DIR


def _samples_dir() -> Path | None:
    """shared/ sits beside the checkout (../shared, as in CI); IKOMA_SHARED_DATA overrides."""
    if os.environ.get("IKOMA_SHARED_DATA"):
        return Path(os.environ["IKOMA_SHARED_DATA"]) / "samples"
    repo = Path(__file__).resolve().parents[2]
    for parent in repo.parents:
        if (parent / "shared" / "data" / "samples").is_dir():
            return parent / "shared" / "data" / "samples"
    return None


SAMPLES = _samples_dir()
needs_samples = pytest.mark.skipif(SAMPLES is None, reason="shared/data/samples is not beside this checkout "
                                                           "(set IKOMA_SHARED_DATA to its data/ folder)")

# path under samples/ -> (standard, layout, rows, errors, warnings, the codes of the errors)
EXPECTED = {
    "komae-aed/aed.csv": ("08", "legacy", 57, 0, 74, set()),
    "oyama-park-toilet-review/data/public_toilet.csv": ("13", "legacy", 100, 75, 0, {"csv_required_cell_empty"}),
    "yaizu-city-opendata/data/AED設置箇所一覧/222127_aed.csv": ("08", "legacy", 82, 0, 0, set()),
    "yaizu-city-opendata/data/公衆トイレ一覧/222127_public_toilet.csv": ("13", "current", 112, 0, 5, set()),
    "yaizu-city-opendata/data/公衆無線LAN一覧/222127_public_wireless_lan.csv": ("07", "legacy", 17, 0, 0, set()),
    "yaizu-city-opendata/data/子育て施設一覧/222127_preschool.csv": ("05", "legacy", 60, 0, 27, set()),
    "yaizu-city-opendata/data/指定緊急避難場所一覧/222127_evacuation_space.csv": ("03", "legacy", 31, 0, 62, set()),
    "yaizu-city-opendata/data/消防水利施設一覧/222127_fire_hydrant.csv": ("14", "current", 193, 0, 0, set()),
}
# samples that follow no standard dataset: the header says so
NOT_STANDARD = {
    "takamatsu-city-opendata/data/public_toilet/data.csv",  # English property names of its own
    "takamatsu-city-opendata/old_data/0002.csv",  # "#"-prefixed metadata rows, IMI-style layout
}


@needs_samples
def test_every_sample_is_in_the_corpus():
    found = {str(p.relative_to(SAMPLES)) for p in SAMPLES.rglob("*.csv")}
    assert found == set(EXPECTED) | NOT_STANDARD


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_published_sample_as_the_checker_sees_it(name):
    number, layout, rows, errors, warnings, error_codes = EXPECTED[name]
    path = SAMPLES / name
    best = detect_standard(read_header(path)).best
    assert (best.number, best.layout, best.share) == (number, layout, 100)
    report = check_csv(path, standard_dataset(number), max_issues=1000)
    assert (report.standard["layout"], report.rows) == (layout, rows)
    assert (report.severities["error"], report.severities["warning"]) == (errors, warnings)
    assert {i.code for i in report.issues if i.severity == "error"} == error_codes
    assert all(i.fix is not None for i in report.issues if i.severity == "warning" and i.code != "csv_formula"
               and not i.code.startswith("csv_missing_")), "every warning on these files can be fixed"


@needs_samples
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_corrected_copy_of_a_sample_has_nothing_left_to_fix(name):
    number = EXPECTED[name][0]
    out = io.BytesIO()
    report = check_csv(SAMPLES / name, standard_dataset(number), fix_to=out)
    again = check_csv(io.BytesIO(out.getvalue()), standard_dataset(number))
    assert again.fixes == 0 and again.rows == report.rows
    assert again.severities["error"] == report.severities["error"]


@needs_samples
@pytest.mark.parametrize("name", sorted(NOT_STANDARD))
def test_samples_of_no_standard_are_told_apart(name):
    assert detect_standard(read_header(SAMPLES / name) or []).best is None


def test_the_corpus_table_in_the_definitions_readme_matches():
    with open(os.path.join(DEFINITIONS_DIR, "README.md"), encoding="utf-8") as f:
        text = f.read()
    table = {}
    for match in re.finditer(r"^\| `([^`]+\.csv)` \| (\d\d) (current|legacy) \| (\d+) \| (\d+) → (\d+) \| (\d+) → (\d+) \|",
                             text, re.M):
        name, number, layout, rows, _, errors, _, warnings = match.groups()
        table[name] = (number, layout, int(rows), int(errors), int(warnings))
    assert table == {name: expected[:5] for name, expected in EXPECTED.items()}
