"""Which cells of a column certainly need no finding, told a batch at a time in C: one regex over the
column's batch joined by newlines, or a set difference for columns of listed values. Only the other
cells (the nominated ones) go through the exact per-cell check of cells.py, so the findings are
those of checking every cell by construction, as long as each CLEAN form below is a subset of what
its check accepts unchanged (tests/csv_check/test_clean.py holds each form against its check).
"""
from __future__ import annotations

import re
from typing import Optional

from ckanext.ikoma.standards.definitions import cell_spellings
from ckanext.ikoma.vocabularies import local_governments

# Forms that the normaliser of each format (or type) returns unchanged. ASCII digits only ([0-9],
# not \d, which takes any script's digits); never a newline, so a form cannot run into the next cell
# (a cell ends at the newline that follows it in the joined batch).
_FORMAT_CLEAN = {
    "postal_code": r"[0-9]{7}",
    # domestic, area code and exchange grouped by hyphens, 10 or 11 digits in all (DS-445)
    "phone": r"0(?:[0-9]-[0-9]{4}|[0-9]{2}-[0-9]{3,4}|[0-9]{3}-[0-9]{2,3}|[0-9]{4}-[0-9]{1,2})-[0-9]{4}",
    "email": r"(?=[^\n]{1,254}\n)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
             r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+",
    # inside Japan's extent (geo.py), rounded inwards: 20–45.99…, 122–153.99…
    "latitude": r"(?:2[0-9]|3[0-9]|4[0-5])(?:\.[0-9]+)?",
    "longitude": r"(?:12[2-9]|1[34][0-9]|15[0-3])(?:\.[0-9]+)?",
    # spaces of either width inside a reading (イコマシ ホンチョウ), never at its ends
    "kana": "{k}+(?:[ \u3000]+{k}+)*".format(
        k="[\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FEA-Za-z0-9\uFF21-\uFF3A\uFF41-\uFF5A\uFF10-\uFF19()\uFF08\uFF09]"),
    "weekdays": r"(?=[^\n])月?火?水?木?金?土?日?|[1-7]+",
}
_TYPE_CLEAN = {
    "integer": r"0|[1-9][0-9]{0,17}",
    "decimal": r"[0-9]{1,18}(?:\.[0-9]{1,18})?",
    "time": r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?|24:00",
    "date": r"[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])",
    # what may appear in an IRI (contact.py) after an http(s) scheme and a plain host name
    "url": r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\s<>\"{}|\\^`\x00-\x20\x7f-\x9f]*)?",
}
_CORPORATE_NUMBER = r"[1-9][0-9]{12}"  # and its check digit, in corporate_number_checked()
_STARTS_PLAINLY = {form for key, form in (*_FORMAT_CLEAN.items(), *_TYPE_CLEAN.items()) if key != "email"}
_STARTS_PLAINLY.add(_CORPORATE_NUMBER)
_NOT_FORMULA = r"(?![=+\-@])"
_FREE_TEXT = r"[^\n]*"
_SOME_TEXT = r"[^\S\n]*\S[^\n]*"  # not empty, not only spaces (\S is exactly `not str.isspace`)


def clean_form(column) -> Optional[str]:
    """The regex (without anchors) of the cells of `column` that need no finding when the cell may
    be blank, or None when the column has no such form (its cells are all checked, as before)."""
    if column.separator or column.type == "enum":
        return None
    if column.format == "lg_code":
        return None  # a set: see clean_values
    if column.format == "corporate_number":
        form = _CORPORATE_NUMBER
    elif column.format:
        form = _FORMAT_CLEAN.get(column.format)
    else:
        form = _TYPE_CLEAN.get(column.type)
    if form is None and (column.format or column.type not in ("string", "code")):
        return None
    if column.pattern and form is None:
        # the column's own pattern, when it is a run of plain character classes (^[0-9A-Za-z]+$);
        # otherwise it is tried on each cell (nominator)
        return _plain_pattern(column.pattern) or _FREE_TEXT
    return form


_PLAIN = re.compile(r"\^((?:\[[^\]\\^\n][^\]\\\n]*\][+*?]?)+)\$")


def _plain_pattern(pattern: str) -> Optional[str]:
    """The body of a pattern made of character classes of plain characters only, anchored at both
    ends, that no class of which takes a newline: matching it up to the cell's end is the same as
    the pattern's search."""
    match = _PLAIN.fullmatch(pattern)
    if not match or re.search(match.group(1).replace("+", "").replace("*", "").replace("?", ""), "\n"):
        return None
    return match.group(1)


def clean_values(column) -> Optional[frozenset]:
    """The values of a column of listed values that need no finding."""
    if column.separator:
        return None
    if column.type == "enum":
        return frozenset(column.values)
    if column.format == "lg_code":
        return frozenset(local_governments())  # every code of the vocabulary has its check digit right
    return None


