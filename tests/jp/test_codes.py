import pytest
from hypothesis import given, strategies as st

from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp.codes import (
    corporate_number_check_digit, is_valid_lg_code, lg_code_check_digit, normalize_corporate_number,
    normalize_lg_code,
)
from ckanext.ikoma.vocabularies import local_governments

KNOWN = local_governments()


def test_ikoma_check_digit_follows_the_published_worked_example():
    # 2·6 + 9·5 + 2·4 + 0·3 + 9·2 = 83; 83 mod 11 = 6; 11 − 6 = 5
    assert lg_code_check_digit("29209") == "5"


@pytest.mark.parametrize("code", ["292095", "292010", "290009", "270008", "260002", "011002", "131016"])
def test_known_codes_are_valid(code):
    assert normalize_lg_code(code, known=KNOWN) == code


def test_every_code_in_the_vocabulary_passes():
    assert len(KNOWN) == 1963
    for code in KNOWN:
        assert normalize_lg_code(code, known=KNOWN) == code


@given(st.from_regex(r"\A[0-9]{6}\Z"))
def test_a_six_digit_string_passes_exactly_when_its_check_digit_matches(code):
    expected_ok = int(code[5]) == (11 - sum(int(d) * w for d, w in zip(code, (6, 5, 4, 3, 2))) % 11) % 10
    if expected_ok:
        assert normalize_lg_code(code) == code
    else:
        with pytest.raises(JpValueError) as e:
            normalize_lg_code(code)
        assert e.value.code == "lg_code_check_digit"
        assert e.value.params["expected"] == lg_code_check_digit(code[:5])


def test_wrong_check_digit_names_the_right_one():
    with pytest.raises(JpValueError) as e:
        normalize_lg_code("292096")
    assert e.value.code == "lg_code_check_digit"
    assert "292096" in e.value.ja and "5" in e.value.ja
    assert "check digit" in e.value.en


def test_five_digits_get_the_check_digit():
    assert normalize_lg_code("29209") == "292095"
    assert normalize_lg_code("29209", known=KNOWN) == "292095"


def test_dropped_leading_zero_is_recovered_through_the_vocabulary():
    # 092011 (宇都宮市) written as 92011: 92 is no prefecture, so it is the zero that went missing.
    assert normalize_lg_code("92011", known=KNOWN) == "092011"


def test_full_width_digits_and_spaces_are_folded():
    assert normalize_lg_code(" ２９２０９５ ", known=KNOWN) == "292095"


@pytest.mark.parametrize("value", ["", "abc", "2920", "2920955", "29-209", "29209５x"])
def test_malformed_codes_are_rejected(value):
    with pytest.raises(JpValueError) as e:
        normalize_lg_code(value)
    assert e.value.code == "lg_code_format"


def test_unknown_code_with_valid_check_digit_is_rejected_against_the_vocabulary():
    code = "99999" + lg_code_check_digit("99999")
    assert is_valid_lg_code(code)
    with pytest.raises(JpValueError) as e:
        normalize_lg_code(code, known=KNOWN)
    assert e.value.code == "lg_code_unknown"


def test_corporate_number_of_the_national_tax_agency():
    assert corporate_number_check_digit("000012050002") == "7"
    assert normalize_corporate_number("7000012050002") == "7000012050002"


def test_corporate_number_folds_width_and_hyphens():
    assert normalize_corporate_number("７-０００-０１２０-５０００２") == "7000012050002"


@given(st.from_regex(r"\A[0-9]{12}\Z"), st.integers(0, 9))
def test_corporate_number_passes_exactly_when_its_check_digit_matches(base, first):
    number = f"{first}{base}"
    if str(first) == corporate_number_check_digit(base):
        assert normalize_corporate_number(number) == number
    else:
        with pytest.raises(JpValueError) as e:
            normalize_corporate_number(number)
        assert e.value.code == "corporate_number_check_digit"


@pytest.mark.parametrize("value", ["123", "70000120500021", "7000012O50002"])
def test_corporate_number_format(value):
    with pytest.raises(JpValueError) as e:
        normalize_corporate_number(value)
    assert e.value.code == "corporate_number_format"
