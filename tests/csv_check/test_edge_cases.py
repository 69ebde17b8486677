"""Encodings decided over the whole file, bounded memory, and files that are not CSV at all."""
import io
import os
import tracemalloc

import pytest

from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.csv_check.encoding import detect_encoding
from ckanext.ikoma.standards import standard_dataset

SHELTERS = standard_dataset("03")
HEADER = "全国地方公共団体コード,ID,名称,緯度,経度\r\n"


def test_shift_jis_after_a_long_ascii_start_is_still_found():
    # A sampler reading the first 10 KB would call this file ASCII, hence UTF-8.
    ascii_rows = "".join(f"292095,S{i:05d},Ikoma,34.69,135.70\r\n" for i in range(2000))
    data = (HEADER + ascii_rows + "292095,S99999,生駒市役所,34.69,135.70\r\n").encode("cp932")
    assert len(data) > 60_000
    assert detect_encoding(io.BytesIO(data)).encoding == "cp932"


def test_utf8_with_and_without_bom():
    body = HEADER + "292095,S1,生駒市役所,34.69,135.70\r\n"
    assert detect_encoding(io.BytesIO(body.encode("utf-8"))).encoding == "utf-8"
    assert detect_encoding(io.BytesIO(body.encode("utf-8-sig"))).encoding == "utf-8-sig"


def test_empty_and_header_only_files():
    assert [i.code for i in check_csv(io.BytesIO(b""), SHELTERS).issues] == ["csv_empty_file"]
    assert [i.code for i in check_csv(io.BytesIO(b"\xef\xbb\xbf"), SHELTERS).issues] == ["csv_empty_file"]
    report = check_csv(io.BytesIO(HEADER.encode()), SHELTERS)
    assert "csv_header_only" in report.counts and not report.valid


def test_wareki_dates_are_a_warning_with_the_western_date_as_the_fix():
    standard = standard_dataset("15")
    date_columns = [c.name for c in standard.columns if c.type == "date"]
    assert date_columns, "15 has date columns"
    csv_text = f"{date_columns[0]}\r\n令和6年4月1日\r\n2024/4/1\r\n"
    report = check_csv(io.BytesIO(csv_text.encode()), standard)
    by_code = {i.code: i for i in report.issues}
    wareki = by_code["csv_wareki_date"]
    assert (wareki.line, wareki.row, wareki.severity, wareki.fix) == (2, 1, "warning", "2024-04-01")
    assert "2024-04-01" in wareki.ja
    assert (by_code["csv_not_normalized"].line, by_code["csv_not_normalized"].fix) == (3, "2024-04-01")


def test_tab_delimited_file_is_read_and_flagged():
    data = HEADER.replace(",", "\t") + "292095\tS1\t生駒市役所\t34.69\t135.70\r\n"
    report = check_csv(io.BytesIO(data.encode()), SHELTERS)
    assert report.file["delimiter"] == "\t"
    assert report.counts["csv_delimiter"] == 1 and report.file["rows"] == 1


def test_a_two_gigabyte_file_is_refused_over_the_limit_without_reading_it(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:  # sparse: takes no disk space
        f.truncate(2 * 1024 ** 3)
    report = check_csv(str(path), SHELTERS, max_bytes=1024 ** 3)
    assert [i.code for i in report.issues] == ["csv_too_large"] and not report.checked
    # without a limit the checker still answers at once: it is not text
    assert [i.code for i in check_csv(str(path), SHELTERS).issues] == ["csv_binary"]


def _peak_memory_checking(path):
    tracemalloc.start()
    report = check_csv(str(path), SHELTERS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return report, peak


def _write_rows(path, count, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(HEADER)
        for i in range(count):
            f.write(f"292095,S{i},生駒市役所,34.691740,135.700610\r\n")


@pytest.mark.parametrize("engine", ["row pass", "fast pass", "fast pass, CP932"])
def test_memory_stays_bounded_whatever_the_file_size(tmp_path, monkeypatch, engine):
    """Both passes: the row pass holds a batch of rows, the fast pass a piece of the file (here
    made smaller than its 2 MiB, so that four times the rows are several pieces; of a CP932 file,
    also the next piece, converted ahead), and the memory arrow takes for the piece's columns is
    bounded by it too."""
    import pyarrow as pa
    from ckanext.ikoma.csv_check import engine as engine_module, fast

    if engine == "row pass":
        monkeypatch.setattr(engine_module, "_fast_pass", lambda: None)
    else:
        monkeypatch.setattr(engine_module, "FAST_FROM", 0)
        monkeypatch.setattr(fast, "CHUNK", 1 << 16)
        monkeypatch.setattr(fast, "PIECE", 1 << 18)
        monkeypatch.setattr(fast, "SLICE", 1 << 15)
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    encoding = "cp932" if "CP932" in engine else "utf-8"
    _write_rows(small, 40_000, encoding)
    _write_rows(large, 160_000, encoding)
    pools = []
    for path in (small, large):
        pools.append(pa.proxy_memory_pool(pa.default_memory_pool()))
        previous = pa.default_memory_pool()
        pa.set_memory_pool(pools[-1])
        try:
            report, peak = _peak_memory_checking(path)
        finally:
            pa.set_memory_pool(previous)
        if path == small:
            small_report, small_peak = report, peak
        else:
            large_report, large_peak = report, peak
    assert (small_report.file["rows"], large_report.file["rows"]) == (40_000, 160_000)
    # every cell passed (a CP932 file has the warning that names the fix, UTF-8)
    assert all(code.startswith("csv_missing_") or code == "csv_encoding_not_utf8" for code in large_report.counts)
    # Four times the file, not four times the memory (a loaded file would grow with it).
    assert large_peak < small_peak * 1.5 + 256 * 1024, (small_peak, large_peak)
    small_arrow, large_arrow = (pool.max_memory() for pool in pools)
    assert large_arrow < small_arrow * 1.5 + 256 * 1024, (small_arrow, large_arrow)
    assert large_report.file["encoding"] == encoding
    if engine != "row pass":
        assert small_arrow > 0  # arrow did read the file
    assert large_peak < os.path.getsize(large) / 4
