"""`ikoma_dcat`: Ikoma's DCAT-GoJ profile, on top of ckanext-dcat's `euro_dcat_ap_3`.

The stock profile writes what a neighbour running plain ckanext-dcat can read (title,
description, keywords, licence, publisher, dates, distributions); this profile then rewrites
what it gets wrong for a Japanese catalog and adds the rest, both ways:

- Japanese and English values as @ja / @en literals; untagged literals read as Japanese.
- The publisher as a foaf:Organization whose dct:identifier is its 全国地方公共団体コード.
- Spatial coverage as dct:Location nodes `<site>/lg-codes/<code>` with dct:identifier "<code>".
- Vocabulary values as the URIs of vocab/ (EU frequency, access-right, language and data-theme
  tables, ADMS status, licence URLs); themes also as their own concepts
  (urn:ckanext-ikoma:theme:<value>, with skos:notation), since several share one EU theme.
- dct:conformsTo as the standard-dataset definition URL `<site>/standard-datasets/<NN>`.
- The contact point as a vCard with phone, e-mail and enquiry-form URL.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import Namespace

import ckan.plugins.toolkit as toolkit
from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.dcat.profiles.base import (
    ADMS, CNT, DCAT, DCT, FOAF, RDF, RDFS, SCHEMA, SKOS, VCARD, XSD,
)
from ckanext.dcat.utils import catalog_uri, resource_uri

from ckanext.ikoma import vocabularies
from ckanext.ikoma.jp.dates import date_of
from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.helpers import ikoma_as_list as _as_list  # stored JSON lists
from ckanext.ikoma.profiles.publishable import drop_unpublishable_iris, with_publishable_uris

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


class IkomaDCATProfile(EuropeanDCATAP3Profile):

    # ---------------------------------------------------------------- helpers

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
        term = vocabularies.vocabulary(vocabulary).find(str(node), loose_uri=isinstance(node, URIRef))
        return term.value if term else None

    def _organization(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """The publisher with its extras (package dicts carry only its core fields). Looked up once
        per request: a catalog page has many datasets of few organizations."""
        org = dataset_dict.get("organization") or {}
        if not org.get("id"):
            return {}
        from flask import g, has_request_context

        if has_request_context():
            cache = g.setdefault("ikoma_dcat_organizations", {})
        else:
            cache = self.__dict__.setdefault("_ikoma_orgs", {})
        if org["id"] not in cache:
            try:
                cache[org["id"]] = toolkit.get_action("organization_show")(
                    {"ignore_auth": True}, {"id": org["id"], "include_datasets": False,
                                            "include_users": False, "include_extras": True})
            except toolkit.ObjectNotFound:
                cache[org["id"]] = org
        return cache[org["id"]]

    # ---------------------------------------------------------------- dataset → graph

    # Values this profile writes itself: the stock profile is not given them, so it neither
    # writes them first nor costs their removal (a catalog page has thousands of such triples).
    REWRITTEN_DATASET_KEYS = ("title", "notes", "organization", "frequency", "access_rights", "language", "theme",
                              "conforms_to", "provenance", "tags")
    REWRITTEN_RESOURCE_KEYS = ("name", "description", "size", "status", "language", "license", "conforms_to", "issued",
                               "modified", "mimetype", "character_encoding")

    def _stock_view(self, d: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in d.items() if k not in self.REWRITTEN_DATASET_KEYS}
        view["resources"] = [{k: v for k, v in r.items() if k not in self.REWRITTEN_RESOURCE_KEYS}
                             for r in d.get("resources", [])]
        return view

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = with_publishable_uris(dataset_dict)
        super().graph_from_dataset(self._stock_view(dataset_dict), dataset_ref)
        g, d = self.g, dataset_dict

        self._bilingual(dataset_ref, DCT.title, d.get("title"), d.get("title_en"))
        self._bilingual(dataset_ref, DCT.description, d.get("notes"), d.get("notes_en"))
        keywords = [Literal(t["name"], lang=JA) for t in d.get("tags", []) if t.get("name")]
        keywords += [Literal(k.strip(), lang=EN) for k in (d.get("keywords_en") or "").split(",") if k.strip()]
        self._set(dataset_ref, DCAT.keyword, *keywords)

        self._graph_publisher(d, dataset_ref)
        self._graph_contact(d, dataset_ref)
        self._graph_spatial(d, dataset_ref)

        self._set(dataset_ref, DCT.accrualPeriodicity, self._term_uri("frequencies", d.get("frequency")))
        self._set(dataset_ref, DCT.accessRights, self._term_uri("access_rights", d.get("access_rights")))
        self._set(dataset_ref, DCT.language, *(self._term_uri("languages", v) for v in _as_list(d.get("language"))))
        self._graph_themes(d, dataset_ref)
        self._set(dataset_ref, DCT.conformsTo,
                  URIRef(standard_dataset_url(d["conforms_to"])) if d.get("conforms_to") else None,
                  *self._kept_as_found(d, "conforms_to"))
        # DCAT-AP puts licences on distributions only; DCAT 2 allows one on the dataset too, and
        # it keeps the dataset's own licence when every distribution has another
        self._set(dataset_ref, DCT.license, self._term_uri("licenses", d.get("license_id")))
        self._set(dataset_ref, DCT.issued, _date_literal(d.get("issued")) or self._first_object(dataset_ref, DCT.issued))
        self._set(dataset_ref, DCT.modified, _date_literal(d.get("modified")) or self._first_object(dataset_ref, DCT.modified))
        self._graph_temporal(d, dataset_ref)
        if d.get("creator"):
            creator = BNode()
            self._set(dataset_ref, DCT.creator, creator)
            g.add((creator, RDF.type, FOAF.Agent))
            g.add((creator, FOAF.name, Literal(d["creator"], lang=JA)))
        if d.get("provenance"):
            statement = BNode()
            self._set(dataset_ref, DCT.provenance, statement)
            g.add((statement, RDF.type, DCT.ProvenanceStatement))
            g.add((statement, RDFS.label, Literal(d["provenance"], lang=JA)))

        self._graph_harvest_provenance(d, dataset_ref)

        for position, resource in enumerate(d.get("resources", [])):
            ref = URIRef(resource_uri(resource))
            self._graph_distribution(d, resource, ref)
            self._set(ref, SCHEMA.position, Literal(position))  # RDF keeps no order; CKAN does
        drop_unpublishable_iris(g, dataset_ref)

    def _graph_harvest_provenance(self, d, dataset_ref) -> None:
        """A harvested dataset names its origin, so that whoever harvests Ikoma next finds the same
        identity (the publisher's own identifier, with the publisher's code) and the original URI."""
        if not d.get("harvest_identity"):
            return
        self._set(dataset_ref, DCT.identifier, Literal(d["harvest_identity"].rsplit("@", 1)[0]))
        if (d.get("harvest_original_uri") or "").startswith(("http://", "https://", "urn:")):
            self._set(dataset_ref, DCT.source, URIRef(d["harvest_original_uri"]))
        if d.get("harvested_at"):
            self._set(dataset_ref, IKOMA.harvestedAt, Literal(d["harvested_at"], datatype=XSD.dateTime))

    @staticmethod
    def _kept_as_found(d, key: str) -> list[URIRef]:
        """URIs a harvested dataset's source gave that Ikoma has no term for (a foreign standard in
        dct:conformsTo): published back as they are, never lost. Unsafe IRIs are swept after."""
        from ckanext.ikoma.harvesters.mapping import read_unmapped

        values = read_unmapped(d.get("harvest_unmapped")).get(key) or []
        return [URIRef(v) for v in values if isinstance(v, str) and v.startswith(("http://", "https://"))]

    def _first_object(self, subject, predicate):
        return next(iter(self.g.objects(subject, predicate)), None)

    def _graph_publisher(self, d, dataset_ref) -> None:
        org = self._organization(d)
        if not org:
            return
        publisher = URIRef(f"{catalog_uri().rstrip('/')}/organization/{org['name']}")
        for old in list(self.g.objects(dataset_ref, DCT.publisher)):
            self.g.remove((dataset_ref, DCT.publisher, old))
            if not list(self.g.subjects(None, old)):
                self._remove_node(old)
        self.g.add((dataset_ref, DCT.publisher, publisher))
        self._set(publisher, RDF.type, FOAF.Organization)
        self._bilingual(publisher, FOAF.name, org.get("title"), org.get("title_en"))
        self._set(publisher, DCT.identifier, Literal(org["lg_code"]) if org.get("lg_code") else None)
        if org.get("homepage"):
            self._set(publisher, FOAF.homepage, URIRef(org["homepage"]))

    def _graph_contact(self, d, dataset_ref) -> None:
        fields = ("contact_name", "contact_department", "contact_phone", "contact_email", "contact_url")
        if not any(d.get(f) for f in fields):
            return
        card = BNode()
        self._set(dataset_ref, DCAT.contactPoint, card)
        self.g.add((card, RDF.type, VCARD.Organization))
        if d.get("contact_name"):
            self.g.add((card, VCARD.fn, Literal(d["contact_name"], lang=JA)))
        if d.get("contact_department"):
            self.g.add((card, VCARD["organization-unit"], Literal(d["contact_department"], lang=JA)))
        if d.get("contact_phone"):
            self.g.add((card, VCARD.hasTelephone, URIRef("tel:" + re.sub(r"[^\d+]", "", d["contact_phone"].split(" 内線")[0]))))
            self.g.add((card, VCARD.note, Literal(d["contact_phone"])))  # as written, with its hyphens
        if d.get("contact_email"):
            self.g.add((card, VCARD.hasEmail, URIRef("mailto:" + d["contact_email"])))
        if d.get("contact_url"):
            self.g.add((card, VCARD.hasURL, URIRef(d["contact_url"])))

    def _graph_spatial(self, d, dataset_ref) -> None:
        codes = _as_list(d.get("spatial_lg_codes"))
        if not codes:
            return
        governments = vocabularies.local_governments()
        locations = []
        for code in codes:
            location = URIRef(lg_code_url(code))
            locations.append(location)
            self.g.add((location, RDF.type, DCT.Location))
            self.g.add((location, DCT.identifier, Literal(code)))
            if code in governments:
                self.g.add((location, SKOS.prefLabel, Literal(governments[code].full_name, lang=JA)))
        self._set(dataset_ref, DCT.spatial, *locations)

    def _graph_themes(self, d, dataset_ref) -> None:
        """Each theme as the EU data-theme URI DCAT-AP readers look for, and as its own concept
        (several themes share one EU theme): urn:ckanext-ikoma:theme:<value>, with notation and
        ja/en labels. Concepts are URIs, not blank nodes, so a catalog page holds each once."""
        themes = vocabularies.vocabulary("themes")
        objects = []
        for value in _as_list(d.get("theme")):
            term = themes.get(value)
            if term is None:
                continue
            concept = IKOMA["theme:" + term.value]
            self.g.add((concept, RDF.type, SKOS.Concept))
            self.g.add((concept, SKOS.notation, Literal(term.value)))
            self.g.add((concept, SKOS.prefLabel, Literal(term.ja, lang=JA)))
            self.g.add((concept, SKOS.prefLabel, Literal(term.en, lang=EN)))
            if term.uri:
                self.g.add((concept, SKOS.exactMatch, URIRef(term.uri)))
                objects.append(URIRef(term.uri))
            objects.append(concept)
        self._set(dataset_ref, DCAT.theme, *dict.fromkeys(objects))

    def _graph_temporal(self, d, dataset_ref) -> None:
        if not d.get("temporal") or "/" not in d["temporal"]:
            return
        start, end = d["temporal"].split("/", 1)
        period = BNode()
        self._set(dataset_ref, DCT.temporal, period)
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        self.g.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
        self.g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))

    def _graph_distribution(self, d, resource, ref) -> None:
        self._bilingual(ref, DCT.title, resource.get("name"), resource.get("name_en"))
        self._bilingual(ref, DCT.description, resource.get("description"), resource.get("description_en"))
        size = str(resource.get("size") or "")
        if size.isdigit():  # written here: the stock profile rewrites it while iterating the graph
            self.g.add((ref, DCAT.byteSize, Literal(int(size), datatype=XSD.nonNegativeInteger)))
        if resource.get("mimetype"):
            self._set(ref, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + resource["mimetype"]))
        self._set(ref, ADMS.status, self._term_uri("statuses", resource.get("status")))
        self._set(ref, DCT.language, *(self._term_uri("languages", v) for v in _as_list(resource.get("language"))))
        license_id = resource.get("license") or d.get("license_id")
        self._set(ref, DCT.license, self._term_uri("licenses", license_id))
        if resource.get("license"):
            self._set(ref, IKOMA.ownLicense, Literal(True))  # set on the resource, not inherited
        number = resource.get("conforms_to")
        self._set(ref, DCT.conformsTo, URIRef(standard_dataset_url(number)) if number else None)
        self._set(ref, DCT.issued, _date_literal(resource.get("issued")))
        self._set(ref, DCT.modified, _date_literal(resource.get("modified")))
        encoding = resource.get("character_encoding")
        self._set(ref, CNT.characterEncoding, Literal(IANA_CHARSETS[encoding]) if encoding in IANA_CHARSETS else None)
        self._set(ref, IKOMA.byteOrderMark, Literal(True) if encoding == "utf-8-sig" else None)

    # ---------------------------------------------------------------- catalog

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        super().graph_from_catalog(catalog_dict, catalog_ref)
        config = toolkit.config
        title = config.get("ckan.site_title")
        description = config.get("ckan.site_description") or title
        self._set(catalog_ref, DCT.title, Literal(title, lang=JA) if title else None)
        self._set(catalog_ref, DCT.description, Literal(description, lang=JA) if description else None)
        # The catalog's publisher (◎ in DCAT-GoJ) is the municipality that runs it.
        code = config.get("ckanext.ikoma.municipality_code")
        government = vocabularies.local_governments().get(code)
        if government is not None:
            publisher = URIRef(lg_code_url(code))
            self._set(catalog_ref, DCT.publisher, publisher)
            self.g.add((publisher, RDF.type, FOAF.Organization))
            self.g.add((publisher, FOAF.name, Literal(government.full_name, lang=JA)))
            self.g.add((publisher, DCT.identifier, Literal(code)))

    # ---------------------------------------------------------------- graph → dataset

    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        d = dataset_dict
        d["title"] = self._first(dataset_ref, DCT.title, JA) or d.get("title", "")
        d["title_en"] = self._first(dataset_ref, DCT.title, EN)
        d["notes"] = self._first(dataset_ref, DCT.description, JA) or d.get("notes", "")
        d["notes_en"] = self._first(dataset_ref, DCT.description, EN)
        keywords = self._by_language(dataset_ref, DCAT.keyword)
        d["tags"] = [{"name": k} for k in keywords.get(JA, [])]
        d["keywords_en"] = ",".join(keywords.get(EN, []))

        self._unmapped = {}
        self._raw = {}  # mapped values as the source wrote them (年1回 for annual): provenance
        self._parse_contact(d, dataset_ref)
        d["spatial_lg_codes"] = self._parse_spatial(dataset_ref)
        d["frequency"] = self._parse_frequency(dataset_ref)
        d["access_rights"] = self._first_term("access_rights", self._labels_or_uris(dataset_ref, DCT.accessRights))
        self._note_unmapped("access_rights", d["access_rights"], self._labels_or_uris(dataset_ref, DCT.accessRights))
        self._note_raw("access_rights", d["access_rights"], self.g.objects(dataset_ref, DCT.accessRights))
        d["language"] = self._terms("languages", self.g.objects(dataset_ref, DCT.language))
        d["theme"] = self._parse_themes(dataset_ref)
        d["conforms_to"] = self._parse_conforms_to(dataset_ref, "conforms_to")
        d["issued"] = self._date_value(dataset_ref, DCT.issued, "issued")
        d["modified"] = self._date_value(dataset_ref, DCT.modified, "modified")
        d["temporal"] = self._parse_temporal(dataset_ref)
        creator = self._first_object(dataset_ref, DCT.creator)
        d["creator"] = self._first(creator, FOAF.name, JA) if creator is not None else ""
        provenance = self._first_object(dataset_ref, DCT.provenance)
        d["provenance"] = (self._first(provenance, RDFS.label, JA) if isinstance(provenance, (BNode, URIRef))
                           else str(provenance or ""))
        self._parse_publisher(d, dataset_ref)
        source = self._first_object(dataset_ref, DCT.source)
        if isinstance(source, URIRef):
            d["ikoma_source"] = str(source)  # the origin, when this catalog harvested it from another
        license_id = self._first_term("licenses", self._labels_or_uris(dataset_ref, DCT.license))
        if license_id:
            d["license_id"] = license_id
        else:  # the stock parser's guess is a URI or a name, not one of our licence ids
            self._note_unmapped("license_id", "", self._labels_or_uris(dataset_ref, DCT.license))
            d.pop("license_id", None)

        resources = d.get("resources", [])
        positions = []
        for distribution, resource in zip(self._distributions(dataset_ref), resources):
            self._parse_distribution(d, resource, distribution)
            position = self._object_value_int(distribution, SCHEMA.position)
            positions.append(position if position is not None else len(resources))
        d["resources"] = [r for _, r in sorted(zip(positions, resources), key=lambda pr: pr[0])]
        # the stock profile keeps some values as extras our schema has fields for
        d["extras"] = [e for e in d.get("extras", []) if e["key"] not in IKOMA_FIELDS
                       and not e["key"].startswith("publisher_")]  # the publisher is ikoma_publisher
        if self._object_value(dataset_ref, FOAF.homepage) == "":  # the stock parser's stand-in: our own site
            d["extras"] = [e for e in d["extras"] if e["key"] != "homepage"]
        # Values this catalog has but the Ikoma schema cannot take: kept for the harvester to
        # store and report, never silently dropped ({field: [values as found]}).
        d["ikoma_unmapped"] = self._unmapped
        d["ikoma_raw"] = self._raw
        return d

    def _parse_conforms_to(self, subject, key: str) -> str:
        """The standard dataset's number from a URI known to name one (/standard-datasets/NN, as
        Ikoma and other ckanext-ikoma sites publish them); every other standard is kept as found
        (unmapped under `key`), to be published back."""
        nodes = list(self.g.objects(subject, DCT.conformsTo))
        number = self._standard_number(nodes)
        foreign = [str(n) for n in nodes if isinstance(n, URIRef) and not STANDARD_URL.search(str(n))]
        if foreign:
            self._unmapped.setdefault(key, []).extend(dict.fromkeys(foreign))
        return number

    def _note_unmapped(self, key: str, mapped, nodes: Iterable) -> None:
        if mapped:
            return
        found = [str(n) for n in nodes if str(n).strip()]
        if found:
            self._unmapped.setdefault(key, []).extend(dict.fromkeys(found))

    def _parse_frequency(self, dataset_ref) -> str:
        """A frequency URI or label; free text such as 年1回 or 毎月更新 through the normalisation table."""
        nodes = self._labels_or_uris(dataset_ref, DCT.accrualPeriodicity)
        value = self._first_term("frequencies", nodes)
        if not value:
            term = next(filter(None, (vocabularies.normalize_frequency(str(n)) for n in nodes)), None)
            value = term.value if term else ""
        self._note_unmapped("frequency", value, nodes)
        self._note_raw("frequency", value, nodes)
        return value

    def _note_raw(self, key: str, value: str, nodes: Iterable) -> None:
        """Free text the value was mapped from (年1回, 随時), kept for provenance."""
        texts = [str(n) for n in nodes if isinstance(n, Literal) and str(n).strip() and str(n) != value]
        if value and texts:
            self._raw.setdefault(key, []).extend(dict.fromkeys(texts))

    def _labels_or_uris(self, subject, predicate) -> list:
        out = []
        for obj in self.g.objects(subject, predicate):
            out.append(obj)
            out.extend(self.g.objects(obj, RDFS.label))
        return out

    def _first_term(self, vocabulary: str, nodes: Iterable) -> str:
        for node in nodes:
            value = self._term_value(vocabulary, node)
            if value:
                return value
        return ""

    def _terms(self, vocabulary: str, nodes: Iterable) -> list[str]:
        """Values in vocabulary order, as the validators store them (RDF keeps no order)."""
        values = {self._term_value(vocabulary, node) for node in nodes}
        return [t.value for t in vocabularies.vocabulary(vocabulary) if t.value in values]

    @staticmethod
    def _standard_number(nodes: Iterable) -> str:
        for node in nodes:
            match = STANDARD_URL.search(str(node))
            if match:
                return match.group(1).zfill(2)
        return ""

    def _date_value(self, subject, predicate, key: Optional[str] = None) -> str:
        """YYYY-MM-DD from an ISO date or date-time, or from 和暦 and other Japanese spellings
        (令和6年4月1日, 2024/4/1); what is not a date is noted as unmapped under `key`."""
        value = (self._object_value(subject, predicate) or "").strip()
        if value:
            try:
                date = date_of(value)
            except JpValueError:
                if key:
                    self._unmapped.setdefault(key, []).append(value)
                return ""
            if key and not value.startswith(date):  # 令和6年4月1日, 2024/4/1: kept as written
                self._raw.setdefault(key, []).append(value)
            return date
        return ""

    def _parse_contact(self, d, dataset_ref) -> None:
        card = self._first_object(dataset_ref, DCAT.contactPoint)
        d.update(contact_name="", contact_department="", contact_phone="", contact_email="", contact_url="")
        if card is None:
            return
        d["contact_name"] = self._first(card, VCARD.fn, JA)
        d["contact_department"] = self._first(card, VCARD["organization-unit"], JA)
        phone = self._object_value(card, VCARD.note) or self._object_value(card, VCARD.hasTelephone)
        d["contact_phone"] = phone[4:] if phone.startswith("tel:") else phone
        email = self._object_value(card, VCARD.hasEmail)
        d["contact_email"] = email[7:] if email.startswith("mailto:") else email
        d["contact_url"] = self._object_value(card, VCARD.hasURL)

    def _parse_spatial(self, dataset_ref) -> list[str]:
        codes = []
        for location in self.g.objects(dataset_ref, DCT.spatial):
            code = self._object_value(location, DCT.identifier) if not isinstance(location, Literal) else ""
            match = LG_CODE.search(code or str(location))
            if match and match.group(1) not in codes:
                codes.append(match.group(1))
        return sorted(codes)

    def _parse_themes(self, dataset_ref) -> list[str]:
        themes = vocabularies.vocabulary("themes")
        values, eu_only = [], []
        for node in self.g.objects(dataset_ref, DCAT.theme):
            notation = self._object_value(node, SKOS.notation) if not isinstance(node, Literal) else ""
            if not notation and str(node).startswith(str(IKOMA["theme:"])):
                notation = str(node)[len(str(IKOMA["theme:"])):]
            if notation and themes.get(notation):
                values.append(notation)
            else:
                value = self._term_value("themes", node)
                if value:
                    eu_only.append(value)
        if not values:  # another catalog with EU themes only: the first theme of that EU code
            values = eu_only
        return [t.value for t in themes if t.value in values]

    def _parse_temporal(self, dataset_ref) -> str:
        period = self._first_object(dataset_ref, DCT.temporal)
        if period is None:
            return ""
        start = self._date_value(period, DCAT.startDate)
        end = self._date_value(period, DCAT.endDate)
        return f"{start}/{end}" if start and end else ""

    def _parse_publisher(self, d, dataset_ref) -> None:
        """What the harvester needs to pick the local organization: the publisher's code and names."""
        publisher = self._first_object(dataset_ref, DCT.publisher)
        if publisher is None:
            return
        d["ikoma_publisher"] = {
            "uri": str(publisher) if isinstance(publisher, URIRef) else "",
            "lg_code": self._object_value(publisher, DCT.identifier),
            "name": self._first(publisher, FOAF.name, JA),
            "name_en": self._first(publisher, FOAF.name, EN),
        }

    def _parse_distribution(self, d, resource, distribution) -> None:
        resource["name"] = self._first(distribution, DCT.title, JA) or resource.get("name", "")
        resource["name_en"] = self._first(distribution, DCT.title, EN)
        resource["description"] = self._first(distribution, DCT.description, JA) or resource.get("description", "")
        resource["description_en"] = self._first(distribution, DCT.description, EN)
        media_type = self._object_value(distribution, DCAT.mediaType)
        if media_type:
            resource["mimetype"] = media_type.replace(IANA_MEDIA_TYPES, "")
        resource["status"] = self._first_term("statuses", self._labels_or_uris(distribution, ADMS.status))
        resource["language"] = self._terms("languages", self.g.objects(distribution, DCT.language))
        own_license = self._object_value(distribution, IKOMA.ownLicense) == "true"
        license_id = self._first_term("licenses", self._labels_or_uris(distribution, DCT.license))
        resource["license"] = license_id if own_license else ""
        resource["conforms_to"] = self._parse_conforms_to(distribution, "resources.conforms_to")
        resource["issued"] = self._date_value(distribution, DCT.issued)
        resource["modified"] = self._date_value(distribution, DCT.modified)
        charset = self._object_value(distribution, CNT.characterEncoding).lower()
        bom = self._object_value(distribution, IKOMA.byteOrderMark) == "true"
        resource["character_encoding"] = (
            "utf-8-sig" if charset == "utf-8" and bom else
            self._term_value("character_encodings", charset) or "" if charset else "")
        for key in ("issued", "modified"):  # the stock parser's datetime spellings
            resource.pop(f"{key}_datetime", None)


IKOMA_FIELDS = {
    "title_en", "notes_en", "keywords_en", "theme", "creator", "contact_name", "contact_department",
    "contact_phone", "contact_email", "contact_url", "spatial_lg_codes", "temporal", "issued",
    "modified", "frequency", "language", "access_rights", "conforms_to", "provenance",
}
