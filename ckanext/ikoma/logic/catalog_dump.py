"""The whole public catalog in one file for aggregators: /catalog/dump.ttl.gz.

`ckan ikoma catalog-dump` writes each public dataset's graph as its own gzip member (N-Triples,
which is Turtle too) with an index of where each one starts. A request assembles the answer
from the public datasets *now* (read from the database, never from the file): members of
unchanged datasets are copied from the file, changed and new ones are rendered through the
dataset-graph cache, and a dataset that became private, draft, deleted or purged is simply not
there. The file only saves work; it can never make a dataset public. Gzip members concatenate
into one valid gzip stream, so the answer is still one gzipped Turtle document.
"""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from typing import Iterator, Optional

import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckanext.dcat.utils import catalog_uri, dataset_uri

from ckanext.ikoma.logic import catalog
from ckanext.ikoma.profiles.turtle import FORMAT as TURTLE

BATCH = 200  # datasets rendered per Solr query when the file does not have them
DCAT_DATASET = "http://www.w3.org/ns/dcat#dataset"


def dump_path() -> str:
    return os.path.join(toolkit.config.get("ckan.storage_path") or "/tmp", "ikoma", "catalog.ttl.gz")


def _index_path() -> str:
    return dump_path() + ".index.json"


@dataclass(frozen=True)
class DumpIndex:
    written: str
    generation: int
    profiles: tuple[str, ...]
    members: dict[str, tuple[str, int, int]]  # id -> (metadata_modified, offset, length)


def public_datasets() -> list[tuple[str, str]]:
    """(id, metadata_modified) of every public dataset, from the database: the truth about who may
    see what, even while the search index catches up."""
    rows = _public(model.Session.query(model.Package.id, model.Package.metadata_modified)).order_by(
        model.Package.metadata_modified, model.Package.id)
    return [(package_id, modified.isoformat()) for package_id, modified in rows]


def _public(query):
    return query.filter(model.Package.state == "active", model.Package.private.is_(False),
                        model.Package.type == "dataset")


def _member(dataset_id: str, nt: bytes) -> bytes:
    link = f"<{catalog_uri()}> <{DCAT_DATASET}> <{dataset_uri({'id': dataset_id})}> .\n".encode()
    return gzip.compress(nt + link, compresslevel=6)


def _rendered(entries: list[tuple[str, str]], gen: int) -> Iterator[tuple[str, bytes]]:
    for start in range(0, len(entries), BATCH):
        batch = [{"id": i, "metadata_modified": m} for i, m in entries[start:start + BATCH]]
        rendered = catalog.dataset_ntriples(batch, gen)
        for entry in batch:
            if entry["id"] in rendered:  # not in the search index (yet): left out
                yield entry["id"], _member(entry["id"], rendered[entry["id"]])


def _header(gen: int) -> bytes:
    """The catalog's own description (title, publisher, …), as it is now."""
    serializer = catalog._serializer(catalog.site_profiles())
    serializer.graph_from_catalog(None)
    return gzip.compress(catalog._serialize(serializer.g, TURTLE))


def write_dump(progress=None) -> tuple[str, int]:
    """Write the dump file and its index atomically; returns (path, datasets written)."""
    gen = catalog.generation()
    entries = public_datasets()
    path = dump_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    members: dict[str, tuple[str, int, int]] = {}
    modified = dict(entries)
    with open(path + ".tmp", "wb") as f:
        for dataset_id, member in _rendered(entries, gen):
            members[dataset_id] = (modified[dataset_id], f.tell(), len(member))
            f.write(member)
            if progress:
                progress(1)
    # "written" tells one file from another in the ETag
    index = {"written": str(os.stat(path + ".tmp").st_mtime_ns), "generation": gen,
             "profiles": list(catalog.site_profiles()), "members": members}
    with open(_index_path() + ".tmp", "w", encoding="utf-8") as f:
        json.dump(index, f)
    os.replace(path + ".tmp", path)
    os.replace(_index_path() + ".tmp", _index_path())
    return path, len(members)


def _load_index() -> Optional[DumpIndex]:
    try:
        with open(_index_path(), encoding="utf-8") as f:
            raw = json.load(f)
        return DumpIndex(raw["written"], int(raw["generation"]), tuple(raw["profiles"]),
                         {k: tuple(v) for k, v in raw["members"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no dump yet, or one written by an older version: as if none


@dataclass
class DumpAnswer:
    etag: str
    body: Iterator[bytes]


def dump_answer() -> Optional[DumpAnswer]:
    """The dump as it must be served now, or None when `catalog-dump` has not been run."""
    index = _load_index()
    if index is None or not os.path.exists(dump_path()):
        return None
    gen = catalog.generation()
    entries = public_datasets()
    reusable = index.generation == gen and index.profiles == catalog.site_profiles()
    etag = catalog.etag_for(["dump", index.written, str(gen), str(reusable)] + [f"{i}@{m}" for i, m in entries])

    def body() -> Iterator[bytes]:
        yield _header(gen)
        stale = []
        with open(dump_path(), "rb") as f:
            for dataset_id, modified in entries:
                member = index.members.get(dataset_id) if reusable else None
                if member is not None and member[0] == modified:
                    f.seek(member[1])
                    yield f.read(member[2])
                else:
                    stale.append((dataset_id, modified))
        for _, member in _rendered(stale, gen):
            yield member

    return DumpAnswer(etag, body())


def count_public_datasets() -> int:
    return _public(model.Session.query(model.Package.id)).count()

