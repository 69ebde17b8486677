"""Ikoma's DCAT catalog endpoint: cached per dataset and per page, conditional requests, and
keyset paging on (metadata_modified, id) so a harvester paging while datasets change misses
nothing and sees nothing twice.

Two caches in Redis: each dataset's graph as N-Triples, keyed by its id, metadata_modified and a
generation number that organization edits bump; and each rendered page, keyed by its ETag (the
hash of the format, the page's datasets with their modification times, and the generation).
Private, draft and deleted datasets are never in a page: pages come from a public Solr query, and
single datasets are read through package_show with the caller's rights.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Optional

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace, RDF

import ckan.plugins.toolkit as toolkit
from ckan.lib.redis import connect_to_redis
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import catalog_uri, dataset_uri
from ckanext.ikoma.profiles.turtle import FORMAT as TURTLE

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FORMATS = {  # extension -> (rdflib format, media type)
    "ttl": (TURTLE, "text/turtle"),
    "xml": ("pretty-xml", "application/rdf+xml"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "n3": ("n3", "text/n3"),
}
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
CACHE_SECONDS = 7 * 24 * 3600
GENERATION_KEY = "ikoma:dcat:generation"


class CatalogRequestError(ValueError):
    """A request the endpoint answers with 400: `ja` and `en` say what is wrong."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja, self.en = ja, en


@dataclass(frozen=True)
class PageQuery:
    fmt: str
    limit: int
    after: Optional[tuple[str, str]]  # (metadata_modified, id) of the last item already seen
    before: Optional[tuple[str, str]]  # for a previous page
    modified_since: Optional[str]
    profiles: tuple[str, ...]


