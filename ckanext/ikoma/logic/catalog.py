"""Ikoma's DCAT catalog endpoint: cached per dataset and per page, conditional requests, and
keyset paging on (metadata_modified, id) so a harvester paging while datasets change misses
nothing and sees nothing twice.

Two caches in Redis, both bounded by what the site holds, not by what visitors ask: each public
dataset's graph (site profiles only) in one hash per dataset, replaced when the dataset or its
organization changes and removed when it leaves the public catalog; and the pages of the one
chain a harvester walks from /catalog.ttl (site profiles, default limit, cursors this endpoint
wrote), so no choice of parameters adds an entry. Everything else is built from the dataset cache
and not kept. Private, draft and deleted datasets are never in a page: pages come from a public
Solr query, and single datasets are read through package_show with the caller's rights.
"""
from __future__ import annotations

import hashlib
from typing import Any, Optional

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace, RDF

import ckan.plugins.toolkit as toolkit
from ckan.lib.redis import connect_to_redis
from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.utils import dataset_uri

from ckanext.ikoma.logic.catalog_query import (  # noqa: F401 (FORMATS and errors re-exported for views)
    FORMATS, CatalogRequestError, PageQuery, encode_cursor, solr_phrase,
)
from ckanext.ikoma.profiles import installed_profiles
from ckanext.ikoma.profiles.publishable import drop_unpublishable_iris

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DATASET_TTL = 7 * 24 * 3600  # a dataset's graph is valid until it changes; the TTL only ages out the idle
PAGE_TTL = 24 * 3600  # pages go stale with any change on them; a day covers a harvester's walk
GENERATION_KEY = "ikoma:dcat:generation"


def site_profiles() -> tuple[str, ...]:
    return tuple(toolkit.aslist(toolkit.config.get("ckanext.dcat.rdf.profiles")))


def read_profiles(arg: Optional[str]) -> tuple[str, ...]:
    from ckanext.ikoma.logic.catalog_query import read_profiles as read

    return read(arg, site_profiles(), installed_profiles())


def parse_page_query(fmt: str, args) -> PageQuery:
    from ckanext.ikoma.logic.catalog_query import parse_page_query as parse

    return parse(fmt, args, site_profiles(), installed_profiles())


def _solr_time(value: str) -> str:
    return value if value.endswith("Z") else value + "Z"


def _keyset_filter(position: tuple[str, str], after: bool) -> str:
    modified, dataset_id = _solr_time(position[0]), solr_phrase(position[1])
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


def public_entries(ids: list[str]) -> list[dict[str, Any]]:
    """The full dicts of those of `ids` that are public datasets now."""
    if not ids:
        return []
    quoted = " OR ".join(f'"{solr_phrase(i)}"' for i in ids)
    return _search([f"id:({quoted})"], "id asc", len(ids))


# ---------------------------------------------------------------- caches

def _redis():
    return connect_to_redis()


def generation() -> int:
    return int(_redis().get(GENERATION_KEY) or 0)


def organization_changed(entity) -> None:
    """Organization edits change every dataset graph of theirs: start a new generation. (Datasets
    need nothing: their own changes move metadata_modified, which is in their cache version.)"""
    if getattr(entity, "is_organization", False):
        _redis().incr(GENERATION_KEY)


def _dataset_key(dataset_id: str) -> str:
    return f"ikoma:dcat:ds:{dataset_id}"


def _version(modified: str, gen: int) -> bytes:
    """What a cached graph is valid for. Solr gives times to the millisecond with a Z, package dicts
    to the microsecond without: both are read to the millisecond."""
    text = modified.rstrip("Z")
    seconds, _, fraction = text.partition(".")
    return f"{gen}:{seconds}.{(fraction + '000')[:3]}".encode()


def forget_dataset(dataset_id: str) -> None:
    """Drop a dataset's cached graph (it left the public catalog, or was purged)."""
    _redis().delete(_dataset_key(dataset_id))


def dataset_left_if_not_public(pkg_dict: dict[str, Any]) -> None:
    """After an update or delete: a dataset that is no longer public loses its cached graph."""
    if pkg_dict.get("id") and (pkg_dict.get("private") or pkg_dict.get("state", "active") != "active"):
        forget_dataset(pkg_dict["id"])


