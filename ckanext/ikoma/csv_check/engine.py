"""The checker: encoding pass, then one streaming pass over the rows."""
from __future__ import annotations

import csv
import io
import os
from typing import Any, BinaryIO, Optional, Union

from ckanext.ikoma.net.content import looks_like_html
from ckanext.ikoma.csv_check.cells import FORMULA_FINDING, build_cell_check, is_formula
from ckanext.ikoma.csv_check.encoding import detect_encoding
from ckanext.ikoma.csv_check.header import column_level, match_header
from ckanext.ikoma.csv_check.report import Report

DELIMITERS = (",", "\t", ";")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp932": "Shift_JIS (CP932)"}
# A cell larger than this is not a CSV cell but a broken file (csv's own default is 128 KiB).
MAX_CELL = 1 << 20
REMEMBERED = 4096
_UNSEEN, _EMPTY = object(), object()


def _standard_summary(standard, layout: Optional[str] = None) -> dict:
    return {"number": standard.number, "name": standard.name_ja, "name_en": standard.name_en, "layout": layout}


def _sniff_delimiter(first_line: str) -> str:
    in_quotes, counts = False, dict.fromkeys(DELIMITERS, 0)
    for char in first_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def check_csv(source: Union[str, os.PathLike, BinaryIO], standard, *, max_issues: int = 100,
              max_bytes: Optional[int] = None) -> Report:
    """Check a CSV file (a path or a seekable binary stream) against a standard dataset."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return check_csv(stream, standard, max_issues=max_issues, max_bytes=max_bytes)
    report = Report(standard=_standard_summary(standard), max_issues=max_issues)
    stream = source

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
        report.checked = False
        report.add_error("csv_empty_file")
        return report
    if detected.encoding == "cp932":
        report.add_warning("csv_encoding_not_utf8", encoding=ENCODING_NAMES["cp932"])
    for line in detected.bad_lines:
        report.add_error("csv_undecodable", row=line, encoding=ENCODING_NAMES[detected.encoding])
    for _ in range(detected.bad_count - len(detected.bad_lines)):  # lines beyond those kept still count
        report.counts["csv_undecodable"] += 1
        report.severities["error"] += 1

    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=detected.encoding, errors="replace", newline="")
    try:
        _check_rows(text, standard, report)
    finally:
        text.detach()  # leave the caller's stream open
    return report


def _check_rows(text: io.TextIOWrapper, standard, report: Report) -> None:
    first_line = text.readline()
    delimiter = _sniff_delimiter(first_line)
    report.file["delimiter"] = delimiter
    if delimiter != ",":
        report.add_warning("csv_delimiter", delimiter="TAB" if delimiter == "\t" else delimiter)

    def lines():
        yield first_line
        yield from text

    csv.field_size_limit(MAX_CELL)
    reader = csv.reader(lines(), delimiter=delimiter, strict=False)
    try:
        header = next(reader, None)
    except csv.Error as e:
        report.checked = False
        report.add_error("csv_parse_error", row=1, detail=str(e))
        return
    if not header or not any(h.strip() for h in header):
        report.checked = False
        report.add_error("csv_empty_file")
        return

    match = match_header(header, standard)
    report.standard["layout"] = match.layout
    report.file["columns"] = len(header)
    for column in match.missing_required:
        report.add_error("csv_missing_required_column", column=column.name)
    for column in match.missing_recommended:
        report.add_warning("csv_missing_recommended_column", column=column.name)
    standard_name = f"{standard.number} {standard.name_ja}"
    for _, name in match.unknown:
        report.add_warning("csv_unknown_column", row=1, column=name, standard=standard_name)
    for _, name in match.duplicates:
        report.add_error("csv_duplicate_column", row=1, column=name)
    if standard.columns and not any(match.columns):
        report.add_error("csv_no_standard_columns", standard=standard_name)

    checker = _BatchChecker(header, match, report)
    batch_rows, batch_lines, batch_size, width = checker.rows, checker.lines, checker.BATCH, len(header)
    rows = 0
    try:
        for row in reader:
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0]):
                    continue  # blank line
                row = checker.ragged(row, reader.line_num)
            rows += 1
            batch_rows.append(row)
            batch_lines.append(reader.line_num)
            if len(batch_rows) >= batch_size:
                checker.flush()
    except csv.Error as e:
        report.add_error("csv_parse_error", row=reader.line_num, detail=str(e))
    checker.flush()
    report.file["rows"] = rows
    if rows == 0:
        report.add_error("csv_header_only")


class _BatchChecker:
    """Checks rows a batch at a time, column by column: each distinct value of a column is checked
    once (and remembered across batches), so the per-cell work is done by zip and set in C and
    Python only looks at values it has not seen. Findings are reported in line order."""

    BATCH = 2000

    def __init__(self, header: list[str], match, report: Report):
        self.report = report
        self.width = len(header)
        # (index, display name, cell required, remembered findings, check) per standard column;
        # a blank 1-or-blank flag means "no", so its cells are never missing
        self.plan = [
            (i, header[i], column_level(column, match.layout) == "required" and not column.is_flag, {},
             build_cell_check(column))
            for i, column in enumerate(match.columns) if column is not None
        ]
        self.rows: list[list[str]] = []
        self.lines: list[int] = []

    def ragged(self, row: list[str], line: int) -> list:
        """Report a row of the wrong length; cells past its end are absent (None), not empty."""
        self.report.add_error("csv_row_length", row=line, found=len(row), expected=self.width)
        return (row + [None] * self.width)[: self.width]

    def flush(self) -> None:
        if not self.rows:
            return
        columns = list(zip(*self.rows))
        findings: list[tuple[int, int, str, str, Any]] = []  # (line, plan position, name, value, found)
        for position, (index, name, required, seen, check) in enumerate(self.plan):
            values = columns[index]
            bad: dict[str, Any] = {}
            distinct = set(values)
            distinct.discard(None)
            if check is None:  # free text: only emptiness and formulas
                for value in distinct:
                    if not value or value.isspace():
                        if required:
                            bad[value] = _EMPTY
                    elif is_formula(value):
                        bad[value] = FORMULA_FINDING
            else:
                for value in distinct:
                    found = seen.get(value, _UNSEEN)
                    if found is _UNSEEN:
                        found = _EMPTY if not value or value.isspace() else check(value)
                        if len(seen) < REMEMBERED:
                            seen[value] = found
                    if found is not None and (found is not _EMPTY or required):
                        bad[value] = found
            if bad:
                for row_number, value in enumerate(values):
                    if value in bad:
                        findings.append((self.lines[row_number], position, name, value, bad[value]))
        findings.sort(key=lambda f: (f[0], f[1]))
        for line, _, name, value, found in findings:
            if found is _EMPTY:
                self.report.add_error("csv_required_cell_empty", row=line, column=name)
            else:
                for severity, code, params in found:
                    self.report.add(severity, code, row=line, column=name, cell=value, **params)
        self.rows.clear()
        self.lines.clear()
