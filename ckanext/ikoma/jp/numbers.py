"""Counts and amounts."""
from __future__ import annotations

import re

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_width

_INTEGER = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def normalize_non_negative_integer(value: str) -> str:
    """Half-width digits; full-width digits and thousands separators (1,234) are folded."""
    text = fold_width(value)
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _INTEGER.match(text):
        raise JpValueError("non_negative_integer")
    return str(int(text))
