"""Counts and amounts."""
from __future__ import annotations

import re

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_width

_INTEGER = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def normalize_non_negative_integer(value: str) -> str:
    """Half-width digits; full-width digits and thousands separators (1,234) are folded."""
    text = fold_width(value)
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _INTEGER.match(text):
        raise JpValueError("non_negative_integer")
    return str(int(text))


def normalize_decimal(value: str) -> str:
    """A decimal number in half-width digits (12, -3.5); full-width digits are folded."""
    text = fold_width(value)
    if not _DECIMAL.match(text):
        raise JpValueError("number_format")
    return text
