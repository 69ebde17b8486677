"""The catalog endpoint: formats, caching with invalidation, conditional requests, keyset paging,
the full dump, clear 400s, and no private, draft or deleted dataset in any output."""
import gzip
import os

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from ckan.cli.cli import ckan as ckan_command
from ckan.tests.helpers import call_action

HYDRA = "http://www.w3.org/ns/hydra/core#"


def titles(body, fmt="turtle"):
    graph = Graph().parse(data=body, format=fmt)
    return {str(o) for s in graph.subjects(RDF.type, DCAT.Dataset) for o in graph.objects(s, DCTERMS.title)
            if getattr(o, "language", None) == "ja"}


def next_link(body):
    graph = Graph().parse(data=body, format="turtle")
    link = next(graph.objects(None, URIRef(HYDRA + "next")), None)
    return str(link) if link else None


@pytest.fixture
def datasets(create_dataset, clean_index, clean_redis):
    return [create_dataset(name=f"ds-{i}", title=f"データセット{i}") for i in range(5)]


@pytest.mark.parametrize("fmt, media_type, parse_as", [
    ("ttl", "text/turtle", "turtle"), ("xml", "application/rdf+xml", "xml"),
    ("jsonld", "application/ld+json", "json-ld"), ("nt", "application/n-triples", "nt")])
def test_catalog_formats(app, datasets, fmt, media_type, parse_as):
    response = app.get(f"/catalog.{fmt}")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(media_type)
    assert titles(response.get_data(), parse_as) == {f"データセット{i}" for i in range(5)}


def test_conditional_requests_answer_304(app, datasets):
    first = app.get("/catalog.ttl")
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert app.get("/catalog.ttl", headers={"If-None-Match": etag}).status_code == 304
    assert app.get("/catalog.ttl", headers={"If-Modified-Since": last_modified}).status_code == 304
    single = app.get("/dataset/ds-1.ttl")
    assert app.get("/dataset/ds-1.ttl", headers={"If-None-Match": single.headers["ETag"]}).status_code == 304


def test_cache_follows_dataset_resource_and_organization_changes(app, datasets, sysadmin, ikoma_org):
    ctx = {"user": sysadmin["name"]}
    etag = app.get("/catalog.ttl").headers["ETag"]
    assert app.get("/catalog.ttl").headers["ETag"] == etag  # served from the cache
    call_action("package_patch", context=ctx, id="ds-2", title="変更後")
    body = app.get("/catalog.ttl").get_data()
    assert "変更後" in titles(body) and "データセット2" not in titles(body)
    call_action("resource_patch", context=ctx, id=datasets[3]["resources"][0]["id"], name="新しいリソース名")
    assert "新しいリソース名" in app.get("/dataset/ds-3.ttl").get_data().decode()
    call_action("organization_patch", context=ctx, id=ikoma_org["id"], title="生駒市（改称）")
    assert "生駒市（改称）" in app.get("/catalog.ttl").get_data().decode()


def test_private_deleted_and_draft_datasets_never_appear_even_after_caching(app, datasets, sysadmin, create_dataset):
    ctx = {"user": sysadmin["name"]}
    app.get("/catalog.ttl"), app.get("/dataset/ds-0.ttl"), app.get("/dataset/ds-1.ttl")  # warm the caches
    call_action("package_patch", context=ctx, id="ds-0", private=True)
    call_action("package_delete", context=ctx, id="ds-1")
    create_dataset(name="draft", title="下書き", state="draft")
    body = app.get("/catalog.ttl").get_data()
    assert titles(body) == {"データセット2", "データセット3", "データセット4"}
    for name in ("ds-0", "ds-1", "draft"):
        assert app.get(f"/dataset/{name}.ttl").status_code == 404
    dump_titles = titles(app.get("/catalog.ttl?limit=1000").get_data())
    assert "下書き" not in dump_titles


def test_keyset_paging_misses_nothing_and_repeats_nothing_while_datasets_change(app, datasets, sysadmin):
    seen, url, pages = [], "/catalog.ttl?limit=2", 0
    while url:
        body = app.get(url).get_data()
        seen.extend(sorted(titles(body)))
        if pages == 0:  # a dataset already seen changes while the harvester pages on
            call_action("package_patch", context={"user": sysadmin["name"]}, id="ds-0", notes="更新")
        link = next_link(body)
        url = link[link.index("/catalog.ttl"):] if link else None
        pages += 1
    # ds-0 moved to the end of the order: it is seen again there, once updated, and nothing is missed
    assert set(seen) == {f"データセット{i}" for i in range(5)}
    assert len(seen) == 6 and seen.count("データセット0") == 2 and pages == 3


