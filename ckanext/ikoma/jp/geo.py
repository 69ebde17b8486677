"""Latitude and longitude in decimal degrees, within Japan's extent."""
from __future__ import annotations

import re

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_width

# Japan's extremities, rounded outwards: 沖ノ鳥島 20.42N, 択捉島 45.56N (弁天島 45.52N),
# 与那国島 122.93E, 南鳥島 153.99E.
LATITUDE_RANGE = (20.0, 46.0)
LONGITUDE_RANGE = (122.0, 154.0)
_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:\.\d+)?$")


def _decimal_text(value: str) -> str:
    text = fold_width(value).replace("−", "-")
    if not _DECIMAL.match(text):  # digits only: no inf, nan or exponents
        raise JpValueError("number_format")
    return text


def _coordinate(value: str, bounds: tuple[float, float], range_code: str) -> str:
    low, high = bounds
    text = _decimal_text(value)
    if not low <= float(text) <= high:
        raise JpValueError(range_code, value=value.strip(), min=low, max=high)
    return text.lstrip("+")


def normalize_latitude(value: str) -> str:
    return _coordinate(value, LATITUDE_RANGE, "latitude_range")


def normalize_longitude(value: str) -> str:
    return _coordinate(value, LONGITUDE_RANGE, "longitude_range")
