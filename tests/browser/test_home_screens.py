"""The home page in a real browser, in Japanese and English (screenshots for the README with
`make screenshots`), and on a phone without a horizontal scroll."""
import os

import pytest
from selenium.webdriver.common.by import By

from test_curator_form import full_page_screenshot


@pytest.mark.parametrize("prefix, heading", [("", "分類から探す"), ("/en", "Browse by theme")])
def test_home_page(live_server, browser, create_dataset, clean_index, screenshot_dir, prefix, heading):
    create_dataset(name="ikoma-aed", theme=["social-security-health"], conforms_to="08")
    create_dataset(name="ikoma-toilets", title="公衆トイレ一覧", title_en="Public toilets",
                   theme=["social-security-health", "transport-tourism"], conforms_to="13")
    browser.get(live_server + prefix + "/")
    assert heading in browser.find_element(By.ID, "themes-heading").text
    search = browser.find_element(By.ID, "home-q")
    assert search.get_attribute("type") == "search"
    full_page_screenshot(browser, os.path.join(screenshot_dir, f"home-{'en' if prefix else 'ja'}.png"))

    browser.set_window_size(390, 844)
    browser.get(live_server + prefix + "/")
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
