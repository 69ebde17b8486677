import datetime as dt

import pytest
from hypothesis import given, strategies as st

from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp.dates import (
    normalize_date, normalize_period, normalize_time, parse_date,
)


@pytest.mark.parametrize("value, iso", [
    ("2024-04-01", "2024-04-01"),
    ("2024/4/1", "2024-04-01"),
    ("2024年4月1日", "2024-04-01"),
    ("２０２４－０４－０１", "2024-04-01"),
    ("令和6年4月1日", "2024-04-01"),
    ("令和６年４月１日", "2024-04-01"),
    ("令和元年5月1日", "2019-05-01"),
    ("令和六年四月一日", "2024-04-01"),
    ("令和 6 年 12 月 25 日", "2024-12-25"),
    ("R6.4.1", "2024-04-01"),
    ("H31.4.30", "2019-04-30"),
    ("平成元年1月8日", "1989-01-08"),
    ("昭和64年1月7日", "1989-01-07"),
    ("大正15年12月24日", "1926-12-24"),
    ("明治45年7月29日", "1912-07-29"),
])
def test_dates_and_wareki_become_iso(value, iso):
    assert normalize_date(value) == iso


def test_wareki_is_flagged_for_the_csv_hint():
    assert parse_date("令和6年4月1日").was_wareki
    assert not parse_date("2024-04-01").was_wareki


@pytest.mark.parametrize("value", ["平成31年5月1日", "昭和64年1月8日", "令和元年4月30日", "平成0年1月1日"])
def test_wareki_outside_its_era_is_rejected(value):
    with pytest.raises(JpValueError) as e:
        normalize_date(value)
    assert e.value.code == "era_out_of_range"
    assert value in e.value.ja


@pytest.mark.parametrize("value", ["2024-02-30", "令和6年2月30日", "2023-02-29", "2024-13-01"])
def test_impossible_dates_are_rejected(value):
    with pytest.raises(JpValueError) as e:
        normalize_date(value)
    assert e.value.code == "date_invalid"


@pytest.mark.parametrize("value", ["", "yesterday", "24-04-01", "2024-04", "令和6年", "2024-04-01T10:00"])
def test_unparseable_dates_are_rejected(value):
    with pytest.raises(JpValueError) as e:
        normalize_date(value)
    assert e.value.code == "date_format"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_iso_date_round_trips(date):
    assert normalize_date(date.isoformat()) == date.isoformat()
    assert normalize_date(date.strftime("%Y/%m/%d")) == date.isoformat()


@given(st.dates(min_value=dt.date(2019, 5, 1), max_value=dt.date(2100, 12, 31)))
def test_every_reiwa_date_converts(date):
    text = f"令和{date.year - 2018}年{date.month}月{date.day}日"
    assert normalize_date(text) == date.isoformat()


@pytest.mark.parametrize("value, period", [
    ("2024-04-01/2025-03-31", "2024-04-01/2025-03-31"),
    ("2024/04/01/2025/03/31", "2024-04-01/2025-03-31"),
    ("令和6年4月1日～令和7年3月31日", "2024-04-01/2025-03-31"),
    ("2024-04-01 〜 2024-04-30", "2024-04-01/2024-04-30"),
    ("2024-04-01/05-31", "2024-04-01/2024-05-31"),
    ("2024-04-01/30", "2024-04-01/2024-04-30"),
    ("2024-04-01/2024-04-01", "2024-04-01/2024-04-01"),
])
def test_periods(value, period):
    assert normalize_period(value) == period


def test_period_end_before_start_is_rejected():
    with pytest.raises(JpValueError) as e:
        normalize_period("2025-03-31/2024-04-01")
    assert e.value.code == "period_order"
    assert e.value.params == {"start": "2025-03-31", "end": "2024-04-01"}


@pytest.mark.parametrize("value", ["2024-04-01", "2024-04-01/", "/2024-04-01", "a/b/c"])
def test_malformed_periods(value):
    with pytest.raises(JpValueError) as e:
        normalize_period(value)
    assert e.value.code in ("period_format", "date_format")


@pytest.mark.parametrize("value, hhmm", [
    ("09:00", "09:00"), ("9:00", "09:00"), ("９：３０", "09:30"), ("9時", "09:00"),
    ("17時15分", "17:15"), ("23:59", "23:59"), ("08:30:15", "08:30:15"),
])
def test_times(value, hhmm):
    assert normalize_time(value) == hhmm


@pytest.mark.parametrize("value", ["nine", "9.30"])  # out of range: test_kana_weekdays_times.py
def test_bad_times(value):
    with pytest.raises(JpValueError) as e:
        normalize_time(value)
    assert e.value.code == "time_format"


@pytest.mark.parametrize("value", ["2023-02-30", "2024-13-01", "2023-02-30T09:00:00"])
def test_date_of_refuses_what_is_only_shaped_like_a_date(value):
    from ckanext.ikoma.jp.dates import date_of

    with pytest.raises(JpValueError) as error:
        date_of(value)
    assert error.value.code == "date_invalid"


def test_date_of_takes_the_day_of_a_date_time():
    from ckanext.ikoma.jp.dates import date_of

    assert date_of("2024-02-29T09:00:00+09:00") == "2024-02-29"
