"""The fast pass (issue #15): one pass over the file in pieces of whole lines, each piece split into
rows by pyarrow's CSV reader and its columns checked by pyarrow.compute (arrow_clean.py), the cells
it nominates checked one by one exactly as the row pass does (rows.py). A CP932 file's pieces are
converted to UTF-8 one ahead, in a second thread (by the C library's iconv where it reads CP932 as
CPython does, cp932.py).

It reports only what it knows to be the row pass's report, and gives up (returns None; engine.py
then runs the encoding pass and the row pass as before) on anything else: a file that is not
entirely valid UTF-8 or entirely valid CP932 (the encoding pass would report lines), a zip, binary
or HTML file, a line break inside a cell or a blank line (line numbers), a lone CR, a quote that is
not a plain quoted field (csv.reader's leniency), a row of the wrong length, or a line longer than a
cell may be. What it accepts, csv.reader and pyarrow split alike: plain fields and quoted fields
with doubled quotes, every line one row.
"""
from __future__ import annotations

import codecs
import csv
import re
import threading
from typing import BinaryIO, Iterator, Optional

import pyarrow as pa
import pyarrow.csv as pcsv

from ckanext.ikoma.csv_check import arrow_clean
from ckanext.ikoma.csv_check.cp932 import converter as cp932_converter
from ckanext.ikoma.csv_check.arrow_clean import fn, is_in, positions
from ckanext.ikoma.csv_check.encoding import ZIP_MAGIC
from ckanext.ikoma.csv_check.engine import (ENCODING_NAMES, MAX_CELL, WHOLE_FILE_ERRORS, _report_header,
                                            _standard_summary, sniff_delimiter)
from ckanext.ikoma.csv_check.header import column_level
from ckanext.ikoma.csv_check.report import Report
from ckanext.ikoma.csv_check.rows import _found, report_findings
from ckanext.ikoma.csv_check.cells import build_cell_check
from ckanext.ikoma.net.content import looks_like_html

# Bytes read at a time; a line within one read is no longer than this, so with MAX_CELL no cell
# inside it can be too large for csv.reader (longer lines are measured across reads).
CHUNK = 1 << 20
assert CHUNK <= MAX_CELL
# Bytes checked at a time: each call into pyarrow has a cost of its own, so fewer, larger pieces;
# the memory held is bounded by it whatever the file's size (4 MiB: 30 MiB more RSS, no faster)
PIECE = 2 * CHUNK
# Bytes of CP932 converted at a time (see _from_cp932).
SLICE = 1 << 18
# A column whose first piece has at most one distinct value in this many cells is checked by value
# (pyarrow's hash of each cell costs less than a regex over it), the others by their regex.
REPEATING = 8


class Fallback(Exception):
    """The file holds something the fast pass does not read exactly as the row pass does."""


def check_fast(stream: BinaryIO, standard, max_issues: int) -> Optional[Report]:
    """The report of the file from the start of `stream`, or None when the row pass must make it."""
    try:
        return _check(stream, standard, max_issues)
    except Fallback:
        return None


def _pieces(stream: BinaryIO, first: bytes) -> Iterator[tuple[bytearray, int]]:
    """The file in runs of whole lines (the last one may lack its line break): (buffer, end), the
    run being the buffer's first `end` bytes. The same buffer is read into again for the next run
    (no fresh memory per run), so the caller is done with a run before asking for the next."""
    buffer = bytearray(PIECE + CHUNK)
    view = memoryview(buffer)
    buffer[:len(first)] = first
    filled, line_start, more = 0, 0, True  # line_start: where the unfinished line starts
    read = len(first)
    while True:
        while read:
            region = filled, filled + read
            if buffer.find(b"\x00", *region) >= 0:
                raise Fallback("binary")
            line_end = buffer.find(b"\n", *region)
            if (line_end if line_end >= 0 else region[1]) - line_start > MAX_CELL:
                raise Fallback("a line longer than a cell may be")
            if line_end >= 0:
                line_start = buffer.rfind(b"\n", *region) + 1
            filled += read
            read = stream.readinto(view[filled:filled + CHUNK]) if filled < PIECE else 0
            more = bool(read) or filled >= PIECE
        end = line_start if more else filled
        if end:
            yield buffer, end
        if not more:
            return
        rest = bytes(view[end:filled])
        buffer[:len(rest)] = rest
        filled, line_start = len(rest), line_start - end
        read = stream.readinto(view[filled:filled + CHUNK])
        more = bool(read)


