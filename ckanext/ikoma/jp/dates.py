"""Dates (GIF DS-441: YYYY-MM-DD), 和暦 conversion, periods and times of day."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_width

# (name, abbreviation, first day). An era ends the day before the next one starts.
ERAS = (
    ("明治", "M", dt.date(1868, 1, 25)),  # 明治元年 counts from 1868-01-25 (旧暦 1868-01-01)
    ("大正", "T", dt.date(1912, 7, 30)),
    ("昭和", "S", dt.date(1926, 12, 25)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("令和", "R", dt.date(2019, 5, 1)),
)
_ERA_BY_KEY = {key: i for i, (name, abbr, _) in enumerate(ERAS) for key in (name, abbr, abbr.lower())}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_WESTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_WAREKI = re.compile(
    r"^(明治|大正|昭和|平成|令和|[MTSHRmtshr])\.?(元|\d{1,2})[年./-](\d{1,2})[月./-](\d{1,2})日?$"
)
_TIME = re.compile(r"^(\d{1,2})(?::|時)(\d{2})?(?:分)?(?::(\d{2}))?$")


@dataclass(frozen=True)
class ParsedDate:
    date: dt.date
    was_wareki: bool  # the CSV checker hints at the ISO form when it sees 和暦

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def _kanji_number(text: str) -> str:
    """十二 → 12, 二十一 → 21, 三 → 3; digits pass through."""
    def convert(match: re.Match) -> str:
        s = match.group(0)
        if "十" not in s:
            return "".join(str(_KANJI_DIGITS[c]) for c in s)
        tens, _, ones = s.partition("十")
        return str((_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0))

    return re.sub(r"[〇零一二三四五六七八九十]+", convert, text)


def _real_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise JpValueError("date_invalid", value=original) from None


def parse_date(value: str) -> ParsedDate:
    """Accepts YYYY-MM-DD, YYYY/MM/DD, YYYY年M月D日 and 和暦 (令和6年4月1日, 令和元年, R6.4.1,
    full-width or kanji digits)."""
    original = value.strip()
    text = re.sub(r"\s+", "", _kanji_number(fold_width(value)))
    match = _WESTERN.match(text)
    if match:
        year, month, day = map(int, match.groups())
        return ParsedDate(_real_date(year, month, day, original), False)
    match = _WAREKI.match(text)
    if not match:
        raise JpValueError("date_format")
    era_key, era_year, month, day = match.groups()
    index = _ERA_BY_KEY[era_key]
    name, _, first_day = ERAS[index]
    era_year = 1 if era_year == "元" else int(era_year)
    date = _real_date(first_day.year + era_year - 1, int(month), int(day), original)
    next_first = ERAS[index + 1][2] if index + 1 < len(ERAS) else None
    if date < first_day or (next_first and date >= next_first):
        last = (next_first - dt.timedelta(days=1)).isoformat() if next_first else ""
        raise JpValueError("era_out_of_range", value=original, era=name, first=first_day.isoformat(), last=last)
    return ParsedDate(date, True)


def normalize_date(value: str) -> str:
    return parse_date(value).iso


def date_of(value: str) -> str:
    """YYYY-MM-DD of an ISO date or date-time (2024-04-01T09:00:00, as catalogs write them), or of
    any spelling normalize_date accepts; JpValueError otherwise."""
    text = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:  # shaped like a date is not enough: 2023-02-30 is none
            return dt.date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise JpValueError("date_invalid", value=text) from None
    return normalize_date(text)


_PERIOD_SEPARATORS = re.compile(r"\s*(?:~|〜|～|から)\s*")


def _split_period(text: str) -> tuple[str, str]:
    parts = _PERIOD_SEPARATORS.split(text)
    if len(parts) == 2:
        return parts[0], parts[1]
    pieces = text.split("/")
    if len(pieces) == 2:
        return pieces[0], pieces[1]
    if len(pieces) == 6:  # YYYY/MM/DD/YYYY/MM/DD
        return "/".join(pieces[:3]), "/".join(pieces[3:])
    raise JpValueError("period_format")


def normalize_period(value: str) -> str:
    """start/end as YYYY-MM-DD/YYYY-MM-DD with start <= end. Also accepts ～ and から between the
    two dates, 和暦 on either side and DS-441's shortened ends (2024-04-01/05-31, 2024-04-01/30)."""
    start_text, end_text = _split_period(fold_width(value))
    if not start_text or not end_text:
        raise JpValueError("period_format")
    start = parse_date(start_text).date
    short_end = re.match(r"^(?:(\d{1,2})-)?(\d{1,2})$", end_text)
    if short_end:
        month = int(short_end.group(1)) if short_end.group(1) else start.month
        end = _real_date(start.year, month, int(short_end.group(2)), end_text)
    else:
        end = parse_date(end_text).date
    if end < start:
        raise JpValueError("period_order", start=start.isoformat(), end=end.isoformat())
    return f"{start.isoformat()}/{end.isoformat()}"


def normalize_time(value: str) -> str:
    """hh:mm, 24-hour and zero-padded (9:00 and 9時 become 09:00); seconds kept when given. 24:00
    is the end of the day (a closing time); 25:00 is out of range (time_range), not misspelt."""
    text = fold_width(value).replace("：", ":")
    match = _TIME.match(text)
    if not match:
        raise JpValueError("time_format")
    hour, minute, second = match.group(1), match.group(2) or "00", match.group(3)
    midnight = int(hour) == 24 and int(minute) == 0 and not int(second or 0)  # 24:00, a closing time
    if not midnight and (int(hour) > 23 or int(minute) > 59 or (second is not None and int(second) > 59)):
        raise JpValueError("time_range", value=value.strip())
    return f"{int(hour):02d}:{minute}" + (f":{second}" if second else "")
