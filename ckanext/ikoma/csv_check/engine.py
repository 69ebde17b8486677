"""The checker: encoding pass, then one streaming pass over the rows (rows.py)."""
from __future__ import annotations

import csv
import gc
import io
import itertools
import os
from typing import BinaryIO, Callable, Optional, Union

from ckanext.ikoma.net.content import looks_like_html
from ckanext.ikoma.csv_check.cells import rule_of
from ckanext.ikoma.csv_check.encoding import detect_encoding
from ckanext.ikoma.csv_check.header import match_header
from ckanext.ikoma.csv_check.report import Report
from ckanext.ikoma.csv_check.rows import BatchChecker

DELIMITERS = (",", "\t", ";")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp932": "Shift_JIS (CP932)"}
# A cell larger than this is not a CSV cell but a broken file (csv's own default is 128 KiB).
MAX_CELL = 1 << 20
# Files from this size on are checked by the fast pass when pyarrow is there (fast.py). Below it
# the row pass takes about as long as importing pyarrow (0.07 s, and 77 MiB of memory).
FAST_FROM = 4 << 20
# Findings that concern every row: no row of such a file conforms.
WHOLE_FILE_ERRORS = ("csv_missing_required_column", "csv_duplicate_column", "csv_no_standard_columns")


def _standard_summary(standard, layout: Optional[str] = None) -> dict:
    return {"number": standard.number, "name": standard.name_ja, "name_en": standard.name_en, "layout": layout}


def sniff_delimiter(first_line: str) -> str:
    in_quotes, counts = False, dict.fromkeys(DELIMITERS, 0)
    for char in first_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _fast_pass() -> Optional[Callable]:
    """fast.py's check when pyarrow can be imported; this module's passes are the reference."""
    try:
        from ckanext.ikoma.csv_check.fast import check_fast
    except ImportError:
        return None
    return check_fast


