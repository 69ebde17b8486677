"""Katakana readings (ヨミガナ columns) and weekday lists (GIF DS-441)."""
from __future__ import annotations

import re

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_width

# Full-width katakana with the long vowel mark and middle dot; readings may carry spaces,
# Latin letters and digits for names such as ＡＥＤ or 第２.
_KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FE A-Za-z0-9()（）\u3000-]+$")
_WEEKDAY_SEPARATORS = re.compile(r"[\s,、・/]")
_WEEKDAYS = set("月火水木金土日祝") | set("1234567")


def normalize_katakana(value: str) -> str:
    """NFKC turns half-width katakana (ｲｺﾏ) into full-width (イコマ); hiragana is refused."""
    text = fold_width(value)
    if not _KATAKANA.match(text):
        raise JpValueError("kana_format")
    return text


def normalize_weekdays(value: str) -> str:
    """月火水木金 or 12345 (1 = Monday … 7 = Sunday); separators are dropped."""
    text = _WEEKDAY_SEPARATORS.sub("", fold_width(value)).replace("曜日", "").replace("曜", "")
    if not text or any(c not in _WEEKDAYS for c in text):
        raise JpValueError("weekdays_format")
    return text
