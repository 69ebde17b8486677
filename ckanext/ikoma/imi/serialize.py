"""An instance (instance.Node) as compact JSON-LD, N-Triples or Turtle, written row by row.

JSON-LD names the official context URL and uses its terms; the RDF forms use the IMI namespace,
xsd datatypes where the vocabulary types a literal (標準型日付 xsd:date, 開始時間 xsd:time, 数値
xsd:decimal) and IRIs for xsd:anyURI properties, exactly as expanding the JSON-LD with the shipped
context gives them, so the three outputs hold the same triples.
"""
from __future__ import annotations

import functools
from typing import Optional

from ckanext.ikoma.imi.instance import Node
from ckanext.ikoma.imi.vocabulary import XSD, imi_vocabulary

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_IRI_ESCAPES = {c: f"%{ord(c):02X}" for c in ' <>"{}|^`\\'}


@functools.lru_cache(maxsize=None)
def _kind(prop: str) -> tuple[str, Optional[str]]:
    """("iri", None) for an xsd:anyURI property, ("typed", xsd IRI) or ("plain", None)."""
    datatype = imi_vocabulary().datatype(prop) or "xsd:string"
    if datatype == "xsd:anyURI":
        return "iri", None
    if datatype == "xsd:string":
        return "plain", None
    return "typed", XSD + datatype.split(":", 1)[1]


def literal_value(prop: str, value: str) -> str:
    """The lexical form RDF needs: hh:mm → hh:mm:ss for xsd:time."""
    if _kind(prop)[1] == XSD + "time" and value.count(":") == 1:
        return value + ":00"
    return value


def _iri(value: str) -> str:
    return "".join(_IRI_ESCAPES.get(c, c) for c in value if c >= " ")


# ---------------------------------------------------------------- JSON-LD (compact, context terms)

def jsonld(node: Node) -> dict:
    out: dict = {"@type": node.type}
    for prop, value in node.selectors:
        out[prop] = value
    grouped: dict[str, list] = {}
    for prop, values in node.literals.items():
        grouped[prop] = [({"@value": literal_value(prop, v), "@language": lang} if lang
                          else literal_value(prop, v)) for v, lang in values]
    for (prop, _, _), child in node.children.items():
        grouped.setdefault(prop, []).append(jsonld(child))
    for prop, values in grouped.items():
        out[prop] = values[0] if len(values) == 1 else values
    return out


# ---------------------------------------------------------------- N-Triples and Turtle

def ntriples(node: Node, label: str) -> list[str]:
    """The instance's triples, blank nodes labelled `label`, `label`_1 … (unique per row)."""
    lines: list[str] = []
    _triples(node, label, label, [0], lines)
    return lines


@functools.lru_cache(maxsize=None)
def _predicate(prop: str) -> str:
    return f" <{imi_vocabulary().namespace}{prop}> "


@functools.lru_cache(maxsize=None)
def _type_triple_tail(type_: str) -> str:
    return f" {RDF_TYPE} <{imi_vocabulary().namespace}{type_}> .\n"


def _triples(n: Node, subject: str, label: str, counter: list, lines: list) -> None:
    # one list filled by plain recursion: nested generators cost more than the triples themselves
    lines.append(subject + _type_triple_tail(n.type))
    for prop, value in n.selectors:
        lines.append(f"{subject}{_predicate(prop)}{_object(prop, value)} .\n")
    for prop, values in n.literals.items():
        predicate = _predicate(prop)
        for value, lang in values:
            lines.append(f"{subject}{predicate}{_object(prop, value, lang)} .\n")
    for (prop, _, _), child in n.children.items():
        counter[0] += 1
        child_label = f"{label}_{counter[0]}"
        lines.append(f"{subject}{_predicate(prop)}{child_label} .\n")
        _triples(child, child_label, label, counter, lines)


def _object(prop: str, value: str, lang: Optional[str] = None) -> str:
    kind, datatype = _kind(prop)
    if kind == "iri":
        return f"<{_iri(value)}>"
    text = '"' + literal_value(prop, value).translate(_ESCAPES) + '"'
    if lang:
        return f"{text}@{lang}"
    return f"{text}^^<{datatype}>" if datatype else text


TURTLE_PREFIXES = "@prefix ic: <{ns}> .\n@prefix xsd: <" + XSD + "> .\n\n"


def turtle(node: Node, indent: str = "") -> str:
    """The instance as one Turtle statement of nested blank nodes ([ a ic:施設型 ; … ])."""
    inner = indent + "    "
    parts = [f"a ic:{node.type}"]
    for prop, value in node.selectors:
        parts.append(f"ic:{prop} {_turtle_object(prop, value)}")
    for prop, values in node.literals.items():
        parts.append(f"ic:{prop} " + ", ".join(_turtle_object(prop, v, lang) for v, lang in values))
    for (prop, _, _), child in node.children.items():
        parts.append(f"ic:{prop} " + turtle(child, inner))
    return "[\n" + "".join(f"{inner}{p} ;\n" for p in parts) + indent + "]"


def _turtle_object(prop: str, value: str, lang: Optional[str] = None) -> str:
    kind, datatype = _kind(prop)
    if kind == "typed" and not lang:
        return '"' + literal_value(prop, value).translate(_ESCAPES) + '"^^xsd:' + datatype[len(XSD):]
    return _object(prop, value, lang)
