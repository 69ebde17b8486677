"""The report of one CSV check: a stable JSON document and a readable text form.

Every text in it comes from the one message catalogue (jp/messages.yaml): the findings, the
labels of their codes and of the layout in the summary, the rule of each fix.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ckanext.ikoma.jp.errors import catalogue, message

REPORT_FORMAT = "ikoma-csv-report/2"
ERROR, WARNING = "error", "warning"


@dataclass
class Issue:
    severity: str
    code: str
    ja: str
    en: str
    row: Optional[int] = None  # data row, 1-based (the first row under the header is 1)
    line: Optional[int] = None  # line of the file where the row starts; the header is line 1
    column: Optional[str] = None
    value: Optional[str] = None  # the offending value ("" for an empty required cell)
    fix: Optional[str] = None  # the value the fix writes ("" = blank), for a warning with a fix
    rule: Optional[str] = None  # the rule of the fix (a rule_* key of jp/messages.yaml)


def labelled(key: str) -> dict[str, str]:
    """{ja, en} of a catalogue entry, or the key itself in both when it has none."""
    entry = catalogue().get(key)
    return {"ja": entry["ja"], "en": entry["en"]} if entry else {"ja": key, "en": key}


def floor_percent(good: int, total: int) -> float:
    """Percent to one decimal, rounded down: one bad row in 10,000 is 99.9%, never 100%."""
    return math.floor(1000 * good / total) / 10


@dataclass
class Report:
    standard: dict[str, Any]
    max_issues: int = 100
    file: dict[str, Any] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    issues: list[Issue] = field(default_factory=list)
    checked: bool = True  # False when the file could not be read as CSV at all
    rows: int = 0
    rows_with_errors: int = 0
    fixes: int = 0  # findings whose fix the corrected copy applies
    fixable: bool = True  # False when no corrected copy can be made (undecodable bytes)
    code_severity: dict[str, str] = field(default_factory=dict)

    def add(self, severity: str, code: str, *, row: Optional[int] = None, line: Optional[int] = None,
            column: Optional[str] = None, cell: Optional[str] = None, **params: Any) -> None:
        """Count a finding; keep its details while fewer than max_issues are kept. A finding with
        a `normalized` param is a fix: its rule is named in the message."""
        self.counts[code] += 1
        self.severities[severity] += 1
        self.code_severity[code] = severity
        fixed = params.get("normalized")
        if fixed is not None:
            self.fixes += 1
        if len(self.issues) < self.max_issues:
            if cell is not None and len(cell) > 200:
                cell = cell[:200] + "…"
            rule = params.get("rule")
            if rule:
                params = dict(params, rule_ja=message(rule, "ja"), rule_en=message(rule, "en"))
            # messages may name the column and the line
            params = dict(params, **({"column": column} if column is not None else {}),
                          **({"line": line} if line is not None else {}))
            self.issues.append(Issue(severity, code, message(code, "ja", **params), message(code, "en", **params),
                                     row, line, column, cell, fixed, rule))

    def add_error(self, code: str, **kwargs: Any) -> None:
        self.add(ERROR, code, **kwargs)

    def add_warning(self, code: str, **kwargs: Any) -> None:
        self.add(WARNING, code, **kwargs)

    @property
    def valid(self) -> bool:
        return self.checked and self.severities[ERROR] == 0

    @property
    def score(self) -> Optional[float]:
        """The share of data rows without errors, in percent; None when no row could be read."""
        if not self.checked or not self.rows:
            return None
        return floor_percent(self.rows - self.rows_with_errors, self.rows)

    def summary(self) -> dict[str, Any]:
        layout = self.standard.get("layout")
        return {
            "errors": self.severities[ERROR], "warnings": self.severities[WARNING],
            "rows": self.rows, "rows_with_errors": self.rows_with_errors, "score": self.score,
            # the same share as a fraction (quality/score.py reads it)
            "share_of_rows_without_errors": None if self.score is None else round(self.score / 100, 3),
            "fixes": self.fixes, "fixable": self.checked and self.fixable and self.fixes > 0,
            "layout": labelled(f"layout_{layout}") if layout else None,
            "codes": [
                {"code": code, "severity": severity, "count": self.counts[code], **labelled(f"label_{code}")}
                for code, severity in sorted(self.code_severity.items(),
                                             key=lambda cs: (cs[1] != ERROR, -self.counts[cs[0]], cs[0]))
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "valid": self.valid,
            "checked": self.checked,
            "standard": self.standard,
            "file": self.file,
            "summary": self.summary(),
            "counts": dict(sorted(self.counts.items())),
            "issues": [asdict(i) for i in self.issues],
            "truncated": sum(self.counts.values()) > len(self.issues),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def to_text(self) -> str:
        standard = f"{self.standard.get('number', '')} {self.standard.get('name', '')}".strip()
        summary = self.summary()
        layout = summary["layout"] or {"ja": "-", "en": "-"}
        verdict = "適合 / valid" if self.valid else "不適合 / not valid"
        lines = [
            f"{standard}（{layout['ja']} / {layout['en']}）: {verdict}",
            f"文字コード / encoding: {self.file.get('encoding') or '-'}, "
            f"行数 / rows: {self.rows}, 列数 / columns: {self.file.get('columns', 0)}",
            f"エラー / errors: {self.severities[ERROR]}, 警告 / warnings: {self.severities[WARNING]}",
        ]
        if self.score is not None:
            good = self.rows - self.rows_with_errors
            lines.append(f"{message('conformance_score', 'ja', score=self.score, rows=self.rows, good=good)} / "
                         f"{message('conformance_score', 'en', score=self.score, rows=self.rows, good=good)}")
        for item in summary["codes"]:
            lines.append(f"  {item['ja']} / {item['en']} ({item['code']}): {item['count']}")
        for issue in self.issues:
            where = " ".join(filter(None, [
                f"{issue.line}行目" if issue.line else "",
                f"「{issue.column}」" if issue.column else "",
                f"値「{issue.value}」" if issue.value not in (None, "") else "",
            ]))
            mark = "E" if issue.severity == ERROR else "W"
            lines.append(f"[{mark}] {where}: {issue.ja} / {issue.en}" if where else f"[{mark}] {issue.ja} / {issue.en}")
        if self.to_dict()["truncated"]:
            lines.append(f"(最初の{len(self.issues)}件のみ表示 / first {len(self.issues)} shown)")
        return "\n".join(lines)
