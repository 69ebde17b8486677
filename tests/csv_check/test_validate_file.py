"""What `ckan ikoma validate FILE [--standard N] [--fix OUT.csv]` does, without CKAN."""
import shutil

import pytest

from ckanext.ikoma.csv_check.validate_file import CannotFix, validate_file


def test_without_a_standard_the_header_decides_and_says_so(data_file):
    outcome = validate_file(data_file("preschool_dash_header.csv"))
    assert outcome.report.standard["number"] == "05" and outcome.report.standard["layout"] == "legacy"
    assert outcome.notes == ["見出しから 05 子育て施設一覧（旧様式（推奨データセット））と判定しました：14列中14列が一致（100%） / "
                             "the header reads as 05 子育て施設一覧 (legacy layout (recommended data set)): 14 of 14 columns match (100%)"]


def test_a_file_of_no_standard_gets_no_report(data_file):
    outcome = validate_file(data_file("wide_header.csv"))
    assert outcome.report is None and "判定できません" in outcome.notes[0]


def test_an_unknown_standard_is_a_key_error(data_file):
    with pytest.raises(KeyError):
        validate_file(data_file("shelters_clean.csv"), "99")


def test_fix_writes_the_corrected_copy_and_leaves_the_file(data_file, tmp_path):
    source = tmp_path / "aed.csv"
    shutil.copy(data_file("aed_cp932_nec.csv"), source)
    before = source.read_bytes()
    outcome = validate_file(str(source), "08", fix_path=str(tmp_path / "aed-fixed.csv"))
    assert source.read_bytes() == before
    fixed = (tmp_path / "aed-fixed.csv").read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf") and "㈱生駒ビルⅡ".encode() in fixed
    assert outcome.notes[-1].startswith(f"修正版を {tmp_path / 'aed-fixed.csv'} に書きました（修正6件）")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ikoma-fix-")] == []


def test_fix_never_overwrites_the_file_checked(data_file, tmp_path):
    source = tmp_path / "toilets.csv"
    shutil.copy(data_file("toilets_fixable.csv"), source)
    with pytest.raises(CannotFix):
        validate_file(str(source), "13", fix_path=str(source))


def test_no_copy_of_an_unreadable_file(data_file, tmp_path):
    outcome = validate_file(data_file("mixed_encodings.csv"), "03", fix_path=str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists() and "修正版は作れません" in outcome.notes[-1]
    assert list(tmp_path.iterdir()) == []
