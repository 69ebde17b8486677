"""The fast pass (fast.py, pyarrow) makes exactly the row pass's report (issue #15): on every fixture
and published sample against every standard dataset, on generated files full of what could read
otherwise (quotes, CR, blank lines, cells with line breaks, ragged rows, CP932 with NEC special
characters), and column by column on random cells; and it does take the files it should."""
import io
import os
import sys

import pytest
from hypothesis import given, settings, strategies as st

from ckanext.ikoma.csv_check import arrow_clean, check_csv, engine, fast, rows
from ckanext.ikoma.standards import standard_dataset
from ckanext.ikoma.standards.definitions import standard_datasets

from test_clean import CELLS, _files, column_plans, findings_cell_by_cell

STANDARDS = [s for s in standard_datasets().values() if s.columns]


def _row_pass(data: bytes, standard, max_issues: int = 10_000):
    """The reference: the encoding pass and the row pass, as before the fast pass."""
    saved = engine._fast_pass
    engine._fast_pass = lambda: None
    try:
        return check_csv(io.BytesIO(data), standard, max_issues=max_issues)
    finally:
        engine._fast_pass = saved


def _findings(report):
    return [(i.row, i.line, i.column, i.code, i.value, i.fix) for i in report.issues]


def _same_both_ways(data: bytes, standard) -> bool:
    """Assert the two reports are the same; True when the fast pass made its own."""
    made = fast.check_fast(io.BytesIO(data), standard, 10_000)
    reference = _row_pass(data, standard)
    ours = made if made is not None else check_csv(io.BytesIO(data), standard, max_issues=10_000)
    assert _findings(ours) == _findings(reference)
    assert ours.to_dict() == reference.to_dict()
    return made is not None


@pytest.mark.parametrize("path", _files(), ids=os.path.basename)
def test_every_fixture_and_sample_gets_the_same_report_from_the_fast_pass(path):
    with open(path, "rb") as f:
        data = f.read()
    for standard in STANDARDS:
        _same_both_ways(data, standard)


def test_the_fast_pass_takes_plain_files_and_leaves_the_others(data_file):
    def taken(name, number):
        with open(data_file(name), "rb") as f:
            return _same_both_ways(f.read(), standard_dataset(number))

    assert taken("shelters_clean.csv", "03") and taken("aed_cp932_nec.csv", "08")
    assert taken("toilets_current_bom_errors.csv", "13")
    # ragged rows, undecodable bytes, not text: the row pass reports them
    assert not taken("ragged.csv", "03") and not taken("mixed_encodings.csv", "03")
    assert not taken("binary.csv", "03") and not taken("zip_renamed.csv", "03")


# Files made of the pieces that csv.reader and a CSV reader could split differently.
HEADER_10 = [c.header_in("legacy") for c in standard_dataset("10").columns_for("legacy")][:8]
TRICKY = st.sampled_from(['"', '""', ',', '\r', '\n', '\r\n', ' ', '=1', '-', 'なし', '①', '㈱', '髙', '№',
                          '34.5', '135.7', '0743-74-1111', '292095', 'M1', 'イコマ', '病院', 'x"y', '"a,b"'])
CELL = st.one_of(CELLS, CELLS, CELLS, st.lists(TRICKY, max_size=3).map("".join))
ROW = st.lists(CELL, min_size=len(HEADER_10), max_size=len(HEADER_10))


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW, max_size=12), st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
       st.sampled_from(["\r\n", "\n"]), st.booleans(),
       st.sampled_from(["", "", "", "\n", "\r\n", "\r", ",,,,,,,\n", "a,b\n", '"x\ny",' + "," * 6 + "\n"]))
def test_generated_files_get_the_same_report_from_the_fast_pass(rows_, encoding, newline, quote_all, between):
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(HEADER_10)
    for i, row in enumerate(rows_):
        writer.writerow(row)
        if i == 1:
            out.write(between)  # a blank line, a lone CR, a row of empty cells
    text = out.getvalue()
    # and a raw line no writer makes: stray quotes, lone CRs, line breaks (one file in four)
    if rows_ and quote_all and len(rows_) % 2:
        text += ",".join(rows_[0]) + newline
    data = text.encode(encoding, errors="replace")
    _same_both_ways(data, standard_dataset("10"))


