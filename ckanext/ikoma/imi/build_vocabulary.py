"""Derive vocab/imi/core-2.4.1.json and context.jsonld from the IMI core vocabulary source (.imiv).

Run once when the vocabulary changes:  python -m ckanext.ikoma.imi.build_vocabulary PATH/imicore241.imiv
The .imiv text is the published source (https://imi.go.jp/ns/core/241/imicore241.imiv, CC0). We keep
what the converter and the path check need: classes with their superclass, properties with their
value type and English name, which class declares which property, and the deprecated marks.
"""
import json
import os
import re
import sys

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vocab", "imi")
# The RDF namespace of IMI core: the .imiv declares http://imi.go.jp/ns/core/2#, but IMI's RDF
# (the OWL rendering and the published JSON-LD context) uses …/rdf#.
NAMESPACE = "http://imi.go.jp/ns/core/rdf#"
CONTEXT_URL = "https://imi.go.jp/ns/core/context.jsonld"
XSD = "http://www.w3.org/2001/XMLSchema#"

STATEMENT = re.compile(r"^(deprecated\s+)?(class|property|set)\s+([^;]*?)\s*;\s*$")
NAME_EN = re.compile(r'^#name@en\s+"(.*)"')
META = re.compile(r'^#(version|license|license_ref|published_date|publisher@en)\s+"(.*)"')


def _local(token: str) -> str:
    return token.split(":", 1)[1] if token.startswith("ic:") else token


def parse(text: str) -> dict:
    meta, classes, properties, members = {}, {}, {}, []
    name_en = None
    in_comment = False
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.strip()
        if line.startswith("/***"):
            in_comment = True
        if in_comment:  # a block of statements withdrawn by the editors
            in_comment = not line.endswith("***/")
            continue
        if m := META.match(line):
            meta.setdefault(m.group(1), m.group(2))
            continue
        if m := NAME_EN.match(line):
            name_en = m.group(1)
            continue
        m = STATEMENT.match(line)
        if not m:
            continue
        deprecated, kind, body = bool(m.group(1)), m.group(2), m.group(3)
        if kind == "class":
            name, _, rest = body.partition(" ")
            sup = re.search(r"\{@([^}\s]+)\}", rest)
            classes[_local(name)] = {"super": _local(sup.group(1)) if sup else None,
                                     "en": name_en, "deprecated": deprecated}
        elif kind == "property":
            name, _, rest = body.partition(" ")
            rng = re.search(r"\{@([^}\s]+)\}", rest)
            properties[_local(name)] = {"range": _local(rng.group(1)) if rng else None,
                                        "en": name_en, "deprecated": deprecated}
        else:
            path, _, card = body.partition(" ")
            cls, prop = (_local(p) for p in path.split(">"))
            members.append([cls, prop, card.strip("{} "), deprecated])
        name_en = None
    return {"meta": meta, "classes": classes, "properties": properties, "members": members}


def build(imiv_path: str) -> None:
    with open(imiv_path, encoding="utf-8") as f:
        parsed = parse(f.read())
    meta = parsed["meta"]
    out = {
        "source": "IMI 共通語彙基盤 コア語彙 (IMI Core Vocabulary), https://imi.go.jp/ns/core/241/imicore241.imiv, "
                  "derived by ckanext/ikoma/imi/build_vocabulary.py",
        "version": meta.get("version"),
        "published": meta.get("published_date"),
        "publisher": meta.get("publisher@en"),
        "licence": f"{meta.get('license')} ({meta.get('license_ref')})",
        "namespace": NAMESPACE,
        "context_url": CONTEXT_URL,
        "classes": parsed["classes"],
        "properties": parsed["properties"],
        "members": parsed["members"],  # [class, property, cardinality, deprecated]
    }
    with open(os.path.join(HERE, "core-2.4.1.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=0, sort_keys=False)
        f.write("\n")
    with open(os.path.join(HERE, "context.jsonld"), "w", encoding="utf-8") as f:
        json.dump(context(parsed), f, ensure_ascii=False, indent=1)
        f.write("\n")


def context(parsed: dict) -> dict:
    """Every class and property a term of the IMI namespace; typed literals keep their xsd type."""
    terms = {"ic": NAMESPACE, "xsd": XSD, "@vocab": NAMESPACE}
    for name in parsed["classes"]:
        terms[name] = f"ic:{name}"
    for name, prop in parsed["properties"].items():
        rng = prop["range"] or ""
        if rng == "xsd:anyURI":
            terms[name] = {"@id": f"ic:{name}", "@type": "@id"}
        elif rng.startswith("xsd:") and rng != "xsd:string":
            terms[name] = {"@id": f"ic:{name}", "@type": rng}
        else:
            terms[name] = f"ic:{name}"
    return {"@context": terms}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m ckanext.ikoma.imi.build_vocabulary PATH/imicore241.imiv")
    build(sys.argv[1])
