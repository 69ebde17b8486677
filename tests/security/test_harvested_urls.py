"""A neighbour's catalog that sends `javascript:` and `data:` URLs, harvested by the real consumers
from a real HTTP server: the dataset is imported without them, each dropped value is recorded in
harvest_unmapped (shown as text), and neither the dataset page nor Ikoma's DCAT output carries it."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph

import ckan.model as model
from ckan.tests.helpers import call_action

from harvest.catalog_factory import dataset, write_catalog

from test_url_schemes import _unsafe_iris, unsafe_links

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def imported(identity):
    model.Session.remove()
    [hit] = call_action("package_search", q="*:*", fq=f'harvest_identity:"{identity}"', include_private=True)["results"]
    return call_action("package_show", id=hit["id"])


def test_script_urls_in_a_dcat_catalog_are_dropped_and_recorded(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    hostile = dataset(1, uri="javascript:alert('dataset')", landing_page="javascript:alert('landing')",
                      contact_url="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                      distributions=[("javascript:alert('file')", "CSV", "悪意のあるファイル")])
    first = write_catalog(directory, [hostile, dataset(2)])
    report = harvest(make_source(f"{base}/{first}")["id"])
    assert report["stats"]["added"] == 2, report
    # the policy: each dropped link is named in a warning (ckanext-harvest counts such objects "errored")
    messages = [e["message"] for o in report["object_errors"].values() for e in o["errors"]]
    assert all(m.startswith("[warning:value_left_out]") for m in messages) and any("javascript:" in m for m in messages)

    d = imported("293423-ds-0001@293423")
    assert not d.get("url") and not d.get("contact_url") and not d.get("harvest_original_uri")
    assert d["contact_phone"] == "0745-45-1001"  # still reachable
    assert [r["url"] for r in d["resources"]] == [""] and not d["resources"][0].get("uri")
    unmapped = json.loads(d["harvest_unmapped"])
    assert unmapped["url"] == ["javascript:alert('landing')"]
    assert unmapped["contact_url"] == ["data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="]
    assert unmapped["harvest_original_uri"] == ["javascript:alert('dataset')"]
    assert unmapped["resources.url"] == ["javascript:alert('file')"]
    assert unmapped["resources.uri"] == ["javascript:alert('file')#distribution"]

    page = app.get(f"/dataset/{d['name']}").body
    assert "javascript:alert(&#39;landing&#39;)" in page  # the curator sees what was dropped, as text
    assert unsafe_links(page) == []
    graph = Graph().parse(data=app.get(f"/dataset/{d['name']}.ttl").body, format="turtle")
    assert _unsafe_iris(graph) == []


def test_script_urls_from_a_neighbours_ckan_api_are_dropped(catalog_server, make_source, harvest):
    directory, base, _ = catalog_server
    api = directory / "api" / "3" / "action"
    api.mkdir(parents=True)
    package = {
        "id": "3f1c", "name": "evil", "title": "悪意のあるデータ", "notes": "説明", "metadata_created": "2026-01-01T00:00:00",
        "url": "javascript:alert('landing')", "maintainer_email": "opendata@example.jp",
        "organization": {"name": "293423", "title": "平群町"},
        "extras": [{"key": "harvest_original_uri", "value": "javascript:alert('origin')"}],
        "resources": [{"id": "r1", "url": "vbscript:msgbox(1)", "name": "ファイル", "format": "CSV"}],
    }
    (api / "package_search").write_text(json.dumps({"success": True, "result": {"count": 1, "results": [package]}}))
    report = harvest(make_source(base, api="ckan")["id"])
    assert report["stats"]["added"] == 1, report
    # the policy: each dropped link is named in a warning (ckanext-harvest counts such objects "errored")
    messages = [e["message"] for o in report["object_errors"].values() for e in o["errors"]]
    assert all(m.startswith("[warning:value_left_out]") for m in messages) and any("javascript:" in m for m in messages)

    d = imported("3f1c@293423")
    assert not d.get("url") and [r["url"] for r in d["resources"]] == [""]
    assert not d.get("harvest_original_uri")
    unmapped = json.loads(d["harvest_unmapped"])
    assert unmapped["url"] == ["javascript:alert('landing')"]
    assert unmapped["resources.url"] == ["vbscript:msgbox(1)"]
    assert unmapped["harvest_original_uri"] == ["javascript:alert('origin')"]