def _size(stream: BinaryIO) -> int:
    position = stream.tell()
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def check_csv(source: Union[str, os.PathLike, BinaryIO], standard, *, max_issues: int = 100,
              max_bytes: Optional[int] = None, fix_to: Optional[BinaryIO] = None,
              rows_to: Optional[Callable] = None) -> Report:
    """Check a CSV file (a path or a seekable binary stream) against a standard dataset. With
    `fix_to`, also write the corrected copy there (UTF-8 with BOM, canonical header, every
    warning's fix applied, nothing else changed) when one can be made: see Report.fixable. With
    `rows_to`, call rows_to(match, row) for each row without errors, every fix applied (the
    normalised row the IMI converter turns into an instance), as the rows are checked."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return check_csv(stream, standard, max_issues=max_issues, max_bytes=max_bytes, fix_to=fix_to,
                             rows_to=rows_to)
    stream = source
    size = _size(stream)
    if max_bytes is None or size <= max_bytes:
        fast = _fast_pass() if fix_to is None and rows_to is None and size >= FAST_FROM else None
        if fast is not None:
            position = stream.tell()
            report = fast(stream, standard, max_issues)
            if report is not None:
                return report
            stream.seek(position)
    report = Report(standard=_standard_summary(standard), max_issues=max_issues)

    if max_bytes is not None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        if size > max_bytes:
            report.file = {"bytes": size}
            report.checked = False
            report.add_error("csv_too_large", size=size, limit=max_bytes)
            return report

    detected = detect_encoding(stream)
    report.file = {"bytes": detected.size, "encoding": detected.encoding, "bom": detected.bom}
    if detected.zip or detected.binary or detected.utf16:
        report.checked = False
        report.add_error("csv_zip" if detected.zip else "csv_utf16" if detected.utf16 else "csv_binary")
        return report
    stream.seek(0)
    if looks_like_html(stream.read(4096), None):  # a page's markup is no CSV: report none of it
        report.checked = False
        report.add_error("csv_html")
        return report
    if detected.size == 0 or detected.size == len(b"\xef\xbb\xbf") and detected.bom:
        report.file["encoding"] = None  # nothing was decoded
        report.checked = False
        report.add_error("csv_empty_file")
        return report
    if detected.encoding == "cp932":
        report.add_warning("csv_encoding_not_utf8", encoding=ENCODING_NAMES["cp932"], normalized="UTF-8",
                           rule="rule_encoding")
    if 1 in detected.bad_lines:  # the rows' own are reported with the rows
        report.add_error("csv_undecodable", line=1, encoding=ENCODING_NAMES[detected.encoding])
    report.fixable = detected.bad_count == 0  # a copy would replace the unreadable bytes

    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=detected.encoding, errors="replace", newline="")
    out = None
    if fix_to is not None and report.fixable:
        out = io.TextIOWrapper(fix_to, encoding="utf-8-sig", newline="")
    # The row pass makes no reference cycles, but holds a batch of rows: with the cyclic collector
    # on, each batch would be traversed again and again as it ages (a fifth of the pass's time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        undecodable = ENCODING_NAMES[detected.encoding] if detected.bad_count else None
        _check_rows(text, standard, report, out, undecodable, rows_to)
    finally:
        if collecting:
            gc.enable()
        text.detach()  # leave the caller's stream open
        if out is not None:
            out.flush()
            out.detach()
    return report


def _check_rows(text: io.TextIOWrapper, standard, report: Report, out: Optional[io.TextIOWrapper],
                undecodable: Optional[str], rows_to: Optional[Callable] = None) -> None:
    """`undecodable`: the encoding's name when some bytes could not be decoded (the rows holding
    them, now with U+FFFD, are reported), else None."""
    first_line = text.readline()
    delimiter = sniff_delimiter(first_line)
    report.file["delimiter"] = delimiter
    if delimiter != ",":
        report.add_warning("csv_delimiter", delimiter="TAB" if delimiter == "\t" else delimiter,
                           normalized=",", rule="rule_delimiter")

    csv.field_size_limit(MAX_CELL)
    # chain, not a generator with `yield from text`: closing that generator early (after a
    # csv.Error) would close the caller's stream through it
    reader = csv.reader(itertools.chain((first_line,), text), delimiter=delimiter, strict=False)
    try:
        header = next(reader, None)
    except csv.Error as e:
        report.checked = False
        report.add_error("csv_parse_error", line=1, detail=str(e))
        return
    if not header or not any(h.strip() for h in header):
        report.checked = False
        report.add_error("csv_empty_file")
        return

    match = _report_header(header, standard, report)
    writer = None
    if out is not None:
        writer = csv.writer(out, lineterminator="\r\n" if first_line.endswith("\r\n") else "\n")
        writer.writerow(match.canonical_header(header))
    checker = BatchChecker(header, match, report, writer,
                           (lambda row: rows_to(match, row)) if rows_to else None)
    batch_rows, batch_lines, batch_size = checker.rows, checker.lines, checker.BATCH
    width, end = len(header), reader.line_num
    try:
        for row in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines: the row starts here
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0]):
                    continue  # blank line
                row = checker.ragged(row, line)
            if undecodable and any("\ufffd" in cell for cell in row if cell):
                report.add_error("csv_undecodable", row=checker.count + 1, line=line, encoding=undecodable)
                checker.fail_next()
            batch_rows.append(row)
            batch_lines.append(line)
            if len(batch_rows) >= batch_size:
                checker.flush()
    except csv.Error as e:
        report.add_error("csv_parse_error", line=reader.line_num, detail=str(e))
        report.fixable = False  # the rest of the file was not read: a copy would lose it
    checker.flush()
    report.rows = report.file["rows"] = checker.count
    if checker.count == 0:
        report.add_error("csv_header_only")
    if any(report.counts[code] for code in WHOLE_FILE_ERRORS):
        report.rows_with_errors = report.rows


def _report_header(header: list[str], standard, report: Report):
    match = match_header(header, standard)
    report.standard["layout"] = match.layout
    report.file["columns"] = len(header)
    for _, name, spelling in match.respelled:
        report.add_warning("csv_header_not_canonical", line=1, column=spelling, cell=name, value=name,
                           normalized=spelling, rule=rule_of(name, spelling, "rule_header"))
    for column in match.missing_required:
        report.add_error("csv_missing_required_column", column=column.name)
    for column in match.missing_recommended:
        report.add_warning("csv_missing_recommended_column", column=column.name)
    standard_name = f"{standard.number} {standard.name_ja}"
    for _, name in match.unknown:
        report.add_warning("csv_unknown_column", line=1, column=name, standard=standard_name)
    for _, name in match.duplicates:
        report.add_error("csv_duplicate_column", line=1, column=name)
    if standard.columns and not any(match.columns):
        report.add_error("csv_no_standard_columns", standard=standard_name)
    return match
