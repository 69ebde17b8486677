"""A city curator publishes a dataset through the Japanese web form of a running CKAN."""
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from ckan.tests import factories
from ckan.tests.helpers import call_action

PASSWORD = "ikoma-curator-2026"


@pytest.fixture
def curator(ikoma_org, sysadmin):
    user = factories.User(name="curator", fullname="生駒 花子", password=PASSWORD)
    call_action("organization_member_create", context={"user": sysadmin["name"]},
                id=ikoma_org["id"], username=user["name"], role="editor")
    call_action("organization_patch", context={"user": sysadmin["name"]},
                id=ikoma_org["id"], lg_code="292095")
    return user


def log_in(browser, base_url, user):
    browser.get(base_url + "/user/login")
    browser.find_element(By.ID, "field-login").send_keys(user["name"])
    password = browser.find_element(By.ID, "field-password")
    password.send_keys(PASSWORD)
    password.submit()
    WebDriverWait(browser, 10).until(EC.url_contains("/dashboard"))


def type_into(browser, field_id, text):
    element = browser.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def press(browser, css):
    """Click a button the way a person does: scrolled into view first."""
    button = browser.find_element(By.CSS_SELECTOR, css)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def full_page_screenshot(browser, path):
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, height)
    browser.save_screenshot(path)
    browser.set_window_size(1280, 2000)


def field_error(browser, field_id):
    """The error text shown next to a field (CKAN puts it in the field's form group)."""
    group = browser.find_element(By.ID, field_id).find_element(
        By.XPATH, "ancestor::div[contains(@class, 'form-group')][1]")
    return " ".join(e.text for e in group.find_elements(By.CSS_SELECTOR, ".error-block"))


@pytest.mark.usefixtures("clean_index")
def test_curator_creates_a_dataset_in_japanese(live_server, browser, curator, screenshot_dir):
    log_in(browser, live_server, curator)
    browser.get(live_server + "/dataset/new")

    # Required items are marked, recommended ones carry 推奨.
    assert browser.find_element(By.CSS_SELECTOR, "label[for=field-title] .control-required")
    assert "推奨" in browser.find_element(By.ID, "field-contact_phone").find_element(
        By.XPATH, "ancestor::div[contains(@class, 'form-group')][1]").text

    type_into(browser, "field-title", "生駒市ごみ収集カレンダー")
    type_into(browser, "field-title_en", "Ikoma garbage collection calendar")
    type_into(browser, "field-notes", "地区ごとのごみ収集日の一覧です。")
    Select(browser.find_element(By.ID, "field-theme")).select_by_visible_text("司法・安全・環境")
    Select(browser.find_element(By.ID, "field-frequency")).select_by_visible_text("毎月")
    type_into(browser, "field-contact_department", "環境保全課")
    type_into(browser, "field-contact_phone", "0743-74-111")  # one digit short
    type_into(browser, "field-temporal", "令和6年4月1日～令和7年3月31日")
    type_into(browser, "field-issued", "令和6年4月1日")
    Select(browser.find_element(By.ID, "field-private")).select_by_value("False")
    press(browser, "button[name=save]")

    # The Japanese error is at the phone field, and what was typed is still there.
    error = field_error(browser, "field-contact_phone")
    assert "電話番号は半角数字とハイフンで入力してください" in error
    assert browser.find_element(By.ID, "field-title").get_attribute("value") == "生駒市ごみ収集カレンダー"
    assert browser.find_element(By.ID, "field-contact_phone").get_attribute("value") == "0743-74-111"
    assert browser.find_element(By.ID, "field-issued").get_attribute("value") == "令和6年4月1日"
    assert call_action("package_search", include_private=True)["count"] == 0
    full_page_screenshot(browser, os.path.join(screenshot_dir, "dataset-form.png"))

    type_into(browser, "field-contact_phone", "0743-74-1111")
    press(browser, "button[name=save]")

    # Stage 2: the resource (distribution).
    WebDriverWait(browser, 10).until(EC.url_contains("/resource/new"))
    press(browser, "#resource-link-button")
    type_into(browser, "field-resource-url", "https://www.city.ikoma.lg.jp/gomi.csv")
    type_into(browser, "field-name", "ごみ収集カレンダー（CSV）")
    type_into(browser, "field-description", "UTF-8のCSV")
    Select(browser.find_element(By.ID, "field-character_encoding")).select_by_visible_text("UTF-8")
    press(browser, "button[name=save][value=go-metadata]")

    WebDriverWait(browser, 10).until(EC.url_matches(r".*/dataset/[^/]+$"))
    [dataset] = call_action("package_search", q="ごみ収集")["results"]
    assert dataset["contact_phone"] == "0743-74-1111"
    assert dataset["issued"] == "2024-04-01"
    assert dataset["temporal"] == "2024-04-01/2025-03-31"
    assert dataset["spatial_lg_codes"] == ["292095"]
    assert len(dataset["resources"]) == 1

    # The dataset page shows labels, choice titles rather than codes, and the contact as a link.
    page = browser.find_element(By.TAG_NAME, "body").text
    for shown in ("生駒市ごみ収集カレンダー", "毎月", "司法・安全・環境", "奈良県生駒市", "2024-04-01/2025-03-31"):
        assert shown in page
    assert "monthly" not in page
    assert browser.find_element(By.CSS_SELECTOR, "a[href='tel:0743-74-1111']")
    full_page_screenshot(browser, os.path.join(screenshot_dir, "dataset-page.png"))

    # And a visitor finds it with the site search.
    browser.get(live_server + "/dataset/?q=カレンダー")
    assert "生駒市ごみ収集カレンダー" in browser.find_element(By.CSS_SELECTOR, ".dataset-list").text
