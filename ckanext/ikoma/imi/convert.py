"""Stream a standard-dataset CSV out as IMI JSON-LD, Turtle or N-Triples, one instance per row.

The CSV checker reads the file (encoding, header, every cell) and hands over each row without
errors with its fixes applied, so values are normalised exactly as the checker normalises them;
rows with errors are skipped and counted. Memory stays flat: a row is written as soon as it is
checked, and only the checker's batch is held.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Optional, TextIO, Union

from ckanext.ikoma.csv_check.engine import check_csv
from ckanext.ikoma.imi import serialize
from ckanext.ikoma.imi.instance import InstanceBuilder
from ckanext.ikoma.imi.vocabulary import imi_vocabulary

FORMATS = ("jsonld", "ttl", "nt")


@dataclass
class Conversion:
    format: str
    converted: int = 0  # rows written as instances
    skipped: int = 0  # rows with errors, left out
    report: object = field(default=None, repr=False)  # the checker's Report

    @property
    def rows(self) -> int:
        return self.converted + self.skipped

    @property
    def usable(self) -> bool:
        """Worth publishing: the file was read whole, some rows converted, and no error concerns
        the whole file (a missing required column marks every row)."""
        report = self.report
        return bool(self.converted and report.checked and report.rows_with_errors < report.rows)


class _Writer:
    def __init__(self, out: TextIO, fmt: str):
        self.out, self.fmt, self.count, self.builder = out, fmt, 0, None

    def start(self) -> None:
        if self.fmt == "jsonld":
            url = json.dumps(imi_vocabulary().context_url)
            self.out.write('{"@context": ' + url + ',\n "@graph": [')
        elif self.fmt == "ttl":
            self.out.write(serialize.TURTLE_PREFIXES.format(ns=imi_vocabulary().namespace))

    def row(self, node) -> None:
        self.count += 1
        if self.fmt == "jsonld":
            self.out.write(("\n  " if self.count == 1 else ",\n  ")
                           + json.dumps(serialize.jsonld(node), ensure_ascii=False))
        elif self.fmt == "nt":
            self.out.writelines(serialize.ntriples(node, f"_:r{self.count}"))
        else:
            self.out.write(serialize.turtle(node) + " .\n")

    def end(self) -> None:
        if self.fmt == "jsonld":
            self.out.write("\n]}\n")


def convert_csv(source: Union[str, os.PathLike, BinaryIO], standard, out: TextIO, fmt: str = "jsonld",
                progress: Optional[Callable[[int], None]] = None, derive: bool = True,
                max_issues: int = 100, max_bytes: Optional[int] = None) -> Conversion:
    """Write the IMI form of `source` (a CSV of `standard`) to `out`; `progress(rows)` is called
    every 1,000 converted rows. The result carries the checker's report of the same pass."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {sorted(FORMATS)}")
    writer = _Writer(out, fmt)
    writer.start()
    builders: dict[int, InstanceBuilder] = {}

    def take(match, row) -> None:
        builder = builders.get(id(match))
        if builder is None:
            builder = builders[id(match)] = InstanceBuilder(standard, match)
        writer.row(builder.build(row, derive=derive))
        if progress and writer.count % 1000 == 0:
            progress(writer.count)

    report = check_csv(source, standard, max_issues=max_issues, max_bytes=max_bytes, rows_to=take)
    writer.end()
    return Conversion(fmt, writer.count, (report.rows or 0) - writer.count, report)
