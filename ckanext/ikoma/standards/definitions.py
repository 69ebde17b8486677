"""The 自治体標準オープンデータセット definitions in vocab/standard-datasets/, loaded once per process.

Pure Python, no CKAN import. One YAML file per dataset of the index vocab/standard_datasets.yaml;
the format is described in vocab/standard-datasets/README.md and definition.schema.json. The
loader checks what consumers rely on (unique header names, known types, consistent layouts) and
raises ValueError naming the file and the column; the JSON Schema is checked by the tests.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Optional

from ckanext.ikoma.vocabularies import VOCAB_DIR, vocabulary

DEFINITIONS_DIR = os.path.join(VOCAB_DIR, "standard-datasets")

LAYOUTS = ("current", "legacy")
LEVELS = ("required", "recommended", "optional")
TYPES = ("string", "integer", "decimal", "date", "time", "url", "code", "enum")
# format -> the types it refines
FORMAT_TYPES = {
    "lg_code": ("code",),
    "corporate_number": ("code",),
    "postal_code": ("code",),
    "phone": ("string",),
    "email": ("string",),
    "weekdays": ("string",),
    "kana": ("string",),
    "latitude": ("decimal",),
    "longitude": ("decimal",),
}
COLUMN_KEYS = {
    "name", "name_en", "level", "legacy_level", "type", "format", "values", "pattern", "separator",
    "example", "imi", "aliases", "legacy_name", "layouts", "description", "spellings",
    "imi_source", "imi_reason", "imi_written",
}
FILE_KEYS = {"number", "name", "tag", "source", "version", "layouts", "columns"}
# ASCII camelCase: also a valid CSVW column name (a URI-template variable)
NAME_EN = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


@dataclass(frozen=True)
class Column:
    name: str
    name_en: str
    level: str
    type: str
    format: Optional[str] = None
    values: tuple[str, ...] = ()
    pattern: Optional[str] = None
    separator: Optional[str] = None
    example: str = ""
    imi: Optional[str] = None  # an IMI path, or "none" with imi_reason (ckanext.ikoma.imi.columns)
    imi_source: Optional[str] = None  # definition | gif | own
    imi_reason: str = ""  # why IMI cannot express the column, when imi is "none"
    imi_written: Optional[str] = None  # the definition book's path, where ours corrects it
    aliases: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ("current",)
    description: str = ""
    legacy_name: Optional[str] = None  # the legacy header, when it differs from `name`
    legacy_level: Optional[str] = None  # the level in the legacy layout, when it differs from `level`
    # enum only: spellings seen in published files and the value each certainly means (階 -> 階数)
    spellings: tuple[tuple[str, str], ...] = ()

    @property
    def header_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def is_flag(self) -> bool:
        """A 1-or-blank column (災害種別_*): blank means "no", so a blank cell is never missing."""
        return self.type == "enum" and self.values == ("1",)

    def header_in(self, layout: str) -> str:
        """The header a file of `layout` uses for this column."""
        return (self.legacy_name or self.name) if layout == "legacy" else self.name

    def level_in(self, layout: str) -> str:
        return (self.legacy_level or self.level) if layout == "legacy" else self.level


@dataclass(frozen=True)
class StandardDataset:
    number: str
    name_ja: str
    name_en: str
    tag: str
    source: str
    version: str
    layouts: dict[str, dict[str, bool]] = field(hash=False)  # layout -> {"complete": bool}
    columns: tuple[Column, ...]

    def columns_for(self, layout: str) -> tuple[Column, ...]:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
        return tuple(c for c in self.columns if layout in c.layouts)

    def is_complete(self, layout: str) -> bool:
        return bool(self.layouts.get(layout, {}).get("complete"))

    @property
    def default_layout(self) -> Optional[str]:
        """The layout to offer publishers: current when known, else legacy, else None."""
        return next((layout for layout in LAYOUTS if layout in self.layouts), None)


def header_key(text: str) -> str:
    """Header spellings that a reader would confuse (full/half width, spaces, case) compare equal."""
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", text)).casefold()


def imi_path_problem(path: str) -> Optional[str]:
    """Why an IMI 共通語彙基盤 path (施設>名称>表記[英語]) is malformed, or None when it is fine."""
    if any(not segment.strip() for segment in path.split(">")):
        return "empty segment"
    depth = {"{": 0, "[": 0}
    closing = {"}": "{", "]": "["}
    for char in path:
        if char in depth:
            depth[char] += 1
        elif char in closing:
            depth[closing[char]] -= 1
            if depth[closing[char]] < 0:
                return f"unbalanced {char!r}"
    unbalanced = [opening for opening, count in depth.items() if count]
    return f"unbalanced {unbalanced[0]!r}" if unbalanced else None


def definition_files() -> list[str]:
    return sorted(
        os.path.join(DEFINITIONS_DIR, name) for name in os.listdir(DEFINITIONS_DIR)
        if name.endswith(".yaml")
    )


def read_definition_file(path: str) -> dict[str, Any]:
    from ckanext.ikoma.yamlfile import read_yaml  # pure consumers of the dataclasses need no yaml

    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ValueError(f"{_short(path)}: not a mapping")
    return data


def load_definition(path: str) -> StandardDataset:
    """Read and check one definition file."""
    return _dataset_from(read_definition_file(path), _short(path))


@functools.lru_cache(maxsize=None)
def _loaded(path: str) -> StandardDataset:
    """A definition file read once per process: standard_datasets() and standard_dataset() hand
    out the same object."""
    return load_definition(path)


@functools.lru_cache(maxsize=1)
def standard_datasets() -> dict[str, StandardDataset]:
    """Every dataset of the index, keyed by number; those without a file have no columns."""
    index = vocabulary("standard_datasets")
    loaded: dict[str, StandardDataset] = {}
    for path in definition_files():
        dataset = _loaded(path)
        where = _short(path)
        if dataset.number in loaded:
            raise ValueError(f"{where}: number {dataset.number} is defined twice")
        term = index.get(dataset.number)
        if term is None:
            raise ValueError(f"{where}: number {dataset.number} is not in standard_datasets.yaml")
        indexed = (term.ja, term.en, term.extra.get("tag"))
        if (dataset.name_ja, dataset.name_en, dataset.tag) != indexed:
            raise ValueError(f"{where}: name or tag differs from standard_datasets.yaml {indexed}")
        loaded[dataset.number] = dataset
    return {
        term.value: loaded.get(term.value) or StandardDataset(
            term.value, term.ja, term.en, term.extra.get("tag", ""), index.source, index.version, {}, ())
        for term in index
    }


def standard_dataset(number: str) -> StandardDataset:
    """A dataset by number ("8" and "08" alike); KeyError when the index has no such number."""
    key = str(number).strip()
    if key.isdigit():
        key = key.zfill(2)
    if not standard_datasets.cache_info().currsize:
        alone = _alone(key)  # a check of one file need not read the other 26 (a fifth of its time)
        if alone is not None:
            return alone
    try:
        return standard_datasets()[key]
    except KeyError:
        raise KeyError(f"unknown standard dataset {number!r}") from None


def _alone(key: str) -> Optional[StandardDataset]:
    """The dataset of the one file named NN_….yaml, when it passes standard_datasets()'s checks of
    a file; otherwise None (and standard_datasets() reads them all and says what is wrong)."""
    paths = [p for p in definition_files() if os.path.basename(p).startswith(key + "_")]
    term = vocabulary("standard_datasets").get(key)
    if len(paths) != 1 or term is None:
        return None
    dataset = _loaded(paths[0])
    if dataset.number != key or (dataset.name_ja, dataset.name_en, dataset.tag) != \
            (term.ja, term.en, term.extra.get("tag")):
        return None
    return dataset


# ---------------------------------------------------------------- checking one file

def _short(path: str) -> str:
    return os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path))


def _dataset_from(data: dict[str, Any], where: str) -> StandardDataset:
    unknown = set(data) - FILE_KEYS
    missing = FILE_KEYS - set(data)
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    number = data["number"]
    if not isinstance(number, str) or not re.fullmatch(r"[0-9]{2}", number):
        raise ValueError(f"{where}: number must be a quoted two-digit string, not {number!r}")
    if not os.path.basename(where).startswith(f"{number}_"):
        raise ValueError(f"{where}: the file name must start with {number}_")
    name = data["name"]
    if not isinstance(name, dict) or not name.get("ja") or not name.get("en"):
        raise ValueError(f"{where}: name needs ja and en")

    layouts = data["layouts"] or {}
    if not isinstance(layouts, dict) or not isinstance(data["columns"] or [], list):
        raise ValueError(f"{where}: layouts must be a mapping and columns a list")
    for layout, spec in layouts.items():
        if layout not in LAYOUTS:
            raise ValueError(f"{where}: unknown layout {layout!r}")
        if not isinstance(spec, dict) or not isinstance(spec.get("complete"), bool):
            raise ValueError(f"{where}: layout {layout} needs complete: true|false")

    columns = tuple(_column_from(raw, where, layouts) for raw in data["columns"] or [])
    _check_columns(columns, where, layouts)
    return StandardDataset(
        number=number, name_ja=name["ja"], name_en=name["en"], tag=str(data["tag"]),
        source=str(data["source"]), version=str(data["version"]),
        layouts={layout: {"complete": spec["complete"]} for layout, spec in layouts.items()},
        columns=columns,
    )


def _column_from(raw: Any, where: str, layouts: dict[str, Any]) -> Column:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise ValueError(f"{where}: a column without a name: {raw!r}")
    at = f"{where}, column {raw['name']}"

    def fail(message: str):
        raise ValueError(f"{at}: {message}")

    unknown = set(raw) - COLUMN_KEYS
    if unknown:
        fail(f"unknown keys {sorted(unknown)}")
    for key in ("name_en", "level", "type", "layouts"):
        if key not in raw:
            fail(f"missing {key}")
    for key in ("name_en", "example", "pattern", "separator", "imi", "description", "legacy_name",
                "imi_source", "imi_reason", "imi_written"):
        if key in raw and not isinstance(raw[key], str):
            fail(f"{key} must be a string (quote it), not {raw[key]!r}")
    if not NAME_EN.match(raw["name_en"]):
        fail(f"name_en {raw['name_en']!r} is not ASCII camelCase")
    if raw["level"] not in LEVELS:
        fail(f"unknown level {raw['level']!r}")
    if raw.get("legacy_level") is not None and raw["legacy_level"] not in LEVELS:
        fail(f"unknown legacy_level {raw['legacy_level']!r}")
    type_ = raw["type"]
    if type_ not in TYPES:
        fail(f"unknown type {type_!r}")
    fmt = raw.get("format")
    if fmt is not None:
        if fmt not in FORMAT_TYPES:
            fail(f"unknown format {fmt!r}")
        if type_ not in FORMAT_TYPES[fmt]:
            fail(f"format {fmt} refines {FORMAT_TYPES[fmt]}, not {type_}")
    for key in ("values", "aliases"):
        if not isinstance(raw.get(key) or [], list):
            fail(f"{key} must be a list")
    values = raw.get("values") or []
    if type_ == "enum" and not values:
        fail("an enum needs values")
    if values and type_ != "enum":
        fail("values are for type enum only")
    if not all(isinstance(v, str) and v for v in values):
        fail("values must be non-empty strings (quote them)")
    if raw.get("pattern"):
        try:
            re.compile(raw["pattern"])
        except re.error as e:
            fail(f"pattern does not compile: {e}")
    if "separator" in raw and not raw["separator"]:
        fail("separator is empty")
    if raw.get("imi") and raw["imi"] != "none":
        problem = imi_path_problem(raw["imi"])
        if problem:
            fail(f"IMI path {raw['imi']!r}: {problem}")
    aliases = raw.get("aliases") or []
    if not all(isinstance(a, str) and a for a in aliases):
        fail("aliases must be non-empty strings")
    spellings = raw.get("spellings") or {}
    if spellings and type_ != "enum":
        fail("spellings are for type enum only")
    if not isinstance(spellings, dict) or not all(isinstance(k, str) and k for k in spellings):
        fail("spellings must map non-empty strings to values")
    for spelling, meant in spellings.items():
        if meant not in values or spelling in values:
            fail(f"spelling {spelling!r} must map to one of the values {values}, and not be one itself")

    column_layouts = raw["layouts"]
    if not column_layouts or not isinstance(column_layouts, list):
        fail("layouts must be a non-empty list")
    for layout in column_layouts:
        if layout not in layouts:
            fail(f"layout {layout!r} is not declared in the file's layouts")
    legacy_name = raw.get("legacy_name")
    if legacy_name is not None:
        if "legacy" not in column_layouts:
            fail("legacy_name on a column that is not in the legacy layout")
        if legacy_name not in aliases:
            fail("legacy_name must also be listed in aliases, so that legacy files are recognised")
    if raw.get("legacy_level") is not None and set(column_layouts) != {"current", "legacy"}:
        fail("legacy_level is for columns of both layouts only (else level is the legacy level)")

    return Column(
        name=raw["name"], name_en=raw["name_en"], level=raw["level"], type=type_, format=fmt,
        values=tuple(values), pattern=raw.get("pattern"), separator=raw.get("separator"),
        example=raw.get("example", ""), imi=raw.get("imi"),
        imi_source=raw.get("imi_source"), imi_reason=raw.get("imi_reason", ""),
        imi_written=raw.get("imi_written"), aliases=tuple(aliases),
        layouts=tuple(column_layouts), description=raw.get("description", ""),
        legacy_name=legacy_name, legacy_level=raw.get("legacy_level"),
        spellings=tuple(spellings.items()),
    )


def _check_columns(columns: tuple[Column, ...], where: str, layouts: dict[str, Any]) -> None:
    names: set[str] = set()
    names_en: set[str] = set()
    spellings: dict[str, str] = {}  # header_key -> column name
    legacy_only_seen = None
    for column in columns:
        at = f"{where}, column {column.name}"
        if column.name in names:
            raise ValueError(f"{at}: the name is used twice")
        names.add(column.name)
        if column.name_en in names_en:
            raise ValueError(f"{at}: name_en {column.name_en} is used twice")
        names_en.add(column.name_en)
        for spelling in column.header_names:
            other = spellings.setdefault(header_key(spelling), column.name)
            if other != column.name or column.header_names.count(spelling) > 1:
                raise ValueError(f"{at}: header name {spelling!r} is also a header name of {other}")
        # the order is the current layout's, then the columns that only the legacy layout has
        if "current" in column.layouts and legacy_only_seen:
            raise ValueError(f"{at}: a current column after the legacy-only column {legacy_only_seen}")
        if column.layouts == ("legacy",) and "current" in layouts:
            legacy_only_seen = column.name
    for layout in layouts:
        if not any(layout in c.layouts for c in columns):
            raise ValueError(f"{where}: layout {layout} is declared but has no columns")


@dataclass(frozen=True)
class CellSpellings:
    """vocab/cell_spellings.yaml: spellings whose meaning is certain in any column of a kind."""
    flag_yes: frozenset[str]
    flag_no: frozenset[str]
    blank: frozenset[str]


@functools.lru_cache(maxsize=1)
def cell_spellings() -> CellSpellings:
    from ckanext.ikoma.yamlfile import read_yaml

    data = read_yaml(os.path.join(VOCAB_DIR, "cell_spellings.yaml"))
    lists = {key: data.get(key) for key in ("flag_yes", "flag_no", "blank")}
    for key, spellings in lists.items():
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s for s in spellings):
            raise ValueError(f"cell_spellings.yaml: {key} must be a list of non-empty strings")
    return CellSpellings(**{key: frozenset(spellings) for key, spellings in lists.items()})
