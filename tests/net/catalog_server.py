"""A real HTTP server on 127.0.0.1 whose paths each show one behaviour of a neighbour's catalog
server (see CatalogHandler). It records what it was asked and how much body it wrote, so tests can
prove what reached it and when the client stopped reading."""
from __future__ import annotations

import collections
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CATALOG = b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<https://example.org/catalog> a dcat:Catalog .\n"
ETAG = '"catalog-v1"'
LAST_MODIFIED = "Wed, 01 Apr 2026 00:00:00 GMT"
HUGE = 200 * 1024 * 1024


class ServerLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.written: collections.Counter[str] = collections.Counter()  # body bytes sent, per path
        self.finished: collections.defaultdict[str, threading.Event] = collections.defaultdict(threading.Event)

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def headers(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [h for p, h in self.requests if p == path]


class CatalogHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log: ServerLog
    stop: threading.Event

    def log_message(self, format, *args):  # keep pytest's output clean
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self.log.lock:
            self.log.requests.append((parts.path, dict(self.headers)))
        behaviour = getattr(self, "path_" + parts.path.strip("/").replace("-", "_").replace(".", "_"), None)
        (behaviour or self.path_missing)()

    def reply(self, status: int, body: bytes = b"", content_type: str = "text/turtle; charset=UTF-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def path_catalog_ttl(self):
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        self.reply(200, CATALOG, ETag=ETAG, Last_Modified=LAST_MODIFIED)

    def path_missing(self):
        self.reply(404, b"not here", "text/plain")

    def path_flaky(self):  # fails once, then works
        if self.log.count("/flaky") == 1:
            self.reply(500, b"oops", "text/plain")
        else:
            self.reply(200, CATALOG)

    def path_broken(self):
        self.reply(500, b"oops", "text/plain")

    def path_busy(self):
        self.reply(429, b"slow down", "text/plain", Retry_After=self.query.get("after", "3"))

    def path_silent(self):  # accepts, reads the request, never answers
        self.stop.wait(10)
        self.close_connection = True

    def path_trickle(self):  # headers at once, then one byte every 0.2 s, forever
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            while not self.stop.wait(0.2):
                self.wfile.write(b"#")
        except OSError:
            pass

    def path_declared_huge(self):  # announces 200 MB, sends nothing: reading the body would hang
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        self.close_connection = True
        self.stop.wait(10)

    def path_endless(self):  # 200 MB, chunked, written lazily and counted
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True
        piece = (b"# padding" + b"." * 1014 + b"\n") * 64  # 64 KiB
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        try:
            while self.log.written["/endless"] < HUGE and not self.stop.is_set():
                self.wfile.write(chunk)
                self.log.written["/endless"] += len(piece)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass
        finally:
            self.log.finished["/endless"].set()

    def path_redirect_same(self):
        self.reply(302, b"", "text/plain", Location="/catalog.ttl")

    def path_redirect_other(self):
        self.reply(302, b"", "text/plain", Location=f"http://localhost:{self.server.server_port}/catalog.ttl")

    def path_redirect_loop(self):
        self.reply(302, b"", "text/plain", Location="/redirect-loop")

    def path_redirect_file(self):
        self.reply(302, b"", "text/plain", Location="file:///etc/passwd")


class CatalogServer:
    def __init__(self, httpd: ThreadingHTTPServer, log: ServerLog):
        self.httpd, self.log = httpd, log
        self.port = httpd.server_port

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def start(log: ServerLog, stop: threading.Event) -> CatalogServer:
    handler = type("Handler", (CatalogHandler,), {"log": log, "stop": stop})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return CatalogServer(httpd, log)
