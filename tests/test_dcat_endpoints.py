"""ckanext-dcat's RDF endpoints serve Ikoma's datasets (the Japanese profile comes in a later issue)."""
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF



@pytest.fixture
def dataset(create_dataset, clean_index):
    return create_dataset(
        name="ikoma-aed-locations",
        resources=[{"url": "http://example.org/aed.csv", "name": "AED CSV", "description": "CSV",
                    "format": "CSV"}],
    )


def _graph(response):
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.body, format="turtle")


def test_catalog_ttl_lists_the_dataset(app, dataset):
    graph = _graph(app.get("/catalog.ttl"))
    titles = {str(t) for t in graph.objects(None, DCTERMS.title)}  # ja and en literals
    assert "AED設置箇所一覧" in titles
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1


def test_dataset_ttl_describes_the_dataset_and_its_distribution(app, dataset):
    graph = _graph(app.get(f"/dataset/{dataset['name']}.ttl"))
    [subject] = graph.subjects(RDF.type, DCAT.Dataset)
    assert Literal("AED設置箇所一覧", lang="ja") in set(graph.objects(subject, DCTERMS.title))
    [distribution] = graph.objects(subject, DCAT.distribution)
    assert graph.value(distribution, DCAT.accessURL) == URIRef("http://example.org/aed.csv")


def test_private_dataset_is_not_in_the_catalog(app, create_dataset, clean_index):
    create_dataset(name="ikoma-internal", title="内部資料", private=True)
    graph = _graph(app.get("/catalog.ttl"))
    assert Literal("内部資料") not in set(graph.objects(None, DCTERMS.title))
    assert app.get("/dataset/ikoma-internal.ttl").status_code in (403, 404)
