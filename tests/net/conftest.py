"""The fetcher is pure: it needs neither CKAN nor the stack, only real HTTP servers on 127.0.0.1."""
import threading

import pytest

from catalog_server import ServerLog, start


@pytest.fixture(autouse=True)
def _plugins_loaded():
    """Overrides the CKAN-loading fixture of tests/conftest.py: nothing to load here."""


@pytest.fixture
def catalog_server():
    stop = threading.Event()
    server = start(ServerLog(), stop)
    yield server
    stop.set()  # lets the handlers that wait or trickle end
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def sleeps():
    """The waits asked for: tests pass `sleep=sleeps.append`, so the backoff costs no time."""
    return []
