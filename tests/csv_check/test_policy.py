"""Issue #11, the policy: an error only where the value is wrong or its meaning cannot be recovered;
a warning with the fix (the value, the normalised value and the rule) where the meaning is certain;
free text is free text. Each finding carries its data row, its file line and the offending value.
The fixtures are written by tests/data/make_policy_files.py."""
import io

import pytest

from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.standards import standard_dataset


def found(report, *fields):
    fields = fields or ("severity", "code", "line", "column", "value", "fix")
    return {tuple(getattr(i, f) for f in fields) for i in report.issues}


def test_cp932_with_nec_special_characters_weekday_ranges_and_free_text_weekdays(data_file):
    report = check_csv(data_file("aed_cp932_nec.csv"), standard_dataset("08"))
    assert (report.file["encoding"], report.standard["layout"], report.rows) == ("cp932", "legacy", 5)
    assert found(report) == {
        ("warning", "csv_encoding_not_utf8", None, None, None, "UTF-8"),
        ("warning", "csv_not_normalized", 2, "名称_カナ", "ｲｺﾏｼﾔｸｼｮ", "イコマシヤクショ"),
        ("warning", "csv_not_normalized", 2, "利用可能曜日", "月～金", "月火水木金"),
        ("warning", "csv_not_normalized", 2, "開始時間", "8:30", "08:30"),
        ("warning", "csv_not_normalized", 3, "利用可能曜日", "火～日", "火水木金土日"),
        ("warning", "csv_not_normalized", 5, "電話番号", "なし", ""),  # no phone: left blank
    }  # 毎日, 平日, 全日・全時間帯使用可 (lines 4-6) are what the publisher wrote: no finding
    assert report.valid and report.score == 100.0
    by_value = {i.value: i for i in report.issues}
    assert by_value["月～金"].rule == "rule_weekdays" and "月～金" in by_value["月～金"].ja
    assert by_value["月～金"].row == 1 and by_value["火～日"].row == 2
    assert "「08:30」" in by_value["8:30"].ja and "hh:mm" in by_value["8:30"].ja


def test_nec_characters_survive_in_the_report():
    header = "都道府県コード又は市区町村コード,NO,名称,住所,設置位置,小児対応設備の有無\r\n"
    body = "292095,1,㈱生駒①,奈良県生駒市,1階,あり\r\n"
    report = check_csv(io.BytesIO((header + body).encode("cp932")), standard_dataset("08"))
    [choice] = [i for i in report.issues if i.code == "choice_expected"]
    assert choice.value == "あり"
    assert "「有」か「無」で記入してください" in choice.ja and "有 or 無" in choice.en


def test_long_vowel_look_alikes_in_headers_and_readings_are_warnings_with_the_fix(data_file):
    report = check_csv(data_file("preschool_dash_header.csv"), standard_dataset("05"))
    assert report.standard["layout"] == "legacy" and "csv_unknown_column" not in report.counts
    assert found(report) >= {
        ("warning", "csv_header_not_canonical", 1, "都道府県コード又は市区町村コード", "都道府県コ―ド又は市区町村コ―ド",
         "都道府県コード又は市区町村コード"),
        ("warning", "csv_not_normalized", 2, "名称_カナ", "ハ―トリンクホイクエン", "ハートリンクホイクエン"),
        ("warning", "csv_not_normalized", 3, "利用可能曜日", "月～土", "月火水木金土"),
        ("warning", "csv_not_normalized", 4, "名称_カナ", "ル‐ムイコマ", "ルームイコマ"),
        ("warning", "csv_not_normalized", 5, "名称_カナ", "センタ－ホイク", "センターホイク"),
    }
    assert report.severities["error"] == 0
    header = next(i for i in report.issues if i.code == "csv_header_not_canonical")
    assert header.rule == "rule_header" and header.row is None


def test_flag_marks_mean_1_or_blank(data_file):
    report = check_csv(data_file("shelters_flag_marks.csv"), standard_dataset("03"))
    fixes = {(line, column, value, fix) for severity, code, line, column, value, fix in found(report)
             if code == "csv_not_normalized"}
    assert fixes == {
        (2, "災害種別_洪水", "○", "1"), (2, "災害種別_地震", "○", "1"), (2, "災害種別_大規模な火事", "〇", "1"),
        (2, "指定避難所との重複", "○", "1"), (3, "災害種別_崖崩れ、土石流及び地滑り", "×", ""),
        (3, "災害種別_地震", "１", "1"),
    }
    [error] = [i for i in report.issues if i.severity == "error"]
    assert (error.code, error.line, error.value) == ("choice_expected", 4, "有")
    assert "「1」か空欄で記入してください" in error.ja
    assert (report.rows, report.rows_with_errors, report.score) == (3, 1, 66.6)