def _cp932_file(rows: int, trouble: bytes = b"") -> bytes:
    """Standard 10's first columns in CP932, a finding every few rows, and `trouble` as a line of
    its own three quarters of the way in."""
    lines = [",".join(HEADER_10)]
    for i in range(1, rows + 1):
        row = ["292095", f"M{i:05d}", f"生駒市中央病院{i}", f"イコマシチュウオウビョウイン{i}", f"奈良県生駒市本町{i % 9 + 1}丁目",
               "２階" if i % 5 else "", f"34.{i:06d}", "135.700000"]
        if i % 37 == 0:
            row[6] = "91.0"
        if i % 41 == 0:
            row[3] = "生駒"
        if i % 43 == 0:
            row[0] = "292096"
        lines.append(",".join(row))
    data = ("\r\n".join(lines) + "\r\n").encode("cp932")
    at = data.index(b"\n", len(data) * 3 // 4) + 1
    return data[:at] + trouble + data[at:]


TROUBLE = {  # a line three quarters of the way in: (its bytes, whether the fast pass keeps the file)
    "clean": (b"", True),
    "a blank line": (b"\r\n", False),
    "a stray quote": (b'292095,M1,"a"b,,,,34.5,135.7\r\n', False),
    "a short row": (b"292095,M1\r\n", False),
    "not CP932": ("292095,M1,生駒,,,,34.5,135.7\r\n".encode("cp932").replace(b"\x90", b"\x85"), False),
    # bytes CPython's cp932 reads (U+0080 and private-use characters) and glibc's iconv refuses
    "0x80 0xA0 0xFD": (b"292095,M1,\x80\xa0\xfd\xfe\xff,,,,34.5,135.7\r\n", True),
    # half-width katakana: three UTF-8 bytes for each CP932 byte
    "half-width kana": ("292095,M1,生駒,{},,,34.5,135.7\r\n".format("ｲｺﾏｼ" * 2000).encode("cp932"), True),
}


@pytest.mark.parametrize("converter", ["iconv", "CPython"])
@pytest.mark.parametrize("trouble", TROUBLE)
def test_a_cp932_file_of_many_pieces_gets_the_row_pass_report(monkeypatch, trouble, converter):
    """CP932 pieces are read and converted one ahead, in a thread of their own (by iconv where it
    reads CP932 as CPython does, else by CPython): the findings of every piece, in order; and a file
    the fast pass gives up on half-way (its thread has read on) is read again from the start by
    the row pass."""
    from ckanext.ikoma.csv_check import cp932

    monkeypatch.setattr(fast, "CHUNK", 1 << 14)
    monkeypatch.setattr(fast, "PIECE", 1 << 14)
    monkeypatch.setattr(fast, "SLICE", 1 << 10)
    monkeypatch.setattr(engine, "FAST_FROM", 0)
    if converter == "CPython":
        monkeypatch.setattr(fast, "cp932_converter", lambda: None)
    else:
        assert cp932.converter() is not None  # glibc's iconv, compared with CPython in test_cp932.py
    line, kept = TROUBLE[trouble]
    data, standard = _cp932_file(2_000, line), standard_dataset("10")
    assert len(data) > 10 * fast.PIECE
    reference = _row_pass(data, standard)
    assert reference.counts["latitude_range"] == 2_000 // 37 and reference.file["encoding"] == "cp932"
    assert (fast.check_fast(io.BytesIO(data), standard, 10_000) is not None) == kept
    assert check_csv(io.BytesIO(data), standard, max_issues=10_000).to_dict() == reference.to_dict()


PLANS = column_plans(arrow_clean.nominator)  # (name, cell required, check, arrow nominator)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(PLANS), st.lists(CELLS.filter(lambda v: "\n" not in v and "\r" not in v), min_size=1,
                                        max_size=30))
def test_the_cells_arrow_leaves_out_have_no_finding(plan, values):
    import pyarrow as pa

    name, required, check, nominate = plan
    nominated = nominate(pa.array(values, pa.string()))
    assert nominated == sorted(set(nominated))
    seen = {}
    found = [(i, rows._found(values[i], required, seen, check)) for i in nominated]
    assert [(i, f) for i, f in found if f is not None] == findings_cell_by_cell(values, required, check), name


def test_every_column_with_a_form_has_an_arrow_nominator():
    """Only the columns whose pattern clean.py tries in Python go by distinct values."""
    from ckanext.ikoma.csv_check.clean import nominator

    for standard in standard_datasets().values():
        for layout in standard.layouts:
            for column in standard.columns_for(layout):
                if nominator(column, True) is not None and arrow_clean.nominator(column, True) is None:
                    assert column.pattern and not column.format, column.name


def test_python_whitespace_as_re2_reads_it():
    import pyarrow as pa

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    others = ["a", "あ", "\u200b", "\ufeff", "\x00", "\u180e"]
    cells = pa.array(spaces + others, pa.string())
    has_other = arrow_clean.matches(cells, arrow_clean._SOME_NON_SPACE).to_pylist()
    assert has_other == [False] * len(spaces) + [True] * len(others)


def test_the_fast_pass_checks_files_from_a_size_on(monkeypatch, data_file):
    with open(data_file("shelters_clean.csv"), "rb") as f:
        data = f.read()
    calls = []
    monkeypatch.setattr(fast, "check_fast", lambda *args: calls.append(args) or None)
    check_csv(io.BytesIO(data), standard_dataset("03"))
    assert not calls  # a small file: the row pass, pyarrow not even imported for it
    monkeypatch.setattr(engine, "FAST_FROM", len(data))
    check_csv(io.BytesIO(data), standard_dataset("03"))
    assert len(calls) == 1


def test_without_pyarrow_the_row_pass_checks_alone(monkeypatch, data_file):
    for name in ("ckanext.ikoma.csv_check.fast", "ckanext.ikoma.csv_check.arrow_clean"):
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    monkeypatch.setattr(engine, "FAST_FROM", 0)
    assert engine._fast_pass() is None
    with open(data_file("toilets_current_bom_errors.csv"), "rb") as f:
        data = f.read()
    report = check_csv(io.BytesIO(data), standard_dataset("13"), max_issues=10_000)
    assert report.to_dict() == _row_pass(data, standard_dataset("13")).to_dict() and report.issues
