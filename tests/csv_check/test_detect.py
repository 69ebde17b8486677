"""Standard detection from the header (issue #11): the best definition and layout with the share of
columns matched; ties and weak matches say so."""
import io

import pytest

from ckanext.ikoma.csv_check.detect import detect_standard, read_header


@pytest.mark.parametrize("name, number, layout, matched", [
    ("aed_cp932_nec.csv", "08", "legacy", 22),
    ("aed_legacy_sjis.csv", "08", "legacy", 22),
    ("preschool_dash_header.csv", "05", "legacy", 14),  # コ―ド (U+2015) recognised
    ("shelters_flag_marks.csv", "03", "current", 15),
    ("toilets_fixable.csv", "13", "current", 15),
    ("toilets_current_bom_errors.csv", "13", "current", 39),
    ("mixed_encodings.csv", "03", "current", 39),  # later lines in another encoding do not matter
])
def test_the_header_names_the_standard_and_layout(data_file, name, number, layout, matched):
    detection = detect_standard(read_header(data_file(name)))
    best = detection.best
    assert (best.number, best.layout, best.matched, best.share) == (number, layout, matched, 100)
    assert not detection.tied and not detection.weak
    assert detection.messages("ja") == [
        f"見出しから {number} {best.name}（{'旧様式（推奨データセット）' if layout == 'legacy' else '現行様式（自治体標準オープンデータセット）'}）"
        f"と判定しました：{matched}列中{matched}列が一致（100%）"]


def test_a_header_shared_by_several_standards_is_a_tie():
    detection = detect_standard(["名称", "住所", "緯度", "経度"])
    assert detection.best.share == 100 and len(detection.tied) >= 3
    assert {c.number for c in [detection.best, *detection.tied]} >= {"08", "13", "07"}
    [_, tie] = detection.messages("ja")
    assert "同じ一致率の候補が他にもあります" in tie and "準拠する標準を選んでください" in tie
    assert "choose the standard" in detection.messages("en")[1]


def test_few_known_columns_are_a_weak_match():
    detection = detect_standard(["設置位置", "小児対応設備の有無", "メモ", "担当", "更新日"])
    assert detection.best.number == "08" and detection.best.share == 40 and detection.weak
    assert detection.messages("en")[-1] == "fewer than half of the columns match, so this is a guess"
    assert detection.to_dict()["weak"] is True


@pytest.mark.parametrize("name", ["wide_header.csv", "binary.csv", "zip_renamed.csv"])
def test_no_standard_for_other_files(data_file, name):
    detection = detect_standard(read_header(data_file(name)) or [])
    assert detection.best is None
    assert detection.messages("ja") == ["見出しからはどの標準データセットのファイルか判定できません"]


def test_a_header_only_is_read_from_a_stream_with_its_bom_and_delimiter():
    assert read_header(io.BytesIO("\ufeff名称\t緯度\r\nA\t1\r\n".encode())) == ["名称", "緯度"]
    assert read_header(io.BytesIO(b"")) is None