def _regular_line(delimiter: str) -> re.Pattern:
    """A line of plain fields and quoted fields with doubled quotes only, ending the row."""
    d = re.escape(delimiter.encode())
    field = rb'(?:[^"' + d + rb'\r\n]*|"(?:[^"\r\n]|"")*")'
    return re.compile(field + rb"(?:" + d + field + rb")*\r?\n?")


def _check_quotes(piece, start: int, end: int, regular: re.Pattern) -> None:
    find, rfind = piece.find, piece.rfind
    position = find(b'"', start, end)
    while position >= 0:
        line = rfind(b"\n", 0, position) + 1
        line_end = find(b"\n", position, end) + 1 or end
        if not regular.fullmatch(piece, line, line_end):
            raise Fallback("a quote csv.reader may read otherwise")
        position = find(b'"', line_end, end)


def _blank_line(piece, start: int, end: int) -> bool:
    """A line break right after another one (a blank line, or one made of a lone CR)."""
    return piece[start:start + 1] in (b"\r", b"\n") or any(
        piece.find(pair, start, end) >= 0 for pair in (b"\n\n", b"\r\r", b"\n\r"))


def _valid_utf8(piece, start: int, end: int) -> None:
    """Fallback unless the bytes from `start` to `end` are UTF-8 throughout."""
    offsets = pa.array([start, end], pa.int64()).buffers()[1]
    try:  # the piece as one text cell: arrow's full validation checks its UTF-8, in C
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(piece)]).validate(full=True)
    except pa.ArrowInvalid:
        raise Fallback("not UTF-8 throughout") from None


def _from_cp932(piece, start: int, end: int) -> tuple[bytes, int]:
    """The bytes from `start` to `end`, CP932, as new UTF-8 bytes (and their length), by CPython's
    codecs. Converted a
    slice of whole lines at a time (an LF is never part of a CP932 character): they hold the GIL
    for the whole of each call, and the checking thread waits for it after each of its pyarrow
    calls."""
    view, parts = memoryview(piece), []
    while start < end:
        cut = piece.find(b"\n", start + SLICE, end) + 1 or end
        parts.append(str(view[start:cut], "cp932").encode("utf-8"))
        start = cut
    made = b"".join(parts)
    return made, len(made)


class _Ahead(threading.Thread):
    """The next piece read and converted in a thread of its own (see _utf8_pieces)."""

    def __init__(self, pieces: Iterator[tuple[bytearray, int]], start: int, convert):
        super().__init__(daemon=True)
        self.pieces, self.start_at, self.convert, self.piece, self.error = pieces, start, convert, None, None
        self.start()

    def run(self) -> None:
        try:
            read = next(self.pieces, None)
            if read is not None:
                self.piece = self.convert(read[0], self.start_at, read[1]), read[1]
        except UnicodeDecodeError:
            self.error = Fallback("not CP932 throughout")
        except BaseException as e:  # Fallback, or the stream's own error: raised in the caller
            self.error = e

    def result(self) -> Optional[tuple[tuple, int]]:
        self.join()
        if self.error is not None:
            raise self.error
        return self.piece


