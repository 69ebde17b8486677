"""Neighbours' DCAT catalogs for the harvest tests, the demo and the benchmark: pages of Turtle
written with rdflib, linked by hydra:next (relative links, so a static folder works anywhere)."""
from __future__ import annotations

import os
import time
from typing import Any, Optional

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS as DCT, FOAF, RDF, XSD

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
NAMES = {"292010": "奈良市", "293423": "平群町", "290009": "奈良県", "292095": "生駒市"}


def dataset(number: int, code: str = "293423", **overrides: Any) -> dict[str, Any]:
    """A dataset as a neighbour publishes it: plain DCAT, untagged Japanese, free-text frequency."""
    base = {
        "uri": f"https://data.example.jp/{code}/dataset/{number:04d}",
        "identifier": f"{code}-ds-{number:04d}",
        "title": f"{NAMES.get(code, code)}のデータ{number}",
        "title_en": f"Data {number}",
        "notes": f"{NAMES.get(code, code)}が公開するデータ{number}の説明です。",
        "keywords": ["オープンデータ", "統計"],
        "frequency": "年1回",
        "license": "http://creativecommons.org/licenses/by/4.0/",
        "issued": "令和6年4月1日",
        "publisher_code": code,
        "phone": "0745-45-1001",
        "distributions": [(f"https://data.example.jp/{code}/files/{number:04d}.csv", "CSV", "CSVファイル")],
    }
    base.update(overrides)
    return base


def _add_dataset(g: Graph, catalog: URIRef, d: dict[str, Any]) -> None:
    ref = URIRef(d["uri"])
    g.add((catalog, DCAT.dataset, ref))
    g.add((ref, RDF.type, DCAT.Dataset))
    if d.get("identifier"):
        g.add((ref, DCT.identifier, Literal(d["identifier"])))
    g.add((ref, DCT.title, Literal(d["title"])))
    if d.get("title_en"):
        g.add((ref, DCT.title, Literal(d["title_en"], lang="en")))
    if d.get("notes"):
        g.add((ref, DCT.description, Literal(d["notes"])))
    for keyword in d.get("keywords", []):
        g.add((ref, DCAT.keyword, Literal(keyword)))
    if d.get("frequency"):
        g.add((ref, DCT.accrualPeriodicity, URIRef(d["frequency"]) if d["frequency"].startswith("http")
               else Literal(d["frequency"])))
    if d.get("license"):
        g.add((ref, DCT.license, URIRef(d["license"]) if d["license"].startswith("http") else Literal(d["license"])))
    if d.get("issued"):
        g.add((ref, DCT.issued, Literal(d["issued"])))
    if d.get("modified"):
        g.add((ref, DCT.modified, Literal(d["modified"], datatype=XSD.date)))
    if d.get("publisher_code"):
        publisher = URIRef(f"https://data.example.jp/{d['publisher_code']}")
        g.add((ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Organization))
        g.add((publisher, FOAF.name, Literal(NAMES.get(d["publisher_code"], d["publisher_code"]))))
        g.add((publisher, DCT.identifier, Literal(d["publisher_code"])))
    for standard in d.get("conforms_to", []):
        g.add((ref, DCT.conformsTo, URIRef(standard)))
    if d.get("landing_page"):
        g.add((ref, DCAT.landingPage, URIRef(d["landing_page"])))
    if d.get("phone") or d.get("contact_url"):
        card = BNode()
        g.add((ref, DCAT.contactPoint, card))
        g.add((card, RDF.type, VCARD.Organization))
        g.add((card, VCARD.fn, Literal("情報政策課")))
    if d.get("phone"):
        g.add((card, VCARD.hasTelephone, URIRef("tel:" + d["phone"].replace("-", ""))))
        g.add((card, VCARD.note, Literal(d["phone"])))
    if d.get("contact_url"):
        g.add((card, VCARD.hasURL, URIRef(d["contact_url"])))
    for url, fmt, title, *standards in d.get("distributions", []):
        dist = URIRef(url + "#distribution")
        for standard in standards[0] if standards else ():
            g.add((dist, DCT.conformsTo, URIRef(standard)))
        g.add((ref, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.accessURL, URIRef(url)))
        g.add((dist, DCAT.downloadURL, URIRef(url)))
        g.add((dist, DCT.title, Literal(title)))
        # a format may be given as an IANA media-type or EU file-type URI
        g.add((dist, DCT.format, URIRef(fmt) if fmt.startswith("http") else Literal(fmt)))


def catalog_pages(datasets: list[dict[str, Any]], per_page: int = 10, prefix: str = "catalog",
                  header: str = "", base_url: str = "") -> dict[str, str]:
    """{file name: Turtle} for the datasets in pages of `per_page`, first page `<prefix>-1.ttl`."""
    pages = [datasets[i:i + per_page] for i in range(0, len(datasets), per_page)] or [[]]
    files = {}
    for number, page in enumerate(pages, 1):
        g = Graph()
        g.bind("dcat", DCAT)
        g.bind("dct", DCT)
        g.bind("hydra", HYDRA)
        g.bind("vcard", VCARD)
        catalog = URIRef("https://data.example.jp/catalog")
        g.add((catalog, RDF.type, DCAT.Catalog))
        g.add((catalog, DCT.title, Literal("近隣自治体のオープンデータカタログ")))
        for d in page:
            _add_dataset(g, catalog, d)
        view = URIRef(f"https://data.example.jp/catalog?page={number}")
        g.add((view, RDF.type, HYDRA.PartialCollectionView))
        g.add((view, HYDRA.totalItems, Literal(len(datasets))))
        if number < len(pages):
            g.add((view, HYDRA.next, Literal(f"{base_url}{prefix}-{number + 1}.ttl")))
        files[f"{prefix}-{number}.ttl"] = header + g.serialize(format="turtle")
    return files


def write_catalog(directory: str, datasets: list[dict[str, Any]], per_page: int = 10,
                  prefix: str = "catalog", extra: Optional[dict[str, str]] = None, header: str = "",
                  base_url: str = "") -> str:
    """Write the pages (and any extra files) into `directory`; returns the first page's name. Next
    links are relative unless `base_url` (ending in /) is given: the stock harvester cannot follow
    relative ones."""
    os.makedirs(directory, exist_ok=True)
    previous = {}
    for old in os.listdir(directory):
        if old.startswith(prefix + "-"):
            previous[old] = os.stat(os.path.join(directory, old)).st_mtime
            os.remove(os.path.join(directory, old))
    for name, text in {**catalog_pages(datasets, per_page, prefix, header, base_url), **(extra or {})}.items():
        path = os.path.join(directory, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        if name in previous:  # Last-Modified has whole seconds: a rewrite must move it, as on a real site
            mtime = max(time.time(), previous[name] + 1)
            os.utime(path, (mtime, mtime))
    return f"{prefix}-1.ttl"
