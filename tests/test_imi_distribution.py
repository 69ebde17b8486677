"""Issue #12 in CKAN: the validation job keeps the IMI form of a conforming CSV (rows with errors
left out); the resource and dataset pages offer it, only to those who may see the resource; the
dataset's DCAT lists it as a distribution conforming to IMI core 2.4.1 and the standard dataset."""
import json

import pytest

from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

from ckan.tests import factories

from test_validation_job import run_worker

IMI_CORE = URIRef("http://imi.go.jp/ns/core/rdf")


def imi_url(dataset, resource):
    return f"/dataset/{dataset['name']}/resource/{resource['id']}/imi.jsonld"


def test_the_job_keeps_the_imi_form_and_the_pages_and_dcat_offer_it(app, create_dataset, clean_queues,
                                                                    clean_index, upload_csv):
    dataset = create_dataset(name="toilets-imi", conforms_to="13", resources=[])
    resource = upload_csv(dataset, "toilets_fixable.csv")
    run_worker()

    response = app.get(imi_url(dataset, resource))
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.get_data())
    assert document["@context"] == "https://imi.go.jp/ns/core/context.jsonld"
    assert len(document["@graph"]) == 7  # 9 rows, 2 with errors left out
    assert {instance["@type"] for instance in document["@graph"]} == {"施設型"}

    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
    assert "共通語彙基盤（IMI）形式 (JSON-LD)" in page and imi_url(dataset, resource).split("/resource/")[1] in page
    assert "IMI (共通語彙基盤) linked data" in app.get(f"/en/dataset/{dataset['name']}/resource/{resource['id']}").body
    assert imi_url(dataset, resource) in app.get(f"/dataset/{dataset['name']}").body

    graph = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").body, format="turtle")
    imi = [d for d in graph.objects(None, DCAT.distribution) if str(d).endswith("/imi.jsonld")]
    assert len(imi) == 1
    assert set(graph.objects(imi[0], DCTERMS.conformsTo)) == {
        IMI_CORE, URIRef("http://test.ckan.net/standard-datasets/13")}
    assert graph.value(imi[0], DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/application/ld+json")
    assert str(graph.value(imi[0], DCAT.downloadURL)).endswith(f"/resource/{resource['id']}/imi.jsonld")


def test_the_catalog_does_not_keep_a_graph_cached_before_the_job(app, create_dataset, clean_queues, clean_index,
                                                                 upload_csv):
    dataset = create_dataset(name="toilets-imi-cache", conforms_to="13", resources=[])
    resource = upload_csv(dataset, "toilets_fixable.csv")
    before = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").body, format="turtle")
    assert not [d for d in before.objects(None, DCAT.distribution) if str(d).endswith("/imi.jsonld")]
    run_worker()
    after = Graph().parse(data=app.get(f"/dataset/{dataset['name']}.ttl").body, format="turtle")
    assert [d for d in after.objects(None, DCAT.distribution) if str(d).endswith(f"{resource['id']}/imi.jsonld")]


def test_no_imi_form_of_a_file_whose_errors_concern_every_row(app, create_dataset, clean_queues, upload_csv):
    """wide_header.csv matches no layout of 13: nothing of it is published as IMI."""
    dataset = create_dataset(name="toilets-wide", conforms_to="13", resources=[])
    resource = upload_csv(dataset, "wide_header.csv")
    run_worker()
    response = app.get(imi_url(dataset, resource), status=None)
    assert response.status_code == 404 and "IMI" in json.loads(response.get_data())["error"]["en"]
    assert "共通語彙基盤（IMI）形式" not in app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body


def test_the_imi_form_of_a_private_dataset_is_for_its_members(app, sysadmin, create_dataset, clean_queues,
                                                              upload_csv):
    dataset = create_dataset(name="private-aed-imi", conforms_to="08", private=True, resources=[])
    resource = upload_csv(dataset, "aed_cp932_nec.csv")
    run_worker()
    assert app.get(imi_url(dataset, resource), status=None).status_code == 404
    other = factories.UserWithToken()
    assert app.get(imi_url(dataset, resource), headers={"Authorization": other["token"]},
                   status=None).status_code == 404
    response = app.get(imi_url(dataset, resource), headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 200 and json.loads(response.get_data())["@graph"][0]["@type"] == "設備型"
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.ckan_config("ckanext.ikoma.imi.enabled", "false")
def test_with_imi_disabled_files_are_only_checked(app, create_dataset, clean_queues, upload_csv):
    """In this process (the worker's own process would read the ini, not this test's setting)."""
    from ckanext.ikoma.logic.validation import validate_now

    dataset = create_dataset(name="toilets-no-imi", conforms_to="13", resources=[])
    resource = upload_csv(dataset, "toilets_fixable.csv")
    assert validate_now(resource["id"]) == "failure"
    assert app.get(imi_url(dataset, resource), status=None).status_code == 404
    assert "適合率 77.7%" in app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
