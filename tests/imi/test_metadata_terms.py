"""docs/metadata-terms.md: every dataset and organization field is listed, every IMI term resolves."""
import os
import re

import pytest
import yaml

from ckanext.ikoma.imi.paths import resolve

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DOC = open(os.path.join(ROOT, "docs", "metadata-terms.md"), encoding="utf-8").read()
ROWS = [line.split("|")[1:-1] for line in DOC.splitlines() if line.startswith("| ") and "---" not in line]
PATHS = sorted({p for row in ROWS for p in re.findall(r"`([^`]+)`", row[2])})


@pytest.mark.parametrize("path", PATHS)
def test_imi_term_resolves_in_the_vocabulary(path):
    resolve(path)


@pytest.mark.parametrize("schema,key", [("dataset.yaml", "dataset_fields"), ("dataset.yaml", "resource_fields"),
                                        ("organization.yaml", "fields")])
def test_every_field_is_in_the_table(schema, key):
    with open(os.path.join(ROOT, "schemas", schema), encoding="utf-8") as f:
        fields = [field["field_name"] for field in yaml.safe_load(f)[key]]
    listed = {name.strip() for row in ROWS for name in re.split(r"[/,]", row[0])}
    assert [name for name in fields if name not in listed] == []
