"""One check per column, built once from its definition and applied to every cell of that column.

A check returns None for a conforming cell, or a list of findings (severity, code, params). Values
that pass only after normalisation (full-width digits, 2024/04/01, 〒630-0288) are warnings that
show the standard form; 和暦 dates are errors that show the Western date.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp import codes, contact, dates, geo, kana, numbers
from ckanext.ikoma.vocabularies import local_governments

Finding = tuple[str, str, dict[str, Any]]
CellCheck = Callable[[str], Optional[list[Finding]]]

_FORMULA_START = ("=", "+", "-", "@")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def _normalizer_for(column) -> Optional[Callable[[str], str]]:
    fmt, type_ = column.format, column.type
    if fmt == "lg_code":
        return lambda v: codes.normalize_lg_code(v, known=local_governments())
    by_format = {
        "corporate_number": codes.normalize_corporate_number,
        "postal_code": contact.normalize_postal_code,
        "phone": contact.normalize_phone,
        "email": contact.normalize_email,
        "latitude": geo.normalize_latitude,
        "longitude": geo.normalize_longitude,
        "kana": kana.normalize_katakana,
        "weekdays": kana.normalize_weekdays,
    }
    if fmt in by_format:
        return by_format[fmt]
    if type_ == "integer":
        return numbers.normalize_non_negative_integer
    if type_ == "decimal":
        return numbers.normalize_decimal
    if type_ == "time":
        return dates.normalize_time
    if type_ == "url":
        return contact.normalize_url
    return None


def _check_date(value: str) -> Optional[list[Finding]]:
    parsed = dates.parse_date(value)
    if parsed.was_wareki:
        return [("error", "csv_wareki_date", {"iso": parsed.iso})]
    if parsed.iso != value:
        return [("warning", "csv_not_normalized", {"normalized": parsed.iso})]
    return None


FORMULA_FINDING: list[Finding] = [("warning", "csv_formula", {})]


def is_formula(value: str) -> bool:
    """=HYPERLINK(…) and friends run when the CSV is opened in a spreadsheet; -5 and +81 do not."""
    return value[:1] in _FORMULA_START and not _NUMBER.match(value)


def build_cell_check(column) -> Optional[CellCheck]:
    """The check for one column: type and format, allowed values, pattern, formula injection.
    None for free text, whose only check is `is_formula` (the engine runs that one in bulk)."""
    normalize = _normalizer_for(column)
    allowed = set(column.values) if column.type == "enum" else None
    pattern = re.compile(column.pattern) if column.pattern else None
    is_date = column.type == "date"
    if normalize is None and allowed is None and pattern is None and not is_date and not column.separator:
        return None

    def check_one(value: str) -> Optional[list[Finding]]:
        if is_formula(value):
            return FORMULA_FINDING
        try:
            if is_date:
                return _check_date(value)
            if allowed is not None:
                if value not in allowed:
                    return [("error", "choice_unknown", {"value": value})]
                return None
            if normalize is not None:
                normalized = normalize(value)
                if normalized != value:
                    return [("warning", "csv_not_normalized", {"normalized": normalized})]
            if pattern is not None and not pattern.search(value):
                return [("error", "value_pattern", {"pattern": column.pattern})]
        except JpValueError as e:
            return [("error", e.code, e.params)]
        return None

    separator = column.separator
    if not separator:
        return check_one

    def check_each(value: str) -> Optional[list[Finding]]:
        findings: list[Finding] = []
        for part in value.split(separator):
            found = check_one(part.strip())
            if found:
                findings.extend(found)
        return findings or None

    return check_each