def _serializer(profiles: tuple[str, ...]) -> RDFSerializer:
    return RDFSerializer(profiles=list(profiles))


def _serialize(graph: Graph, fmt: str) -> bytes:
    body = graph.serialize(format=fmt)
    return body.encode() if isinstance(body, str) else body


def _parse_cached(graph: Graph, nt) -> None:
    graph.parse(data=nt.decode() if isinstance(nt, bytes) else nt, format="nt")


def _dataset_graph(dataset: dict[str, Any], serializer: RDFSerializer, profiles: tuple[str, ...]) -> Graph:
    """One dataset's graph on its own; the serializer (whose profile loading is costly) is reused.
    rdflib's SimpleMemory store (no contexts, no events) adds triples several times faster than
    its default store; it is safe only with ikoma_dcat last, which writes dcat:byteSize itself
    (the stock profiles rewrite byteSize while iterating the graph, which SimpleMemory refuses)."""
    serializer.g = Graph(store="SimpleMemory") if profiles[-1:] == ("ikoma_dcat",) else Graph()
    serializer.graph_from_dataset(dataset)
    if profiles[-1:] != ("ikoma_dcat",):  # other profiles would publish a javascript: URL as an IRI
        drop_unpublishable_iris(serializer.g)
    return serializer.g


def _cached(entries: list[dict[str, Any]], gen: int, redis) -> list[Optional[bytes]]:
    """The cached N-Triples of each entry, None where missing or stale."""
    if not entries:
        return []
    pipe = redis.pipeline()
    for entry in entries:
        pipe.hmget(_dataset_key(entry["id"]), "version", "nt")
    return [nt if version == _version(entry["metadata_modified"], gen) else None
            for entry, (version, nt) in zip(entries, pipe.execute())]


def _store(pipe, entry: dict[str, Any], gen: int, nt: bytes) -> None:
    key = _dataset_key(entry["id"])
    pipe.hset(key, mapping={"version": _version(entry["metadata_modified"], gen), "nt": nt})
    pipe.expire(key, DATASET_TTL)


def dataset_graphs(entries: list[dict[str, Any]], profiles: tuple[str, ...], into: Graph, gen: int,
                   cache: bool = True) -> None:
    """Add each dataset's graph to `into`, from the cache or built by the profiles (and cached
    when `cache` and the profiles are the site's)."""
    cache = cache and profiles == site_profiles()
    redis = _redis()
    cached = _cached(entries, gen, redis) if cache else [None] * len(entries)
    missing = [e["id"] for e, nt in zip(entries, cached) if nt is None]
    full = {dataset["id"]: dataset for dataset in public_entries(missing)}
    pipe = redis.pipeline()
    serializer = _serializer(profiles) if missing else None
    for entry, nt in zip(entries, cached):
        if nt is not None:
            _parse_cached(into, nt)
            continue
        dataset = full.get(entry["id"])
        if dataset is None:  # made private or deleted between the two queries: leave it out
            continue
        graph = _dataset_graph(dataset, serializer, profiles)
        if cache:
            _store(pipe, entry, gen, _serialize(graph, "nt"))
        into += graph
    pipe.execute()


def dataset_ntriples(entries: list[dict[str, Any]], gen: int) -> dict[str, bytes]:
    """{id: N-Triples} of those entries that are public datasets now, in the site's profiles,
    through the dataset-graph cache."""
    redis = _redis()
    cached = _cached(entries, gen, redis)
    out = {e["id"]: nt for e, nt in zip(entries, cached) if nt is not None}
    missing = [e for e, nt in zip(entries, cached) if nt is None]
    if missing:
        profiles = site_profiles()
        serializer = _serializer(profiles)
        pipe = redis.pipeline()
        by_id = {e["id"]: e for e in missing}
        for dataset in public_entries(list(by_id)):
            nt = _serialize(_dataset_graph(dataset, serializer, profiles), "nt")
            _store(pipe, by_id[dataset["id"]], gen, nt)
            out[dataset["id"]] = nt
        pipe.execute()
    return out


def _catalog_with(entries_by_page, profiles: tuple[str, ...], gen: int, cache: bool = True) -> Graph:
    """The catalog graph with the datasets of every page of entries, linked by dcat:dataset."""
    serializer = _serializer(profiles)
    catalog_ref = serializer.graph_from_catalog(None)
    graph = serializer.g
    for entries in entries_by_page:
        dataset_graphs(entries, profiles, graph, gen, cache)
        for entry in entries:
            graph.add((catalog_ref, DCAT.dataset, URIRef(dataset_uri(entry))))
    return graph