def _profiles(arg: Optional[str]) -> tuple[str, ...]:
    from ckanext.dcat.processors import RDFProcessor

    configured = tuple(toolkit.aslist(toolkit.config.get("ckanext.dcat.rdf.profiles")))
    if not arg:
        return configured
    names = tuple(p.strip() for p in arg.split(",") if p.strip())
    try:
        RDFProcessor(profiles=list(names))
    except Exception:
        raise CatalogRequestError(f"プロファイル「{arg}」はありません", f"unknown profile in {arg!r}") from None
    return names


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise CatalogRequestError(
            f"形式「{fmt}」には対応していません（{', '.join(FORMATS)}）",
            f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


def encode_cursor(modified: str, dataset_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([modified, dataset_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        modified, dataset_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        dt.datetime.fromisoformat(modified.rstrip("Z"))
        if not isinstance(dataset_id, str) or len(dataset_id) > 100 or '"' in dataset_id:
            raise ValueError
    except Exception:
        raise CatalogRequestError("カーソルが正しくありません", f"invalid cursor {cursor[:50]!r}") from None
    return modified, dataset_id


def parse_page_query(fmt: str, args) -> PageQuery:
    check_format(fmt)
    limit_text = args.get("limit", str(DEFAULT_LIMIT))
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
        raise CatalogRequestError(f"limitは1〜{MAX_LIMIT}の整数です", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    if "page" in args:  # offset paging is what misses and repeats datasets; say what to use
        raise CatalogRequestError("pageは使えません。応答のhydra:nextのURL（cursor）をたどってください",
                                  "page is not supported: follow the hydra:next link (cursor) of each answer")
    after = decode_cursor(args["cursor"]) if args.get("cursor") else None
    before = decode_cursor(args["before"]) if args.get("before") else None
    modified_since = None
    if args.get("modified_since"):
        try:
            modified_since = dt.datetime.fromisoformat(args["modified_since"].replace("Z", "")).isoformat()
        except ValueError:
            raise CatalogRequestError("modified_sinceは日付（例：2024-04-01）で指定してください",
                                      "modified_since must be a date or date-time, e.g. 2024-04-01") from None
    return PageQuery(fmt, int(limit_text), after, before, modified_since, _profiles(args.get("profiles")))


def _solr_time(value: str) -> str:
    return value if value.endswith("Z") else value + "Z"


def _keyset_filter(position: tuple[str, str], after: bool) -> str:
    modified, dataset_id = _solr_time(position[0]), position[1]
    if after:
        return f'metadata_modified:{{"{modified}" TO *] OR (metadata_modified:"{modified}" AND id:{{"{dataset_id}" TO *])'
    return f'metadata_modified:[* TO "{modified}"}} OR (metadata_modified:"{modified}" AND id:[* TO "{dataset_id}"}})'


def _search(fq: list[str], sort: str, rows: int, fl: Optional[str] = None) -> list[dict[str, Any]]:
    data = {"q": "*:*", "fq": " AND ".join(f"({f})" for f in fq) if fq else "", "sort": sort, "rows": rows,
            "include_private": False, "include_drafts": False}
    if fl:
        data["fl"] = fl
    return toolkit.get_action("package_search")({"ignore_auth": True}, data)["results"]


def page_entries(query: PageQuery) -> tuple[list[dict[str, Any]], bool, bool]:
    """The (id, metadata_modified) of the page's datasets, and whether there is a next / previous page."""
    fq = ["+dataset_type:dataset"]
    if query.modified_since:
        fq.append(f'metadata_modified:["{_solr_time(query.modified_since)}" TO *]')
    fields = "id,metadata_modified"
    if query.before:
        rows = _search(fq + [_keyset_filter(query.before, after=False)], "metadata_modified desc, id desc",
                       query.limit + 1, fields)
        has_previous = len(rows) > query.limit
        return list(reversed(rows[: query.limit])), True, has_previous
    if query.after:
        fq.append(_keyset_filter(query.after, after=True))
    rows = _search(fq, "metadata_modified asc, id asc", query.limit + 1, fields)
    return rows[: query.limit], len(rows) > query.limit, query.after is not None


# ---------------------------------------------------------------- caches

def _redis():
    return connect_to_redis()


def generation() -> int:
    return int(_redis().get(GENERATION_KEY) or 0)


def organization_changed(entity) -> None:
    """Organization edits change every dataset graph of theirs: start a new generation. (Datasets
    need nothing: their own changes move metadata_modified, which is in their cache key.)"""
    if getattr(entity, "is_organization", False):
        _redis().incr(GENERATION_KEY)


def _dataset_key(dataset_id: str, modified: str, profiles: tuple[str, ...], gen: int) -> str:
    return f"ikoma:dcat:ds:{gen}:{','.join(profiles)}:{dataset_id}:{modified}"


def _serializer(profiles: tuple[str, ...]) -> RDFSerializer:
    return RDFSerializer(profiles=list(profiles))


def _serialize(graph: Graph, fmt: str) -> bytes:
    body = graph.serialize(format=fmt)
    return body.encode() if isinstance(body, str) else body


def _parse_cached(graph: Graph, nt) -> None:
    graph.parse(data=nt.decode() if isinstance(nt, bytes) else nt, format="nt")


def _dataset_graph(dataset: dict[str, Any], serializer: RDFSerializer) -> Graph:
    """One dataset's graph on its own; the serializer (whose profile loading is costly) is reused.
    rdflib's SimpleMemory store (no contexts, no events) adds triples several times faster than
    its default store; it is safe only because ikoma_dcat writes dcat:byteSize itself (the stock
    profile rewrites byteSize while iterating the graph, which SimpleMemory refuses)."""
    serializer.g = Graph(store="SimpleMemory")
    serializer.graph_from_dataset(dataset)
    return serializer.g


def dataset_graphs(entries: list[dict[str, Any]], profiles: tuple[str, ...], into: Graph, gen: int) -> None:
    """Add each dataset's graph to `into`, from the cache or built by the profiles and cached."""
    redis = _redis()
    keys = [_dataset_key(e["id"], e["metadata_modified"], profiles, gen) for e in entries]
    cached = redis.mget(keys) if keys else []
    missing = [e["id"] for e, nt in zip(entries, cached) if nt is None]
    full = {}
    if missing:
        ids = " OR ".join(f'"{i}"' for i in missing)
        for dataset in _search([f"id:({ids})"], "id asc", len(missing)):
            full[dataset["id"]] = dataset
    pipe = redis.pipeline()
    serializer = _serializer(profiles) if missing else None
    for entry, key, nt in zip(entries, keys, cached):
        if nt is not None:
            _parse_cached(into, nt)
            continue
        dataset = full.get(entry["id"])
        if dataset is None:  # made private or deleted between the two queries: leave it out
            continue
        graph = _dataset_graph(dataset, serializer)
        pipe.set(key, _serialize(graph, "nt"), ex=CACHE_SECONDS)
        into += graph
    pipe.execute()


def _catalog_with(entries_by_page, profiles: tuple[str, ...], gen: int) -> Graph:
    """The catalog graph with the datasets of every page of entries, linked by dcat:dataset."""
    serializer = _serializer(profiles)
    catalog_ref = serializer.graph_from_catalog(None)
    graph = serializer.g
    for entries in entries_by_page:
        dataset_graphs(entries, profiles, graph, gen)
        for entry in entries:
            graph.add((catalog_ref, DCAT.dataset, URIRef(dataset_uri(entry))))
    return graph


def etag_for(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def render_page(query: PageQuery, base_url: str) -> tuple[bytes, str, Optional[str]]:
    """(body, ETag, Last-Modified ISO time) of one catalog page."""
    entries, has_next, has_previous = page_entries(query)
    gen = generation()
    etag = etag_for([query.fmt, ",".join(query.profiles), str(gen), str(query.limit), query.modified_since or "",
                     str(has_next), str(has_previous)] + [f"{e['id']}@{e['metadata_modified']}" for e in entries])
    last_modified = max((e["metadata_modified"] for e in entries), default=None)
    redis = _redis()
    page_key = f"ikoma:dcat:page:{etag}"
    cached = redis.get(page_key)
    if cached is not None:
        return cached, etag, last_modified

    graph = _catalog_with([entries], query.profiles, gen)
    _add_paging(graph, query, entries, has_next, has_previous, base_url)
    body = _serialize(graph, FORMATS[query.fmt][0])
    redis.set(page_key, body, ex=CACHE_SECONDS)
    return body, etag, last_modified


def _page_url(base_url: str, query: PageQuery, **params: str) -> str:
    from urllib.parse import urlencode

    args = {"limit": str(query.limit)}
    if query.modified_since:
        args["modified_since"] = query.modified_since
    args.update(params)
    return f"{base_url}?{urlencode(args)}"


def _add_paging(graph: Graph, query: PageQuery, entries, has_next: bool, has_previous: bool, base_url: str) -> None:
    graph.bind("hydra", HYDRA)
    view = URIRef(_page_url(base_url, query, **({"cursor": encode_cursor(*query.after)} if query.after else {})))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, Literal(_page_url(base_url, query))))
    graph.add((view, HYDRA.itemsPerPage, Literal(query.limit)))
    if entries and has_next:
        last = entries[-1]
        graph.add((view, HYDRA.next, Literal(_page_url(base_url, query, cursor=encode_cursor(last["metadata_modified"], last["id"])))))
    if entries and has_previous:
        first = entries[0]
        graph.add((view, HYDRA.previous, Literal(_page_url(base_url, query, before=encode_cursor(first["metadata_modified"], first["id"])))))


def render_dataset(dataset: dict[str, Any], fmt: str, profiles: tuple[str, ...]) -> tuple[bytes, str]:
    """(body, ETag) of one dataset the caller may see, through the dataset-graph cache."""
    gen = generation()
    key = _dataset_key(dataset["id"], dataset["metadata_modified"], profiles, gen)
    redis = _redis()
    cached = redis.get(key)
    graph = Graph()
    if cached is not None:
        _parse_cached(graph, cached)
    else:
        graph = _dataset_graph(dataset, _serializer(profiles))
        if not dataset.get("private"):  # private graphs stay out of the shared cache
            redis.set(key, _serialize(graph, "nt"), ex=CACHE_SECONDS)
    body = _serialize(graph, FORMATS[fmt][0])
    return body, etag_for([fmt, ",".join(profiles), str(gen), dataset["id"], dataset["metadata_modified"]])


# ---------------------------------------------------------------- full dump for aggregators

def dump_path() -> str:
    import os

    return os.path.join(toolkit.config.get("ckan.storage_path") or "/tmp", "ikoma", "catalog.ttl.gz")


def iterate_pages(profiles: tuple[str, ...], limit: int = 500):
    """The entries of every public dataset, page by page through the keyset."""
    after = None
    while True:
        entries, has_next, _ = page_entries(PageQuery("nt", limit, after, None, None, profiles))
        if not entries:
            return
        yield entries
        if not has_next:
            return
        after = (entries[-1]["metadata_modified"], entries[-1]["id"])


def count_public_datasets() -> int:
    return toolkit.get_action("package_search")({"ignore_auth": True}, {"q": "*:*", "rows": 0,
                                                 "fq": "+dataset_type:dataset"})["count"]


def write_dump(progress=None) -> tuple[str, int]:
    """Write the gzipped Turtle dump atomically; returns (path, datasets written)."""
    import gzip
    import os

    profiles = _profiles(None)
    written = 0

    def counted_pages():
        nonlocal written
        for entries in iterate_pages(profiles):
            yield entries
            written += len(entries)
            if progress:
                progress(len(entries))

    graph = _catalog_with(counted_pages(), profiles, generation())
    path = dump_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with gzip.open(path + ".tmp", "wb") as f:
        f.write(_serialize(graph, TURTLE))
    os.replace(path + ".tmp", path)
    return path, written
