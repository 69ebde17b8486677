"""The DCAT endpoints attacked by an anonymous visitor: the dump after a dataset leaves the public
catalog, parameters made to crash the endpoint, requests made to cost much or to fill the cache,
and responses that a shared cache must not keep."""
from __future__ import annotations

import base64
import gzip
import json
import time

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckan.cli.cli import ckan as ckan_command
from ckan.lib.redis import connect_to_redis
from ckan.tests.helpers import call_action


def dump_titles(app) -> set[str]:
    response = app.get("/catalog/dump.ttl.gz")
    assert response.status_code == 200
    graph = Graph().parse(data=gzip.decompress(response.get_data()), format="turtle")
    return {str(o) for s in graph.subjects(RDF.type, DCAT.Dataset) for o in graph.objects(s, DCTERMS.title)
            if getattr(o, "language", None) == "ja"}


@pytest.fixture
def datasets(create_dataset, clean_index, clean_redis):
    return [create_dataset(name=f"ds-{i}", title=f"データセット{i}") for i in range(4)]


@pytest.fixture
def dumped(app, datasets, cli):
    result = cli.invoke(ckan_command, ["ikoma", "catalog-dump"])
    assert result.exit_code == 0, result.output
    assert dump_titles(app) == {f"データセット{i}" for i in range(4)}
    return datasets


@pytest.mark.parametrize("transition", ["private", "delete", "purge", "draft"])
def test_the_dump_drops_a_dataset_at_once_when_it_leaves_the_public_catalog(app, dumped, sysadmin, transition):
    ctx = {"user": sysadmin["name"]}
    if transition == "private":
        call_action("package_patch", context=ctx, id="ds-1", private=True)
    elif transition == "delete":
        call_action("package_delete", context=ctx, id="ds-1")
    elif transition == "purge":
        call_action("dataset_purge", context=ctx, id="ds-1")
    else:
        call_action("package_patch", context=ctx, id="ds-1", state="draft")
    assert dump_titles(app) == {"データセット0", "データセット2", "データセット3"}


def test_the_dump_follows_edits_and_new_datasets_without_a_rebuild(app, dumped, sysadmin, create_dataset):
    call_action("package_patch", context={"user": sysadmin["name"]}, id="ds-2", title="改題")
    create_dataset(name="ds-new", title="新着")
    assert dump_titles(app) == {"データセット0", "データセット1", "改題", "データセット3", "新着"}


def test_the_dump_answers_304_until_something_changes(app, dumped, sysadmin):
    etag = app.get("/catalog/dump.ttl.gz").headers["ETag"]
    assert app.get("/catalog/dump.ttl.gz", headers={"If-None-Match": etag}).status_code == 304
    call_action("package_patch", context={"user": sysadmin["name"]}, id="ds-0", private=True)
    assert app.get("/catalog/dump.ttl.gz", headers={"If-None-Match": etag}).status_code == 200


def _cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


@pytest.mark.parametrize("url", [
    "/catalog.ttl?cursor=" + _cursor("2026-01-01T00:00:00", "abc\\"),
    "/catalog.ttl?cursor=" + _cursor("2026-01-01T00:00:00", 'a" OR *:*'),
    "/catalog.ttl?cursor=" + _cursor("2026-01-01T00:00:00+09:00", "abc"),
    "/catalog.ttl?cursor=" + _cursor("2026-01-01", "abc"),
    "/catalog.ttl?cursor=" + _cursor("20260101", "abc"),
    "/catalog.ttl?cursor=" + _cursor(20260101, "abc"),
    "/catalog.ttl?cursor=" + _cursor("2026-01-01T00:00:00", None),
    "/catalog.ttl?before=" + _cursor("2026-01-01T00:00:00+09:00", "abc"),
    "/catalog.ttl?before=" + _cursor("2026-01-01", "abc"),
    "/catalog.ttl?before=" + _cursor("20260101", "abc"),
    "/catalog.ttl?modified_since=2026-13-01", "/catalog.ttl?modified_since=%00",
    "/catalog.ttl?profiles=" + ",".join(["ikoma_dcat"] * 200),
    "/catalog.ttl?profiles=ikoma_dcat,ikoma_dcat",
    "/catalog.ttl?profiles=" + ",".join(f"p{i}" for i in range(50)),
    "/dataset/ds-0.ttl?profiles=" + ",".join(["euro_dcat_ap_3"] * 200),
    "/dataset/%00.ttl", "/dataset/" + "a" * 5000 + ".ttl", "/catalog.ttl?limit=%00",
])
def test_malformed_parameters_are_400_with_a_message_naming_them(app, datasets, url):
    started = time.monotonic()
    response = app.get(url, status=None)
    assert response.status_code == 400, (url, response.status_code, response.get_data(as_text=True)[:300])
    error = response.json["error"]
    assert error["ja"] and error["en"]
    assert time.monotonic() - started < 5  # refused before any work (a bound, not a benchmark)


