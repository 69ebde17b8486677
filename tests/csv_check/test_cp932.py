"""The fast pass's CP932 converter (iconv through ctypes) reads every byte as CPython's cp932 codec,
the row pass's reader, does."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from ckanext.ikoma.csv_check import cp932


@pytest.fixture
def converter():
    made = cp932.Converter(cp932._library())
    yield made
    made.close()


def test_this_machines_iconv_reads_every_sequence_as_cpython(converter):
    """The full comparison AGREEING stands for: every one- and two-byte sequence iconv accepts,
    CPython decodes to the same text (a listed C library skips it at run time)."""
    assert cp932._library() is not None, "the C library has no iconv that knows CP932"
    assert cp932._agree(converter)
    assert cp932.verified() and cp932.converter() is not None


def test_the_comparison_finds_a_difference(converter, monkeypatch):
    """A C library that read one sequence otherwise is not used."""
    real = cp932._python
    monkeypatch.setattr(cp932, "_python", lambda data: "〜" if data == b"\x81\x60" else real(data))
    assert not cp932._agree(converter)


def _converted(converter, data: bytes, start: int = 0) -> bytes:
    piece = bytearray(data)
    out, length = converter.convert(piece, start, len(piece))
    return bytes(out[:length])


def test_what_iconv_refuses_cpython_converts(converter):
    # glibc's iconv refuses 0x80, 0xA0 and 0xFD-0xFF, which CPython maps to U+0080 and private use
    data = "生駒市,ｲｺﾏ\r\n".encode("cp932") + b"a\x80b\xa0c\xfd\xfe\xff\r\n" + "最後の行\r\n".encode("cp932")
    assert _converted(converter, data) == data.decode("cp932").encode("utf-8")
    assert _converted(converter, data, start=4) == data[4:].decode("cp932").encode("utf-8")


def test_a_piece_that_grows_threefold_is_converted_whole(converter):
    data = ("ｲｺﾏｼ" * 50_000 + "\r\n").encode("cp932")  # half-width katakana: 3 UTF-8 bytes per byte
    assert _converted(converter, data) == data.decode("cp932").encode("utf-8")


@pytest.mark.parametrize("data", [b"ok\r\n\x85\x40\r\n", b"ok\r\n\x81", b"\x81\n"],
                         ids=["an unassigned pair", "a lead byte at the end", "a lead byte before LF"])
def test_bytes_cpython_refuses_are_an_error(converter, data):
    with pytest.raises(UnicodeDecodeError):
        _converted(converter, data)


def test_two_pieces_in_turn_do_not_overwrite_each_other(converter):
    first, second = "一つ目\n".encode("cp932") * 100, "二つ目\n".encode("cp932") * 100
    out1, length1 = converter.convert(bytearray(first), 0, len(first))
    made1 = bytes(out1[:length1])
    converter.convert(bytearray(second), 0, len(second))
    assert bytes(out1[:length1]) == made1 == first.decode("cp932").encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="cp932", include_characters="¢£¬‖−〜"), max_size=200), st.binary(max_size=6))
def test_any_text_converts_as_cpython_converts_it(text, noise):
    made = cp932.Converter(cp932._library())
    try:
        data = text.encode("cp932") + noise
        try:
            expected = data.decode("cp932").encode("utf-8")
        except UnicodeDecodeError:
            with pytest.raises(UnicodeDecodeError):
                _converted(made, data)
        else:
            assert _converted(made, data) == expected
    finally:
        made.close()
