"""The standard datasets as pages and machine-readable files, each at a stable URL."""
import csv
import io
import json


def test_index_lists_every_standard_dataset_in_japanese_and_english(app):
    page = app.get("/standard-datasets/").body
    assert "自治体標準オープンデータセット" in page and "ダウンロード" in page
    assert "公衆トイレ一覧" in page and "AED設置箇所一覧" in page and "観光ポイント一覧" in page
    assert "/standard-datasets/13/template.csv" in page
    english = app.get("/en/standard-datasets/").body
    assert "Public toilets" in english and "Standard datasets" in english


def test_definition_page_shows_columns_levels_and_imi_paths(app):
    page = app.get("/standard-datasets/13").body
    assert "バリアフリートイレ数" in page and "自治体標準ODS" in page and "公衆トイレ" in page
    assert "施設&gt;関連施設{役割=&#39;設置施設&#39;}&gt;施設&gt;名称&gt;表記" in page  # 名称's IMI path
    assert "41 列中 30 列に共通語彙基盤のパスがあります（73%）" in page
    assert "施設の便器・設備の数を表すプロパティがない" in page  # a reasoned none
    english = app.get("/en/standard-datasets/13").body
    assert "30 of 41 columns have a path (73%)" in english and "the GIF→IMI mapping" in english
    assert app.get("/standard-datasets/8").status_code == 200  # 8 and 08 are the same definition


def test_table_schema_export(app):
    response = app.get("/standard-datasets/13/schema.json")
    assert response.headers["Content-Type"].startswith("application/json")
    schema = json.loads(response.body)
    names = [f["name"] for f in schema["fields"]]
    assert len(names) == 39 and names[0] == "全国地方公共団体コード"


def test_csvw_export_points_at_the_template(app):
    response = app.get("/standard-datasets/03/csv-metadata.json")
    document = json.loads(response.body)
    assert document["url"].endswith("/standard-datasets/03/template.csv")
    assert len(document["tableSchema"]["columns"]) == 39


def test_blank_template_is_utf8_with_bom_header_and_example_row(app):
    response = app.get("/standard-datasets/13/template.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[0][3] == "名称"


def test_unknown_or_undefined_standard_datasets_are_404(app):
    assert app.get("/standard-datasets/99").status_code == 404
    assert app.get("/standard-datasets/31/template.csv").status_code == 404  # no columns known yet


def test_local_government_code_uris_resolve(app):
    document = json.loads(app.get("/lg-codes/292095").body)
    assert (document["identifier"], document["name"], document["name_kana"]) == ("292095", "奈良県生駒市", "いこまし")
    assert app.get("/lg-codes/292096").status_code == 404


def test_data_item_dictionary_page_in_japanese_and_english(app):
    page = app.get("/standard-datasets/items").body
    assert "データ項目辞書" in page and "所在地_連結表記" in page and "使用する標準データセット" in page
    assert 'href="/standard-datasets/13"' in page  # each item links to the definitions using it
    english = app.get("/en/standard-datasets/items").body
    assert "Data item dictionary" in english and "Used by" in english
    assert "/standard-datasets/items" in app.get("/standard-datasets/").body


def test_data_item_dictionary_as_json_and_csv(app):
    items = json.loads(app.get("/standard-datasets/items.json").body)["items"]
    by_name = {item["name"]: item for item in items}
    latitude = by_name["緯度"]
    assert latitude["format"] == "latitude" and "13" in latitude["datasets"] and "01" in latitude["datasets"]
    assert "施設>地理座標>緯度" in latitude["imi"]
    assert len(items) == len(by_name)  # one entry per item name
    response = app.get("/standard-datasets/items.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.body.lstrip("\ufeff"))))
    assert rows[0][0] == "項目名" and len(rows) == len(items) + 1
