"""A real-shaped 100,000-row file for the CSV benchmark: 10 医療機関一覧 in its legacy layout (the
complete one), with a distinct ID, name, reading, address, coordinates, bed count, phone and fax
numbers, corporate number and URL on every row, as published lists have them, drawn from the real
municipalities of vocab/local_government_codes.csv. 1% of the rows carry one planted finding, spread
over every kind the checker knows; written in UTF-8 or CP932 (Shift_JIS, as many portals publish).
"""
from __future__ import annotations

import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

STANDARD, LAYOUT = "10", "legacy"
KINDS = ["病院", "有床診療所", "無床診療所"]
NAMES = [("中央", "チュウオウ"), ("さくら", "サクラ"), ("みどり", "ミドリ"), ("駅前", "エキマエ"), ("山本", "ヤマモト"),
         ("たなか", "タナカ"), ("ひかり", "ヒカリ"), ("北", "キタ"), ("南", "ミナミ"), ("あおば", "アオバ")]
SUFFIXES = [("クリニック", "クリニック"), ("医院", "イイン"), ("内科", "ナイカ"), ("病院", "ビョウイン"), ("診療所", "シンリョウジョ")]
DEPARTMENTS = ["内科", "内科;小児科", "外科;整形外科", "眼科", "皮膚科;アレルギー科", "内科;循環器内科;消化器内科", "歯科"]
DAYS = ["月火水木金", "月火水金土", "月火木金土", "月火水木金土"]
OPEN = ["08:30", "09:00", "09:30", "10:00"]
CLOSE = ["12:00", "17:00", "17:30", "18:00", "19:00"]

# (every n-th row, column, bad value, kind, the checker's code, frictionless's error or None)
# n: primes near 1,400, so that about 1% of rows carry one finding
PLANTED = [
    (1301, "住所", "", "required cell empty", "csv_required_cell_empty", "constraint-error"),
    (1303, "医療機関の種類", "クリニック", "not one of the choices", "choice_expected", "constraint-error"),
    (1307, "病床数", "三", "not a whole number", "non_negative_integer", "type-error"),
    (1319, "診療開始時間", "25:00", "not a time", "time_range", "type-error"),
    (1321, "NO", "A-1", "ID pattern", "value_pattern", "constraint-error"),
    (1327, "法人番号", "12345", "corporate number format", "corporate_number_format", "constraint-error"),
    (1361, "URL", "www.example.jp/", "URL without scheme", "url_format", "type-error"),
    (1367, "緯度", "91.0", "latitude out of range", "latitude_range", "constraint-error"),
    (1373, "都道府県コード又は市区町村コード", "292096", "LG code check digit (ours only)", "lg_code_check_digit", None),
    (1381, "経度", "100.5", "longitude outside Japan (ours only)", "longitude_range", None),
    (1399, "電話番号", "0743-74-111", "phone number (ours only)", "phone_format", None),
    (1409, "名称_カナ", "生駒", "reading not katakana (ours only)", "kana_format", None),
    (1423, "法人番号", "1000000000000", "corporate number check digit (ours only)", "corporate_number_check_digit", None),
    (1427, "FAX番号", "０７４３－７４－１１１２", "full-width phone, a fix (ours only)", "csv_not_normalized", None),
    (1429, "備考", "=HYPERLINK(\"http://x\")", "formula (ours only)", "csv_formula", None),
]


def _katakana(hiragana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in hiragana)


def _municipalities(encoding: str) -> list:
    from ckanext.ikoma.vocabularies import local_governments

    places = []
    for lg in local_governments().values():
        if lg.kind != "municipality" or lg.lat is None:
            continue
        try:
            (lg.prefecture + lg.name).encode(encoding)
        except UnicodeEncodeError:
            continue
        places.append(lg)
    return places


def _corporate_number(base: str) -> str:
    from ckanext.ikoma.jp.codes import corporate_number_check_digit

    return corporate_number_check_digit(base) + base


def make_real_shaped(path: str, rows: int, encoding: str = "utf-8") -> dict[str, int]:
    """Write the file; return the number of rows planted per kind."""
    from ckanext.ikoma.standards import standard_dataset

    columns = [c.header_in(LAYOUT) for c in standard_dataset(STANDARD).columns_for(LAYOUT)]
    places = _municipalities(encoding)
    expected = {kind: 0 for _, _, _, kind, _, _ in PLANTED}
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(columns)
        for i in range(1, rows + 1):
            lg = places[i * 7919 % len(places)]
            name, name_kana = NAMES[i % len(NAMES)]
            suffix, suffix_kana = SUFFIXES[i // 10 % len(SUFFIXES)]
            area = 100 + i % 900
            row = {
                "都道府県コード又は市区町村コード": lg.code, "NO": f"M{i:06d}",
                "名称": f"{lg.name}{name}{suffix}{i}", "名称_カナ": f"{_katakana(lg.name_kana)}{name_kana}{suffix_kana}{i}",
                "住所": f"{lg.prefecture}{lg.name}本町{i % 9 + 1}丁目{i % 40 + 1}-{i % 13 + 1}",
                "方書": f"{i % 5 + 1}階" if i % 3 == 0 else "",
                "緯度": f"{lg.lat + (i % 997) / 100000:.6f}", "経度": f"{lg.lng + (i % 991) / 100000:.6f}",
                "電話番号": f"0{area}-{i % 90 + 10}-{i % 10000:04d}", "内線番号": str(i % 300) if i % 4 == 0 else "",
                "都道府県名": lg.prefecture, "市区町村名": lg.name, "医療機関の種類": KINDS[i % 3],
                "FAX番号": f"0{area}-{i % 90 + 10}-{(i + 1) % 10000:04d}",
                "法人番号": _corporate_number(f"{(i * 104729) % 10**12:012d}"), "法人の名称": f"医療法人{name}会",
                "医療機関コード": f"{lg.code[:2]}{i:07d}", "診療曜日": DAYS[i % len(DAYS)],
                "診療開始時間": OPEN[i % len(OPEN)], "診療終了時間": CLOSE[i % len(CLOSE)],
                "診療日時特記事項": "木曜午後休診" if i % 5 == 0 else "", "時間外における対応": "",
                "診療科目": DEPARTMENTS[i % len(DEPARTMENTS)], "病床数": str(0 if i % 3 == 2 else i % 400),
                "URL": f"https://clinic{i}.example.jp/", "備考": f"駐車場{i % 30}台" if i % 2 else "",
            }
            for every, column, bad, kind, _, _ in PLANTED:
                if i % every == 0:
                    row[column] = bad
                    expected[kind] += 1
            writer.writerow([row.get(c, "") for c in columns])
    return expected


if __name__ == "__main__":  # write one to look at: python bench/csv_real_shaped.py out.csv [cp932]
    print(make_real_shaped(sys.argv[1], 100_000, *sys.argv[2:3]))
