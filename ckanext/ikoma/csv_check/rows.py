"""The row pass: rows checked a batch at a time, column by column, and (when asked) the corrected
copy written as they go, so that the copy is exactly what the report describes."""
from __future__ import annotations

import csv
from typing import Any, Optional

from ckanext.ikoma.csv_check.cells import FORMULA_FINDING, build_cell_check, is_formula
from ckanext.ikoma.csv_check.header import column_level
from ckanext.ikoma.csv_check.report import ERROR, Report

REMEMBERED = 4096
_UNSEEN, _EMPTY = object(), object()


def _cells_text(cells: list[str]) -> str:
    return ",".join(f'"{c}"' if "," in c or '"' in c else c for c in cells)


class BatchChecker:
    """Checks rows a batch at a time, column by column: each distinct value of a column is checked
    once (and remembered across batches), so the per-cell work is done by zip and set in C and
    Python only looks at values it has not seen. Findings are reported in line order."""

    BATCH = 2000

    def __init__(self, header: list[str], match, report: Report, writer: Optional[Any] = None,
                 sink: Optional[Any] = None):
        self.report = report
        self.header = header
        self.width = len(header)
        self.writer = writer  # csv.writer of the corrected copy, or None
        self.sink = sink  # called with each row without errors, fixes applied, or None
        # (index, display name, cell required, remembered findings, check) per standard column;
        # a blank 1-or-blank flag means "no", so its cells are never missing
        self.plan = []
        for i, column in enumerate(match.columns):
            if column is None:
                continue
            required = column_level(column, match.layout) == "required"
            self.plan.append((i, header[i], required and not column.is_flag, {}, build_cell_check(column, required)))
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
        for position, (index, name, required, seen, check) in enumerate(self.plan):
            values = columns[index]
            bad = self._bad_values(values, required, seen, check)
            if not bad:
                continue
            fixes = {value: fixed for value, fixed in ((v, _fix_of(found)) for v, found in bad.items())
                     if fixed is not None}
            if fixes:
                replacements.append((index, fixes))
            for batch_index, value in enumerate(values):
                if value in bad:
                    findings.append((batch_index, position, name, value, bad[value]))
        findings.sort(key=lambda f: (f[0], f[1]))
        for batch_index, _, name, value, found in findings:
            where = {"row": first_row + batch_index, "line": self.lines[batch_index], "column": name, "cell": value}
            if found is _EMPTY:
                self.report.add_error("csv_required_cell_empty", **where)
                self.failed.add(batch_index)
                continue
            for severity, code, params in found:
                self.report.add(severity, code, **where, **params)
                if severity == ERROR:
                    self.failed.add(batch_index)
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
            return bad
        for value in distinct:
            found = seen.get(value, _UNSEEN)
            if found is _UNSEEN:
                found = _EMPTY if not value or value.isspace() else check(value)
                if len(seen) < REMEMBERED:
                    seen[value] = found
            if found is not None and (found is not _EMPTY or required):
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


def _fix_of(found: Any) -> Optional[str]:
    if found is _EMPTY:
        return None
    return next((params["normalized"] for _, _, params in found if "normalized" in params), None)


def _detail(code: str, **params: Any) -> dict[str, str]:
    from ckanext.ikoma.jp.errors import message

    return {"detail_ja": message(code, "ja", **params), "detail_en": message(code, "en", **params)}


def new_writer(text_stream, line_terminator: str):
    return csv.writer(text_stream, lineterminator=line_terminator)
