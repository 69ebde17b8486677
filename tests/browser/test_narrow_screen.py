"""On a phone (390 px wide) the extension's pages do not widen the page: wide tables scroll inside
their own box."""
import pytest


@pytest.mark.parametrize("path", ["/standard-datasets/13", "/standard-datasets", "/en/standard-datasets/13"])
def test_standard_dataset_tables_fit_a_phone(browser, live_server, clean_db, path):
    browser.set_window_size(390, 844)
    browser.get(live_server + path)
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert viewport <= 390
    assert browser.execute_script("return document.documentElement.scrollWidth") <= viewport
