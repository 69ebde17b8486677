"""Matching a CSV header to a standard dataset's columns, in either the current or legacy layout."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ckanext.ikoma.jp.kana import fold_long_vowel_dashes
from ckanext.ikoma.standards.definitions import header_key as _definition_key


def header_key(text: str) -> str:
    """As the definitions compare header spellings, ignoring a stray BOM or quotes from a file."""
    return _definition_key(text.lstrip("\ufeff").strip('"'))


@dataclass
class HeaderMatch:
    layout: Optional[str]
    columns: list[Optional[Any]]  # the standard column for each CSV column, None when unknown
    missing_required: list[Any] = field(default_factory=list)
    missing_recommended: list[Any] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    # (index, header as written, the definition's spelling) of headers recognised in another spelling
    respelled: list[tuple[int, str, str]] = field(default_factory=list)

    def canonical_header(self, header: list[str]) -> list[str]:
        """The header with each recognised name in the definition's spelling."""
        fixed = list(header)
        for index, _, spelling in self.respelled:
            fixed[index] = spelling
        return fixed


def column_level(column, layout: Optional[str]) -> str:
    """required / recommended / optional in the given layout (legacy levels may differ)."""
    return column.level_in(layout) if layout else column.level


def _layout_vote(column, key: str) -> Optional[str]:
    """Which layout a header cell speaks for: only spellings that differ between layouts count."""
    layouts = set(column.layouts)
    if len(layouts) == 1:
        return next(iter(layouts))
    legacy_name = column.legacy_name
    if legacy_name and header_key(legacy_name) != header_key(column.name):
        return "legacy" if key == header_key(legacy_name) else "current" if key == header_key(column.name) else None
    return None


def match_header(header: list[str], standard) -> HeaderMatch:
    spellings: dict[str, tuple[Any, str]] = {}  # header key -> (column, the definition's spelling)
    for column in standard.columns:
        for spelling in (column.name, *column.aliases):
            spellings.setdefault(header_key(spelling), (column, spelling))

    matched: list[Optional[Any]] = []
    seen: set[str] = set()
    votes = {"current": 0, "legacy": 0}
    result = HeaderMatch(layout=None, columns=matched)
    for index, name in enumerate(header):
        # コ―ド (U+2015) and the like are the long vowel mark: recognised, with a warning
        column, spelling = spellings.get(header_key(name)) or spellings.get(
            header_key(fold_long_vowel_dashes(name))) or (None, None)
        if column is None:
            matched.append(None)
            result.unknown.append((index, name))
            continue
        if column.name in seen:
            matched.append(None)
            result.duplicates.append((index, name))
            continue
        if name != spelling:
            result.respelled.append((index, name, spelling))
        seen.add(column.name)
        matched.append(column)
        vote = _layout_vote(column, header_key(spelling))
        if vote:
            votes[vote] += 1

    available = [l for l in ("current", "legacy") if l in standard.layouts]
    if available:
        result.layout = max(available, key=lambda l: (votes[l], l == "current"))
        expected = standard.columns_for(result.layout)
        missing = [c for c in expected if c.name not in seen]
        result.missing_required = [c for c in missing if column_level(c, result.layout) == "required"]
        result.missing_recommended = [c for c in missing if column_level(c, result.layout) == "recommended"]
    return result
