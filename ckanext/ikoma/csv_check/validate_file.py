"""`ckan ikoma validate FILE`: the standard given, or the one the header reads as, and the corrected
copy written beside the report when asked (never over the file checked)."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Optional

from ckanext.ikoma.csv_check.detect import detect_standard, read_header
from ckanext.ikoma.csv_check.engine import check_csv
from ckanext.ikoma.csv_check.report import Report
from ckanext.ikoma.jp.errors import message
from ckanext.ikoma.standards import standard_dataset


class CannotFix(ValueError):
    """The corrected copy would overwrite the file checked."""


@dataclass
class Outcome:
    report: Optional[Report]  # None when no standard was given and none could be told
    notes: list[str] = field(default_factory=list)  # what the user should know first, ja / en


def _both(code: str, **params) -> str:
    return f"{message(code, 'ja', **params)} / {message(code, 'en', **params)}"


def validate_file(path: str, standard: Optional[str] = None, *, max_issues: int = 100,
                  fix_path: Optional[str] = None) -> Outcome:
    """KeyError for an unknown standard number."""
    outcome = Outcome(report=None)
    if standard:
        definition = standard_dataset(standard)
    else:
        detection = detect_standard(read_header(path) or [])
        outcome.notes = [f"{ja} / {en}" for ja, en in zip(detection.messages("ja"), detection.messages("en"))]
        if detection.best is None:
            return outcome
        definition = standard_dataset(detection.best.number)
    if not fix_path:
        outcome.report = check_csv(path, definition, max_issues=max_issues)
        return outcome
    if os.path.exists(fix_path) and os.path.samefile(path, fix_path):
        raise CannotFix(_both("fix_same_file"))
    directory = os.path.dirname(os.path.abspath(fix_path))
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".ikoma-fix-", suffix=".csv", delete=False) as tmp:
        try:
            outcome.report = check_csv(path, definition, max_issues=max_issues, fix_to=tmp)
        except BaseException:
            os.unlink(tmp.name)
            raise
    if outcome.report.checked and outcome.report.fixable:
        os.replace(tmp.name, fix_path)
        outcome.notes.append(_both("fix_written", path=fix_path, fixes=outcome.report.fixes))
    else:
        os.unlink(tmp.name)
        outcome.notes.append(_both("fix_unavailable"))
    return outcome