@pytest.mark.parametrize("url", [
    "/catalog.ttl?modified_since=2026-01-01T00:00:00%2B09:00", "/catalog.ttl?modified_since=2026-01-01T00:00:00Z",
    "/catalog.ttl?modified_since=2026-01-01", "/catalog.ttl?profiles=euro_dcat_ap_3",
    "/dataset/ds-0.ttl?profiles=euro_dcat_ap_3", "/catalog.ttl?profiles=euro_dcat_ap_3,ikoma_dcat",
])
def test_well_formed_but_unusual_parameters_are_answered(app, datasets, url):
    response = app.get(url, status=None)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    Graph().parse(data=response.get_data(), format="turtle")


def _cache_keys() -> int:
    return sum(1 for _ in connect_to_redis().scan_iter("ikoma:dcat:*", count=1000))


def test_anonymous_requests_cannot_fill_the_cache(app, datasets):
    app.get("/catalog.ttl"), app.get("/catalog.ttl?limit=2")
    baseline = _cache_keys()
    for second in range(30):
        app.get(f"/catalog.ttl?modified_since=2020-01-01T00:00:{second:02d}")
        app.get(f"/catalog.ttl?limit={second + 3}")
        app.get("/catalog.ttl?cursor=" + _cursor(f"2020-01-01T00:00:{second:02d}", f"id-{second}"))
        app.get("/dataset/ds-0.ttl?profiles=euro_dcat_ap_3,ikoma_dcat")
    assert _cache_keys() == baseline


def test_a_private_dataset_shown_to_its_editor_is_not_publicly_cacheable(app, create_dataset, sysadmin, clean_redis):
    create_dataset(name="secret", title="非公開", private=True)
    anonymous = app.get("/dataset/secret.ttl", status=None)
    assert anonymous.status_code == 404
    response = app.get("/dataset/secret.ttl", headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 200 and "非公開" in response.get_data(as_text=True)
    assert "private" in response.headers["Cache-Control"] and "public" not in response.headers["Cache-Control"]
    assert {"Cookie", "Authorization"} <= {v.strip() for v in response.headers["Vary"].split(",")}


def test_public_pages_stay_publicly_cacheable(app, datasets):
    for url in ("/catalog.ttl", "/dataset/ds-0.ttl"):
        assert "public" in app.get(url).headers["Cache-Control"]


def test_the_stock_profile_alone_renders_a_distribution_with_a_byte_size(app, create_dataset, clean_index, clean_redis):
    """?profiles=euro_dcat_ap_3 once answered 500 ("dictionary changed size during iteration")."""
    create_dataset(name="sized", resources=[{"url": "https://example.org/a.csv", "name": "CSV", "description": "CSV",
                                             "format": "CSV", "size": "2048", "mimetype": "text/csv"}])
    for url in ("/dataset/sized.ttl?profiles=euro_dcat_ap_3", "/catalog.ttl?profiles=euro_dcat_ap_3"):
        response = app.get(url, status=None)
        assert response.status_code == 200 and "2048" in response.get_data(as_text=True), url
