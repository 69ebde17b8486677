"""The corrected copy (issue #11): UTF-8 with BOM, canonical header names, every warning's fix
applied, nothing else changed; written in the same pass as the report, so it is what the report
describes. The original is never touched."""
import csv
import hashlib
import io

import pytest

from ckanext.ikoma.csv_check import check_csv
from ckanext.ikoma.standards import standard_dataset


def corrected(path, number):
    out = io.BytesIO()
    report = check_csv(path, standard_dataset(number), fix_to=out)
    return report, out.getvalue()


def rows_of(data: bytes, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def test_every_fix_applied_and_nothing_else_changed(data_file):
    path = data_file("toilets_fixable.csv")
    with open(path, "rb") as f:
        original_bytes = f.read()
    report, data = corrected(path, "13")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data  # BOM; LF kept as the file had it
    original, fixed = rows_of(original_bytes, "utf-8"), rows_of(data)
    assert fixed[0] == [h.strip() for h in original[0]]  # " 備考 " → 備考
    changes = {(line, original[0][c].strip(), original[line - 1][c], fixed[line - 1][c])
               for line in range(2, len(original) + 1) for c in range(len(original[0]))
               if original[line - 1][c] != fixed[line - 1][c]}
    assert changes == {
        (2, "高度の種別", "階", "階数"), (3, "全国地方公共団体コード", "29209", "292095"), (4, "男性トイレ総数", "３", "3"),
        (5, "利用開始時間", "8:30", "08:30"), (6, "ID", "Ｔ５", "T5"),
    }
    assert len(original[9]) == 17 and len(fixed[9]) == 15  # the empty cells past the header are gone
    assert fixed[7][12] == "25:00" and fixed[8][11] == "あり"  # errors are the curator's to correct
    assert report.to_dict()["summary"]["fixable"] and report.fixes == 7
    with open(path, "rb") as f:
        assert hashlib.sha256(f.read()).digest() == hashlib.sha256(original_bytes).digest()


def test_the_corrected_copy_has_no_fix_left_and_the_same_errors(data_file, tmp_path):
    report, data = corrected(data_file("toilets_fixable.csv"), "13")
    again = check_csv(io.BytesIO(data), standard_dataset("13"))
    assert again.fixes == 0
    assert {(i.code, i.line) for i in again.issues if i.severity == "error"} == \
        {(i.code, i.line) for i in report.issues if i.severity == "error"}


def test_shift_jis_with_nec_characters_becomes_utf8_with_every_character_kept(data_file):
    report, data = corrected(data_file("aed_cp932_nec.csv"), "08")
    with open(data_file("aed_cp932_nec.csv"), "rb") as f:
        original = rows_of(f.read(), "cp932")
    fixed = rows_of(data)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert [r[4] for r in fixed[1:]] == [r[4] for r in original[1:]] == [
        "生駒市役所①", "㈱生駒ビルⅡ", "髙山公民館", "生駒駅前", "生駒山麓公園"]
    assert fixed[3][14] == "山﨑自治会" and fixed[5][21] == "２４時間"  # free text untouched, even full-width
    assert [r[15] for r in fixed[1:]] == ["月火水木金", "火水木金土日", "毎日", "平日", "全日・全時間帯使用可"]
    assert fixed[1][5] == "イコマシヤクショ" and fixed[1][16] == "08:30" and fixed[4][11] == ""
    assert check_csv(io.BytesIO(data), standard_dataset("08")).issues == []


def test_headers_and_flags_in_the_corrected_copy(data_file):
    _, data = corrected(data_file("preschool_dash_header.csv"), "05")
    fixed = rows_of(data)
    assert fixed[0][0] == "都道府県コード又は市区町村コード"
    assert [r[5] for r in fixed[1:]] == ["ハートリンクホイクエン", "スマイルキッズ", "ルームイコマ", "センターホイク"]
    _, data = corrected(data_file("shelters_flag_marks.csv"), "03")
    fixed = rows_of(data)
    assert fixed[1][6:] == ["1", "", "", "1", "", "1", "", "", "1"]
    assert fixed[2][6:] == ["1", "", "", "1", "", "", "", "", ""]
    assert fixed[3][6] == "有"  # an error: left for the curator


def test_a_tab_delimited_file_becomes_comma_separated():
    text = "名称\t所在地_連結表記\t設置位置\t利用開始時間\r\n生駒, 駅前\t奈良県生駒市\t1階\t9:00\r\n"
    out = io.BytesIO()
    check_csv(io.BytesIO(text.encode()), standard_dataset("13"), fix_to=out)
    assert out.getvalue().decode("utf-8-sig") == (
        "名称,所在地_連結表記,設置位置,利用開始時間\r\n\"生駒, 駅前\",奈良県生駒市,1階,09:00\r\n")


@pytest.mark.parametrize("name", ["mixed_encodings.csv", "binary.csv", "zip_renamed.csv"])
def test_no_copy_of_a_file_that_cannot_be_read_whole(data_file, name):
    report, data = corrected(data_file(name), "03")
    assert data == b"" and not report.to_dict()["summary"]["fixable"]


def test_ragged_rows_are_written_as_they_were(data_file):
    report, data = corrected(data_file("ragged.csv"), "03")
    with open(data_file("ragged.csv"), "rb") as f:
        assert rows_of(data) == rows_of(f.read(), "utf-8")


def test_no_copy_when_the_file_stops_being_csv_halfway():
    text = "名称,所在地_連結表記,設置位置,利用開始時間\r\nA,奈良県,1階,9:00\r\nB,\"" + "x" * (1 << 21) + "\",1階,9:00\r\n"
    source, out = io.BytesIO(text.encode()), io.BytesIO()
    report = check_csv(source, standard_dataset("13"), fix_to=out)
    assert "csv_parse_error" in report.counts and not report.to_dict()["summary"]["fixable"]
    assert not source.closed  # was: the reader's generator closed the caller's stream, and check_csv raised
