"""The IMI path of each column of a standard-dataset definition, checked against the vocabulary.

`imi` in a definition is a path, or `none` with `imi_reason`; `imi_source` says where it comes
from: `definition` (the 共通語彙基盤 column of the definition book), `gif` (the GIF→IMI mapping of
the item's GIF data model) or `own`. `check_column` is what the tests run over every column.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ckanext.ikoma.imi.paths import ImiPath, ImiPathError, resolve

IMI_NONE = "none"
IMI_SOURCES = ("definition", "gif", "own")
NUMERIC = ("xsd:integer", "xsd:decimal", "xsd:nonNegativeInteger", "xsd:double")
# The literal a column's type or format must end in (standard type → what IMI holds it as).
TYPE_RULES = {
    "date": ("日付型", ("標準型日付",), ("xsd:date",)),
    "time": (None, ("開始時間", "終了時間"), ("xsd:time",)),
    "code": (None, ("識別値", "郵便番号"), ("xsd:string",)),
    "integer": (None, None, NUMERIC),
    "decimal": (None, None, NUMERIC),
    "url": (None, None, ("xsd:anyURI",)),
    "string": (None, None, ("xsd:string",)),
    "enum": (None, None, ("xsd:string",)),
}
FORMAT_RULES = {
    "latitude": ("座標型", ("緯度",), ("xsd:string",)),
    "longitude": ("座標型", ("経度",), ("xsd:string",)),
    "phone": (None, ("電話番号", "FAX番号", "携帯電話番号"), ("xsd:string",)),
    "email": (None, ("Eメールアドレス",), ("xsd:string",)),
}


@dataclass(frozen=True)
class ColumnPath:
    column: str
    path: Optional[ImiPath]  # None: `imi: none`
    source: str
    reason: str = ""


def column_path(column) -> ColumnPath:
    """The checked path of a definition column (a standards.definitions.Column); raises ValueError."""
    if column.imi_source not in IMI_SOURCES:
        raise ValueError(f"{column.name}: imi_source {column.imi_source!r} is not one of {IMI_SOURCES}")
    if column.imi == IMI_NONE:
        if not column.imi_reason:
            raise ValueError(f"{column.name}: `imi: none` needs imi_reason")
        return ColumnPath(column.name, None, column.imi_source, column.imi_reason)
    path = resolve(column.imi)
    problem = type_problem(column.type, column.format, path)
    if problem:
        raise ImiPathError(f"{column.name}: {problem}")
    return ColumnPath(column.name, path, column.imi_source)


def type_problem(type_: str, format_: Optional[str], path: ImiPath) -> Optional[str]:
    """Why the path's final literal cannot hold a column of this type, or None."""
    owner, props, datatypes = FORMAT_RULES.get(format_ or "") or TYPE_RULES[type_]
    leaf = path.leaf.prop
    if props and leaf not in props:
        return f"a {format_ or type_} column must end in {' / '.join(props)}, not {leaf}"
    if owner and path.parent_class != owner:
        return f"a {format_ or type_} column must end in a {owner} value, not {path.parent_class}"
    if path.datatype not in datatypes:
        return f"a {format_ or type_} column cannot be held by {leaf} ({path.datatype})"
    return None


def coverage(columns) -> tuple[int, int]:
    """(columns with a path, columns) of a definition: what the page and the README report."""
    columns = list(columns)
    return sum(1 for c in columns if c.imi and c.imi != IMI_NONE), len(columns)
