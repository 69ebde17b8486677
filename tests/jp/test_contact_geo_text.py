import pytest
from hypothesis import given, strategies as st

from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp.contact import (
    normalize_email, normalize_phone, normalize_postal_code, normalize_uri, normalize_url, normalize_url_or_file,
    publishable_iri, safe_link,
)
from ckanext.ikoma.jp.geo import normalize_latitude, normalize_longitude
from ckanext.ikoma.jp.numbers import normalize_non_negative_integer
from ckanext.ikoma.jp.text import check_free_text


@pytest.mark.parametrize("value, expected", [
    ("0743-74-1111", "0743-74-1111"),
    ("(03)5253-5111", "(03)5253-5111"),
    ("099999-9999", "099999-9999"),
    ("090-9999-9999", "090-9999-9999"),
    ("0120-999999", "0120-999999"),
    ("0743741111", "0743741111"),
    ("+81 (03)5253-5111", "+81 (03)5253-5111"),
    ("+81-743-74-1111", "+81-743-74-1111"),
    ("０７４３－７４－１１１１", "0743-74-1111"),
    ("0743ー74ー1111", "0743-74-1111"),
    ("0743−74−1111", "0743-74-1111"),
    ("0743-74-1111 内線123", "0743-74-1111 内線123"),
])
def test_phone_numbers(value, expected):
    assert normalize_phone(value) == expected


@pytest.mark.parametrize("value", [
    "abc", "0743-74-111", "743-74-1111", "0743--74-1111", "07-43-74-1111", "+1 555 1234",
    "0743 74 1111", "0743-74-1111-2222",
])
def test_bad_phone_numbers(value):
    with pytest.raises(JpValueError) as e:
        normalize_phone(value)
    assert e.value.code == "phone_format"


@pytest.mark.parametrize("value", ["630-0288", "6300288", "〒630-0288", "〒６３０－０２８８", "〒 630-0288"])
def test_postal_codes(value):
    assert normalize_postal_code(value) == "6300288"


@pytest.mark.parametrize("value", ["630-028", "63000288", "abc-defg"])
def test_bad_postal_codes(value):
    with pytest.raises(JpValueError) as e:
        normalize_postal_code(value)
    assert e.value.code == "postal_code_format"


def test_email():
    assert normalize_email("ｏｐｅｎｄａｔａ＠city.ikoma.lg.jp") == "opendata@city.ikoma.lg.jp"
    for bad in ["opendata", "a@b", "a b@c.jp", "@city.jp"]:
        with pytest.raises(JpValueError):
            normalize_email(bad)


def test_url():
    assert normalize_url(" https://www.city.ikoma.lg.jp/お問い合わせ ") == "https://www.city.ikoma.lg.jp/お問い合わせ"
    for bad in ["www.city.ikoma.lg.jp", "ftp://example.jp", "javascript:alert(1)", "http://", "https://a b.jp"]:
        with pytest.raises(JpValueError) as e:
            normalize_url(bad)
        assert e.value.code == "url_format"


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example/x",
    "https://x.jp/>;<http://purl.org/dc/terms/title>\"injected", 'https://x.jp/"onmouseover="alert(1)',
])
def test_no_url_that_can_carry_script_or_break_out_is_a_link(value):
    with pytest.raises(JpValueError) as e:
        normalize_url(value)
    assert e.value.code in ("url_format", "url_characters")
    assert safe_link(value) == ""
    assert not publishable_iri(value.strip())
    with pytest.raises(JpValueError):
        normalize_uri(value)
    with pytest.raises(JpValueError):
        normalize_url_or_file(value)


def test_uris_may_be_urns_and_url_fields_may_hold_an_uploaded_file_name():
    assert normalize_uri("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66").startswith("urn:uuid:")
    assert normalize_uri("https://data.example.jp/d/1") == "https://data.example.jp/d/1"
    assert normalize_url_or_file("2026-12-01-120000.000000logo.png") == "2026-12-01-120000.000000logo.png"
    assert publishable_iri("mailto:opendata@example.jp") and publishable_iri("tel:+81743741111")
    assert safe_link("mailto:opendata@example.jp") == ""  # links to mail are written by their own snippet


def test_ikoma_city_hall_is_inside_japan():
    assert normalize_latitude("34.691740") == "34.691740"
    assert normalize_longitude("１３５．７００６１") == "135.70061"


@pytest.mark.parametrize("lat", ["0", "19.9", "46.1", "-34.69", "135.70"])
def test_latitude_outside_japan(lat):
    with pytest.raises(JpValueError) as e:
        normalize_latitude(lat)
    assert e.value.code == "latitude_range"


@given(st.floats(min_value=20.0, max_value=46.0, allow_nan=False).map(lambda f: f"{f:.6f}"))
def test_every_latitude_in_japan_passes(lat):
    assert normalize_latitude(lat) == lat


@pytest.mark.parametrize("value", ["34,69", "N34.69", "nan", "inf", "1e2"])
def test_coordinates_must_be_decimal(value):
    with pytest.raises(JpValueError) as e:
        normalize_latitude(value)
    assert e.value.code == "number_format"


def test_integers():
    assert normalize_non_negative_integer("１，２３４") == "1234"
    assert normalize_non_negative_integer("0") == "0"
    for bad in ["-1", "1.5", "12,34", "abc"]:
        with pytest.raises(JpValueError):
            normalize_non_negative_integer(bad)


def test_free_text_keeps_newlines_and_rejects_control_characters():
    assert check_free_text("  一行目\n二行目\tタブ  ") == "一行目\n二行目\tタブ"
    with pytest.raises(JpValueError) as e:
        check_free_text("ベル\x07")
    assert e.value.code == "control_characters"


def test_free_text_length():
    with pytest.raises(JpValueError) as e:
        check_free_text("あ" * 501, max_length=500)
    assert e.value.params == {"max_length": 500, "length": 501}


def test_every_message_code_has_both_languages():
    from ckanext.ikoma.jp.errors import catalogue

    for code, messages in catalogue().items():
        assert set(messages) == {"ja", "en"}, code
        assert messages["ja"] and messages["en"]
