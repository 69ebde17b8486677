"""Every column of every standard-dataset definition has an IMI path the vocabulary allows, or none."""
from __future__ import annotations

import collections
import os

import pytest

from ckanext.ikoma.imi.columns import IMI_NONE, column_path, coverage, type_problem
from ckanext.ikoma.imi.paths import ImiPathError, resolve
from ckanext.ikoma.standards.definitions import DEFINITIONS_DIR, standard_datasets

COLUMNS = [(d.number, c) for d in standard_datasets().values() for c in d.columns]


@pytest.mark.parametrize("number,column", COLUMNS, ids=[f"{n}-{c.name}" for n, c in COLUMNS])
def test_column_path_walks_the_vocabulary(number, column):
    assert column.imi, f"{number} {column.name}: no imi (a path, or none with imi_reason)"
    column_path(column)  # raises with the step that fails


def test_a_dataset_roots_all_its_paths_in_one_class():
    """The converter builds one instance per row: every path of a dataset starts at its main class."""
    for dataset in standard_datasets().values():
        roots = {resolve(c.imi).root for c in dataset.columns if c.imi != IMI_NONE}
        assert len(roots) <= 1, (dataset.number, roots)


def test_no_two_columns_of_a_layout_share_a_path():
    """A shared path would make the IMI instance ambiguous (no way back to the row)."""
    for dataset in standard_datasets().values():
        for layout in dataset.layouts:
            paths = collections.Counter(c.imi for c in dataset.columns_for(layout) if c.imi != IMI_NONE)
            assert [p for p, n in paths.items() if n > 1] == [], (dataset.number, layout)


def test_coverage_table_in_the_readme_is_the_definitions():
    """vocab/standard-datasets/README.md: per dataset columns, mapped, none and sources, and the total."""
    readme = open(os.path.join(DEFINITIONS_DIR, "README.md"), encoding="utf-8").read()
    for dataset in standard_datasets().values():
        if not dataset.columns:
            continue
        columns = dataset.columns
        sources = collections.Counter(c.imi_source for c in columns if c.imi != IMI_NONE)
        none = sum(1 for c in columns if c.imi == IMI_NONE)
        row = (f"| {dataset.number} {dataset.name_ja} | {len(columns)} | {len(columns) - none} | {none} | "
               f"{sources['definition']} | {sources['gif']} | {sources['own']} |")
        assert row in readme
    mapped, total = coverage(c for _, c in COLUMNS)
    assert f"**{mapped} / {total}**" in readme
    assert all(c.imi_reason for _, c in COLUMNS if c.imi == IMI_NONE)


@pytest.mark.parametrize("path,problem", [
    ("施設>関連施設{役割='設置施設'}>施設>設置地点>地理座標>経度", "not a property of 施設型"),
    ("施設>名称", "not literal-valued"),
    ("施設>住所>表記>説明", "literal-valued, the path cannot go on"),
    ("施設>利用可能時間{@住所型}>開始時間", "not a subclass"),
    ("人口>名称>表記", "not an IMI class"),
    ("施設>名称>表記[火星語]", "unknown language"),
    ("設備>管理者>識別値", "not a property of 実体型"),
])
def test_bad_paths_are_refused_naming_the_step(path, problem):
    with pytest.raises(ImiPathError, match=problem):
        resolve(path)


@pytest.mark.parametrize("type_,format_,path,ok", [
    ("date", None, "イベント>期間{@イベントスケジュール型}>開始日>標準型日付", True),
    ("date", None, "イベント>説明", False),
    ("code", "lg_code", "施設>メタデータ>発行者>ID>識別値", True),
    ("code", None, "施設>名称>表記", False),
    ("decimal", "latitude", "施設>地理座標>緯度", True),
    ("decimal", "latitude", "施設>地理座標>経度", False),
    ("integer", None, "施設>収容人数>数値", True),
    ("integer", None, "施設>備考", False),
    ("string", "phone", "施設>連絡先>電話番号", True),
    ("time", None, "施設>利用可能時間{@定期スケジュール型}>開始時間", True),
    ("url", None, "施設>画像", True),
    ("url", None, "施設>備考", False),
])
def test_column_type_agrees_with_the_literal(type_, format_, path, ok):
    assert (type_problem(type_, format_, resolve(path)) is None) is ok
