"""Debian's headless Chromium driving the real CKAN served by `live_server` (tests/conftest.py)."""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


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
