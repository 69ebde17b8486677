"""Katakana readings (ヨミガナ columns) and weekday lists (GIF DS-441)."""
from __future__ import annotations

import re
import unicodedata

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_width

_KATAKANA_CHARS = "\u30A1-\u30FA\u30FC\u30FB\u30FD\u30FE"
# Full-width katakana with the long vowel mark and middle dot; readings may carry spaces (either
# width), Latin letters and digits (either width) for names such as ＡＥＤ or 第２, and brackets.
_KATAKANA = re.compile(rf"^[{_KATAKANA_CHARS} \u3000A-Za-z0-9\uFF21-\uFF3A\uFF41-\uFF5A\uFF10-\uFF19()（）-]+$")
# A dash after a katakana (or half-width katakana) can only be the long vowel mark ー: ‐ ‑ ‒ – — ―
# − － as IMEs and fonts produce them. An ASCII hyphen is left alone (ＡＥＤ-1).
_DASH_AFTER_KANA = re.compile("(?<=[\u30A1-\u30FA\u30FC\uFF66-\uFF9F])[\u2010-\u2015\u2212\uFF0D]")
_HALF_WIDTH_KANA = re.compile("[\uFF61-\uFF9F]+")
_HIRAGANA = re.compile("[\u3041-\u3096\u309D\u309E]")


def fold_long_vowel_dashes(text: str) -> str:
    """ハ―ト, ハ‐ト, ハ－ト → ハート: a dash after a kana is the long vowel mark."""
    return _DASH_AFTER_KANA.sub("ー", text)


def normalize_katakana(value: str) -> str:
    """The reading in full-width katakana, changed only where the meaning is certain: half-width
    katakana (ｲｺﾏ) to full-width, hiragana to katakana, a dash look-alike after a kana to ー.
    Anything else that is not katakana (kanji, punctuation) is refused."""
    text = fold_long_vowel_dashes(value.strip())
    text = _HALF_WIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _HIRAGANA.sub(lambda m: chr(ord(m.group(0)) + 0x60), text)
    if not _KATAKANA.match(text):
        raise JpValueError("kana_format")
    return text


WEEKDAYS = "月火水木金土日"
_DAY_SETS = set(WEEKDAYS) | {"祝"} | set("1234567")
_WEEKDAY_SEPARATORS = re.compile(r"[\s,、・/]")
# 月～金, 月〜金, 月~金, 月-金, 月から金 (after NFKC: ～ is ~, － is -)
_RANGE = re.compile(rf"([{WEEKDAYS}])(?:~|〜|-|から)([{WEEKDAYS}])")


def _expand_range(match: re.Match) -> str:
    start, end = WEEKDAYS.index(match.group(1)), WEEKDAYS.index(match.group(2))
    days = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
    return "".join(WEEKDAYS[d] for d in sorted(days))


def normalize_weekdays(value: str) -> str:
    """月火水木金 or 12345 (1 = Monday … 7 = Sunday). Written ranges (月～金, 火～日) are spelt out,
    曜日 and separators are dropped; words such as 平日 or 毎日 have no single canonical form and are
    refused (a checker treats them as the free text they are)."""
    text = fold_width(value).replace("曜日", "").replace("曜", "")
    text = _RANGE.sub(_expand_range, text)
    text = _WEEKDAY_SEPARATORS.sub("", text)
    if not text or any(c not in _DAY_SETS for c in text):
        raise JpValueError("weekdays_format")
    if all(c in WEEKDAYS for c in text) and len(set(text)) == len(text):
        return "".join(sorted(text, key=WEEKDAYS.index))
    return text
