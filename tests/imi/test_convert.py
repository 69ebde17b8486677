"""Standard CSVs → IMI JSON-LD / Turtle / N-Triples: what comes out is IMI, complete and reversible.

Every definition with columns is exercised through a one-row CSV of valid values (the definition's
example where the checker accepts it); the fixtures and demo files through their real rows.
"""
from __future__ import annotations

import csv
import io
import json
import os

import pytest
import rdflib
from pyld import jsonld

from ckanext.ikoma.csv_check.cells import build_cell_check
from ckanext.ikoma.csv_check.engine import check_csv
from ckanext.ikoma.imi.columns import IMI_NONE
from ckanext.ikoma.imi.convert import convert_csv
from ckanext.ikoma.imi.paths import resolve
from ckanext.ikoma.imi.serialize import literal_value
from ckanext.ikoma.imi.vocabulary import imi_context, imi_vocabulary
from ckanext.ikoma.standards.definitions import standard_dataset, standard_datasets

HERE = os.path.dirname(__file__)
DATA = os.path.join(HERE, "..", "data")
DEMO = os.path.join(HERE, "..", "..", "ckanext", "ikoma", "demo")
FILES = [(os.path.join(DATA, "toilets_fixable.csv"), "13"), (os.path.join(DATA, "shelters_clean.csv"), "03"),
         (os.path.join(DEMO, "aed.csv"), "08"), (os.path.join(DEMO, "evacuation_sites.csv"), "03"),
         (os.path.join(DATA, "toilets_current_bom_errors.csv"), "13")]
ALLOWED = ("http://imi.go.jp/ns/core/rdf#", "http://www.w3.org/2001/XMLSchema#",
           "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SYNTHETIC = {"lg_code": "292095", "corporate_number": "4010001008772", "postal_code": "630-0288",
             "phone": "0743-74-1111", "email": "info@example.jp", "latitude": "34.692", "longitude": "135.700",
             "kana": "イコマ", "weekdays": "月,火", "integer": "3", "decimal": "1.5", "date": "2024-04-01",
             "time": "09:00", "url": "https://www.city.ikoma.lg.jp/", "code": "292095", "string": "生駒市の値"}


def _loader(url, options=None):
    """The shipped context for the official URL; any other fetch is a failure."""
    assert url == imi_vocabulary().context_url, url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": imi_context()}


def _value(column) -> str:
    if column.values:
        return column.values[0]
    check = build_cell_check(column)
    if column.example and (check is None or not check(column.example)):
        value = column.example
    elif column.pattern:
        value = "292095" if column.type == "code" else "A01"
    else:
        value = SYNTHETIC[column.format or column.type]
    return f"{value}{column.separator}{value}2" if column.separator and column.type == "string" else value


def _one_row_csv(dataset) -> bytes:
    columns = dataset.columns_for(dataset.default_layout)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([c.name for c in columns])
    writer.writerow([_value(c) for c in columns])
    return buf.getvalue().encode("utf-8")


CASES = [(d.number, _one_row_csv(d)) for d in standard_datasets().values() if d.columns]
CASES += [(number, open(path, "rb").read()) for path, number in FILES]
IDS = [f"{n}-{i}" for i, (n, _) in enumerate(CASES)]


def _convert(data: bytes, number: str, fmt: str, derive: bool = True):
    out = io.StringIO()
    result = convert_csv(io.BytesIO(data), standard_dataset(number), out, fmt, derive=derive)
    return result, out.getvalue()


def _expanded_triples(text: str) -> rdflib.Graph:
    nquads = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads", "documentLoader": _loader})
    return rdflib.Graph().parse(data=nquads, format="nt")


@pytest.mark.parametrize("number,data", CASES, ids=IDS)
def test_output_is_imi_and_the_same_in_every_format(number, data):
    result, text = _convert(data, number, "jsonld")
    assert result.converted >= 1
    document = json.loads(text)
    assert document["@context"] == "https://imi.go.jp/ns/core/context.jsonld"
    graph = _expanded_triples(text)
    vocab = imi_vocabulary()
    anyuri = {vocab.iri(p) for p, d in vocab.properties.items() if vocab.datatype(p) == "xsd:anyURI"}
    for s, p, o in graph:
        assert str(p).startswith(ALLOWED), p
        if isinstance(o, rdflib.URIRef):
            assert str(o).startswith(ALLOWED) or str(p) in anyuri, (p, o)
        if isinstance(o, rdflib.Literal) and o.datatype:
            assert str(o.datatype).startswith(ALLOWED)
        name = str(p).rsplit("#", 1)[1]
        assert name == "type" or name in vocab.properties
    for cls in graph.objects(None, rdflib.RDF.type):
        assert str(cls).rsplit("#", 1)[1] in vocab.classes
    for fmt in ("nt", "ttl"):
        _, other = _convert(data, number, fmt)
        assert len(rdflib.Graph().parse(data=other, format=fmt)) == len(graph), fmt


