"""Writes the fixtures of the issue #11 policy (run once; the files are committed): each holds
values as municipalities publish them, one rule per column, in the encodings they use.
tests/csv_check/test_policy.py names each finding by its line."""
from csvfiles import write


# 08 AED, legacy layout, Shift_JIS (CP932) with NEC special characters (① ㈱ Ⅱ, row 13) and IBM
# extensions (髙 﨑), half-width katakana readings, weekdays written as ranges and words.
AED_LEGACY = ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ", "住所", "方書",
              "緯度", "経度", "設置位置", "電話番号", "内線番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間",
              "利用可能日時特記事項", "小児対応設備の有無", "URL", "備考"]


def aed(no, name, kana, weekdays, start="09:00", phone="0743-74-1111", remarks="", group="生駒市"):
    return ["292095", str(no), "奈良県", "生駒市", name, kana, "奈良県生駒市東新町1-1", "", "34.691740", "135.700610",
            "1階", phone, "", "", group, weekdays, start, "17:15", "", "有", "", remarks]


aed_rows = [
    aed(1, "生駒市役所①", "ｲｺﾏｼﾔｸｼｮ", "月～金", start="8:30"),            # line 2: kana, range, time
    aed(2, "㈱生駒ビルⅡ", "イコマビル", "火～日"),                         # line 3: range over the weekend
    aed(3, "髙山公民館", "タカヤマコウミンカン", "毎日", group="山﨑自治会"),  # line 4: a word: free text
    aed(4, "生駒駅前", "イコマエキマエ", "平日", phone="なし"),              # line 5: phone "none"
    aed(5, "生駒山麓公園", "イコマサンロクコウエン", "全日・全時間帯使用可", remarks="２４時間"),  # line 6
]
write("aed_cp932_nec.csv", [AED_LEGACY] + aed_rows, encoding="cp932")

# 05 子育て施設, legacy layout: a header and readings with look-alikes of the long vowel mark ー
# (U+2015 ―, U+2010 ‐, U+FF0D －), as in Yaizu's published file.
PRESCHOOL = ["都道府県コ―ド又は市区町村コ―ド", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ", "種別", "住所",
             "緯度", "経度", "電話番号", "利用可能曜日", "開始時間", "終了時間"]
preschool_rows = [
    ["292095", "1", "奈良県", "生駒市", "ハートリンク保育園", "ハ―トリンクホイクエン", "保育所", "奈良県生駒市元町1-1",
     "34.692", "135.700", "0743-74-1111", "月火水木金土", "07:00", "19:00"],
    ["292095", "2", "奈良県", "生駒市", "スマイルキッズ", "スマイルキッズ", "保育所", "奈良県生駒市辻町1",
     "34.697", "135.696", "0743-74-2222", "月～土", "07:30", "18:30"],
    ["292095", "3", "奈良県", "生駒市", "ルーム生駒", "ル‐ムイコマ", "保育所", "奈良県生駒市山崎町1",
     "34.695", "135.703", "0743-74-3333", "月火水木金", "08:00", "18:00"],
    ["292095", "4", "奈良県", "生駒市", "センター保育", "センタ－ホイク", "保育所", "奈良県生駒市北新町1",
     "34.690", "135.702", "0743-74-4444", "月火水木金", "08:00", "18:00"],
]
write("preschool_dash_header.csv", [PRESCHOOL] + preschool_rows)

# 03 指定緊急避難場所, current layout: 1-or-blank flags written ○ 〇 × and full-width １ (certain),
# and one 有 (not a mark: an error that names 1 and blank).
SHELTERS = ["全国地方公共団体コード", "ID", "名称", "所在地_連結表記", "緯度", "経度", "災害種別_洪水",
            "災害種別_崖崩れ、土石流及び地滑り", "災害種別_高潮", "災害種別_地震", "災害種別_津波", "災害種別_大規模な火事",
            "災害種別_内水氾濫", "災害種別_火山現象", "指定避難所との重複"]
shelter_rows = [
    ["292095", "S1", "生駒小学校", "奈良県生駒市山崎町19-1", "34.6953", "135.7035", "○", "", "", "○", "", "〇", "", "", "○"],
    ["292095", "S2", "生駒中学校", "奈良県生駒市山崎新町12-1", "34.6980", "135.7040", "1", "×", "", "１", "", "", "", "", ""],
    ["292095", "S3", "生駒高校", "奈良県生駒市竜田川1", "34.6900", "135.7000", "有", "", "", "1", "", "", "", "", ""],
]
write("shelters_flag_marks.csv", [SHELTERS] + shelter_rows)

# 13 公衆トイレ, current layout, UTF-8 without BOM, LF: a fix in each of lines 2-7, errors in 8-9,
# trailing empty cells in line 10 and a header written with spaces.
TOILETS = ["全国地方公共団体コード", "ID", "名称", "名称_カナ", "所在地_連結表記", "設置位置", "緯度", "経度", "高度の種別",
           "高度の値", "男性トイレ総数", "車椅子使用者用トイレ有無", "利用開始時間", "利用終了時間", " 備考 "]


def toilet(**overrides):
    row = dict(zip(TOILETS, ["292095", "T1", "生駒駅前トイレ", "イコマエキマエトイレ", "奈良県生駒市元町一丁目1-1", "駅前広場",
                             "34.692500", "135.699800", "", "", "3", "有", "06:00", "23:00", ""]))
    row.update(overrides)
    return [row[c] for c in TOILETS]


toilet_rows = [
    toilet(高度の種別="階", 高度の値="2"),          # line 2: 階 for 階数
    toilet(ID="T2", 全国地方公共団体コード="29209"),   # line 3: 5 digits without the check digit
    toilet(ID="T3", 男性トイレ総数="３"),              # line 4: a full-width digit
    toilet(ID="T4", 利用開始時間="8:30"),              # line 5: hh:mm
    toilet(ID="Ｔ５"),                                 # line 6: a full-width ID
    toilet(ID="T6", 利用終了時間="24:00"),             # line 7: midnight as a closing time: fine
    toilet(ID="T7", 利用開始時間="25:00"),             # line 8: out of range: an error
    toilet(ID="T8", 車椅子使用者用トイレ有無="あり"),  # line 9: not 有/無: an error naming them
    toilet(ID="T9") + ["", ""],                        # line 10: two empty cells past the header
]
write("toilets_fixable.csv", [TOILETS] + toilet_rows, newline="\n")
