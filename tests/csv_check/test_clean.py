"""The column-at-a-time fast path (clean.py) finds exactly what checking every cell finds: on random
batches of cells for every column of every standard dataset, and on every fixture and published
sample checked both ways (issue #15: the findings stay identical)."""
import gc
import io
import os
import string

import pytest
from hypothesis import given, settings, strategies as st

from ckanext.ikoma.csv_check import check_csv, rows
from ckanext.ikoma.csv_check.cells import build_cell_check
from ckanext.ikoma.csv_check.clean import _wrong_check_digits, nominator
from ckanext.ikoma.csv_check.header import column_level
from ckanext.ikoma.jp.codes import corporate_number_check_digit
from ckanext.ikoma.standards.definitions import standard_datasets

from test_samples import EXPECTED, NOT_STANDARD, SAMPLES

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def column_plans(nominator_of) -> list:
    """(column, cell required, check, nominator) for every column of every layout that has a
    nominator (`nominator_of(column, cell required)` not None)."""
    plans = []
    for standard in standard_datasets().values():
        for layout in standard.layouts:
            for column in standard.columns_for(layout):
                required = column_level(column, layout) == "required"
                cell_required = required and not column.is_flag
                nominate = nominator_of(column, cell_required)
                if nominate is not None:
                    plans.append((f"{standard.number} {layout} {column.name}", cell_required,
                                  build_cell_check(column, required), nominate))
    return plans


PLANS = column_plans(nominator)

# what cells of municipal files are made of, look-alikes, spaces of both widths and formulas included
ALPHABET = ("0123456789０１２３４５６７８９-－―‐ー−:：/.～~、・;, 　\t○〇×有無病院月火水木金土日曜アイコマァヴｱｲﾏﾞ"
            "いこまなしR令和年元AaZzＡｚ〒@=+()（）#?%_" + "\u3000\x85\u2028")
NEAR_CLEAN = ["0743-74-1111", "0120-123-456", "090-1234-5678", "07437411111", "0743-74-11111", "34.6925",
              "45.9999", "46", "46.0", "20", "19.99", "122", "153.9", "154.0", "09:00", "24:00", "24:01", "9:00",
              "23:59:59", "2024-02-28", "2024-02-29", "2024-02-30", "0000-01-01", "1", "0", "007", "1,234",
              "6000000104729", "1000000000000", "0000000000000", "http://a", "https://x.jp/a b", "http://:80/",
              "HTTPS://A.JP/", "http://a.jp/\x85", "user@example.jp", "-user@example.jp", "イコマ", "ナシ", "ー",
              "イコマ ", " イコマ", "イコマ　シ", "月火水木金", "金月", "12345", "月火祝", "292095", "292096",
              "92011", "6300101", "630-0101", "M000001", "A-1", "", " ", "　", "なし", "-", "=1+1", "+81"]
CELLS = st.one_of(st.sampled_from(NEAR_CLEAN), st.text(alphabet=ALPHABET, max_size=14),
                  st.text(alphabet=string.digits + ".-:", max_size=14))


def findings_cell_by_cell(values, required, check):
    seen = {}
    found = [(i, rows._found(v, required, seen, check)) for i, v in enumerate(values)]
    return [(i, f) for i, f in found if f is not None]


def findings_of_nominated(values, required, check, nominate):
    seen = {}
    found = [(i, rows._found(values[i], required, seen, check)) for i in nominate(values)]
    return [(i, f) for i, f in found if f is not None]


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(PLANS), st.lists(CELLS, min_size=1, max_size=30))
def test_the_cells_left_out_have_no_finding(plan, values):
    name, required, check, nominate = plan
    values = tuple(values)
    if nominate(values) is None:  # a cell with a line break: the batch goes the careful way
        assert any("\n" in v for v in values)
        return
    assert findings_of_nominated(values, required, check, nominate) == \
        findings_cell_by_cell(values, required, check), name


def test_nominated_cells_come_in_order_with_a_line_break_or_a_short_row_falling_back():
    plan = next(p for p in PLANS if p[0] == "13 current 男性トイレ総数")
    nominate = plan[3]
    assert nominate(("1", "x", "2", "", "三", "0")) == [1, 4]
    assert nominate(("1", "a\nb")) is None
    assert nominate(("1", None)) is None


def test_corporate_number_check_digits_by_the_mod_9_shortcut():
    bases = [f"{n * 7919 % 10**12:012d}" for n in range(3000)]
    right = [corporate_number_check_digit(b) + b for b in bases]
    wrong = [str((int(n[0]) % 9) + 1) + n[1:] for n in right]
    assert _wrong_check_digits(tuple(right)) == []
    assert _wrong_check_digits(tuple(wrong)) == list(range(len(wrong)))
    assert _wrong_check_digits(("", "abc", right[0], wrong[0])) == [3]


def _files():
    names = sorted(n for n in os.listdir(DATA) if n.endswith(".csv"))
    files = [os.path.join(DATA, n) for n in names]
    if SAMPLES is not None:
        files += [str(SAMPLES / n) for n in sorted(set(EXPECTED) | NOT_STANDARD)]
    return files


@pytest.mark.parametrize("path", _files(), ids=os.path.basename)
def test_every_fixture_and_sample_gets_the_same_report_both_ways(path, monkeypatch):
    """Against every standard dataset with columns, so that each file meets every kind of column.
    The row pass both ways (the fast pass is held against it in test_arrow.py)."""
    from ckanext.ikoma.csv_check import engine

    monkeypatch.setattr(engine, "_fast_pass", lambda: None)
    standards = [s for s in standard_datasets().values() if s.columns]
    with open(path, "rb") as f:
        data = f.read()
    fast = [check_csv(io.BytesIO(data), s, max_issues=10_000).to_dict() for s in standards]
    monkeypatch.setattr(rows, "nominator", lambda column, required: None)
    careful = [check_csv(io.BytesIO(data), s, max_issues=10_000).to_dict() for s in standards]
    assert fast == careful


def test_the_fixed_copy_is_the_same_both_ways(monkeypatch):
    from ckanext.ikoma.standards import standard_dataset

    with open(os.path.join(DATA, "toilets_fixable.csv"), "rb") as f:
        data = f.read()
    fast_copy, careful_copy = io.BytesIO(), io.BytesIO()
    check_csv(io.BytesIO(data), standard_dataset("13"), fix_to=fast_copy)
    monkeypatch.setattr(rows, "nominator", lambda column, required: None)
    check_csv(io.BytesIO(data), standard_dataset("13"), fix_to=careful_copy)
    assert fast_copy.getvalue() == careful_copy.getvalue() and fast_copy.getvalue()


def test_the_cyclic_collector_is_on_again_after_a_check(data_file):
    from ckanext.ikoma.standards import standard_dataset

    assert gc.isenabled()
    check_csv(data_file("toilets_current_bom_errors.csv"), standard_dataset("13"))
    assert gc.isenabled()
    gc.disable()
    try:
        check_csv(data_file("toilets_current_bom_errors.csv"), standard_dataset("13"))
        assert not gc.isenabled()
    finally:
        gc.enable()