def nominator(column, required: bool):
    """A function from a batch of a column's values (a tuple of str) to the sorted indices of the
    cells to check one by one, or None when the column has no fast path (nor this batch: a cell
    holding a line break or a missing cell from a short row)."""
    values_ok = clean_values(column)
    if values_ok is not None:
        return _by_set(values_ok if required else values_ok | {""})
    if not (column.type not in ("string", "code") or column.format or column.pattern or column.separator):
        # free text: only a formula, or an empty cell where one is required, is a finding
        return _by_search(re.compile(r"\n(?=[=+\-@]|[^\S\n]*\n)" if required else r"\n(?=[=+\-@])"))
    form = clean_form(column)
    if form is None:
        return None
    if form == _FREE_TEXT and required:
        form = _SOME_TEXT
    body = _guards(form, required) + f"(?:{form})"
    if not required:
        body = f"(?:{body})?"  # a blank cell is no finding where the cell may be blank
    run = re.compile(f"(?:{body}\n)*")  # as many clean cells as follow each other
    pattern = re.compile(column.pattern) if column.pattern and form in (_FREE_TEXT, _SOME_TEXT) else None
    check_digit = column.format == "corporate_number"

    def nominate(values) -> Optional[list[int]]:
        joined = _joined(values)
        if joined is None:
            return None
        found, line, position, size, match = [], 0, 0, len(joined), run.match
        while True:
            end = match(joined, position).end()
            if end >= size:
                break
            line += joined.count("\n", position, end)
            found.append(line)
            position = joined.index("\n", end) + 1
            line += 1
        if pattern is not None or check_digit:
            more = _failing(values, pattern) if pattern is not None else _wrong_check_digits(values)
            if more:
                found = sorted(set(found).union(more))
        return found

    return nominate


def _guards(form: str, required: bool) -> str:
    """What a form must also exclude: a formula (=, +, - or @ first: a form of our own starts
    with none of them, except the e-mail address's) and, where a blank word means "blank" (an
    optional cell), the blank words that the form matches (ナシ and ー are katakana)."""
    guards = "" if form in _STARTS_PLAINLY else _NOT_FORMULA
    blank = [w for w in cell_spellings().blank if re.fullmatch(f"(?:{form})\n", w + "\n")] if not required else []
    if blank:
        guards += "(?!(?:{})\n)".format("|".join(re.escape(w) for w in sorted(blank, key=len, reverse=True)))
    return guards


def _joined(values) -> Optional[str]:
    """The cells, each followed by a newline; None when a cell is missing or holds a newline."""
    try:
        joined = "\n".join(values) + "\n"
    except TypeError:  # None: a cell missing from a short row
        return None
    return joined if joined.count("\n") == len(values) else None


def _by_search(finder):
    """Free text: `finder` matches the newline before each cell to check."""
    def nominate(values) -> Optional[list[int]]:
        joined = _joined(values)
        if joined is None:
            return None
        joined = "\n" + joined
        found, line, position = [], -1, 0
        for match in finder.finditer(joined):
            start = match.start() + 1
            line += joined.count("\n", position, start)
            position = start
            found.append(line)
        return found

    return nominate


def _failing(values, pattern) -> list[int]:
    search = pattern.search
    return [i for i, v in enumerate(values) if v and not search(v)]


_CHECK_DIGIT = "987654321"  # by the weighted sum mod 9


def _wrong_check_digits(values) -> list[int]:
    """法人番号: 13 digits whose first is 9 - (Σ digits of the base weighted 1,2,… from the right)
    mod 9; since 10 ≡ 1 (mod 9) that sum is int(base) + int(every other digit of it), mod 9.
    Cells that are not 13 ASCII digits are nominated by the form already."""
    try:
        return [i for i, v in enumerate(values) if v[0] != _CHECK_DIGIT[(int(v[1:]) + int(v[1::2])) % 9]]
    except (ValueError, IndexError):  # some cell is no number: the careful way
        return [i for i, v in enumerate(values) if len(v) == 13 and v.isdigit() and v.isascii()
                and v[0] != _CHECK_DIGIT[(int(v[1:]) + int(v[1::2])) % 9]]


def _by_set(ok: frozenset):
    def nominate(values) -> Optional[list[int]]:
        bad = set(values).difference(ok)
        if not bad:
            return []
        if None in bad:
            return None
        if len(bad) > 16:
            return [i for i, v in enumerate(values) if v not in ok]
        found = []
        for value in bad:  # tuple.index scans in C
            i = -1
            try:
                while True:
                    i = values.index(value, i + 1)
                    found.append(i)
            except ValueError:
                pass
        found.sort()
        return found

    return nominate
