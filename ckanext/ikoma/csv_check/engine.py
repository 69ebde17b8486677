"""The checker: encoding pass, then one streaming pass over the rows."""
from __future__ import annotations

import csv
import io
import os
from typing import BinaryIO, Optional, Union

from ckanext.ikoma.csv_check.cells import build_cell_check
from ckanext.ikoma.csv_check.encoding import detect_encoding
from ckanext.ikoma.csv_check.header import column_level, match_header
from ckanext.ikoma.csv_check.report import Report

DELIMITERS = (",", "\t", ";")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "cp932": "Shift_JIS (CP932)"}
# A cell larger than this is not a CSV cell but a broken file (csv's own default is 128 KiB).
MAX_CELL = 1 << 20


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

    # (index, display name, cell required, check) for each CSV column that is a standard column;
    # a blank 1-or-blank flag means "no", so its cells are never missing
    plan = [
        (i, header[i], column_level(column, match.layout) == "required" and not column.is_flag,
         build_cell_check(column))
        for i, column in enumerate(match.columns) if column is not None
    ]
    expected = len(header)
    rows = 0
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0]):
                continue  # blank line
            rows += 1
            line = reader.line_num
            if len(row) != expected:
                report.add_error("csv_row_length", row=line, found=len(row), expected=expected)
            for index, name, required, check in plan:
                if index >= len(row):
                    continue
                value = row[index]
                if not value or value.isspace():
                    if required:
                        report.add_error("csv_required_cell_empty", row=line, column=name)
                    continue
                findings = check(value)
                if findings:
                    for severity, code, params in findings:
                        report.add(severity, code, row=line, column=name, cell=value, **params)
    except csv.Error as e:
        report.add_error("csv_parse_error", row=reader.line_num, detail=str(e))
    report.file["rows"] = rows
    if rows == 0:
        report.add_error("csv_header_only")
