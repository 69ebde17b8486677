"""What the `ikoma_dcat` profile's writing and reading sides share: Ikoma's namespaces and URL
patterns, and the graph helpers (bilingual literals, replacing a property's objects, vocabulary
terms to and from URIs). One class per file: this one is the base of IkomaDCATReading and
IkomaDCATProfile."""
from __future__ import annotations

import re
from typing import Optional

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import Namespace

from ckanext.dcat.profiles.base import XSD
from ckanext.dcat.utils import catalog_uri

from ckanext.ikoma import vocabularies

JA, EN = "ja", "en"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
IKOMA = Namespace("urn:ckanext-ikoma:")  # the few terms no standard vocabulary has (see README)
STANDARD_URL = re.compile(r"/standard-datasets/(\d{1,2})/?$")
LG_CODE = re.compile(r"(\d{6})$")
IANA_CHARSETS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "shift_jis": "Shift_JIS"}


def _date_literal(value: Optional[str]) -> Optional[Literal]:
    if not value:
        return None
    return Literal(value[:10], datatype=XSD.date) if re.match(r"^\d{4}-\d{2}-\d{2}$", value[:10]) else None


def standard_dataset_url(number: str) -> str:
    return f"{catalog_uri().rstrip('/')}/standard-datasets/{number}"


def lg_code_url(code: str) -> str:
    return f"{catalog_uri().rstrip('/')}/lg-codes/{code}"


class IkomaProfileBase:
    """Helpers over `self.g` (the profile's graph), for the classes that mix this in."""

    def _set(self, subject, predicate, *objects) -> None:
        """Replace every object of (subject, predicate) by `objects` (None values skipped)."""
        for old in list(self.g.objects(subject, predicate)):
            self.g.remove((subject, predicate, old))
            if isinstance(old, BNode):
                self._remove_node(old)
        for obj in objects:
            if obj is not None:
                self.g.add((subject, predicate, obj))

    def _remove_node(self, node) -> None:
        for p, o in list(self.g.predicate_objects(node)):
            self.g.remove((node, p, o))
            if isinstance(o, BNode):
                self._remove_node(o)

    def _bilingual(self, subject, predicate, ja: Optional[str], en: Optional[str]) -> None:
        self._set(subject, predicate,
                  Literal(ja, lang=JA) if ja else None, Literal(en, lang=EN) if en else None)

    def _by_language(self, subject, predicate) -> dict[str, list[str]]:
        """Literals by language; untagged ones (common in other catalogs) count as Japanese."""
        out: dict[str, list[str]] = {}
        for obj in self.g.objects(subject, predicate):
            if isinstance(obj, Literal):
                out.setdefault(obj.language or JA, []).append(str(obj))
        return out

    def _first(self, subject, predicate, lang: str) -> str:
        values = self._by_language(subject, predicate).get(lang) or []
        return values[0] if values else ""

    @staticmethod
    def _term_uri(vocabulary: str, value: Optional[str]) -> Optional[URIRef]:
        term = vocabularies.vocabulary(vocabulary).get(value) if value else None
        return URIRef(term.uri) if term and term.uri else None

    @staticmethod
    def _term_value(vocabulary: str, node) -> Optional[str]:
        """The stored value of a vocabulary term given as a URI, a label or an alias."""
        return vocabularies.resolve(vocabulary, str(node), loose_uri=isinstance(node, URIRef))

    def _first_object(self, subject, predicate):
        return next(iter(self.g.objects(subject, predicate)), None)
