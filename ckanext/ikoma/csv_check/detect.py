"""Which standard dataset a CSV file is, from its header alone: the best-matching definition and
layout, with the share of the file's columns it recognises. Ties and weak matches say so; nothing
is decided for the user (the CLI checks against the best match and prints why; CKAN only suggests).
"""
from __future__ import annotations

import codecs
import csv
import io
import os
from dataclasses import asdict, dataclass, field
from typing import BinaryIO, Optional, Union

from ckanext.ikoma.csv_check.engine import sniff_delimiter
from ckanext.ikoma.csv_check.header import header_key
from ckanext.ikoma.jp.errors import message
from ckanext.ikoma.jp.kana import fold_long_vowel_dashes
from ckanext.ikoma.standards.definitions import standard_datasets

HEADER_BYTES = 1 << 16  # a header longer than this is no standard dataset's
WEAK_BELOW = 50  # percent of the file's columns


@dataclass
class Candidate:
    number: str
    name: str
    name_en: str
    layout: str
    matched: int  # the file's columns recognised as columns of this definition and layout
    columns: int  # the file's (non-empty) columns
    exact: int  # of those, written as this layout writes them (decides current against legacy)

    @property
    def share(self) -> int:
        return 100 * self.matched // self.columns if self.columns else 0

    def params(self) -> dict:
        layout = {"ja": message(f"layout_{self.layout}", "ja"), "en": message(f"layout_{self.layout}", "en")}
        return {"standard": f"{self.number} {self.name}", "layout_ja": layout["ja"], "layout_en": layout["en"],
                "matched": self.matched, "columns": self.columns, "share": self.share}


@dataclass
class Detection:
    candidates: list[Candidate] = field(default_factory=list)  # best first

    @property
    def best(self) -> Optional[Candidate]:
        return self.candidates[0] if self.candidates and self.candidates[0].matched else None

    @property
    def tied(self) -> list[Candidate]:
        """Other definitions that match exactly as well as the best one."""
        best = self.best
        return [c for c in self.candidates[1:] if best and (c.matched, c.exact) == (best.matched, best.exact)]

    @property
    def weak(self) -> bool:
        return self.best is not None and self.best.share < WEAK_BELOW

    def messages(self, lang: str) -> list[str]:
        best = self.best
        if best is None:
            return [message("detect_none", lang)]
        lines = [message("detect_match", lang, **best.params())]
        if self.tied:
            others = "、".join(f"{c.number} {c.name}" for c in self.tied) if lang == "ja" else \
                ", ".join(f"{c.number} {c.name_en}" for c in self.tied)
            lines.append(message("detect_tie", lang, others=others))
        if self.weak:
            lines.append(message("detect_weak", lang))
        return lines

    def to_dict(self) -> dict:
        best = self.best
        return {
            "best": dict(asdict(best), share=best.share) if best else None,
            "tied": [c.number for c in self.tied], "weak": self.weak,
            "candidates": [dict(asdict(c), share=c.share) for c in self.candidates[:5]],
            "ja": self.messages("ja"), "en": self.messages("en"),
        }


def detect_standard(header: list[str]) -> Detection:
    names = [h for h in header if h.strip()]
    keys = [(header_key(h), header_key(fold_long_vowel_dashes(h))) for h in names]
    candidates = []
    for standard in standard_datasets().values():
        for layout in standard.layouts:
            candidates.append(_candidate(standard, layout, keys))
    candidates.sort(key=lambda c: (-c.matched, -c.exact, -c.matched / max(1, _layout_size(c)), c.number))
    return Detection(candidates)


def _layout_size(candidate: Candidate) -> int:
    return len(standard_datasets()[candidate.number].columns_for(candidate.layout))


def _candidate(standard, layout: str, keys: list[tuple[str, str]]) -> Candidate:
    spellings, exact_keys = {}, set()
    for column in standard.columns_for(layout):
        for spelling in column.header_names:
            spellings.setdefault(header_key(spelling), column.name)
        exact_keys.add(header_key(column.header_in(layout)))
    matched, exact = set(), 0
    for key, folded in keys:
        name = spellings.get(key) or spellings.get(folded)
        if name and name not in matched:
            matched.add(name)
            exact += key in exact_keys or folded in exact_keys
    return Candidate(standard.number, standard.name_ja, standard.name_en, layout, len(matched), len(keys), exact)


def read_header(source: Union[str, os.PathLike, BinaryIO]) -> Optional[list[str]]:
    """The header of a CSV file (UTF-8 with or without BOM, or CP932): its first line, read from
    the first 64 KiB; None when there is none to read."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as stream:
            return read_header(stream)
    head = source.read(HEADER_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    if b"\x00" in head:
        return None
    end = head.find(b"\n")  # the header's own line: later lines may be in another encoding
    head = head[: end + 1] if end >= 0 else head
    for encoding in ("utf-8", "cp932"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)), None)
    except csv.Error:
        return None
