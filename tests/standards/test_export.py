"""Table Schema, CSVW and blank CSV exports of the standard datasets."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from ckanext.ikoma.standards import standard_dataset, standard_datasets
from ckanext.ikoma.standards.definitions import Column, StandardDataset
from ckanext.ikoma.standards.export import blank_csv, csvw, table_schema

WITH_LAYOUTS = [(n, layout) for n, d in standard_datasets().items() for layout in d.layouts]
IDS = [f"{n}-{layout}" for n, layout in WITH_LAYOUTS]
TABLE_URL = "https://data.example.jp/standard-datasets/13/template.csv"

# Frictionless Table Schema v1, checked by hand (no frictionless dependency)
TS_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
            "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
TS_STRING_FORMATS = {"default", "email", "uri", "binary", "uuid"}
TS_CONSTRAINTS = {"required", "unique", "minLength", "maxLength", "minimum", "maximum", "pattern", "enum"}
TS_TOP_LEVEL = {"fields", "missingValues", "primaryKey", "foreignKeys"}
# CSVW built-in datatypes used here
CSVW_DATATYPES = {"string", "decimal", "nonNegativeInteger", "integer", "date", "time", "anyURI"}
# a CSVW column name is a URI-template variable: ASCII letters, digits, _ and %XX, not starting with _
CSVW_NAME = re.compile(r"^(?:[A-Za-z0-9]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})*$")


def _headers(number, layout):
    return [c.header_in(layout) for c in standard_dataset(number).columns_for(layout)]


# ---------------------------------------------------------------- Table Schema

@pytest.mark.parametrize("number, layout", WITH_LAYOUTS, ids=IDS)
def test_table_schema_round_trips_through_json_and_has_the_frictionless_shape(number, layout):
    schema = table_schema(standard_dataset(number), layout)
    assert json.loads(json.dumps(schema, ensure_ascii=False)) == schema
    assert set(schema) <= TS_TOP_LEVEL and schema["missingValues"] == [""]
    assert [f["name"] for f in schema["fields"]] == _headers(number, layout)
    for field in schema["fields"]:
        assert isinstance(field["name"], str) and field["name"]
        assert field["type"] in TS_TYPES
        if "format" in field:
            if field["type"] == "string":
                assert field["format"] in TS_STRING_FORMATS
            else:
                assert field["type"] in ("date", "time") and field["format"].startswith("%")
        constraints = field.get("constraints", {})
        assert set(constraints) <= TS_CONSTRAINTS
        assert constraints.get("required", True) is True
        if "enum" in constraints:
            assert all(isinstance(v, str) for v in constraints["enum"])
        if "pattern" in constraints:
            re.compile(constraints["pattern"])
        for key in ("minimum", "maximum"):
            if key in constraints:
                assert field["type"] in ("integer", "number")


def test_table_schema_of_public_toilets_maps_types_and_constraints():
    fields = {f["name"]: f for f in table_schema(standard_dataset("13"))["fields"]}
    assert len(fields) == 39
    assert fields["名称"]["constraints"] == {"required": True}
    assert fields["名称"]["title"] == "name"
    assert fields["全国地方公共団体コード"]["type"] == "string"
    assert fields["全国地方公共団体コード"]["constraints"] == {"pattern": "^[0-9]{6}$"}
    assert fields["緯度"]["type"] == "number"
    assert fields["緯度"]["constraints"] == {"minimum": -90, "maximum": 90}
    assert fields["男性トイレ総数"]["type"] == "integer"
    assert fields["車椅子使用者用トイレ有無"]["constraints"] == {"enum": ["有", "無"]}
    assert fields["画像"] == {**fields["画像"], "type": "string", "format": "uri"}
    assert fields["利用開始時間"]["type"] == "time" and fields["利用開始時間"]["example"] == "09:00"
    assert fields["利用開始時間"]["imi"] == "施設>利用可能時間{@定期スケジュール型}>開始時間"


def test_table_schema_of_the_legacy_layout_uses_legacy_headers_and_levels():
    fields = {f["name"]: f for f in table_schema(standard_dataset("13"), "legacy")["fields"]}
    assert "多機能トイレ数" in fields and "バリアフリートイレ数" not in fields
    assert fields["名称_カナ"]["constraints"]["required"] is True
    assert "都道府県名" in fields and "所在地_都道府県" not in fields


def test_flag_columns_are_never_required_since_blank_means_no():
    fields = {f["name"]: f for f in table_schema(standard_dataset("03"), "legacy")["fields"]}
    flag = fields["災害種別_洪水"]
    assert flag["constraints"] == {"enum": ["1"]}
    assert fields["名称"]["constraints"] == {"required": True}


def test_separated_columns_have_no_whole_cell_pattern():
    fields = {f["name"]: f for f in table_schema(standard_dataset("03"))["fields"]}
    assert fields["対象となる町会・自治会"]["separator"] == ";"
    assert "pattern" not in fields["対象となる町会・自治会"].get("constraints", {})


def test_a_dataset_with_only_the_legacy_layout_exports_it_by_default():
    open_data = standard_dataset("06")
    assert open_data.default_layout == "legacy"
    assert table_schema(open_data) == table_schema(open_data, "legacy")
    with pytest.raises(ValueError):
        table_schema(open_data, "current")


def test_a_dataset_without_columns_cannot_be_exported():
    for export in (table_schema, blank_csv, lambda d: csvw(d, TABLE_URL)):
        with pytest.raises(ValueError, match="no columns"):
            export(standard_dataset("16"))


# ---------------------------------------------------------------- CSVW

@pytest.mark.parametrize("number, layout", WITH_LAYOUTS, ids=IDS)
def test_csvw_has_the_metadata_shape(number, layout):
    dataset = standard_dataset(number)
    doc = csvw(dataset, TABLE_URL, layout)
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    assert doc["@context"] == "http://www.w3.org/ns/csvw"
    assert doc["url"] == TABLE_URL
    assert doc["dialect"]["encoding"] == "utf-8" and doc["dialect"]["header"] is True
    columns = doc["tableSchema"]["columns"]
    names = [c["name"] for c in columns]
    assert len(names) == len(set(names)) and all(CSVW_NAME.match(n) for n in names)
    assert [c["titles"][0] for c in columns] == _headers(number, layout)
    for entry, column in zip(columns, dataset.columns_for(layout), strict=True):
        assert set(column.header_names) == set(entry["titles"])
        assert isinstance(entry["required"], bool)
        datatype = entry["datatype"]
        base = datatype["base"] if isinstance(datatype, dict) else datatype
        assert base in CSVW_DATATYPES


def test_csvw_titles_include_the_legacy_spellings():
    columns = {c["titles"][0]: c for c in csvw(standard_dataset("13"), TABLE_URL)["tableSchema"]["columns"]}
    assert columns["全国地方公共団体コード"]["titles"] == ["全国地方公共団体コード", "都道府県コード又は市区町村コード"]
    assert columns["全国地方公共団体コード"]["name"] == "localGovernmentCode"
    assert columns["所在地_連結表記"]["required"] is True
    assert columns["利用開始時間"]["datatype"] == {"base": "time", "format": "HH:mm"}
    assert columns["車椅子使用者用トイレ有無"]["datatype"] == {"base": "string", "format": "^(?:有|無)$"}
    legacy = csvw(standard_dataset("13"), TABLE_URL, "legacy")["tableSchema"]["columns"]
    assert legacy[0]["titles"] == ["都道府県コード又は市区町村コード", "全国地方公共団体コード"]


# ---------------------------------------------------------------- blank CSV

@pytest.mark.parametrize("number, layout", WITH_LAYOUTS, ids=IDS)
def test_blank_csv_is_utf8_with_bom_crlf_with_the_header_and_an_example_row(number, layout):
    data = blank_csv(standard_dataset(number), layout)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == _headers(number, layout)
    assert rows[1] == [c.example for c in standard_dataset(number).columns_for(layout)]
    assert len(rows) == 2


def test_blank_csv_of_public_toilets_carries_the_examples_of_the_definition():
    header, example = list(csv.reader(io.StringIO(blank_csv(standard_dataset("13")).decode("utf-8-sig"))))
    row = dict(zip(header, example))
    assert row["全国地方公共団体コード"] == "011002" and row["利用開始時間"] == "09:00" and row["備考"] == ""


def test_blank_csv_quotes_commas_quotes_and_newlines():
    columns = (
        Column("名称", "name", "required", "string", example='駅前"東"トイレ'),
        Column("備考", "remarks", "optional", "string", example="土,日は休み\n祝日も休み"),
        Column("ID", "identifier", "optional", "string", example="A1"),
    )
    dataset = StandardDataset("99", "試験", "Test", "試験", "test", "test", {"current": {"complete": True}}, columns)
    data = blank_csv(dataset)
    assert data.decode("utf-8-sig") == (
        '名称,備考,ID\r\n"駅前""東""トイレ","土,日は休み\n祝日も休み",A1\r\n')