def test_modified_since_filters(app, datasets, sysadmin):
    since = call_action("package_show", id="ds-4")["metadata_modified"]
    call_action("package_patch", context={"user": sysadmin["name"]}, id="ds-1", notes="更新")
    assert titles(app.get(f"/catalog.ttl?modified_since={since}").get_data()) == {"データセット4", "データセット1"}


@pytest.mark.parametrize("url", [
    "/catalog.ttl?limit=-1", "/catalog.ttl?limit=999999999", "/catalog.ttl?limit=abc",
    "/catalog.ttl?page=2", "/catalog.ttl?cursor=%%%garbage", "/catalog.ttl?cursor=" + "A" * 5000,
    "/catalog.ttl?modified_since=yesterday", "/catalog.ttl?profiles=no_such_profile",
    "/catalog.docx", "/dataset/ds-1.exe",
])
def test_bad_requests_are_400_with_a_message(app, datasets, url):
    response = app.get(url, status=None)
    assert response.status_code == 400, (url, response.status_code)
    error = response.json["error"]
    assert error["ja"] and error["en"]


def test_catalog_dump(app, datasets, cli):
    from ckanext.ikoma.logic.catalog_dump import dump_path

    if os.path.exists(dump_path()):
        os.remove(dump_path())
    assert app.get("/catalog/dump.ttl.gz", status=None).status_code == 404
    result = cli.invoke(ckan_command, ["ikoma", "catalog-dump"])
    assert result.exit_code == 0, result.output
    assert "5 datasets written" in result.output
    response = app.get("/catalog/dump.ttl.gz")
    assert titles(gzip.decompress(response.get_data())) == {f"データセット{i}" for i in range(5)}


def test_previous_links_walk_back_to_the_first_page(app, datasets):
    first = app.get("/catalog.ttl?limit=2").get_data()
    second_url = next_link(first)
    second = app.get(second_url[second_url.index("/catalog.ttl"):]).get_data()
    graph = Graph().parse(data=second, format="turtle")
    previous = str(next(graph.objects(None, URIRef(HYDRA + "previous"))))
    back = app.get(previous[previous.index("/catalog.ttl"):]).get_data()
    assert titles(back) == titles(first)


def test_search_and_dataset_pages_link_to_this_endpoint(app, datasets):
    # ckanext-dcat's templates build their RDF links with its endpoint names, which this one keeps
    for url in ("/dataset/", "/dataset/ds-1"):
        response = app.get(url)
        assert response.status_code == 200
    page = app.get("/dataset/").body
    assert "/catalog." in page


def test_datasets_with_byte_sizes_and_every_field_render(app, create_dataset, clean_index, clean_redis):
    # the stock profile rewrites dcat:byteSize while iterating the graph; the page must survive it
    create_dataset(name="sized", resources=[{"url": "https://example.org/a.csv", "name": "CSV", "description": "CSV",
                                             "format": "CSV", "size": "2048", "mimetype": "text/csv"}])
    response = app.get("/catalog.ttl")
    assert response.status_code == 200 and "2048" in response.get_data(as_text=True)
    assert app.get("/dataset/sized.ttl").status_code == 200


def test_page_turtle_is_byte_identical_to_rdflibs(app, datasets):
    """The endpoint's Turtle serializer only remembers prefix misses: same bytes as rdflib's own."""
    graph = Graph().parse(data=app.get("/catalog.nt").get_data(), format="nt")
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    assert graph.serialize(format="ikoma-turtle") == graph.serialize(format="turtle")


def test_byte_size_written_once_as_non_negative_integer(app, create_dataset, clean_index, clean_redis):
    dataset = create_dataset(name="sized", resources=[{"url": "https://example.org/a.csv", "name": "A", "description": "説明", "size": "2048"}])
    graph = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").get_data(), format="turtle")
    sizes = list(graph.objects(None, DCAT.byteSize))
    assert sizes == [Literal(2048, datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))]
