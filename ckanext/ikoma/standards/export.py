"""A standard dataset's definition as files for other tools: a Frictionless Table Schema, CSV on the
Web metadata, and a blank CSV to fill in. Pure Python, no CKAN import.

Each export describes one layout; `layout=None` means the dataset's default layout (current when
known, else legacy). A 1-or-blank flag column is never `required` here: blank is its "no".
"""
from __future__ import annotations

import csv
import io
import re
from typing import Any, Optional

from ckanext.ikoma.standards.definitions import Column, StandardDataset

# patterns implied by a format, for tools that know nothing of our formats
FORMAT_PATTERNS = {
    "lg_code": "^[0-9]{6}$",
    "corporate_number": "^[0-9]{13}$",
    "postal_code": "^[0-9]{7}$",
}
COORDINATE_RANGES = {"latitude": (-90, 90), "longitude": (-180, 180)}
# 定義書A writes times as hh:mm (時刻（hh:mm）)
TIME_FORMAT_STRPTIME = "%H:%M"
TIME_FORMAT_CSVW = "HH:mm"


def _columns(ds: StandardDataset, layout: Optional[str]) -> tuple[str, tuple[Column, ...]]:
    layout = layout or ds.default_layout
    columns = ds.columns_for(layout) if layout else ()
    if not columns:
        raise ValueError(f"standard dataset {ds.number} has no columns in layout {layout!r}")
    return layout, columns


def _is_required(column: Column, layout: str) -> bool:
    return column.level_in(layout) == "required" and not column.is_flag


def _pattern(column: Column) -> Optional[str]:
    return column.pattern or FORMAT_PATTERNS.get(column.format or "")


def _enum_regex(values: tuple[str, ...]) -> str:
    return "^(?:" + "|".join(re.escape(v) for v in values) + ")$"


# ---------------------------------------------------------------- Frictionless Table Schema

TABLE_SCHEMA_TYPES = {
    "string": "string", "code": "string", "enum": "string", "url": "string",
    "integer": "integer", "decimal": "number", "date": "date", "time": "time",
}


def _table_schema_field(column: Column, layout: str) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.header_in(layout),
        "title": column.name_en,
        "type": TABLE_SCHEMA_TYPES[column.type],
    }
    if column.description:
        field["description"] = column.description
    if column.type == "url":
        field["format"] = "uri"
    elif column.type == "time":
        field["format"] = TIME_FORMAT_STRPTIME
    if column.example:
        field["example"] = column.example
    constraints: dict[str, Any] = {}
    if _is_required(column, layout):
        constraints["required"] = True
    if column.type == "enum":
        constraints["enum"] = list(column.values)
    elif column.type == "integer":
        constraints["minimum"] = 0  # counts, fees and populations
    elif column.format in COORDINATE_RANGES:
        constraints["minimum"], constraints["maximum"] = COORDINATE_RANGES[column.format]
    pattern = _pattern(column)
    if pattern and not column.separator:  # a pattern describes one value, not a joined list
        constraints["pattern"] = pattern
    if constraints:
        field["constraints"] = constraints
    # not Table Schema vocabulary: kept for readers who know the Japanese standard
    if column.imi:
        field["imi"] = column.imi
    if column.separator:
        field["separator"] = column.separator
    return field


def table_schema(ds: StandardDataset, layout: Optional[str] = None) -> dict[str, Any]:
    """A Frictionless Table Schema (v1) of one layout; field names are that layout's headers."""
    layout, columns = _columns(ds, layout)
    return {
        "fields": [_table_schema_field(c, layout) for c in columns],
        "missingValues": [""],
    }


# ---------------------------------------------------------------- CSV on the Web

def _csvw_datatype(column: Column) -> Any:
    if column.type == "integer":
        return "nonNegativeInteger"
    if column.type == "decimal":
        if column.format in COORDINATE_RANGES:
            low, high = COORDINATE_RANGES[column.format]
            return {"base": "decimal", "minimum": low, "maximum": high}
        return "decimal"
    if column.type == "date":
        return "date"
    if column.type == "time":
        return {"base": "time", "format": TIME_FORMAT_CSVW}
    if column.type == "url":
        return "anyURI"
    if column.type == "enum":
        return {"base": "string", "format": _enum_regex(column.values)}
    pattern = _pattern(column)
    return {"base": "string", "format": pattern} if pattern else "string"


def _csvw_column(column: Column, layout: str) -> dict[str, Any]:
    header = column.header_in(layout)
    titles = [header] + [h for h in column.header_names if h != header]
    entry: dict[str, Any] = {
        "name": column.name_en,  # CSVW names must be URI-template variables: ASCII
        "titles": titles,
        "datatype": _csvw_datatype(column),
        "required": _is_required(column, layout),
    }
    if column.separator:
        entry["separator"] = column.separator
    if column.description:
        entry["dc:description"] = column.description
    return entry


def csvw(ds: StandardDataset, table_url: str, layout: Optional[str] = None) -> dict[str, Any]:
    """CSV on the Web metadata for a CSV at `table_url` in one layout."""
    layout, columns = _columns(ds, layout)
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": table_url,
        "dc:title": [{"@value": ds.name_ja, "@language": "ja"}, {"@value": ds.name_en, "@language": "en"}],
        "dc:source": ds.source,
        "dialect": {"encoding": "utf-8", "header": True, "delimiter": ","},
        "tableSchema": {"columns": [_csvw_column(c, layout) for c in columns]},
    }


# ---------------------------------------------------------------- blank CSV

def blank_csv(ds: StandardDataset, layout: Optional[str] = None) -> bytes:
    """The header row and one row of the 記入例 (blank where there is none): UTF-8 with BOM, CRLF."""
    layout, columns = _columns(ds, layout)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header_in(layout) for c in columns])
    writer.writerow([c.example for c in columns])
    # the BOM lets Excel, which most publishers use, open UTF-8 without mojibake
    return buffer.getvalue().encode("utf-8-sig")
