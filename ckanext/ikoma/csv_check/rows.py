"""The row pass: rows checked a batch at a time, column by column, and (when asked) the corrected
copy written as they go, so that the copy is exactly what the report describes."""
from __future__ import annotations

import csv
from typing import Any, Optional

from ckanext.ikoma.csv_check.cells import FORMULA_FINDING, build_cell_check, is_formula
from ckanext.ikoma.csv_check.clean import nominator
from ckanext.ikoma.csv_check.header import column_level
from ckanext.ikoma.csv_check.report import ERROR, Report

REMEMBERED = 4096
_UNSEEN, _EMPTY = object(), object()


def _cells_text(cells: list[str]) -> str:
    return ",".join(f'"{c}"' if "," in c or '"' in c else c for c in cells)


class BatchChecker:
    """Checks rows a batch at a time, column by column. Where a column has one (clean.py), a regex
    over the column's batch or a set difference tells in C which cells need no finding; only the
    others are checked one by one. Other columns: each distinct value is checked once (and
    remembered across batches). Findings are reported in line order."""

    BATCH = 1000  # rows: bounds the memory a batch holds (and its columns joined)

    def __init__(self, header: list[str], match, report: Report, writer: Optional[Any] = None,
                 sink: Optional[Any] = None):
        self.report = report
        self.header = header
        self.width = len(header)
        self.writer = writer  # csv.writer of the corrected copy, or None
        self.sink = sink  # called with each row without errors, fixes applied, or None
        # (index, display name, cell required, remembered findings, check, nominator) per standard
        # column; a blank 1-or-blank flag means "no", so its cells are never missing
        self.plan = []
        for i, column in enumerate(match.columns):
            if column is None:
                continue
            required = column_level(column, match.layout) == "required"
            cell_required = required and not column.is_flag
            self.plan.append((i, header[i], cell_required, {}, build_cell_check(column, required),
                              nominator(column, cell_required)))
        self.rows: list[list[Optional[str]]] = []  # the batch, appended to by the engine's loop
        self.lines: list[int] = []
        self.raw: dict[int, list[str]] = {}  # batch index -> the row as written, for ragged rows
        self.failed: set[int] = set()  # batch indices of rows with an error
        self.flushed = 0  # data rows of the batches before this one

    @property
    def count(self) -> int:
        """Data rows so far."""
        return self.flushed + len(self.rows)

    def fail_next(self) -> None:
        """The row about to be added has an error found outside the cells (undecodable bytes)."""
        self.failed.add(len(self.rows))

    def ragged(self, row: list[str], line: int) -> list[Optional[str]]:
        """A row of the wrong length, about to be added. Empty cells past the header are dropped
        with a warning (their meaning is certain); other cells past it, or missing cells, are an
        error that shows them."""
        index, width = len(self.rows), self.width
        where = {"row": self.count + 1, "line": line}
        if len(row) > width:
            extra = row[width:]
            if not any(c.strip() for c in extra):
                self.report.add_warning("csv_row_trailing_empty", **where, cell=_cells_text(extra), extra=len(extra),
                                        normalized="", rule="rule_trailing_cells")
                return row[:width]
            self.report.add_error("csv_row_length", **where, cell=_cells_text(extra), found=len(row), expected=width,
                                  **_detail("csv_row_too_long", extra=len(extra)))
        else:
            self.report.add_error("csv_row_length", **where, column=self.header[len(row)], found=len(row),
                                  expected=width, **_detail("csv_row_too_short", column=self.header[len(row)]))
        self.failed.add(index)
        self.raw[index] = row
        return (row + [None] * width)[:width]

    def flush(self) -> None:
        if not self.rows:
            return
        columns = list(zip(*self.rows))
        first_row = self.flushed + 1
        findings: list[tuple[int, int, str, str, Any]] = []  # (batch index, plan position, name, value, found)
        replacements: list[tuple[int, dict[str, str]]] = []  # (column index, value -> fix)
        for position, (index, name, required, seen, check, nominate) in enumerate(self.plan):
            values = columns[index]
            nominated = nominate(values) if nominate is not None else None
            if nominated is None:
                bad = self._bad_values(values, required, seen, check)
                nominated = [i for i, value in enumerate(values) if value in bad] if bad else ()
            else:
                bad = {}
                for batch_index in nominated:
                    value = values[batch_index]
                    if value not in bad:
                        bad[value] = _found(value, required, seen, check)
            fixes = {}
            for batch_index in nominated:
                value = values[batch_index]
                found = bad[value]
                if found is None:
                    continue
                findings.append((batch_index, position, name, value, found))
                fixed = _fix_of(found)
                if fixed is not None:
                    fixes[value] = fixed
            if fixes:
                replacements.append((index, fixes))
        report_findings(self.report, findings, first_row, self.lines, self.failed)
        self.report.rows_with_errors += len(self.failed)
        if self.writer is not None or self.sink is not None:
            self._write(replacements)
        self.flushed += len(self.rows)
        self.rows.clear()
        self.lines.clear()
        self.raw.clear()
        self.failed.clear()

    @staticmethod
    def _bad_values(values, required: bool, seen: dict, check) -> dict[str, Any]:
        """The findings of each distinct value of a column's batch that has any."""
        bad: dict[str, Any] = {}
        distinct = set(values)
        distinct.discard(None)
        for value in distinct:
            found = _found(value, required, seen, check)
            if found is not None:
                bad[value] = found
        return bad

    def _write(self, replacements: list[tuple[int, dict[str, str]]]) -> None:
        """The batch into the corrected copy: every fix applied, every other cell as it was."""
        for batch_index, row in enumerate(self.rows):
            if self.writer is None and batch_index in self.failed:
                continue  # the sink takes only rows without errors
            out = self.raw.get(batch_index)
            if out is None:
                out = list(row)
                for index, fixes in replacements:
                    fixed = fixes.get(out[index])
                    if fixed is not None:
                        out[index] = fixed
            else:
                out = list(out)
                for index, fixes in replacements:
                    if index < len(out) and out[index] in fixes:
                        out[index] = fixes[out[index]]
            if self.writer is not None:
                self.writer.writerow(out)
            if self.sink is not None and batch_index not in self.failed:
                self.sink(out)


