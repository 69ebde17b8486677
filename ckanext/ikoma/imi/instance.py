"""One CSV row → one IMI instance (a tree of nodes), following the column paths of the definition.

Columns whose paths share steps share nodes: 所在地_都道府県 and 所在地_連結表記 land on the same
住所型. A multi-valued cell (the definition's separator) gives one literal per value. Where the row
has 所在地_連結表記 but not the parts, the address is split with the local government codes
(都道府県, 市区町村, 全国地方公共団体コード, 町名).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from ckanext.ikoma.imi.columns import IMI_NONE
from ckanext.ikoma.imi.paths import ImiPath, resolve
from ckanext.ikoma.vocabularies import local_governments

LG_CODE_KIND = "全国地方公共団体コード"
# 町名 ends where the block number starts: the first digit or hyphen (一丁目 in kanji stays in 町名,
# as 所在地_町字 includes 丁目; ー is a kana, not a hyphen: センター町)
_BLOCK_START = re.compile(r"[0-9０-９\-－‐番]")


class Node:
    """A node of an instance: its class, the selector literals that tell it apart, child nodes by
    (property, class, selectors) and literal values by property. Slots: a row makes dozens."""

    __slots__ = ("type", "selectors", "children", "literals")

    def __init__(self, type_: str, selectors: tuple[tuple[str, str], ...] = ()):
        self.type = type_
        self.selectors = selectors
        self.children: dict[tuple, Node] = {}
        self.literals: dict[str, list[tuple[str, Optional[str]]]] = {}  # prop -> [(value, lang)]

    def child(self, prop: str, type_: str, selectors: tuple = ()) -> "Node":
        key = (prop, type_, selectors)
        node = self.children.get(key)
        if node is None:
            node = self.children[key] = Node(type_, selectors)
        return node

    def add(self, prop: str, value: str, lang: Optional[str] = None) -> None:
        self.literals.setdefault(prop, []).append((value, lang))


@dataclass(frozen=True)
class ColumnPlan:
    index: int
    name: str
    path: ImiPath
    separator: Optional[str]


class InstanceBuilder:
    """Built once per file from its header match; `build(row)` is the per-row work."""

    def __init__(self, standard, match):
        self.plan: list[ColumnPlan] = []
        for index, column in enumerate(match.columns):
            if column is None or not column.imi or column.imi == IMI_NONE:
                continue
            self.plan.append(ColumnPlan(index, column.name, resolve(column.imi), column.separator))
        # per column: (cell index, child keys along the path, leaf property, language, separator)
        self.compiled = [(p.index, tuple((s.prop, s.node_class, s.selectors) for s in p.path.steps[:-1]),
                          p.path.leaf.prop, p.path.leaf.lang, p.separator) for p in self.plan]
        roots = {p.path.root for p in self.plan}
        self.root = roots.pop() if len(roots) == 1 else main_class(standard)

    def build(self, row: list[str], derive: bool = True) -> Node:
        root = Node(self.root)
        width = len(row)
        for index, keys, leaf, lang, separator in self.compiled:
            cell = row[index] if index < width else None
            if not cell or not (cell := cell.strip()):
                continue
            node = root
            for key in keys:  # Node.child inlined: this loop is most of the converter's time
                child = node.children.get(key)
                if child is None:
                    child = node.children[key] = Node(key[1], key[2])
                node = child
            values = node.literals.setdefault(leaf, [])
            if separator:
                values.extend((v, lang) for v in (v.strip() for v in cell.split(separator)) if v)
            else:
                values.append((cell, lang))
        if derive:
            split_addresses(root)
        return root


def main_class(standard) -> str:
    roots = {resolve(c.imi).root for c in standard.columns if c.imi and c.imi != IMI_NONE}
    return roots.pop() if len(roots) == 1 else "事物型"


def split_addresses(node: Node) -> None:
    """Fill the parts of every 住所型 that has only its 表記, from the local government codes."""
    if node.type == "住所型" and "表記" in node.literals and "市区町村" not in node.literals:
        _split(node, node.literals["表記"][0][0])
    for child in node.children.values():
        split_addresses(child)


def _split(node: Node, text: str) -> None:
    found = municipality_prefix(text)
    if not found:
        return
    prefix, prefecture, city, code = found
    node.literals.setdefault("都道府県", [(prefecture, None)])
    node.literals["市区町村"] = [(city, None)]
    code_key = ("住所コード", "コード型", (("種別", LG_CODE_KIND),))
    if code_key not in node.children:
        node.child(*code_key).add("識別値", code)
    town = _BLOCK_START.split(text[len(prefix):].strip(), 1)[0].strip()
    if town and "町名" not in node.literals:
        node.add("町名", town)


@functools.lru_cache(maxsize=1)
def _municipality_index() -> dict[str, tuple[str, str, str]]:
    """"奈良県生駒市" -> (奈良県, 生駒市, 292095), longest names first when matching."""
    index = {}
    for lg in local_governments().values():
        if lg.kind != "prefecture":
            index[lg.prefecture + lg.name] = (lg.prefecture, lg.name, lg.code)
    return index


@functools.lru_cache(maxsize=8192)
def municipality_prefix(text: str):
    index = _municipality_index()
    for end in range(min(len(text), 16), 3, -1):
        hit = index.get(text[:end])
        if hit:
            return (text[:end], *hit)
    return None


def vocabulary_terms(node: Node) -> set[str]:
    """Every class and property the instance uses (the tests check each is in the vocabulary)."""
    terms = {node.type, *node.literals}
    for (prop, _, selectors), child in node.children.items():
        terms |= {prop, *(s for s, _ in selectors)} | vocabulary_terms(child)
    return terms