def _utf8_pieces(stream: BinaryIO, first: bytes, start: int, cp932: bool) -> Iterator[tuple]:
    """The file from `start` in `first` as (UTF-8 piece, start, end, bytes of the file it holds)."""
    pieces = _pieces(stream, first)
    if not cp932:
        for piece, end in pieces:
            _valid_utf8(piece, start, end)
            yield piece, start, end, end
            start = 0
        return
    # CP932: piece n+1 is read and converted in a thread while piece n is checked (pyarrow lets the
    # GIL go while it splits and checks). Converted by the C library's iconv where it reads CP932 as
    # CPython does (cp932.py), which lets the GIL go too, so the two run on two cores; else by
    # CPython's codecs, which hold it, a slice at a time (bench/README.md). The converted piece is
    # a copy, so the next piece is read into the buffer only after it is made.
    iconv = cp932_converter()
    convert = iconv.convert if iconv is not None else _from_cp932
    ahead = _Ahead(pieces, start, convert)
    try:
        while True:
            done = ahead.result()
            if done is None:
                return
            ahead = _Ahead(pieces, 0, convert)
            (piece, length), read = done
            yield piece, 0, length, read
    finally:
        ahead.join()  # the thread reads the caller's stream: done with it before the row pass reads it
        if iconv is not None:
            iconv.close()


def _check(stream: BinaryIO, standard, max_issues: int) -> Report:
    if stream.tell() != 0:
        raise Fallback("not at the start")
    first = stream.read(CHUNK)
    if first.startswith((ZIP_MAGIC, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or looks_like_html(first[:4096], None):
        raise Fallback("not a text file")
    header_end = first.find(b"\n") + 1
    if not header_end:
        raise Fallback("no line break in the first chunk")
    bom = first.startswith(codecs.BOM_UTF8)
    try:
        _valid_utf8(first, 0, first.rfind(b"\n") + 1)
        encoding = "utf-8-sig" if bom else "utf-8"
    except Fallback:
        if bom:
            raise
        encoding = "cp932"  # the encoding pass found a line that is not UTF-8: CP932, if all of it is

    # the report as engine.py begins it, the header as its row pass reads it
    report = Report(standard=_standard_summary(standard), max_issues=max_issues)
    report.file = {"bytes": 0, "encoding": encoding, "bom": bom}
    if encoding == "cp932":
        report.add_warning("csv_encoding_not_utf8", encoding=ENCODING_NAMES["cp932"], normalized="UTF-8",
                           rule="rule_encoding")
    header, delimiter = _header(first[:header_end], encoding)
    report.file["delimiter"] = delimiter
    if delimiter != ",":
        report.add_warning("csv_delimiter", delimiter="TAB" if delimiter == "\t" else delimiter,
                           normalized=",", rule="rule_delimiter")
    plan = _plan(header, _report_header(header, standard, report))
    options = _options(len(header), delimiter, plan)

    size, rows, regular = 0, 0, _regular_line(delimiter)
    pieces = _utf8_pieces(stream, first, header_end, encoding == "cp932")
    try:
        for piece, start, end, read in pieces:
            size += read
            rows += _check_piece(piece, start, end, regular, options, plan, report, rows)
    finally:
        pieces.close()  # on a Fallback too: its reading thread is done with the stream
    report.file["bytes"] = size
    report.rows = report.file["rows"] = rows
    if rows == 0:
        report.add_error("csv_header_only")
    if any(report.counts[code] for code in WHOLE_FILE_ERRORS):
        report.rows_with_errors = report.rows
    return report


def _header(line: bytes, encoding: str) -> tuple[list[str], str]:
    """The header and the delimiter, when csv.reader reads the first line as one whole row."""
    try:
        first_line = line.decode(encoding)
    except UnicodeDecodeError:
        raise Fallback("the header") from None
    if first_line.count("\r") != first_line.count("\r\n"):
        raise Fallback("a lone CR")
    delimiter = sniff_delimiter(first_line)
    if '"' in first_line and not _regular_line(delimiter).fullmatch(first_line.encode("utf-8")):
        raise Fallback("a quote in the header")
    csv.field_size_limit(MAX_CELL)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter, strict=False), None)
    except csv.Error:
        raise Fallback("header") from None
    if not header or not any(h.strip() for h in header):
        raise Fallback("no header")
    if len(header) < 2:
        raise Fallback("one column: a quoted empty cell is a blank line to the row pass")
    return header, delimiter