def test_each_rule_on_the_toilets_file(data_file):
    report = check_csv(data_file("toilets_fixable.csv"), standard_dataset("13"))
    assert found(report, "severity", "code", "line", "row", "column", "value", "fix", "rule") >= {
        ("warning", "csv_header_not_canonical", 1, None, "備考", " 備考 ", "備考", "rule_trim"),
        ("warning", "csv_not_normalized", 2, 1, "高度の種別", "階", "階数", "rule_choice"),
        ("warning", "csv_not_normalized", 3, 2, "全国地方公共団体コード", "29209", "292095", "rule_lg_code"),
        ("warning", "csv_not_normalized", 4, 3, "男性トイレ総数", "３", "3", "rule_width"),
        ("warning", "csv_not_normalized", 5, 4, "利用開始時間", "8:30", "08:30", "rule_time"),
        ("warning", "csv_not_normalized", 6, 5, "ID", "Ｔ５", "T5", "rule_width"),
        ("error", "time_range", 8, 7, "利用開始時間", "25:00", None, None),
        ("error", "choice_expected", 9, 8, "車椅子使用者用トイレ有無", "あり", None, None),
        ("warning", "csv_row_trailing_empty", 10, 9, None, ",", "", "rule_trailing_cells"),
    }
    assert not any(i.line == 7 for i in report.issues)  # 24:00 closes at midnight
    by_code = {i.code: i for i in report.issues}
    assert "25:00は時刻の範囲（00:00〜24:00）にありません" == by_code["time_range"].ja
    assert "「あり」は選択肢にありません。「有」か「無」で記入してください" == by_code["choice_expected"].ja
    assert (report.rows, report.rows_with_errors, report.score) == (9, 2, 77.7)


def test_a_required_empty_cell_says_so_and_shows_the_empty_value():
    text = "名称,所在地_連結表記,設置位置\r\n,奈良県生駒市,1階\r\n"
    [issue] = [i for i in check_csv(io.BytesIO(text.encode()), standard_dataset("13")).issues
               if i.code == "csv_required_cell_empty"]
    assert (issue.value, issue.row, issue.line) == ("", 1, 2)
    assert issue.ja == "必須項目「名称」が空欄です"


def test_a_row_that_spans_lines_is_reported_at_its_first_line():
    text = '名称,所在地_連結表記,設置位置\r\n"生駒\r\n駅前",奈良県生駒市,1階\r\n生駒,奈良県生駒市,＝1\r\n'
    report = check_csv(io.BytesIO(text.encode()), standard_dataset("13"))
    assert report.rows == 2
    assert all(i.line == 4 and i.row == 2 for i in report.issues if i.row)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf"])
def test_an_empty_file_reports_no_encoding(data):
    report = check_csv(io.BytesIO(data), standard_dataset("13"))
    assert report.file["encoding"] is None and [i.code for i in report.issues] == ["csv_empty_file"]


def test_the_summary_names_every_code_and_the_layout_in_both_languages(data_file):
    for name, number in (("toilets_fixable.csv", "13"), ("aed_cp932_nec.csv", "08"), ("wide_header.csv", "13"),
                         ("toilets_current_bom_errors.csv", "13"), ("ragged.csv", "03"), ("binary.csv", "03")):
        summary = check_csv(data_file(name), standard_dataset(number)).to_dict()["summary"]
        for item in summary["codes"]:
            assert item["ja"] != item["code"] and item["en"] != item["code"], item
    summary = check_csv(data_file("aed_cp932_nec.csv"), standard_dataset("08")).to_dict()["summary"]
    assert summary["layout"] == {"ja": "旧様式（推奨データセット）", "en": "legacy layout (recommended data set)"}
    assert {"code": "csv_not_normalized", "severity": "warning", "count": 5,
            "ja": "標準と違う書き方（直せます）", "en": "not in the standard form (fixable)"} in summary["codes"]
    text = check_csv(data_file("aed_cp932_nec.csv"), standard_dataset("08")).to_text()
    assert "旧様式（推奨データセット） / legacy layout" in text and "csv_not_normalized" in text


def test_conformance_is_the_share_of_rows_without_errors():
    header = "名称,所在地_連結表記,設置位置,緯度\r\n"
    rows = "".join(f"トイレ{i},奈良県生駒市,1階,34.69\r\n" for i in range(999)) + "トイレ,奈良県生駒市,1階,99\r\n"
    report = check_csv(io.BytesIO((header + rows).encode()), standard_dataset("13"))
    summary = report.to_dict()["summary"]
    assert (summary["rows"], summary["rows_with_errors"], summary["score"], summary["errors"]) == (1000, 1, 99.9, 1)
    assert summary["share_of_rows_without_errors"] == 0.999


def test_a_missing_required_column_fails_every_row():
    report = check_csv(io.BytesIO("名称,緯度\r\nトイレ,34.69\r\n".encode()), standard_dataset("13"))
    assert (report.rows, report.rows_with_errors, report.score) == (1, 1, 0.0)
