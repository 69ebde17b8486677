"""The definition files in vocab/standard-datasets/ and their loader."""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys

import jsonschema
import pytest
import yaml

from ckanext.ikoma.standards import definitions
from ckanext.ikoma.standards.definitions import (
    FORMAT_TYPES, LEVELS, TYPES, header_key, imi_path_problem, load_definition, read_definition_file,
    standard_dataset, standard_datasets,
)
from ckanext.ikoma.vocabularies import vocabulary

SCHEMA_PATH = os.path.join(os.path.dirname(definitions.__file__), "definition.schema.json")
FILES = definitions.definition_files()
FILE_IDS = [os.path.basename(p) for p in FILES]

# 13.公衆トイレ一覧 of 定義書A (20260801版), items 1-39, as extracted in tsunagu-bosai/open-infra-japan
# schema/standard/public-toilet/schema.csv (retrieved 2026-09-19)
TOILET_COLUMNS_A = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英語", "所在地_全国地方公共団体コード",
    "町字ID", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下", "建物名等(方書)",
    "設置位置", "緯度", "経度", "高度の種別", "高度の値", "男性トイレ総数", "男性トイレ数（小便器）", "男性トイレ数（和式）",
    "男性トイレ数（洋式）", "女性トイレ総数", "女性トイレ数（和式）", "女性トイレ数（洋式）", "男女共用トイレ総数",
    "男女共用トイレ数（和式）", "男女共用トイレ数（洋式）", "バリアフリートイレ数", "車椅子使用者用トイレ有無",
    "乳幼児用設備設置トイレ有無", "オストメイト設置トイレ有無", "利用開始時間", "利用終了時間", "利用可能時間特記事項", "画像",
    "画像_ライセンス", "備考",
]
SHARED_TOILET_SCHEMA = "/work/shared/data/standard-datasets/open-infra-japan/schema/standard/public-toilet/schema.csv"

# column counts of the 14 legacy 推奨データセット (NEC-FIWARE/smart-data-models cio/, 2021-03-16), keyed by
# the current number of the same dataset
LEGACY_COLUMN_COUNTS = {
    "08": 22, "09": 22, "10": 26, "02": 34, "11": 30, "12": 32, "07": 18,
    "13": 32, "14": 11, "03": 26, "04": 47, "01": 24, "05": 28, "06": 15,
}


@pytest.fixture(scope="module")
def validator():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# ---------------------------------------------------------------- the files

