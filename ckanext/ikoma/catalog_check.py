"""Checking any DCAT catalog against the ikoma_dcat SHACL shapes (pyshacl). Pure Python, no CKAN
import: `ckan ikoma check-catalog` and the tests use it, and a neighbour can run it on their own
catalog before Ikoma harvests it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

from ckanext.ikoma.net.addresses import PrivateAllowlist
from ckanext.ikoma.net.content import has_xml_entity_declarations
from ckanext.ikoma.net.fetch import FetchPolicy, fetch
from rdflib import Graph, Literal, Namespace
from rdflib.util import guess_format

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = os.path.join(os.path.dirname(__file__), "vocab", "shacl", "ikoma_dcat_shapes.ttl")
MAX_BYTES = 50 * 1024 * 1024
FORMATS_BY_MEDIA_TYPE = {
    "text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    "application/n-triples": "nt", "application/xml": "xml", "text/xml": "xml",
}


@dataclass
class ShapeResult:
    severity: str  # Violation | Warning
    focus: str
    path: str
    ja: str
    en: str


def load_catalog(source: str, private_allowlist: PrivateAllowlist = PrivateAllowlist(), timeout: float = 30) -> Graph:
    """A catalog from a file path or an http(s) URL, fetched through the extension's one fetcher
    (public addresses only, unless the site allows others; at most MAX_BYTES)."""
    graph = Graph()
    if source.startswith(("http://", "https://")):
        result = fetch(source, FetchPolicy(connect_timeout=timeout, read_timeout=timeout, max_bytes=MAX_BYTES,
                                           retries=0, any_host=True, private_allowlist=private_allowlist))
        if has_xml_entity_declarations(result.content):
            raise ValueError("XMLの実体宣言を含むため読み込みません / refused: the XML declares entities")
        fmt = FORMATS_BY_MEDIA_TYPE.get(result.content_type or "") or guess_format(source.split("?")[0]) or "turtle"
        graph.parse(data=result.content, format=fmt)
    else:
        graph.parse(source, format=guess_format(source) or "turtle")
    return graph


def _message(result_graph: Graph, result, lang: str) -> str:
    messages = list(result_graph.objects(result, SH.resultMessage))
    for m in messages:
        if isinstance(m, Literal) and m.language == lang:
            return str(m)
    return str(messages[0]) if messages else ""


def check_catalog(graph: Graph) -> list[ShapeResult]:
    import pyshacl

    shapes = Graph().parse(SHAPES, format="turtle")
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        found.append(ShapeResult(
            severity=severity,
            focus=str(results.value(result, SH.focusNode)),
            path=_short(results.value(result, SH.resultPath)),
            ja=_message(results, result, "ja"),
            en=_message(results, result, "en"),
        ))
    return sorted(found, key=lambda r: (r.severity != "Violation", r.focus, r.path))


def _short(node: Optional[object]) -> str:
    text = str(node or "")
    for prefix, ns in (("dct:", "http://purl.org/dc/terms/"), ("dcat:", "http://www.w3.org/ns/dcat#"),
                       ("foaf:", "http://xmlns.com/foaf/0.1/")):
        if text.startswith(ns):
            return prefix + text[len(ns):]
    return text


def report_text(results: list[ShapeResult]) -> str:
    violations = sum(r.severity == "Violation" for r in results)
    warnings = sum(r.severity == "Warning" for r in results)
    lines = [f"違反 / violations: {violations}, 警告 / warnings: {warnings}"]
    for r in results:
        mark = "E" if r.severity == "Violation" else "W"
        lines.append(f"[{mark}] {r.focus} {r.path}: {r.ja} / {r.en}")
    return "\n".join(lines)
