"""Writes the CSV files in this folder (run once; the files are committed). Each is a real file
in a real format: the encodings, BOMs, line endings and layouts Japanese portals publish.
The values are illustrative, built around Ikoma City's own places."""
import csv
import io
import os
import zipfile

from csvfiles import HERE, write


AED_LEGACY = ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ", "住所", "方書",
              "緯度", "経度", "設置位置", "電話番号", "内線番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間",
              "利用可能日時特記事項", "小児対応設備の有無", "URL", "備考"]
aed_rows = [
    ["292095", "1", "奈良県", "生駒市", "生駒市役所", "イコマシヤクショ", "奈良県生駒市東新町1-1", "本庁舎1階",
     "34.691740", "135.700610", "市民課前", "0743-74-1111", "", "", "生駒市", "月火水木金", "08:30", "17:15", "", "有",
     "https://www.city.ikoma.lg.jp/", ""],
    ["292095", "2", "奈良県", "生駒市", "生駒市図書館", "イコマシトショカン", "奈良県生駒市辻町882-1", "",
     "34.697000", "135.696900", "1階カウンター横", "0743-75-7777", "", "", "生駒市", "火水木金土日", "10:00", "18:00",
     "月曜休館", "無", "", ""],
    ["292095", "3", "奈良県", "生駒市", "生駒市コミュニティセンター", "イコマシコミュニティセンター", "奈良県生駒市元町1-6-12", "",
     "34.692800", "135.701600", "2階受付", "0743-75-0101", "", "", "生駒市", "月火水木金土日", "09:00", "21:00", "", "有",
     "", ""],
]
write("aed_legacy_sjis.csv", [AED_LEGACY] + aed_rows, encoding="cp932")

TOILETS = ["全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英語", "所在地_全国地方公共団体コード",
           "町字ID", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下", "建物名等(方書)",
           "設置位置", "緯度", "経度", "高度の種別", "高度の値", "男性トイレ総数", "男性トイレ数（小便器）", "男性トイレ数（和式）",
           "男性トイレ数（洋式）", "女性トイレ総数", "女性トイレ数（和式）", "女性トイレ数（洋式）", "男女共用トイレ総数",
           "男女共用トイレ数（和式）", "男女共用トイレ数（洋式）", "バリアフリートイレ数", "車椅子使用者用トイレ有無",
           "乳幼児用設備設置トイレ有無", "オストメイト設置トイレ有無", "利用開始時間", "利用終了時間", "利用可能時間特記事項",
           "画像", "画像_ライセンス", "備考"]


def toilet(**overrides):
    row = dict(zip(TOILETS, [
        "292095", "T0001", "奈良県生駒市", "生駒駅前公衆トイレ", "イコマエキマエコウシュウトイレ", "Ikoma Station Public Toilet",
        "292095", "", "奈良県生駒市元町一丁目1-1", "奈良県", "生駒市", "元町一丁目", "1-1", "", "駅前広場北側",
        "34.692500", "135.699800", "", "", "3", "2", "0", "1", "2", "0", "2", "1", "0", "1", "1", "有", "有", "無",
        "06:00", "23:00", "", "https://www.city.ikoma.lg.jp/toilet1.jpg", "CC BY 4.0", ""]))
    row.update(overrides)
    return [row[c] for c in TOILETS]


toilet_rows = [
    toilet(),
    # planted errors, one kind per row (the tests name each by its line)
    toilet(ID="T0002", 全国地方公共団体コード="292096"),                       # line 3: wrong check digit
    toilet(ID="T0003", 緯度="135.699800", 経度="34.692500"),                  # line 4: latitude/longitude swapped
    toilet(ID="T0004", 名称=""),                                            # line 5: required cell empty
    toilet(ID="T0005", 車椅子使用者用トイレ有無="あり"),                        # line 6: not 有/無
    toilet(ID="T0006", 男性トイレ総数="三"),                                   # line 7: not a whole number
    toilet(ID="T0007", 利用開始時間="25:00"),                                 # line 8: not a time
    toilet(ID="T0008", 画像="toilet8.jpg"),                                   # line 9: not a URL
    toilet(ID="T0009", 名称_カナ="いこまえき"),                                # line 10: hiragana reading
    toilet(ID="T0010", 備考='=HYPERLINK("http://example.com","クリック")'),    # line 11: formula injection
]
write("toilets_current_bom_errors.csv", [TOILETS] + toilet_rows, encoding="utf-8-sig")

SHELTERS = ["全国地方公共団体コード", "ID", "名称", "名称_カナ", "名称_英字", "所在地_全国地方公共団体コード", "町字ID",
            "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下", "建物名等(方書)", "緯度",
            "経度", "標高", "電話番号", "内線番号", "連絡先メールアドレス", "連絡先FormURL", "連絡先備考（その他、SNSなど）",
            "郵便番号", "市区町村コード", "地方公共団体名", "災害種別_洪水", "災害種別_崖崩れ、土石流及び地滑り", "災害種別_高潮",
            "災害種別_地震", "災害種別_津波", "災害種別_大規模な火事", "災害種別_内水氾濫", "災害種別_火山現象",
            "指定避難所との重複", "想定収容人数", "対象となる町会・自治会", "URL", "画像", "画像_ライセンス", "備考"]
shelter_rows = [
    ["292095", "S0001", "生駒市立生駒小学校", "イコマシリツイコマショウガッコウ", "Ikoma Elementary School", "292095", "",
     "奈良県生駒市山崎町19-1", "奈良県", "生駒市", "山崎町", "19-1", "", "34.695300", "135.703500", "90", "0743-73-2226", "",
     "bousai@city.ikoma.lg.jp", "", "", "6300256", "292095", "奈良県生駒市", "1", "", "", "1", "", "1", "1", "", "1", "800",
     "山崎町自治会;元町自治会", "https://www.city.ikoma.lg.jp/", "", "", ""],
    ["292095", "S0002", "生駒市立生駒中学校", "イコマシリツイコマチュウガッコウ", "Ikoma Junior High School", "292095", "",
     "奈良県生駒市山崎新町12-1", "奈良県", "生駒市", "山崎新町", "12-1", "", "34.698000", "135.704000", "95", "0743-73-2231", "",
     "", "", "", "6300257", "292095", "奈良県生駒市", "1", "", "", "1", "", "1", "", "", "1", "900", "山崎新町自治会",
     "", "", "", ""],
]
write("shelters_clean.csv", [SHELTERS] + shelter_rows, encoding="utf-8", newline="\n")

# --- broken files
with open(os.path.join(HERE, "binary.csv"), "wb") as f:
    f.write(bytes(range(256)) * 16)
with zipfile.ZipFile(os.path.join(HERE, "zip_renamed.csv"), "w", zipfile.ZIP_DEFLATED) as z:
    z.write(os.path.join(HERE, "shelters_clean.csv"), "shelters.csv")
with open(os.path.join(HERE, "mixed_encodings.csv"), "wb") as f:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([SHELTERS] + shelter_rows[:1])
    f.write(buffer.getvalue().encode("utf-8"))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(shelter_rows[1:])
    f.write(buffer.getvalue().encode("cp932"))  # line 3 saved by another program in Shift_JIS
ragged = [SHELTERS, shelter_rows[0], shelter_rows[1][:20], shelter_rows[1] + ["余分"]]
write("ragged.csv", ragged)
write("wide_header.csv", [[f"列{i}" for i in range(5000)], ["x"] * 5000])
