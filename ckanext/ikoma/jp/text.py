"""Normalisation shared by every check, and the free-text check."""
from __future__ import annotations

import re
import unicodedata

from ckanext.ikoma.jp.errors import JpValueError

# Hyphen look-alikes that Japanese IMEs produce in numbers: minus sign, katakana long vowel mark,
# various dashes. Only used where a hyphen is the only sensible meaning (phone, postal code).
_HYPHENS = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\ufe63\u2043]")
# C0/C1 control characters except tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def fold_width(value: str) -> str:
    """NFKC (full-width digits and Latin to half-width, half-width katakana to full) and trim.
    For identifiers, numbers and dates only: NFKC would alter the punctuation of Japanese prose."""
    if value.isascii():  # NFKC leaves ASCII as it is; most cells are ASCII
        return value.strip()
    return unicodedata.normalize("NFKC", value).strip()


def fold_hyphens(value: str) -> str:
    return _HYPHENS.sub("-", value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_free_text(value: str, max_length: int | None = None) -> str:
    """Trimmed text without control characters, at most `max_length` characters."""
    if _CONTROL.search(value):
        raise JpValueError("control_characters")
    value = value.strip()
    if max_length is not None and len(value) > max_length:
        raise JpValueError("text_too_long", max_length=max_length, length=len(value))
    return value
