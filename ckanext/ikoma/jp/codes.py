"""全国地方公共団体コード (JIS X 0401/0402 + check digit) and 法人番号 (corporate number)."""
from __future__ import annotations

import re
from typing import Container

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_hyphens, fold_width

_DIGITS = re.compile(r"^\d+$")


def lg_code_check_digit(first_five: str) -> str:
    """Weights 6,5,4,3,2 over the five digits; check = (11 - sum mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def is_valid_lg_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit() and code.isascii() and lg_code_check_digit(code[:5]) == code[5]


def normalize_lg_code(value: str, known: Container[str] | None = None) -> str:
    """A 6-digit code with a correct check digit (and in `known`, when given).

    A 5-digit value is either the code without its check digit or a 6-digit code whose leading
    zero was dropped (a common spreadsheet accident, e.g. 92011 for 092011); the vocabulary, or
    failing that the check digit, tells which.
    """
    code = fold_width(value)
    if not _DIGITS.match(code) or len(code) not in (5, 6):
        raise JpValueError("lg_code_format")
    if len(code) == 5:
        candidates = [code + lg_code_check_digit(code)]
        if is_valid_lg_code("0" + code):
            candidates.append("0" + code)
        if known is not None:
            matching = [c for c in candidates if c in known]
            if not matching:
                raise JpValueError("lg_code_unknown", value=code)
            return matching[0]
        return candidates[0]
    expected = lg_code_check_digit(code[:5])
    if code[5] != expected:
        raise JpValueError("lg_code_check_digit", value=code, expected=expected)
    if known is not None and code not in known:
        raise JpValueError("lg_code_unknown", value=code)
    return code


def corporate_number_check_digit(base: str) -> str:
    """法人番号: check = 9 - (sum of P_n * Q_n mod 9), P_n the n-th digit of the 12-digit base
    counted from the right, Q_n = 1 for odd n and 2 for even n."""
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return str(9 - total % 9)


def normalize_corporate_number(value: str) -> str:
    number = re.sub(r"[\s-]", "", fold_hyphens(fold_width(value)))
    if not _DIGITS.match(number) or len(number) != 13:
        raise JpValueError("corporate_number_format")
    expected = corporate_number_check_digit(number[1:])
    if number[0] != expected:
        raise JpValueError("corporate_number_check_digit", value=number, expected=expected + number[1:])
    return number
