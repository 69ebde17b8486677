"""Bad catalogs end as errors recorded in Japanese and English on the job or the object; the other
datasets still import, nothing harvested before is lost, and the consumers keep running."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import ckan.model as model
from ckan.tests.helpers import call_action

from catalog_factory import dataset, write_catalog
from hosts import NEIGHBOUR_HOST

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">
<rdf:Description rdf:about="https://example.jp/d"><dct:title>&lol5;</dct:title></rdf:Description></rdf:RDF>"""


class Misbehaving(BaseHTTPRequestHandler):
    """/500 fails, /hang never answers, /huge streams 200 MB; everything else is 404."""

    def do_GET(self):
        if self.path == "/500":
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"internal error")
        elif self.path == "/hang":
            time.sleep(30)
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            chunk = b"# " + b"x" * (1024 * 1024 - 3) + b"\n"
            try:
                for _ in range(200):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def misbehaving_server():
    server = ThreadingHTTPServer((NEIGHBOUR_HOST, 0), Misbehaving)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{NEIGHBOUR_HOST}:{server.server_port}"
    server.shutdown()


def active_identities():
    model.Session.remove()
    results = call_action("package_search", q="*:*", rows=100)["results"]
    return {d["harvest_identity"]: d["metadata_modified"] for d in results}


def bilingual(message):
    ja, _, en = message.partition(" / ")
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in ja) and en.isascii() and en


CASES = {
    "malformed RDF": ("file", "broken.ttl", "@prefix dct: <http://purl.org/dc/terms/> .\n<a> dct:title ((( .", "parse"),
    "HTML instead of RDF": ("file", "page.html", "<!DOCTYPE html><html><body>メンテナンス中</body></html>", "not_rdf"),
    "entity-expansion bomb": ("file", "bomb.rdf", BILLION_LAUGHS, "entity"),
    "404": ("server", "/missing.ttl", None, "http_status"),
    "500": ("server", "/500", None, "http_status"),
    "a server that never answers": ("server", "/hang", None, "timeout"),
    "a 200 MB response": ("server", "/huge", None, "too_large"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_catalog_is_an_error_and_loses_nothing(case, catalog_server, misbehaving_server, make_source, harvest,
                                                     sysadmin):
    directory, base, _ = catalog_server
    first = write_catalog(directory, [dataset(i) for i in range(1, 4)])
    source = make_source(f"{base}/{first}", read_timeout=1.0)
    assert harvest(source["id"])["stats"]["added"] == 3
    before = active_identities()

    where, path, content, kind = CASES[case]
    if where == "file":
        (directory / path).write_text(content, encoding="utf-8")
        url = f"{base}/{path}"
    else:
        url = misbehaving_server + path
    call_action("harvest_source_patch", context={"user": sysadmin["name"]}, id=source["id"], url=url)
    report = harvest(source["id"])

    messages = [e["message"] for e in report["gather_errors"]]
    assert any(m.startswith(f"[{kind}]") for m in messages), messages
    assert all(bilingual(m.split("] ", 1)[1]) for m in messages), messages
    assert active_identities() == before  # nothing withdrawn, nothing rewritten


def test_bad_datasets_are_reported_one_by_one_and_the_rest_import(catalog_server, make_source, harvest, app):
    directory, base, _ = catalog_server
    datasets = [
        dataset(1),
        dataset(2, issued="令和99年13月1日", modified="not a date"),       # dates that are not dates
        dataset(3, title="<script>alert('x')</script>危険なタイトル"),        # script in the title
        dataset(4), dataset(4, title="同じ識別子の2件目", uri="https://data.example.jp/293423/dataset/0004b"),
        dataset(5, identifier="", uri="https://data.example.jp/293423/dataset/0005"),
    ]
    datasets[1]["publisher_code"] = "123456"  # a wrong check digit: falls back to the source's code
    first = write_catalog(directory, datasets)
    source = make_source(f"{base}/{first}")
    report = harvest(source["id"])

    assert report["stats"]["added"] == 5, report
    messages = [e["message"] for errors in report["object_errors"].values() for e in errors["errors"]]
    errors = [m for m in messages if not m.startswith("[warning:")]
    assert len(errors) == 1 and errors[0].startswith("[duplicate_identifier]") and bilingual(errors[0].split("] ", 1)[1])
    warnings = [m for m in messages if m.startswith("[warning:")]  # the policy: imported, and said so
    # in both languages (the English one quotes the value as found, Japanese included)
    assert all(" / the " in m or " / " in m and m.split(" / ", 1)[1][:8].isascii() for m in warnings), warnings
    assert any("令和99年13月1日" in m for m in warnings) and any("[warning:markup]" in m for m in warnings)
    model.Session.remove()
    hits = {d["harvest_identity"]: d for d in call_action("package_search", q="*:*", rows=100)["results"]}
    second = hits["293423-ds-0002@293423"]
    assert "2117" not in str(second.get("issued")) and json.loads(second["harvest_unmapped"]) == {
        "issued": ["令和99年13月1日"], "modified": ["not a date"],
        "publisher": ["123456", "https://data.example.jp/123456", "123456"]}
    assert hits["293423-ds-0004@293423"]["title"] == "平群町のデータ4"  # the smaller URI is kept
    assert "https://data.example.jp/293423/dataset/0005@293423" in hits  # no identifier: its URI
    page = app.get(f"/dataset/{hits['293423-ds-0003@293423']['name']}").get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page and "&lt;script&gt;" in page
    provenance = app.get(f"/dataset/{second['name']}").get_data(as_text=True)
    assert "令和99年13月1日" in provenance and source["url"] in provenance  # unmapped values are shown

    status = app.get(f"/neighbours/{source['name']}", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "カタログ内の識別子の重複" in status and "293423-ds-0004@293423" in status
    assert f"/dataset/{second['name']}" in status and "<code>issued</code>" in status  # unmapped, reported


def test_a_bad_configuration_is_refused_with_the_key_named(make_source, sysadmin):
    from ckan.logic import ValidationError

    with pytest.raises(ValidationError) as error:
        make_source(f"http://{NEIGHBOUR_HOST}:1/catalog.ttl", read_timout=5)
    assert "read_timout" in str(error.value.error_dict) and "不明な設定項目" in str(error.value.error_dict)
    with pytest.raises(ValidationError) as error:
        make_source(f"http://{NEIGHBOUR_HOST}:1/catalog.ttl", name="other", profiles=["no_such_profile"])
    assert "no_such_profile" in str(error.value.error_dict)
