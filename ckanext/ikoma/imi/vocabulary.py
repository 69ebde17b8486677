"""IMI core vocabulary 2.4.1 from vocab/imi/core-2.4.1.json, loaded once per process.

The file is derived from the published .imiv by imi/build_vocabulary.py; it names its source, version
and licence. A property belongs to the classes that declare it and to their subclasses.
"""
from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from typing import Optional

from ckanext.ikoma.vocabularies import VOCAB_DIR

IMI_DIR = os.path.join(VOCAB_DIR, "imi")
VOCABULARY_FILE = os.path.join(IMI_DIR, "core-2.4.1.json")
CONTEXT_FILE = os.path.join(IMI_DIR, "context.jsonld")
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class ImiClass:
    name: str
    super: Optional[str]
    en: Optional[str] = None
    deprecated: bool = False


@dataclass(frozen=True)
class ImiProperty:
    name: str
    range: str  # an IMI class name, or a prefixed datatype (xsd:string, uncefact…)
    en: Optional[str] = None
    deprecated: bool = False


@dataclass(frozen=True)
class Vocabulary:
    version: str
    licence: str
    namespace: str
    context_url: str
    classes: dict[str, ImiClass] = field(hash=False)
    properties: dict[str, ImiProperty] = field(hash=False)
    # class -> {property: cardinality} as the vocabulary declares it on that class
    declared: dict[str, dict[str, str]] = field(hash=False)

    def iri(self, name: str) -> str:
        return self.namespace + name

    def ancestors(self, name: str) -> tuple[str, ...]:
        """The class and its superclass chain up to 概念型."""
        chain = []
        while name in self.classes and name not in chain:
            chain.append(name)
            name = self.classes[name].super or ""
        return tuple(chain)

    def is_subclass(self, name: str, of: str) -> bool:
        return of in self.ancestors(name)

    def property_of(self, cls: str, prop: str) -> Optional[tuple[str, str]]:
        """(declaring class, cardinality) when `prop` is a property of `cls` or of a superclass."""
        for owner in self.ancestors(cls):
            if prop in self.declared.get(owner, {}):
                return owner, self.declared[owner][prop]
        return None

    def properties_of(self, cls: str) -> dict[str, str]:
        """Every property of `cls`, inherited ones included, with the class that declares it."""
        found: dict[str, str] = {}
        for owner in self.ancestors(cls):
            for prop in self.declared.get(owner, {}):
                found.setdefault(prop, owner)
        return found

    def is_literal(self, prop: str) -> bool:
        """A property whose value is a literal: an xsd type or a datatype class (電話番号型)."""
        return self.datatype(prop) is not None

    def datatype(self, prop: str) -> Optional[str]:
        """The xsd type of a literal-valued property (電話番号型 → xsd:string), else None."""
        rng = self.properties[prop].range
        if rng in self.classes:
            sup = self.classes[rng].super or ""
            return sup if sup.startswith("xsd:") else None
        return rng if ":" in rng else None


@functools.lru_cache(maxsize=1)
def imi_vocabulary() -> Vocabulary:
    with open(VOCABULARY_FILE, encoding="utf-8") as f:
        data = json.load(f)
    declared: dict[str, dict[str, str]] = {}
    for cls, prop, cardinality, deprecated in data["members"]:
        if not deprecated:
            declared.setdefault(cls, {})[prop] = cardinality
    return Vocabulary(
        version=data["version"], licence=data["licence"], namespace=data["namespace"],
        context_url=data["context_url"],
        classes={k: ImiClass(k, v["super"], v["en"], v["deprecated"]) for k, v in data["classes"].items()},
        properties={k: ImiProperty(k, v["range"], v["en"], v["deprecated"])
                    for k, v in data["properties"].items()},
        declared=declared)


@functools.lru_cache(maxsize=1)
def imi_context() -> dict:
    """The JSON-LD context shipped for the official context URL, so nothing is fetched at run time."""
    with open(CONTEXT_FILE, encoding="utf-8") as f:
        return json.load(f)
