"""The reading side of the `ikoma_dcat` profile (graph → dataset), as the harvester uses it: what
the stock DCAT-AP parser reads, rewritten for the Ikoma schema, with the values the schema cannot
take kept in `ikoma_unmapped` and the text of mapped values in `ikoma_raw` (never dropped)."""
from __future__ import annotations

from typing import Iterable, Optional

from rdflib import BNode, Literal, URIRef

from ckanext.dcat.profiles.base import ADMS, CNT, DCAT, DCT, FOAF, RDFS, SCHEMA, SKOS, VCARD

from ckanext.ikoma import vocabularies
from ckanext.ikoma.jp.dates import date_of
from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.schema_fields import extra_fields
from ckanext.ikoma.profiles.base import EN, IANA_MEDIA_TYPES, IKOMA, JA, LG_CODE, STANDARD_URL, IkomaProfileBase


class IkomaDCATReading(IkomaProfileBase):
    """parse_dataset for IkomaDCATProfile (mixed in before ckanext-dcat's EuropeanDCATAP3Profile)."""

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
        d["conforms_to"], foreign = self._parse_conforms_to(dataset_ref)
        if foreign:
            self._unmapped.setdefault("conforms_to", []).extend(foreign)
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

    def _parse_conforms_to(self, subject) -> tuple[str, list[str]]:
        """The standard dataset's number from a URI known to name one (/standard-datasets/NN, as
        Ikoma and other ckanext-ikoma sites publish them), and every other standard as found (to be
        kept and published back)."""
        nodes = list(self.g.objects(subject, DCT.conformsTo))
        foreign = [str(n) for n in nodes if isinstance(n, URIRef) and not STANDARD_URL.search(str(n))]
        return self._standard_number(nodes), list(dict.fromkeys(foreign))

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
        # foreign standards stay with their distribution: the mapping files them under its position
        resource["conforms_to"], resource["ikoma_conforms_to_found"] = self._parse_conforms_to(distribution)
        resource["issued"] = self._date_value(distribution, DCT.issued)
        resource["modified"] = self._date_value(distribution, DCT.modified)
        charset = self._object_value(distribution, CNT.characterEncoding).lower()
        bom = self._object_value(distribution, IKOMA.byteOrderMark) == "true"
        resource["character_encoding"] = (
            "utf-8-sig" if charset == "utf-8" and bom else
            self._term_value("character_encodings", charset) or "" if charset else "")
        for key in ("issued", "modified"):  # the stock parser's datetime spellings
            resource.pop(f"{key}_datetime", None)


IKOMA_FIELDS = extra_fields()  # of schemas/dataset.yaml: the stock parser's extras the schema has fields for
