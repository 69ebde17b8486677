"""Fixtures shared by the CKAN-facing tests. Everything runs against the real stack: PostgreSQL,
Solr and Redis started by `make stack` (see test.ini)."""
from __future__ import annotations

import functools
import os
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from werkzeug.serving import make_server

import ckan.plugins as p
from ckan.tests import factories

from dataset_examples import valid_dataset_dict
from hosts import NEIGHBOUR_HOST

# CKAN core's rebuild_db leaves plugin tables alone; migrate them for each clean database.
PLUGINS_WITH_MIGRATIONS = ("activity", "harvest", "ikoma")


@pytest.fixture(autouse=True)
def _plugins_loaded(with_plugins):
    """Every test sees the plugins of test.ini, loaded as in a running site."""


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        if p.plugin_loaded(plugin):
            migrate_db_for(plugin)


@pytest.fixture
def sysadmin(clean_db):
    return factories.SysadminWithToken()


@pytest.fixture
def ikoma_org(clean_db):
    """The city's own organization, as a curator would find it."""
    return factories.Organization(name="ikoma-city", title="生駒市")


@pytest.fixture
def create_dataset(ikoma_org, sysadmin):
    """Create a valid Ikoma dataset through package_create; keyword arguments override fields."""
    from ckan.tests.helpers import call_action

    def create(**overrides):
        return call_action("package_create", context={"user": sysadmin["name"]},
                           **valid_dataset_dict(ikoma_org["id"], **overrides))
    return create


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def file_server():
    """A real HTTP server on 127.0.0.2 serving tests/data; yields its base URL."""
    directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    server = ThreadingHTTPServer((NEIGHBOUR_HOST, 0), functools.partial(_QuietHandler, directory=directory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{NEIGHBOUR_HOST}:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((NEIGHBOUR_HOST, 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(ckan_config, make_app, monkeypatch):
    """The test CKAN app behind a real threaded HTTP server; yields its base URL."""
    port = _free_port()
    base_url = f"http://{NEIGHBOUR_HOST}:{port}"
    monkeypatch.setitem(ckan_config, "ckan.site_url", base_url)
    app = make_app()
    server = make_server(NEIGHBOUR_HOST, port, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def upload_csv(app, sysadmin):
    """Uploads a file of tests/data as a CSV resource of `dataset` through the HTTP API, as the
    sysadmin; returns the resource."""
    import io

    def upload(dataset, filename, name="CSV"):
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", filename), "rb") as f:
            response = app.post("/api/3/action/resource_create", headers={"Authorization": sysadmin["token"]}, data={
                "package_id": dataset["id"], "name": name, "description": "アップロード", "format": "CSV",
                "upload": (io.BytesIO(f.read()), filename),
            })
        assert response.status_code == 200, response.body
        return response.json["result"]
    return upload

