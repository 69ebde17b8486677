"""One check per column, built once from its definition and applied to every cell of that column.

A check returns None for a conforming cell, or a list of findings (severity, code, params). The
policy (README, issue #11): an error only where the value is wrong or its meaning cannot be
recovered; where the meaning is certain but the form is not the definition's (full-width digits,
8:30, ｺﾏｴ, ハ―ト, ○ for 1, 月～金, 令和6年4月1日, a 5-digit code), a warning whose params carry the
fix (`normalized`) and the rule it follows (`rule`, a rule_* key of jp/messages.yaml). Columns
without a type or format are free text: only formulas are flagged there.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Optional

from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp import codes, contact, dates, geo, kana, numbers
from ckanext.ikoma.jp.text import fold_width
from ckanext.ikoma.standards.definitions import cell_spellings
from ckanext.ikoma.vocabularies import local_governments

Finding = tuple[str, str, dict[str, Any]]
CellCheck = Callable[[str], Optional[list[Finding]]]

_FORMULA_START = ("=", "+", "-", "@")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")

# format (or type) -> (normaliser, the rule its canonical form follows)
_BY_FORMAT: dict[str, tuple[Callable[[str], str], str]] = {
    "corporate_number": (codes.normalize_corporate_number, "rule_corporate_number"),
    "postal_code": (contact.normalize_postal_code, "rule_postal_code"),
    "phone": (contact.normalize_phone, "rule_phone"),
    "email": (contact.normalize_email, "rule_width"),
    "latitude": (geo.normalize_latitude, "rule_width"),
    "longitude": (geo.normalize_longitude, "rule_width"),
    "kana": (kana.normalize_katakana, "rule_kana"),
    "weekdays": (kana.normalize_weekdays, "rule_weekdays"),
}
_BY_TYPE: dict[str, tuple[Callable[[str], str], str]] = {
    "integer": (numbers.normalize_non_negative_integer, "rule_number"),
    "decimal": (numbers.normalize_decimal, "rule_width"),
    "time": (dates.normalize_time, "rule_time"),
    "url": (contact.normalize_url, "rule_trim"),
}
# Free text by definition: what cannot be read as a list of weekdays (平日, 毎日, 全日・全時間帯使用可)
# is what the publisher wrote, not an error.
FREE_WHEN_UNREADABLE = {"weekdays"}


FORMULA_FINDING: list[Finding] = [("warning", "csv_formula", {})]


def is_formula(value: str) -> bool:
    """=HYPERLINK(…) and friends run when the CSV is opened in a spreadsheet; -5 and +81 do not."""
    return value[:1] in _FORMULA_START and not _NUMBER.match(value)


def _normalizer_for(column) -> Optional[tuple[Callable[[str], str], str]]:
    if column.format == "lg_code":
        return (lambda v: codes.normalize_lg_code(v, known=local_governments())), "rule_lg_code"
    return _BY_FORMAT.get(column.format or "") or _BY_TYPE.get(column.type)


def rule_of(value: str, normalized: str, rule: str) -> str:
    """The rule a fix follows: spaces or widths alone are named as such, whatever the column."""
    if value.strip() == normalized:
        return "rule_trim"
    if fold_width(value) == normalized and rule not in ("rule_kana", "rule_choice", "rule_flag"):
        return "rule_width"
    return rule


def fix(value: str, normalized: str, rule: str, code: str = "csv_not_normalized", **params: Any) -> list[Finding]:
    """A warning with its fix."""
    return [("warning", code, dict(params, normalized=normalized, rule=rule_of(value, normalized, rule)))]


def _date_finding(value: str) -> Optional[list[Finding]]:
    parsed = dates.parse_date(value)
    if parsed.was_wareki:  # certain: the era table converts it exactly
        return fix(value, parsed.iso, "rule_date", code="csv_wareki_date", iso=parsed.iso)
    if parsed.iso != value:
        return fix(value, parsed.iso, "rule_date")
    return None


def expected_choices(column) -> dict[str, str]:
    """What a choice column asks for, in words: 「有」か「無」 / 有 or 無."""
    if column.is_flag:
        return {"choices_ja": "「1」か空欄", "choices_en": "1 or leave it blank"}
    values = column.values
    if len(values) == 2:
        return {"choices_ja": f"「{values[0]}」か「{values[1]}」", "choices_en": f"{values[0]} or {values[1]}"}
    return {"choices_ja": "".join(f"「{v}」" for v in values) + "のいずれか",
            "choices_en": "one of " + ", ".join(values)}


def _choice_check(column) -> CellCheck:
    allowed = set(column.values)
    spelled = dict(column.spellings)
    marks = cell_spellings()
    if column.is_flag:
        spelled.update({mark: "1" for mark in marks.flag_yes})
        spelled.update({mark: "" for mark in marks.flag_no})
    expected = expected_choices(column)
    rule = "rule_flag" if column.is_flag else "rule_choice"

    def check(value: str) -> Optional[list[Finding]]:
        if value in allowed:
            return None
        if is_formula(value):
            return FORMULA_FINDING
        folded = fold_width(value)
        if folded in allowed:
            return fix(value, folded, rule)
        if folded in spelled:
            return fix(value, spelled[folded], rule)
        return [("error", "choice_expected", dict(expected, value=value))]

    return check


def build_cell_check(column, required: bool = False) -> Optional[CellCheck]:
    """The check for one column: type and format, allowed values, pattern, formula injection.
    None for free text, whose only check is `is_formula` (the engine runs that one in bulk)."""
    if column.type == "enum":
        return _each(column.separator, _choice_check(column))
    normalizer = _normalizer_for(column)
    pattern = re.compile(column.pattern) if column.pattern else None
    is_date = column.type == "date"
    if normalizer is None and pattern is None and not is_date and not column.separator:
        return None
    free_when_unreadable = column.format in FREE_WHEN_UNREADABLE
    blank_words = set() if required else cell_spellings().blank

    def check_one(value: str) -> Optional[list[Finding]]:
        if is_formula(value):
            return FORMULA_FINDING
        if value.strip() in blank_words:
            return fix(value, "", "rule_blank")
        try:
            if is_date:
                return _date_finding(value)
            if normalizer is not None:
                normalize, rule = normalizer
                normalized = normalize(value)
                if normalized != value:
                    return fix(value, normalized, rule)
            if pattern is not None and not pattern.search(value):
                folded = fold_width(value)
                if folded != value and pattern.search(folded):
                    return fix(value, folded, "rule_width")
                return [("error", "value_pattern", {"pattern": column.pattern})]
        except JpValueError as e:
            if free_when_unreadable:
                return None
            return [("error", e.code, e.params)]
        return None

    return _each(column.separator, check_one)


def _each(separator: Optional[str], check_one: CellCheck) -> CellCheck:
    """A cell of several values joined by `separator`: each part checked; the fixes of the parts
    make one fix of the cell, the other parts left as written."""
    if not separator:
        return check_one

    def check_each(value: str) -> Optional[list[Finding]]:
        findings: list[Finding] = []
        parts = value.split(separator)
        fixed, rule = list(parts), None
        for i, part in enumerate(parts):
            for severity, code, params in check_one(part.strip()) or ():
                if "normalized" in params:
                    fixed[i], rule = params["normalized"], rule or params["rule"]
                else:
                    findings.append((severity, code, params))
        if rule:
            findings.append(("warning", "csv_not_normalized", {"normalized": separator.join(fixed), "rule": rule}))
        return findings or None

    return check_each
