"""Readings, weekdays and times as municipalities write them (issue #11): what has one certain
canonical form is normalised to it; what is wrong is refused with a message that names the rule."""
import pytest

from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp.dates import normalize_time
from ckanext.ikoma.jp.kana import normalize_katakana, normalize_weekdays


@pytest.mark.parametrize("value, expected", [
    ("イコマシヤクショ", "イコマシヤクショ"),
    ("ｺﾏｴｼﾔｸｼｮ", "コマエシヤクショ"),                # half-width katakana
    ("ｶﾞｯｺｳ", "ガッコウ"),                            # voiced marks combine
    ("ハ―トリンク", "ハートリンク"),                  # U+2015 HORIZONTAL BAR for ー
    ("ハ‐トリンク", "ハートリンク"),                  # U+2010 HYPHEN
    ("ハ－トリンク", "ハートリンク"),                  # U+FF0D FULLWIDTH HYPHEN-MINUS
    ("ハ—トリンク", "ハートリンク"),                  # U+2014 EM DASH
    ("ﾊｰﾄ", "ハート"),
    ("いこまし", "イコマシ"),                         # hiragana: one katakana reading
    ("ディスカバリーパークヤイヅ\u3000オクガイトイレ", "ディスカバリーパークヤイヅ\u3000オクガイトイレ"),  # 全角 space kept
    ("ＡＥＤセンター", "ＡＥＤセンター"),               # full-width letters are full-width already
    ("AED-1", "AED-1"),                               # a hyphen after Latin letters stays a hyphen
])
def test_readings(value, expected):
    assert normalize_katakana(value) == expected


@pytest.mark.parametrize("value", ["生駒駅", "Ikoma!", "イコマ駅"])
def test_readings_that_are_not_katakana(value):
    with pytest.raises(JpValueError) as e:
        normalize_katakana(value)
    assert e.value.code == "kana_format"


@pytest.mark.parametrize("value, expected", [
    ("月火水木金", "月火水木金"),
    ("12345", "12345"),
    ("月～金", "月火水木金"),          # U+FF5E, what CP932 files hold
    ("月〜金", "月火水木金"),          # U+301C
    ("火～日", "火水木金土日"),
    ("月曜日～金曜日", "月火水木金"),
    ("月-金", "月火水木金"),
    ("月・水・金", "月水金"),
    ("土、日", "土日"),
    ("金～月", "月金土日"),            # a range over the weekend, written in canonical order
    ("月～金、土", "月火水木金土"),
])
def test_weekdays(value, expected):
    assert normalize_weekdays(value) == expected


@pytest.mark.parametrize("value", ["毎日", "平日", "全日・全時間帯使用可", "月～金（祝日除く）", "月～", ""])
def test_weekdays_written_as_words_have_no_single_canonical_form(value):
    with pytest.raises(JpValueError) as e:
        normalize_weekdays(value)
    assert e.value.code == "weekdays_format"


def test_midnight_as_a_closing_time_is_a_time():
    assert normalize_time("24:00") == "24:00"


@pytest.mark.parametrize("value", ["25:00", "9:60", "25時", "24:30", "23:59:60"])
def test_times_out_of_range_say_so(value):
    with pytest.raises(JpValueError) as e:
        normalize_time(value)
    assert e.value.code == "time_range"
    assert "00:00" in e.value.ja and "24:00" in e.value.en


@pytest.mark.parametrize("value", ["nine", "9.30", "9:5"])
def test_times_in_another_form(value):
    with pytest.raises(JpValueError) as e:
        normalize_time(value)
    assert e.value.code == "time_format"