def etag_for(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _cursor_key(kind: str, cursor: str) -> str:
    return f"ikoma:dcat:cursor:{kind}:{cursor}"


def _cacheable(query: PageQuery, redis) -> bool:
    """Canonical pages only: the first, and those whose cursor a canonical page wrote."""
    if not query.canonical:
        return False
    if query.after:
        return bool(redis.exists(_cursor_key("cursor", encode_cursor(*query.after))))
    if query.before:
        return bool(redis.exists(_cursor_key("before", encode_cursor(*query.before))))
    return True


def render_page(query: PageQuery, base_url: str) -> tuple[bytes, str, Optional[str]]:
    """(body, ETag, Last-Modified ISO time) of one catalog page."""
    entries, has_next, has_previous = page_entries(query)
    gen = generation()
    etag = etag_for([query.fmt, ",".join(query.profiles), str(gen), str(query.limit), query.modified_since or "",
                     str(has_next), str(has_previous), encode_cursor(*query.after) if query.after else "",
                     encode_cursor(*query.before) if query.before else ""]
                    + [f"{e['id']}@{e['metadata_modified']}" for e in entries])
    last_modified = max((e["metadata_modified"] for e in entries), default=None)
    redis = _redis()
    cacheable = _cacheable(query, redis)
    page_key = f"ikoma:dcat:page:{etag}"
    cached = redis.get(page_key) if cacheable else None
    if cached is not None:
        return cached, etag, last_modified

    graph = _catalog_with([entries], query.profiles, gen, cache=query.default_profiles)
    links = _add_paging(graph, query, entries, has_next, has_previous, base_url)
    body = _serialize(graph, FORMATS[query.fmt][0])
    if cacheable:
        pipe = redis.pipeline()
        pipe.set(page_key, body, ex=PAGE_TTL)
        for kind, cursor in links:  # the pages this one links to join the canonical chain
            pipe.set(_cursor_key(kind, cursor), 1, ex=PAGE_TTL)
        pipe.execute()
    return body, etag, last_modified


def _page_url(base_url: str, query: PageQuery, **params: str) -> str:
    from urllib.parse import urlencode

    args = {"limit": str(query.limit)}
    if query.modified_since:
        args["modified_since"] = query.modified_since
    if not query.default_profiles:
        args["profiles"] = ",".join(query.profiles)
    args.update(params)
    return f"{base_url}?{urlencode(args)}"


def _add_paging(graph: Graph, query: PageQuery, entries, has_next: bool, has_previous: bool,
                base_url: str) -> list[tuple[str, str]]:
    """Hydra links of the page; returns the (kind, cursor) of the next and previous links."""
    graph.bind("hydra", HYDRA)
    view = URIRef(_page_url(base_url, query, **({"cursor": encode_cursor(*query.after)} if query.after else {})))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, Literal(_page_url(base_url, query))))
    graph.add((view, HYDRA.itemsPerPage, Literal(query.limit)))
    links = []
    if entries and has_next:
        cursor = encode_cursor(entries[-1]["metadata_modified"], entries[-1]["id"])
        graph.add((view, HYDRA.next, Literal(_page_url(base_url, query, cursor=cursor))))
        links.append(("cursor", cursor))
    if entries and has_previous:
        before = encode_cursor(entries[0]["metadata_modified"], entries[0]["id"])
        graph.add((view, HYDRA.previous, Literal(_page_url(base_url, query, before=before))))
        links.append(("before", before))
    return links


def render_dataset(dataset: dict[str, Any], fmt: str, profiles: tuple[str, ...]) -> tuple[bytes, str]:
    """(body, ETag) of one dataset the caller may see: public ones through the dataset-graph cache."""
    gen = generation()
    graph = Graph()
    if dataset.get("private"):  # private graphs stay out of the shared cache
        graph = _dataset_graph(dataset, _serializer(profiles), profiles)
    else:
        dataset_graphs([dataset], profiles, graph, gen)
    body = _serialize(graph, FORMATS[fmt][0])
    return body, etag_for([fmt, ",".join(profiles), str(gen), dataset["id"], dataset["metadata_modified"]])
