"""The checker on real files in the formats Japanese portals publish (tests/data/make_files.py)."""
import json

from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.standards import standard_dataset


def findings(report):
    return {(i.code, i.line, i.column) for i in report.issues}


def test_shift_jis_file_in_the_legacy_aed_layout(data_file):
    report = check_csv(data_file("aed_legacy_sjis.csv"), standard_dataset("08"))
    assert report.file["encoding"] == "cp932"
    assert report.standard["layout"] == "legacy"
    assert report.file["rows"] == 3
    assert dict(report.counts) == {"csv_encoding_not_utf8": 1}  # a warning with the fix, nothing else
    assert report.valid
    assert "UTF-8で保存してください" in report.issues[0].ja


def test_public_toilets_with_planted_errors_each_found_at_its_line(data_file):
    report = check_csv(data_file("toilets_current_bom_errors.csv"), standard_dataset("13"))
    assert (report.file["encoding"], report.file["bom"], report.standard["layout"]) == ("utf-8-sig", True, "current")
    assert report.file["rows"] == 10 and report.file["columns"] == 39
    assert findings(report) == {
        ("lg_code_check_digit", 3, "全国地方公共団体コード"),
        ("latitude_range", 4, "緯度"),
        ("longitude_range", 4, "経度"),
        ("csv_required_cell_empty", 5, "名称"),
        ("choice_expected", 6, "車椅子使用者用トイレ有無"),
        ("non_negative_integer", 7, "男性トイレ総数"),
        ("time_range", 8, "利用開始時間"),
        ("url_format", 9, "画像"),
        ("csv_not_normalized", 10, "名称_カナ"),  # hiragana: one katakana reading, a fix
        ("csv_formula", 11, "備考"),
    }
    assert not report.valid
    assert report.severities == {"error": 8, "warning": 2}


def test_clean_shelters_file(data_file):
    report = check_csv(data_file("shelters_clean.csv"), standard_dataset("03"))
    assert report.valid and not report.issues
    assert (report.file["encoding"], report.file["rows"], report.standard["layout"]) == ("utf-8", 2, "current")


def test_mixed_encodings_are_reported_by_line(data_file):
    report = check_csv(data_file("mixed_encodings.csv"), standard_dataset("03"))
    assert report.file["encoding"] == "utf-8"
    [undecodable] = [i for i in report.issues if i.code == "csv_undecodable"]
    assert (undecodable.line, undecodable.row) == (3, 2) and "文字コードが混在" in undecodable.ja
    assert report.rows_with_errors == 1 and not report.to_dict()["summary"]["fixable"]


def test_ragged_rows(data_file):
    report = check_csv(data_file("ragged.csv"), standard_dataset("03"))
    assert {(i.line, i.row, i.code) for i in report.issues} == {(3, 2, "csv_row_length"), (4, 3, "csv_row_length")}
    short, long = report.issues
    assert short.column == "連絡先備考（その他、SNSなど）" and short.value is None  # the first missing cell is named
    assert "「連絡先備考（その他、SNSなど）」から後のセルがありません" in short.ja
    assert long.value == "余分" and "1個多いセル" in long.ja  # the extra cells are shown


def test_binary_and_zip_files_get_a_clear_error(data_file):
    for name, code in (("binary.csv", "csv_binary"), ("zip_renamed.csv", "csv_zip")):
        report = check_csv(data_file(name), standard_dataset("03"))
        assert not report.checked and not report.valid
        assert [i.code for i in report.issues] == [code]


def test_a_header_of_5000_columns_is_counted_not_listed(data_file):
    report = check_csv(data_file("wide_header.csv"), standard_dataset("13"), max_issues=50)
    assert report.counts["csv_unknown_column"] == 5000
    assert report.counts["csv_no_standard_columns"] == 1
    assert len(report.issues) == 50
    assert report.to_dict()["truncated"]


def test_report_json_is_stable(data_file):
    report = check_csv(data_file("toilets_current_bom_errors.csv"), standard_dataset("13"))
    document = json.loads(report.to_json())
    assert set(document) == {"format", "valid", "checked", "standard", "file", "summary", "counts", "issues", "truncated"}
    assert document["format"] == "ikoma-csv-report/2"
    assert set(document["issues"][0]) == {"severity", "code", "ja", "en", "row", "line", "column", "value", "fix", "rule"}
    assert {k: document["summary"][k] for k in ("errors", "warnings", "rows", "rows_with_errors", "score")} == {
        "errors": 8, "warnings": 2, "rows": 10, "rows_with_errors": 7, "score": 30.0}


def test_text_report_names_line_column_and_value(data_file):
    text = check_csv(data_file("toilets_current_bom_errors.csv"), standard_dataset("13")).to_text()
    assert "3行目 「全国地方公共団体コード」 値「292096」" in text
    assert "不適合 / not valid" in text
