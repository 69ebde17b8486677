"""The report of one CSV check: a stable JSON document and a readable text form."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ckanext.ikoma.jp.errors import message

REPORT_FORMAT = "ikoma-csv-report/1"
ERROR, WARNING = "error", "warning"


@dataclass
class Issue:
    severity: str
    code: str
    ja: str
    en: str
    row: Optional[int] = None  # physical line number in the file; the header is line 1
    column: Optional[str] = None
    value: Optional[str] = None


@dataclass
class Report:
    standard: dict[str, Any]
    max_issues: int = 100
    file: dict[str, Any] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    checked: bool = True  # False when the file could not be read as CSV at all

    def add(self, severity: str, code: str, *, row: Optional[int] = None, column: Optional[str] = None,
            cell: Optional[str] = None, **params: Any) -> None:
        """Count a finding; keep its details while fewer than max_issues are kept."""
        self.counts[code] += 1
        self.severities[severity] += 1
        if len(self.issues) < self.max_issues:
            if cell is not None and len(cell) > 200:
                cell = cell[:200] + "…"
            # messages may name the column and the line
            params = dict(params, **({"column": column} if column is not None else {}),
                          **({"line": row} if row is not None else {}))
            self.issues.append(Issue(severity, code, message(code, "ja", **params),
                                     message(code, "en", **params), row, column, cell))

    def add_error(self, code: str, **kwargs: Any) -> None:
        self.add(ERROR, code, **kwargs)

    def add_warning(self, code: str, **kwargs: Any) -> None:
        self.add(WARNING, code, **kwargs)

    @property
    def valid(self) -> bool:
        return self.checked and self.severities[ERROR] == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "valid": self.valid,
            "checked": self.checked,
            "standard": self.standard,
            "file": self.file,
            "summary": {"errors": self.severities[ERROR], "warnings": self.severities[WARNING]},
            "counts": dict(sorted(self.counts.items())),
            "issues": [asdict(i) for i in self.issues],
            "truncated": sum(self.counts.values()) > len(self.issues),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def to_text(self) -> str:
        standard = f"{self.standard.get('number', '')} {self.standard.get('name', '')}".strip()
        verdict = "適合 / valid" if self.valid else "不適合 / not valid"
        lines = [
            f"{standard} ({self.standard.get('layout') or '-'}): {verdict}",
            f"文字コード / encoding: {self.file.get('encoding', '-')}, "
            f"行数 / rows: {self.file.get('rows', 0)}, 列数 / columns: {self.file.get('columns', 0)}",
            f"エラー / errors: {self.severities[ERROR]}, 警告 / warnings: {self.severities[WARNING]}",
        ]
        for code, count in sorted(self.counts.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {code}: {count}")
        for issue in self.issues:
            where = " ".join(filter(None, [
                f"{issue.row}行目" if issue.row else "",
                f"「{issue.column}」" if issue.column else "",
                f"値「{issue.value}」" if issue.value not in (None, "") else "",
            ]))
            mark = "E" if issue.severity == ERROR else "W"
            lines.append(f"[{mark}] {where}: {issue.ja} / {issue.en}" if where else f"[{mark}] {issue.ja} / {issue.en}")
        if self.to_dict()["truncated"]:
            lines.append(f"(最初の{len(self.issues)}件のみ表示 / first {len(self.issues)} shown)")
        return "\n".join(lines)
