"""Server-side request forgery, tried as an editor would: resource URLs and harvest sources aimed at
the site's own network. Nothing the extension fetches may reach a non-public address that the
site admin did not allow in ckan.ini (test.ini allows only 127.0.0.2, the tests' stand-in for
other sites), nor follow a redirect there, nor let a report quote what it read."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ckan.tests.helpers import call_action

from hosts import NEIGHBOUR_HOST
from test_validation_job import run_worker

SECRET = "管理番号,秘密の値\n1,internal-secret-42\n"


class _Recorder(BaseHTTPRequestHandler):
    """/secret.csv answers a CSV that must never be read; /to?url=… redirects; /page.html is HTML."""
    hits: list

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits.append(self.path)
        if self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path.split("url=", 1)[1])
            self.end_headers()
            return
        body, media_type = (SECRET.encode(), "text/csv")
        if self.path == "/page.html":
            body, media_type = ("<!DOCTYPE html><html><body>admin token: hunter2</body></html>".encode(), "text/html")
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(host: str):
    handler = type("Recorder", (_Recorder,), {"hits": []})
    server = ThreadingHTTPServer((host, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler.hits


@pytest.fixture
def internal_server():
    """A service on the site's own loopback (127.0.0.1), as an admin page or a database's HTTP port."""
    server, hits = _serve("127.0.0.1")
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.fixture
def outside_server():
    """A server the site may reach (127.0.0.2 is allowed by test.ini): the attacker's own."""
    server, hits = _serve(NEIGHBOUR_HOST)
    yield f"http://{NEIGHBOUR_HOST}:{server.server_port}", hits
    server.shutdown()


@pytest.fixture
def shelters(create_dataset, clean_queues, clean_index):
    return create_dataset(name="linked-shelters", conforms_to="03", resources=[])


def _validate_link(sysadmin, dataset, url):
    resource = call_action("resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
                           name="避難場所（リンク）", description="CSV", format="CSV", url=url)
    run_worker()
    return call_action("ikoma_validation_show", resource_id=resource["id"])


def _assert_nothing_read(result):
    text = json.dumps(result, ensure_ascii=False)
    assert "internal-secret-42" not in text and "秘密の値" not in text and "hunter2" not in text


def test_a_link_to_the_sites_loopback_is_never_fetched(sysadmin, shelters, internal_server):
    base, hits = internal_server
    result = _validate_link(sysadmin, shelters, f"{base}/secret.csv")
    assert result["status"] == "error" and "127.0.0.1" in result["message"] and result["report"] is None
    assert "ckanext.ikoma.fetch.allowed_private" in result["message"]
    assert hits == []
    _assert_nothing_read(result)


@pytest.mark.parametrize("url", ["http://10.0.0.1/secret.csv", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]:9/x.csv", "http://[::ffff:127.0.0.1]:9/x.csv", "http://0.0.0.0:9/x.csv"])
def test_links_to_private_and_metadata_addresses_are_refused_without_a_connection(sysadmin, shelters, url):
    result = _validate_link(sysadmin, shelters, url)
    assert result["status"] == "error" and ("内部向けのアドレス" in result["message"])


def test_a_host_name_that_resolves_to_loopback_is_refused(sysadmin, shelters, internal_server):
    base, hits = internal_server
    result = _validate_link(sysadmin, shelters, base.replace("127.0.0.1", "localhost") + "/secret.csv")
    assert result["status"] == "error" and hits == []


def test_a_redirect_into_the_site_is_refused(sysadmin, shelters, internal_server, outside_server):
    internal, internal_hits = internal_server
    outside, outside_hits = outside_server
    result = _validate_link(sysadmin, shelters, f"{outside}/to?url={internal}/secret.csv")
    assert outside_hits and internal_hits == []
    assert result["status"] == "error" and "127.0.0.1" in result["message"]
    _assert_nothing_read(result)


def test_a_web_page_is_not_quoted_in_the_report(sysadmin, shelters, outside_server):
    outside, _ = outside_server
    result = _validate_link(sysadmin, shelters, f"{outside}/page.html")
    assert result["status"] == "error" and "HTML" in result["message"]
    _assert_nothing_read(result)


def test_an_uploaded_web_page_is_not_quoted_either(app, sysadmin, shelters):
    import io

    response = app.post("/api/3/action/resource_create", headers={"Authorization": sysadmin["token"]}, data={
        "package_id": shelters["id"], "name": "HTML", "description": "x", "format": "CSV",
        "upload": (io.BytesIO(b"<!doctype html><html><title>hunter2</title></html>"), "page.csv")})
    run_worker()
    result = call_action("ikoma_validation_show", resource_id=response.json["result"]["id"])
    assert result["status"] == "failure" and "csv_html" in result["report"]["counts"]
    _assert_nothing_read(result)


# ---------------------------------------------------------------- harvest sources

@pytest.fixture
def source_org(sysadmin):
    return call_action("organization_create", context={"user": sysadmin["name"]}, name="293423", title="平群町",
                       lg_code="293423")


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/catalog.ttl",
                                 "http://127.0.0.1:5000/catalog.ttl", "http://localhost/catalog.ttl",
                                 "http://[::1]/catalog.ttl", "file:///etc/passwd"])
@pytest.mark.parametrize("source_type", ["ikoma_dcat", "dcat_rdf"])
def test_a_harvest_source_into_the_sites_network_is_refused_when_created(sysadmin, source_org, url, source_type):
    from ckan.plugins.toolkit import ValidationError

    with pytest.raises(ValidationError) as caught:
        call_action("harvest_source_create", context={"user": sysadmin["name"]}, url=url, name="evil",
                    title="evil", source_type=source_type, owner_org=source_org["id"], frequency="MANUAL")
    assert "url" in caught.value.error_dict


def test_a_harvest_source_cannot_be_moved_into_the_sites_network(sysadmin, source_org):
    from ckan.plugins.toolkit import ValidationError

    source = call_action("harvest_source_create", context={"user": sysadmin["name"]}, url="http://example.org/c.ttl",
                         name="ok", title="ok", source_type="ikoma_dcat", owner_org=source_org["id"], frequency="MANUAL")
    with pytest.raises(ValidationError) as caught:
        call_action("harvest_source_patch", context={"user": sysadmin["name"]}, id=source["id"],
                    url="http://10.0.0.1/catalog.ttl")
    assert "url" in caught.value.error_dict


def test_a_curator_cannot_allow_private_addresses_in_the_source_config(sysadmin, source_org):
    from ckan.plugins.toolkit import ValidationError

    with pytest.raises(ValidationError) as caught:
        call_action("harvest_source_create", context={"user": sysadmin["name"]}, url="http://example.org/c.ttl",
                    name="evil", title="evil", source_type="ikoma_dcat", owner_org=source_org["id"],
                    frequency="MANUAL", config=json.dumps({"allow_private_addresses": True}))
    assert "ckanext.ikoma.fetch.allowed_private" in json.dumps(caught.value.error_dict, ensure_ascii=False)
