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
from typing import Any

from rdflib import BNode, Literal, URIRef

import ckan.plugins.toolkit as toolkit
from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.dcat.profiles.base import (
    ADMS, CNT, DCAT, DCT, FOAF, RDF, RDFS, SCHEMA, SKOS, VCARD, XSD,
)
from ckanext.dcat.utils import catalog_uri, resource_uri

from ckanext.ikoma import vocabularies
from ckanext.ikoma.helpers import ikoma_as_list as _as_list  # stored JSON lists
from ckanext.ikoma.profiles.base import (  # noqa: F401 (standard_dataset_url, lg_code_url: public)
    EN, IANA_CHARSETS, IANA_MEDIA_TYPES, IKOMA, JA, _date_literal, lg_code_url, standard_dataset_url,
)
from ckanext.ikoma.profiles.publishable import drop_unpublishable_iris, with_publishable_uris
from ckanext.ikoma.profiles.reading import IkomaDCATReading


class IkomaDCATProfile(IkomaDCATReading, EuropeanDCATAP3Profile):
    """Ikoma's DCAT-GoJ profile: the writing side here, the reading side in IkomaDCATReading."""

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
            self._graph_distribution(d, resource, ref, position + 1)
            self._set(ref, SCHEMA.position, Literal(position))  # RDF keeps no order; CKAN does
            self._graph_imi_distribution(d, resource, dataset_ref)
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

    def _graph_imi_distribution(self, d, resource, dataset_ref) -> None:
        """The IMI form the validation job kept of a resource (logic/imi_distribution.py): a
        distribution of its own, conforming to IMI core 2.4.1 and to the standard dataset."""
        from ckanext.ikoma.logic.imi_distribution import IMI_CORE, MEDIA_TYPE, has_imi

        if not resource.get("id") or not has_imi(resource["id"]):
            return
        url = f"{catalog_uri().rstrip('/')}/dataset/{d['id']}/resource/{resource['id']}/imi.jsonld"
        ref = URIRef(url)
        self.g.add((dataset_ref, DCAT.distribution, ref))
        self.g.add((ref, RDF.type, DCAT.Distribution))
        name = resource.get("name") or resource["id"]
        self.g.add((ref, DCT.title, Literal(f"{name}（共通語彙基盤（IMI）形式）", lang=JA)))
        self.g.add((ref, DCT.title, Literal(f"{resource.get('name_en') or name} (IMI linked data)", lang=EN)))
        self.g.add((ref, DCAT.accessURL, ref))
        self.g.add((ref, DCAT.downloadURL, ref))
        self.g.add((ref, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + MEDIA_TYPE)))
        number = resource.get("conforms_to") or d.get("conforms_to")
        self._set(ref, DCT.conformsTo, URIRef(IMI_CORE),
                  *([URIRef(standard_dataset_url(number))] if number else []))
        license_id = resource.get("license") or d.get("license_id")
        self._set(ref, DCT.license, self._term_uri("licenses", license_id))

    def _graph_distribution(self, d, resource, ref, position: int) -> None:
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
        from ckanext.ikoma.harvesters.mapping import resource_key

        number = resource.get("conforms_to")
        self._set(ref, DCT.conformsTo, URIRef(standard_dataset_url(number)) if number else None,
                  *self._kept_as_found(d, resource_key(position, "conforms_to")))
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