def report_findings(report: Report, findings: list, first_row: int, lines, failed: set) -> None:
    """Add the findings (index, plan position, column name, value, found) of a run of rows to the
    report in line order, then column order; the indices of rows with an error go into `failed`.
    `lines[index]` is the line where the row starts."""
    findings.sort(key=lambda f: (f[0], f[1]))
    for index, _, name, value, found in findings:
        where = {"row": first_row + index, "line": lines[index], "column": name, "cell": value}
        if found is _EMPTY:
            report.add_error("csv_required_cell_empty", **where)
            failed.add(index)
            continue
        for severity, code, params in found:
            report.add(severity, code, **where, **params)
            if severity == ERROR:
                failed.add(index)


def _found(value: Optional[str], required: bool, seen: dict, check) -> Any:
    """What one cell gets: None (nothing), _EMPTY (a required cell left empty) or its findings;
    a typed column's findings remembered for the first REMEMBERED distinct values."""
    if value is None:  # missing from a short row: reported with the row
        return None
    if check is None:  # free text: only emptiness and formulas
        if not value or value.isspace():
            return _EMPTY if required else None
        return FORMULA_FINDING if is_formula(value) else None
    found = seen.get(value, _UNSEEN)
    if found is _UNSEEN:
        found = _EMPTY if not value or value.isspace() else check(value)
        if len(seen) < REMEMBERED:
            seen[value] = found
    if found is _EMPTY and not required:
        return None
    return found


def _fix_of(found: Any) -> Optional[str]:
    if found is _EMPTY:
        return None
    return next((params["normalized"] for _, _, params in found if "normalized" in params), None)


def _detail(code: str, **params: Any) -> dict[str, str]:
    from ckanext.ikoma.jp.errors import message

    return {"detail_ja": message(code, "ja", **params), "detail_en": message(code, "en", **params)}


def new_writer(text_stream, line_terminator: str):
    return csv.writer(text_stream, lineterminator=line_terminator)
