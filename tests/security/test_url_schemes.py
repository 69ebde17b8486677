"""Script through URLs: `javascript:` and `data:` URLs are refused in every URL field of the schemas
(form and API, with a ja/en error naming the field), values stored before this check never render
as links, and Ikoma's DCAT output never publishes them as IRIs. Uploads keep working."""
from __future__ import annotations

import io
import re

import pytest
from rdflib import Graph, URIRef

import ckan.model as model
from ckan.lib import search
from ckan.tests.helpers import call_action

from dataset_examples import valid_dataset_dict

from roles import headers_of

pytestmark = pytest.mark.usefixtures("clean_index")

HOSTILE = ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "java\tscript:alert(1)",
           "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)"]
UNSAFE_HREF = re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:java|vb)?\s*(?:script|data)\s*:""", re.IGNORECASE)


def unsafe_links(html: str) -> list[str]:
    return [html[max(0, m.start() - 80):m.end() + 40] for m in UNSAFE_HREF.finditer(html)]


def api(app, user, action, data):
    return app.post(f"/api/3/action/{action}", json=data, headers=headers_of(user), status=None)


def assert_refused(response, *path):
    """409 with a ja/en message at the field (path: keys into the error dict)."""
    assert response.status_code == 409, response.body[:300]
    error = response.json["error"]
    for key in path:
        error = error[key]
    message = error[0]
    assert "http://" in message and "https://" in message and " / " in message, message


# ---------------------------------------------------------------- API

@pytest.mark.parametrize("url", HOSTILE)
@pytest.mark.parametrize("field", ["url", "contact_url", "harvest_source_url", "harvest_original_uri"])
def test_package_create_refuses_a_script_url_in_each_dataset_url_field(app, people, owner_org, field, url):
    response = api(app, people["editor"], "package_create", valid_dataset_dict(owner_org["id"], **{field: url}))
    assert_refused(response, field)
    assert model.Package.get("ikoma-aed") is None


@pytest.mark.parametrize("field", ["harvest_source_url", "harvest_original_uri", "url", "contact_url"])
def test_package_patch_refuses_a_script_url_and_keeps_the_old_value(app, people, create_dataset, field):
    dataset = create_dataset(**{field: "https://example.jp/ok"})
    response = api(app, people["editor"], "package_patch", {"id": dataset["id"], field: "javascript:alert(1)"})
    assert_refused(response, field)
    assert call_action("package_show", id=dataset["id"])[field] == "https://example.jp/ok"


def test_a_harvested_uri_may_be_a_urn(create_dataset):
    dataset = create_dataset(harvest_original_uri="urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")
    assert dataset["harvest_original_uri"].startswith("urn:uuid:")


@pytest.mark.parametrize("url", HOSTILE)
def test_resource_create_refuses_a_script_url(app, people, create_dataset, url):
    dataset = create_dataset()
    response = api(app, people["editor"], "resource_create", {
        "package_id": dataset["id"], "url": url, "name": "悪意", "description": "説明"})
    assert_refused(response, "url")
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 1


@pytest.mark.parametrize("field", ["url", "uri"])
def test_package_create_refuses_a_script_url_in_a_resource(app, people, owner_org, field):
    resource = dict(valid_dataset_dict(owner_org["id"])["resources"][0], **{field: "javascript:alert(1)"})
    response = api(app, people["editor"], "package_create", valid_dataset_dict(owner_org["id"], resources=[resource]))
    assert_refused(response, "resources", 0, field)
    assert model.Package.get("ikoma-aed") is None


@pytest.mark.parametrize("field", ["homepage", "image_url"])
def test_organization_urls_refuse_script(app, people, owner_org, field):
    response = api(app, people["sysadmin"], "organization_patch", {"id": owner_org["id"], field: "javascript:alert(1)"})
    assert_refused(response, field)


def test_uploads_still_work_and_an_upload_name_is_never_a_link_target(app, people, create_dataset):
    dataset = create_dataset()
    response = app.post("/api/3/action/resource_create", headers=headers_of(people["editor"]), data={
        "package_id": dataset["id"], "name": "アップロード", "description": "CSV",
        "upload": (io.BytesIO(b"a,b\n1,2\n"), "aed.csv")})
    assert response.status_code == 200, response.body
    resource = response.json["result"]
    assert resource["url_type"] == "upload"
    assert resource["url"].startswith("http://test.ckan.net/dataset/") and resource["url"].endswith("/aed.csv")
    # an API client claiming an upload gets CKAN's download URL, whatever name it gives
    claimed = api(app, people["editor"], "resource_create", {
        "package_id": dataset["id"], "name": "名前だけ", "description": "説明", "url": "javascript:alert(1)",
        "url_type": "upload"}).json["result"]
    assert claimed["url"].startswith("http://test.ckan.net/dataset/")


# ---------------------------------------------------------------- forms

def test_dataset_form_shows_the_error_at_the_url_field_and_saves_nothing(app, people, owner_org):
    form = {k: v for k, v in valid_dataset_dict(owner_org["id"]).items() if isinstance(v, str)}
    form.update(url="javascript:alert(document.cookie)", save="continue", _ckan_phase="dataset_new_1")
    response = app.post("/dataset/new", data=form, headers=headers_of(people["editor"]), status=None)
    assert response.status_code == 200
    assert "URLは http:// または https:// で始まる形式で入力してください" in response.body
    assert model.Package.get("ikoma-aed") is None


def test_resource_form_shows_the_error_at_the_url_field_and_saves_nothing(app, people, create_dataset):
    dataset = create_dataset()
    response = app.post(f"/dataset/{dataset['name']}/resource/new", headers=headers_of(people["editor"]), data={
        "id": "", "url": "data:text/html,<script>alert(1)</script>", "name": "悪意", "description": "説明",
        "save": "go-metadata"}, status=None)
    assert response.status_code == 200
    assert "URLは http:// または https:// で始まる形式で入力してください" in response.body
    assert len(call_action("package_show", id=dataset["id"])["resources"]) == 1


# ---------------------------------------------------------------- values stored before the check

@pytest.fixture
def legacy_dataset(create_dataset):
    """A harvested dataset whose URLs were written before they were checked: hostile values put
    straight into the database, as an older version of the extension let them in."""
    dataset = create_dataset(
        harvest_identity="x@293423", harvest_source_url="https://example.jp/catalog.ttl",
        harvest_original_uri="https://example.jp/d/1", harvested_at="2026-01-01T00:00:00",
        url="https://example.jp/landing", contact_url="https://example.jp/form")
    package = model.Package.get(dataset["id"])
    package.url = "javascript:alert('landing')"
    package.extras = {**package.extras, "harvest_source_url": "javascript:alert('source')",
                      "harvest_original_uri": "javascript:alert('uri')",
                      "contact_url": "data:text/html,<script>alert(1)</script>"}
    resource = model.Resource.get(dataset["resources"][0]["id"])
    resource.url = "javascript:alert('resource')"
    resource.extras = {**(resource.extras or {}), "uri": "javascript:alert('uri')",
                       "access_url": "javascript:alert(2)", "download_url": "data:text/html,x"}
    org = model.Group.get(dataset["owner_org"])
    org.extras = {**org.extras, "homepage": "javascript:alert('org')"}
    model.Session.commit()
    search.rebuild(dataset["id"])
    return call_action("package_show", id=dataset["id"])


def test_stored_script_urls_are_not_links_on_the_dataset_page(app, legacy_dataset):
    page = app.get(f"/dataset/{legacy_dataset['name']}").body
    assert "ikoma-provenance" in page
    assert "javascript:alert(&#39;source&#39;)" in page  # shown as text, so the curator sees it
    assert unsafe_links(page) == []


def test_stored_script_url_is_not_a_link_on_the_resource_page(app, legacy_dataset):
    resource = legacy_dataset["resources"][0]
    page = app.get(f"/dataset/{legacy_dataset['name']}/resource/{resource['id']}").body
    assert unsafe_links(page) == []


def test_stored_script_url_is_not_a_link_on_the_organization_page(app, legacy_dataset):
    page = app.get(f"/organization/about/{legacy_dataset['organization']['name']}").body
    assert unsafe_links(page) == []


def _unsafe_iris(graph: Graph) -> list[str]:
    return [str(node) for triple in graph for node in triple
            if isinstance(node, URIRef) and not re.match(r"^(https?|mailto|tel|urn):", str(node))]


def test_dcat_output_has_no_script_iri(app, legacy_dataset):
    response = app.get(f"/dataset/{legacy_dataset['name']}.ttl")
    graph = Graph().parse(data=response.body, format="turtle")
    assert len(graph) > 20
    assert _unsafe_iris(graph) == []
    # the dataset keeps its distribution, under Ikoma's own URI
    assert any("/resource/" in str(s) for s in graph.subjects())


def test_dcat_profile_drops_every_unsafe_iri_of_a_dataset_dict(create_dataset):
    from ckanext.dcat.processors import RDFSerializer

    dataset = create_dataset(contact_url="https://example.jp/form")
    hostile = dict(dataset, url="javascript:alert(1)", contact_url="javascript:alert(2)",
                   harvest_identity="x@293423", harvest_original_uri="javascript:alert(3)",
                   resources=[dict(r, url="javascript:alert(4)", uri="javascript:alert(5)",
                                   access_url="data:text/html,x", download_url="vbscript:x")
                              for r in dataset["resources"]])
    serializer = RDFSerializer(profiles=["ikoma_dcat"])
    serializer.graph_from_dataset(hostile)
    assert _unsafe_iris(serializer.g) == []


@pytest.mark.ckan_config("ckan.plugins", "ikoma scheming_datasets scheming_organizations dcat harvest "
                         "dcat_rdf_harvester ikoma_harvester activity text_view")
def test_stored_script_url_is_not_a_link_in_a_resource_view(app, legacy_dataset, sysadmin):
    resource = legacy_dataset["resources"][0]
    call_action("resource_view_create", context={"user": sysadmin["name"]}, resource_id=resource["id"],
                view_type="text_view", title="テキスト")
    page = app.get(f"/dataset/{legacy_dataset['name']}/resource/{resource['id']}").body
    assert "resource-view" in page
    assert unsafe_links(page) == []


def test_dcat_output_with_the_stock_profile_alone_has_no_script_iri(app, legacy_dataset):
    response = app.get(f"/dataset/{legacy_dataset['name']}.ttl", query_string={"profiles": "euro_dcat_ap_3"})
    assert response.status_code == 200
    assert _unsafe_iris(Graph().parse(data=response.body, format="turtle")) == []
