"""schema.org `Dataset` for search engines (ckanext-dcat's structured data, JSON-LD in the dataset
page): ckanext-dcat's SchemaOrgProfile with Ikoma's fields — names and descriptions in ja and en,
the publisher with its 全国地方公共団体コード, the spatial coverage by code, the licence URI."""
from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles import SchemaOrgProfile
from ckanext.dcat.profiles.base import SCHEMA

from ckanext.ikoma import vocabularies
from ckanext.ikoma.helpers import ikoma_as_list
from ckanext.ikoma.profiles.ikoma_dcat import IkomaDCATProfile, lg_code_url


class IkomaSchemaOrgProfile(SchemaOrgProfile):
    def additional_fields(self, dataset_ref, dataset_dict: dict[str, Any]) -> None:
        self._bilingual(dataset_ref, SCHEMA.name, dataset_dict.get("title"), dataset_dict.get("title_en"))
        self._bilingual(dataset_ref, SCHEMA.description, dataset_dict.get("notes"), dataset_dict.get("notes_en"))
        self.g.add((dataset_ref, SCHEMA.inLanguage, Literal("ja")))
        self._publisher(dataset_ref, dataset_dict)
        self._spatial(dataset_ref, dataset_dict)
        licence = vocabularies.vocabulary("licenses").get(dataset_dict.get("license_id") or "")
        if licence and licence.uri:
            self.g.set((dataset_ref, SCHEMA.license, URIRef(licence.uri)))
        for keyword in (dataset_dict.get("keywords_en") or "").split(","):
            if keyword.strip():
                self.g.add((dataset_ref, SCHEMA.keywords, Literal(keyword.strip(), lang="en")))

    def _bilingual(self, subject, predicate, ja, en) -> None:
        self.g.remove((subject, predicate, None))
        if ja:
            self.g.add((subject, predicate, Literal(ja, lang="ja")))
        if en:
            self.g.add((subject, predicate, Literal(en, lang="en")))

    def _publisher(self, dataset_ref, dataset_dict: dict[str, Any]) -> None:
        org = IkomaDCATProfile._organization(self, dataset_dict)  # the same per-request lookup
        publisher = self.g.value(dataset_ref, SCHEMA.publisher)
        if not org or publisher is None:
            return
        self._bilingual(publisher, SCHEMA.name, org.get("title"), org.get("title_en"))
        if org.get("lg_code"):
            self.g.set((publisher, SCHEMA.identifier, Literal(org["lg_code"])))

    def _spatial(self, dataset_ref, dataset_dict: dict[str, Any]) -> None:
        governments = vocabularies.local_governments()
        for code in ikoma_as_list(dataset_dict.get("spatial_lg_codes")):
            place = URIRef(lg_code_url(code))
            self.g.add((dataset_ref, SCHEMA.spatialCoverage, place))
            self.g.add((place, RDF.type, SCHEMA.Place))
            self.g.add((place, SCHEMA.identifier, Literal(code)))
            if code in governments:
                self.g.add((place, SCHEMA.name, Literal(governments[code].full_name, lang="ja")))
