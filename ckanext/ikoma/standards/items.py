"""The data-item dictionary (データ項目辞書): every distinct item across the definitions, with its
type, format, IMI path and the standard datasets that use it, so a department designing a new
list reuses the same names and formats. Pure Python, no CKAN import; built once per process."""
from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass

from ckanext.ikoma.standards.definitions import standard_datasets

CSV_HEADER = ("項目名", "英語名", "型", "形式", "区切り文字", "共通語彙基盤", "記入例", "使用する標準データセット")


@dataclass(frozen=True)
class DataItem:
    name: str
    name_en: str
    type: str
    format: str
    separator: str
    imi: tuple[str, ...]  # the item's IMI paths (the root class differs between datasets)
    example: str
    datasets: tuple[str, ...]  # numbers of the standard datasets that have the item

    def to_dict(self) -> dict:
        return {"name": self.name, "name_en": self.name_en, "type": self.type, "format": self.format or None,
                "separator": self.separator or None, "imi": list(self.imi), "example": self.example,
                "datasets": list(self.datasets)}


@functools.lru_cache(maxsize=1)
def data_items() -> tuple[DataItem, ...]:
    """Items by name, most widely used first; an item's type, format and English name are those of
    its first definition (they agree across datasets where the definitions share the item)."""
    seen: dict[str, list] = {}
    for dataset in standard_datasets().values():
        for column in dataset.columns:
            entry = seen.setdefault(column.name, [column, [], []])
            entry[1].append(dataset.number)
            if column.imi and column.imi != "none" and column.imi not in entry[2]:
                entry[2].append(column.imi)
    items = [DataItem(c.name, c.name_en, c.type, c.format or "", c.separator or "", tuple(paths),
                      c.example, tuple(numbers)) for c, numbers, paths in seen.values()]
    order = {item.name: i for i, item in enumerate(items)}
    return tuple(sorted(items, key=lambda item: (-len(item.datasets), order[item.name])))


def items_csv() -> bytes:
    """The dictionary as CSV, UTF-8 with BOM (what spreadsheets open as UTF-8)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for item in data_items():
        writer.writerow([item.name, item.name_en, item.type, item.format, item.separator, " | ".join(item.imi),
                         item.example, " ".join(item.datasets)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
