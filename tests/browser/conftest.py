"""A real CKAN served over HTTP on 127.0.0.1, driven by Debian's headless Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(ckan_config, make_app, monkeypatch):
    """The test CKAN app behind a real threaded HTTP server; yields its base URL."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    monkeypatch.setitem(ckan_config, "ckan.site_url", base_url)
    app = make_app()
    server = make_server("127.0.0.1", port, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--lang=ja", "--window-size=1280,2000", f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "ja"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot_dir(tmp_path):
    """docs/screenshots when IKOMA_SCREENSHOTS=1 (`make screenshots`), else a temporary folder."""
    if os.environ.get("IKOMA_SCREENSHOTS") == "1":
        path = os.path.join(REPO, "docs", "screenshots")
        os.makedirs(path, exist_ok=True)
        return path
    return str(tmp_path)
