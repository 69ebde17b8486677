"""clean.py's nominators over pyarrow arrays: which cells of a column certainly need no finding,
told by pyarrow.compute (RE2 regexes, hash sets) over a whole piece of the file at once. As in
clean.py, the other cells (the nominated ones) go through the exact per-cell check of cells.py, so
the findings are those of checking every cell as long as each clean mask below is a subset of what
clean.py calls clean (tests/csv_check/test_arrow.py holds them against each other).

The cells reaching here hold no line break (fast.py hands over only pieces whose every line is one
row), so `^…$` over a cell is the same as clean.py's `…\\n` over the joined column.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

import pyarrow as pa
# pyarrow.compute's functions, without pyarrow.compute: importing it writes a documented Python
# wrapper for each of its ~300 functions, a seventh of a whole check of a 100,000-row file.
from pyarrow._compute import CastOptions, MatchSubstringOptions, SetLookupOptions, SliceOptions, call_function

from ckanext.ikoma.csv_check.clean import (_CORPORATE_NUMBER, _FREE_TEXT, _SOME_TEXT, _STARTS_PLAINLY, clean_form,
                                           clean_values)
from ckanext.ikoma.standards.definitions import cell_spellings

# The characters for which Python's str.isspace() is true (RE2's \s is ASCII only); the test
# checks this list against str.isspace over all of Unicode.
PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}" \
           "\\x{202f}\\x{205f}\\x{3000}"
_FORMULA_CHARACTERS = "=+-@"
_SOME_NON_SPACE = f"[^{PY_SPACE}]"
# Lookaheads RE2 has not: a form starting with one of these is the rest of the form with a bound
# on the cell's length in characters (min, max); no other lookaround may appear in a form.
_LENGTH_LOOKAHEADS = {r"(?=[^\n]{1,254}\n)": (1, 254), r"(?=[^\n])": (1, None)}

Nominate = Callable[[pa.Array], list]


def fn(name: str, *args, options=None):
    """pyarrow.compute's function `name` over arrays (and scalars)."""
    return call_function(name, list(args), options)


def matches(cells, regex: str):
    return fn("match_substring_regex", cells, options=MatchSubstringOptions(regex))


def is_in(cells, values):
    return fn("is_in", cells, options=SetLookupOptions(values))


def positions(mask) -> list[int]:
    """Positions where `mask` (a boolean array) is true."""
    return fn("indices_nonzero", mask).to_pylist()


def formula_start(cells):
    """Cells starting with = + - or @ (four literal prefixes cost a third of one regex)."""
    found = [fn("starts_with", cells, options=MatchSubstringOptions(c)) for c in _FORMULA_CHARACTERS]
    return fn("or", fn("or", found[0], found[1]), fn("or", found[2], found[3]))


def _slice(cells, start: int, stop: int, step: int = 1):
    return fn("utf8_slice_codeunits", cells, options=SliceOptions(start, stop, step))


def _int(cells):
    return fn("cast", cells, options=CastOptions(pa.int64()))


def re2_form(form: str) -> Optional[tuple[str, tuple[int, Optional[int]]]]:
    """clean.py's form as an RE2 regex anchored at both ends of the cell, with the bounds on the
    cell's length it also needs; None when the form has a construct this does not translate."""
    bounds: tuple[int, Optional[int]] = (0, None)
    for lookahead, length in _LENGTH_LOOKAHEADS.items():
        if form.startswith(lookahead):
            form, bounds = form[len(lookahead):], length
            break
    if "(?=" in form or "(?!" in form or "(?<" in form or re.search(r"\\[dDwWbBSAZ]", form):
        return None
    return "^(?:" + form.replace(r"\s", PY_SPACE) + ")$", bounds


def nominator(column, required: bool) -> Optional[Nominate]:
    """A function from a column's cells (a pyarrow string array) to the positions of the cells to
    check one by one, in order; None when the column has no such function here (fast.py then
    checks each distinct value of the piece)."""
    values_ok = clean_values(column)
    if values_ok is not None:
        value_set = pa.array(sorted(values_ok if required else values_ok | {""}), pa.string())
        return lambda cells: positions(fn("invert", is_in(cells, value_set)))
    if not (column.type not in ("string", "code") or column.format or column.pattern or column.separator):
        # free text: only a formula, or an empty cell where one is required, is a finding
        if required:
            return lambda cells: positions(fn("or", formula_start(cells),
                                              fn("invert", matches(cells, _SOME_NON_SPACE))))
        return lambda cells: positions(formula_start(cells))
    form = clean_form(column)
    # a pattern clean.py tries on each cell in Python: each distinct value is checked instead
    translated = re2_form(form) if form not in (None, _FREE_TEXT, _SOME_TEXT) else None
    if translated is None:
        return None
    regex, (shortest, longest) = translated
    matches(pa.array([], pa.string()), regex)  # RE2 compiles it, or this raises
    guard_formula = form not in _STARTS_PLAINLY
    # an optional cell's blank words (なし, ー) are a fix; clean.py leaves out those its form takes
    blank = None if required else pa.array(sorted(cell_spellings().blank), pa.string())
    check_digit = form == _CORPORATE_NUMBER

    def nominate(cells) -> list[int]:
        clean = formed = matches(cells, regex)
        if shortest or longest is not None:
            length = fn("utf8_length", cells)
            clean = fn("and", clean, fn("greater_equal", length, pa.scalar(shortest)))
            if longest is not None:
                clean = fn("and", clean, fn("less_equal", length, pa.scalar(longest)))
        if guard_formula:
            clean = fn("and_not", clean, formula_start(cells))
        if blank is not None:
            clean = fn("or", fn("and_not", clean, is_in(cells, blank)), fn("equal", cells, pa.scalar("")))
        found = positions(fn("invert", clean))
        if check_digit:
            wrong = _wrong_check_digits(cells, formed)
            if wrong:
                found = sorted(set(found).union(wrong))
        return found

    return nominate


def _wrong_check_digits(cells, formed) -> list[int]:
    """法人番号 whose check digit is wrong, among the cells of 13 ASCII digits (`formed`): as in
    clean._wrong_check_digits, the digit is 9 - (int(base) + int(every other digit of it)) mod 9."""
    where = fn("indices_nonzero", formed)
    numbers = fn("take", cells, where)
    base, odd, first = _int(_slice(numbers, 1, 13)), _int(_slice(numbers, 1, 13, 2)), _int(_slice(numbers, 0, 1))
    expected = fn("subtract", pa.scalar(9), fn("modulo", fn("add", base, odd), pa.scalar(9)))
    return fn("filter", where, fn("not_equal", first, expected)).to_pylist()
