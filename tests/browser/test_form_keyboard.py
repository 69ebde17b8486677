"""Issue 14, Forms, in a real browser: the URL name follows the English title (never the ASCII
fragments of the Japanese one), the focus lands on the error summary after a failed submit, its
links take the focus to the field, and the focus ring is visible."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from test_curator_form import curator, full_page_screenshot, log_in, press, type_into  # noqa: F401


def _active_id(browser):
    return browser.execute_script("return document.activeElement && document.activeElement.id")


@pytest.mark.usefixtures("clean_index")
def test_url_name_follows_the_english_title(live_server, browser, curator):  # noqa: F811
    log_in(browser, live_server, curator)
    browser.get(live_server + "/dataset/new")
    type_into(browser, "field-title", "令和6年度 避難所一覧")
    assert browser.find_element(By.ID, "field-name").get_attribute("value") == ""  # not "6"
    type_into(browser, "field-title_en", "Evacuation shelters FY2024")
    WebDriverWait(browser, 5).until(
        lambda b: b.find_element(By.ID, "field-name").get_attribute("value") == "evacuation-shelters-fy2024")


@pytest.mark.usefixtures("clean_index")
def test_failed_submit_moves_the_focus_to_the_error_summary(live_server, browser, curator, screenshot_dir):  # noqa: F811
    log_in(browser, live_server, curator)
    browser.get(live_server + "/dataset/new")
    type_into(browser, "field-title", "令和6年度 避難所一覧")
    type_into(browser, "field-contact_phone", "abc")
    press(browser, "button[name=save]")

    WebDriverWait(browser, 10).until(lambda b: _active_id(b) == "ikoma-error-summary")
    summary = browser.find_element(By.ID, "ikoma-error-summary")
    assert summary.get_attribute("role") == "alert"
    full_page_screenshot(browser, os.path.join(screenshot_dir, "dataset-form-error.png"))
    link = summary.find_element(By.CSS_SELECTOR, "a[href='#field-contact_phone']")
    link.click()
    assert _active_id(browser) == "field-contact_phone"
    phone = browser.find_element(By.ID, "field-contact_phone")
    assert phone.get_attribute("aria-invalid") == "true"

    # the focus ring: a solid outline of at least 2 px on the focused control
    phone.send_keys(Keys.SHIFT, Keys.TAB)
    style = browser.execute_script(
        "var s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth];")
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2, style