def _predicted_triples(columns, row: list[str]) -> int:
    """From the definition alone: a type for the row, and for each distinct node on the paths of
    the filled cells a link, a type and its selectors; one triple per value of a cell."""
    nodes, literals = set(), 0
    for column, cell in zip(columns, row):
        if column is None or column.imi == IMI_NONE or not cell.strip():
            continue
        path = resolve(column.imi)
        steps = path.steps[:-1]
        for depth in range(1, len(steps) + 1):
            nodes.add(tuple((s.prop, s.node_class, s.selectors) for s in steps[:depth]))
        literals += len(cell.split(column.separator)) if column.separator else 1
    return 1 + sum(2 + len(key[-1][2]) for key in nodes) + literals


def _normalised_rows(data: bytes, number: str):
    """The checker's own normalised rows (those without errors, every fix applied), with the
    definition column of each CSV column."""
    taken = []
    check_csv(io.BytesIO(data), standard_dataset(number), rows_to=lambda match, row: taken.append((match, row)))
    columns = taken[0][0].columns if taken else []
    return columns, [row for _, row in taken]


@pytest.mark.parametrize("number,data", CASES, ids=IDS)
def test_triple_count_is_what_the_definition_predicts(number, data):
    columns, rows = _normalised_rows(data, number)
    result, text = _convert(data, number, "nt", derive=False)
    assert text.count("\n") == sum(_predicted_triples(columns, row) for row in rows)
    assert result.converted == len(rows)


def _selectors_in_use(columns) -> set:
    """(property, class, selector key, value) of every selector on the paths of a file."""
    return {(step.prop, step.node_class, key, value) for c in columns if c and c.imi != IMI_NONE
            for step in resolve(c.imi).steps for key, value in step.selectors}


def _matches(value, step, in_use) -> bool:
    """A node is the step's when it carries the step's selectors and no other path's selector."""
    if not isinstance(value, dict) or value.get("@type") != step.node_class:
        return False
    own = dict(step.selectors)
    return all(value.get(key) == v for key, v in own.items()) and not any(
        prop == step.prop and cls == step.node_class and key not in own and value.get(key) == v
        for prop, cls, key, v in in_use)


def _walk(node, steps, in_use):
    """The literal values at the end of `steps` in a compact instance."""
    step, rest = steps[0], steps[1:]
    values = node.get(step.prop, [])
    found = []
    for value in values if isinstance(values, list) else [values]:
        if rest:
            if _matches(value, step, in_use):
                found += _walk(value, rest, in_use)
        elif isinstance(value, dict):
            if value.get("@language") == step.lang:
                found.append(value["@value"])
        elif step.lang is None:
            found.append(value)
    return found


@pytest.mark.parametrize("number,data", CASES, ids=IDS)
def test_round_trip_gives_the_normalised_row(number, data):
    columns, rows = _normalised_rows(data, number)
    _, text = _convert(data, number, "jsonld", derive=False)
    instances = json.loads(text)["@graph"]
    assert len(instances) == len(rows)
    in_use = _selectors_in_use(columns)
    for instance, row in zip(instances, rows):
        for column, cell in zip(columns, row):
            if column is None or column.imi == IMI_NONE:
                continue
            path = resolve(column.imi)
            values = [literal_value(path.leaf.prop, v.strip())
                      for v in (cell.split(column.separator) if column.separator else [cell]) if v.strip()]
            assert _walk(instance, path.steps, in_use) == values, column.name


def test_rows_with_errors_are_skipped_and_counted():
    data = open(os.path.join(DATA, "toilets_fixable.csv"), "rb").read()
    result, text = _convert(data, "13", "jsonld")
    assert result.skipped == result.report.rows_with_errors > 0
    assert len(json.loads(text)["@graph"]) == result.converted == result.report.rows - result.skipped


def test_address_is_split_with_the_local_government_code():
    data = "名称,所在地_連結表記\n生駒市役所,奈良県生駒市東新町8-38\n".encode()
    _, text = _convert(data, "01", "jsonld")
    address = json.loads(text)["@graph"][0]["住所"]
    assert address["都道府県"] == "奈良県" and address["市区町村"] == "生駒市" and address["町名"] == "東新町"
    assert address["住所コード"] == {"@type": "コード型", "種別": "全国地方公共団体コード", "識別値": "292095"}
    data = "名称,所在地_連結表記\nセンター,奈良県生駒市センター町一丁目２番\n".encode()
    address = json.loads(_convert(data, "01", "jsonld")[1])["@graph"][0]["住所"]
    assert address["町名"] == "センター町一丁目"