def _plan(header: list[str], match) -> list[list]:
    """[index, display name, cell required, remembered findings, check, arrow nominator, by value]
    for each standard column, as rows.BatchChecker plans them."""
    plan = []
    for i, column in enumerate(match.columns):
        if column is not None:
            required = column_level(column, match.layout) == "required"
            cell_required = required and not column.is_flag
            nominate = arrow_clean.nominator(column, cell_required)
            plan.append([i, header[i], cell_required, {}, build_cell_check(column, required), nominate,
                         True if nominate is None else None])
    if not plan:
        raise Fallback("no column to check")
    return plan


def _options(width: int, delimiter: str, plan: list[list]) -> tuple:
    """pyarrow's CSV reader as csv.reader splits a plain file: every cell text, none null, quotes
    doubled, blank lines kept as rows (so that they can be told), only the checked columns kept."""
    names = [f"c{i}" for i in range(width)]
    return (pcsv.ReadOptions(column_names=names, use_threads=False, block_size=2 * PIECE),
            pcsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                              newlines_in_values=False, ignore_empty_lines=False),
            pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                include_columns=[names[i] for i, *_ in plan],
                                strings_can_be_null=False, quoted_strings_can_be_null=False,
                                null_values=[], check_utf8=False))


def _check_piece(piece, start: int, end: int, regular, options, plan, report: Report, before: int) -> int:
    """Check the rows of the piece's bytes from `start` to `end` (`before` rows came before
    them); return how many rows they hold."""
    if start >= end:
        return 0
    if piece.find(b'"', start, end) >= 0:
        _check_quotes(piece, start, end, regular)
    try:
        table = pcsv.read_csv(pa.py_buffer(piece).slice(start, end - start), *options)
    except pa.ArrowInvalid:
        raise Fallback("a row of the wrong length") from None
    # pyarrow ends a line at LF, CRLF or a lone CR, as csv.reader does, and makes a row of empty
    # cells of a blank line (csv.reader skips it). So there is no lone CR when it has one row per
    # LF, and no blank line when no row that could be one is one in the file.
    lines = table.num_rows
    if lines != piece.count(b"\n", start, end) + (piece[end - 1] != 10):  # 10: LF
        raise Fallback("a lone CR")
    if fn("any", fn("equal", table.column(0), pa.scalar(""))).as_py() and _blank_line(piece, start, end):
        raise Fallback("a blank line")
    findings: list = []
    for position, (index, name, required, seen, check, nominate, by_value) in enumerate(plan):
        cells = table.column(f"c{index}")
        cells = cells.chunk(0) if cells.num_chunks == 1 else cells.combine_chunks()
        if by_value is None:  # decided on the first piece: few distinct values are checked once each
            by_value = plan[position][6] = fn("count_distinct", cells).as_py() * REPEATING <= len(cells)
        bad: dict = {}
        if by_value:  # each distinct value of the piece
            for value in fn("unique", cells).to_pylist():
                found = _found(value, required, seen, check)
                if found is not None:
                    bad[value] = found
            nominated = positions(is_in(cells, pa.array(list(bad), pa.string()))) if bad else []
        else:
            nominated = nominate(cells)
        if not nominated:
            continue
        for row, value in zip(nominated, fn("take", cells, pa.array(nominated, pa.int64())).to_pylist()):
            if value not in bad:
                bad[value] = _found(value, required, seen, check)
            found = bad[value]
            if found is not None:
                findings.append((row, position, name, value, found))
    failed: set = set()
    first_line = before + 2  # the header is line 1
    report_findings(report, findings, before + 1, range(first_line, first_line + lines), failed)
    report.rows_with_errors += len(failed)
    return lines