@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_every_file_validates_against_the_json_schema(path, validator):
    errors = sorted(validator.iter_errors(read_definition_file(path)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("path", FILES, ids=FILE_IDS)
def test_every_file_loads_and_starts_with_a_header_naming_source_and_version(path):
    dataset = load_definition(path)
    with open(path, encoding="utf-8") as f:
        header = [line for line in f.read().splitlines() if line.startswith("#")]
    assert header and header[0].startswith(f"# 自治体標準オープンデータセット {dataset.number} ")
    assert dataset.source and dataset.version


def test_the_index_and_the_definitions_agree():
    index = vocabulary("standard_datasets")
    loaded = {d.number: d for d in map(load_definition, FILES)}
    assert sorted(loaded) == sorted(t.value for t in index)
    for term in index:
        dataset = loaded[term.value]
        assert (dataset.name_ja, dataset.name_en, dataset.tag) == (term.ja, term.en, term.extra["tag"])
        slug = re.sub(r"[^a-z0-9]+", "-", term.en.lower()).strip("-")
        assert f"{term.value}_{slug}.yaml" in FILE_IDS


def test_standard_datasets_has_every_index_entry_and_is_cached():
    datasets = standard_datasets()
    assert list(datasets) == [t.value for t in vocabulary("standard_datasets")]
    assert standard_datasets() is datasets
    assert all(number == d.number for number, d in datasets.items())


def test_a_dataset_is_found_by_its_number_with_or_without_the_zero():
    assert standard_dataset("8") is standard_dataset("08") is standard_datasets()["08"]
    assert standard_dataset(13).name_ja == "公衆トイレ一覧"
    with pytest.raises(KeyError):
        standard_dataset("99")
    with pytest.raises(KeyError):
        standard_dataset("トイレ")


def test_datasets_without_known_columns_have_none():
    for number in ("16", "17", "22", "23", "24", "25", "26", "27", "29", "30", "31"):
        dataset = standard_dataset(number)
        assert dataset.columns == () and dataset.layouts == {} and dataset.default_layout is None


def test_the_package_imports_nothing_of_ckan():
    code = ("import sys, ckanext.ikoma.standards.export; "
            "sys.exit(any(m == 'ckan' or m.startswith('ckan.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# ---------------------------------------------------------------- columns

@pytest.mark.parametrize("number", list(standard_datasets()))
def test_columns_are_unique_in_name_and_every_header_spelling(number):
    dataset = standard_dataset(number)
    keys = [header_key(h) for c in dataset.columns for h in set(map(header_key, c.header_names))]
    assert len(keys) == len(set(keys))
    names_en = [c.name_en for c in dataset.columns]
    assert len(names_en) == len(set(names_en))


@pytest.mark.parametrize("number", list(standard_datasets()))
def test_types_formats_and_levels_are_known_and_fit_together(number):
    for column in standard_dataset(number).columns:
        assert column.type in TYPES and column.level in LEVELS
        assert column.legacy_level in (None, *LEVELS)
        if column.format:
            assert column.type in FORMAT_TYPES[column.format], column.name
        assert bool(column.values) == (column.type == "enum"), column.name
        assert isinstance(column.example, str)
        if column.pattern:
            re.compile(column.pattern)
        assert set(column.layouts) <= set(standard_dataset(number).layouts)


@pytest.mark.parametrize("number", list(standard_datasets()))
def test_examples_fit_their_column(number):
    for column in standard_dataset(number).columns:
        if not column.example:
            continue
        if column.type == "enum":
            assert column.example in column.values, column.name
        if column.pattern:
            assert re.search(column.pattern, column.example), column.name
        if column.format == "lg_code":
            assert re.fullmatch(r"[0-9]{6}", column.example)
        if column.type == "decimal":
            float(column.example)
        if column.type == "integer":
            assert column.example.isdigit()


@pytest.mark.parametrize("number", list(standard_datasets()))
def test_imi_paths_are_well_formed(number):
    for column in standard_dataset(number).columns:
        if column.imi:
            assert imi_path_problem(column.imi) is None, (column.name, column.imi)
            assert "（注" not in column.imi


@pytest.mark.parametrize("path, problem", [
    ("施設>名称>表記[英語]", None),
    ("施設>関連施設{役割='設置施設'}>施設>名称>表記", None),
    ("施設>メタデータ>発行者{@組織型}>住所>都道府県", None),
    ("施設>>名称", "empty segment"),
    ("施設>名称>", "empty segment"),
    ("施設>名称{役割='x'", "unbalanced '{'"),
    ("施設>名称]>表記", "unbalanced ']'"),
])
def test_imi_path_well_formedness(path, problem):
    assert imi_path_problem(path) == problem


def test_the_current_order_comes_first_then_the_legacy_only_columns():
    for dataset in standard_datasets().values():
        if "current" not in dataset.layouts:
            continue
        kinds = ["current" in c.layouts for c in dataset.columns]
        assert kinds == sorted(kinds, reverse=True), dataset.number


# ---------------------------------------------------------------- facts from the sources

def test_public_toilets_has_the_39_items_of_definition_a():
    toilets = standard_dataset("13")
    assert toilets.is_complete("current") and toilets.is_complete("legacy")
    assert [c.name for c in toilets.columns_for("current")] == TOILET_COLUMNS_A


@pytest.mark.skipif(not os.path.exists(SHARED_TOILET_SCHEMA), reason="the shared extract is not on this machine")
def test_public_toilets_matches_the_shared_extract_item_by_item():
    with open(SHARED_TOILET_SCHEMA, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    columns = standard_dataset("13").columns_for("current")
    marks = {"◎": "required", "○": "recommended", "〇": "recommended", "": "optional"}
    for row, column in zip(rows, columns, strict=True):
        assert (column.name, column.name_en, column.example) == (row["name"], row["english_name"], row["example"])
        assert column.level == marks[row["classification"]]


def test_public_toilets_types_follow_the_definition():
    toilets = {c.name: c for c in standard_dataset("13").columns}
    assert (toilets["全国地方公共団体コード"].type, toilets["全国地方公共団体コード"].format) == ("code", "lg_code")
    assert toilets["緯度"].format == "latitude" and toilets["経度"].format == "longitude"
    assert toilets["男性トイレ総数"].type == "integer"
    assert toilets["車椅子使用者用トイレ有無"].values == ("有", "無")
    assert toilets["利用開始時間"].type == "time"
    assert toilets["利用開始時間"].imi == "施設>利用可能時間{@定期スケジュール型}>開始時間"
    # the definition book roots this one path at イベント; ours corrects it and keeps what it wrote
    assert toilets["地方公共団体名"].imi_written == "イベント>メタデータ>発行者{@組織型}>住所>都道府県"
    assert toilets["地方公共団体名"].imi == "施設>メタデータ>発行者{@組織型}>住所>都道府県"
    assert toilets["画像"].type == "url"
    assert [c.name for c in standard_dataset("13").columns if c.level == "required"] == [
        "名称", "所在地_連結表記", "設置位置"]


@pytest.mark.parametrize("number, count", sorted(LEGACY_COLUMN_COUNTS.items()))
def test_each_legacy_layout_has_the_column_count_of_the_legacy_definition(number, count):
    dataset = standard_dataset(number)
    assert dataset.is_complete("legacy")
    assert len(dataset.columns_for("legacy")) == count


def test_only_the_14_legacy_datasets_have_a_legacy_layout():
    assert {n for n, d in standard_datasets().items() if "legacy" in d.layouts} == set(LEGACY_COLUMN_COUNTS)


def test_legacy_headers_are_recognised_as_aliases_of_current_columns():
    toilets = standard_dataset("13")
    by_header = {h: c for c in toilets.columns for h in c.header_names}
    assert by_header["都道府県コード又は市区町村コード"].name == "全国地方公共団体コード"
    assert by_header["NO"].name == "ID"
    assert by_header["住所"].name == "所在地_連結表記"
    assert by_header["方書"].name == "建物名等(方書)"
    assert by_header["多機能トイレ数"].name == "バリアフリートイレ数"
    legacy_headers = [c.header_in("legacy") for c in toilets.columns_for("legacy")]
    assert legacy_headers[:4] == ["都道府県コード又は市区町村コード", "NO", "名称", "名称_カナ"]
    assert {c.name for c in toilets.columns if c.layouts == ("legacy",)} == {"都道府県名", "市区町村名"}


def test_legacy_levels_keep_the_legacy_required_list():
    toilets = {c.name: c for c in standard_dataset("13").columns}
    assert toilets["名称_カナ"].level == "recommended"
    assert toilets["名称_カナ"].level_in("legacy") == "required"
    assert toilets["バリアフリートイレ数"].level_in("legacy") == "required"
    aed = standard_dataset("08")
    required = sorted(c.header_in("legacy") for c in aed.columns_for("legacy") if c.level_in("legacy") == "required")
    assert required == sorted(["名称", "名称_カナ", "住所", "設置位置"])


def test_evacuation_sites_have_39_current_columns_with_flags():
    sites = standard_dataset("03")
    current = sites.columns_for("current")
    assert len(current) == 39 and not sites.is_complete("current")
    flags = [c for c in current if c.is_flag]
    assert [c.name for c in flags][-1] == "指定避難所との重複" and len(flags) == 9
    assert {c.name_en for c in flags} >= {"typeOfDisasterFlood", "typeOfDisasterEruption", "alsoForShelter"}
    by_name = {c.name: c for c in current}
    assert by_name["対象となる町会・自治会"].separator == ";"
    assert by_name["想定収容人数"].type == "integer"


@pytest.mark.parametrize("number, count", [("07", 28), ("05", 53), ("15", 34), ("14", 16), ("28", 10)])
def test_partial_current_layouts_have_the_columns_the_sources_list(number, count):
    dataset = standard_dataset(number)
    assert len(dataset.columns_for("current")) == count
    assert not dataset.is_complete("current")


def test_aed_and_tourist_facilities_carry_the_imi_paths_of_items_1_to_7():
    aed = {c.name: c for c in standard_dataset("08").columns}
    assert aed["名称"].imi == "設備>設置地点>名称>表記" and aed["ID"].example == "FF0100022200"
    assert "名称_英字" in aed
    tourism = {c.name: c for c in standard_dataset("11").columns}
    assert tourism["法人番号"].imi_written == "法人型>ID{種別='法人番号'}>識別値"
    assert tourism["法人番号"].imi.endswith("関与者{@法人型}>ID{種別='法人番号'}>識別値")
    assert tourism["名称_英語"].imi == "施設>名称>表記[英語]"
    assert [c.name for c in standard_dataset("11").columns][:3] == ["全国地方公共団体コード", "法人番号", "ID"]


# ---------------------------------------------------------------- the loader rejects broken files

GOOD_COLUMN = {"name": "名称", "name_en": "name", "level": "required", "type": "string",
               "layouts": ["current"]}


def _write(tmp_path, columns, layouts=None, number="13", **top):
    doc = {"number": number, "name": {"ja": "公衆トイレ一覧", "en": "Public toilets"}, "tag": "公衆トイレ",
           "source": "test", "version": "test", "layouts": layouts or {"current": {"complete": False}},
           "columns": columns, **top}
    path = tmp_path / f"{number}_public-toilets.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_a_good_minimal_file_loads(tmp_path):
    dataset = load_definition(_write(tmp_path, [GOOD_COLUMN]))
    assert dataset.columns[0].header_names == ("名称",)


@pytest.mark.parametrize("columns, message", [
    ([GOOD_COLUMN, {**GOOD_COLUMN, "name_en": "other"}], "the name is used twice"),
    ([GOOD_COLUMN, {**GOOD_COLUMN, "name": "施設名", "name_en": "x", "aliases": ["名称"]}], "header name '名称'"),
    ([GOOD_COLUMN, {**GOOD_COLUMN, "name": "ＩＤ", "name_en": "a"}, {**GOOD_COLUMN, "name": "ID", "name_en": "b"}],
     "header name 'ID'"),
    ([{**GOOD_COLUMN, "type": "text"}], "unknown type 'text'"),
    ([{**GOOD_COLUMN, "level": "must"}], "unknown level 'must'"),
    ([{**GOOD_COLUMN, "format": "zip"}], "unknown format 'zip'"),
    ([{**GOOD_COLUMN, "format": "lg_code"}], "format lg_code refines"),
    ([{**GOOD_COLUMN, "type": "enum"}], "an enum needs values"),
    ([{**GOOD_COLUMN, "values": ["有"]}], "values are for type enum only"),
    ([{**GOOD_COLUMN, "type": "enum", "values": "有無"}], "values must be a list"),
    ([{**GOOD_COLUMN, "layouts": ["legacy"]}], "layout 'legacy' is not declared"),
    ([{**GOOD_COLUMN, "legacy_name": "施設名", "aliases": ["施設名"]}], "not in the legacy layout"),
    ([{**GOOD_COLUMN, "example": 11002}], "example must be a string"),
    ([{**GOOD_COLUMN, "pattern": "[0-9"}], "pattern does not compile"),
    ([{**GOOD_COLUMN, "imi": "施設>>名称"}], "empty segment"),
    ([{**GOOD_COLUMN, "colour": "red"}], "unknown keys ['colour']"),
    ([{**GOOD_COLUMN, "name_en": "名前"}], "not ASCII camelCase"),
    ([{**GOOD_COLUMN, "spellings": {"階": "階数"}}], "spellings are for type enum only"),
    ([{**GOOD_COLUMN, "type": "enum", "values": ["階数"], "spellings": {"階": "標高"}}], "spelling '階' must map"),
    ([{**GOOD_COLUMN, "type": "enum", "values": ["階数"], "spellings": {"階数": "階数"}}], "spelling '階数' must map"),
])
def test_the_loader_names_the_file_and_column_of_a_mistake(tmp_path, columns, message):
    with pytest.raises(ValueError) as e:
        load_definition(_write(tmp_path, columns))
    assert "13_public-toilets.yaml" in str(e.value) and message in str(e.value)
    assert f"column {columns[-1]['name']}" in str(e.value)


def test_the_loader_checks_layouts_and_numbers(tmp_path):
    with pytest.raises(ValueError, match="layout legacy is declared but has no columns"):
        load_definition(_write(tmp_path, [GOOD_COLUMN],
                               layouts={"current": {"complete": True}, "legacy": {"complete": True}}))
    with pytest.raises(ValueError, match="unknown layout 'draft'"):
        load_definition(_write(tmp_path, [GOOD_COLUMN], layouts={"draft": {"complete": True}}))
    with pytest.raises(ValueError, match="layouts must be a mapping"):
        load_definition(_write(tmp_path, [GOOD_COLUMN], layouts=["current"]))
    with pytest.raises(ValueError, match="quoted two-digit string"):
        load_definition(_write(tmp_path, [GOOD_COLUMN], number=13))
    legacy_only = {**GOOD_COLUMN, "name": "NO", "name_en": "no", "layouts": ["legacy"]}
    with pytest.raises(ValueError, match="a current column after the legacy-only column NO"):
        load_definition(_write(tmp_path, [legacy_only, GOOD_COLUMN],
                               layouts={"current": {"complete": True}, "legacy": {"complete": True}}))


def test_spellings_of_choices_map_to_their_values():
    height = next(c for c in standard_dataset("13").columns if c.name == "高度の種別")
    assert dict(height.spellings) == {"階": "階数"}
    marks = definitions.cell_spellings()
    assert "○" in marks.flag_yes and "×" in marks.flag_no and "なし" in marks.blank
    assert not (marks.flag_yes & marks.flag_no)


def test_one_dataset_is_read_without_the_other_files():
    """A fresh process: the CSV check of one file reads one definition, and the full set read later
    hands out the very same object."""
    code = (
        "from ckanext.ikoma.standards import definitions as d\n"
        "one = d.standard_dataset('10')\n"
        "assert d._loaded.cache_info().currsize == 1 and not d.standard_datasets.cache_info().currsize\n"
        "assert d.standard_datasets()['10'] is one and d.standard_dataset('10') is one\n"
        "assert d._loaded.cache_info().currsize == len(d.definition_files())\n"
        "assert d.standard_dataset('13').columns and d.standard_dataset('8') is d.standard_datasets()['08']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
