"""A resident opens /region and /statistics in headless Chromium: the KPI chart and its table, the
coverage matrix and the statistics are there, the chart has a text alternative, and at 390 px the
page does not scroll sideways. Screenshots go to docs/screenshots with `make screenshots`."""
from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By

from ckan.cli.cli import ckan as ckan_command
from ckan.tests.helpers import call_action

from test_curator_form import full_page_screenshot


@pytest.fixture
def region_data(create_dataset, sysadmin, clean_index, cli):
    heguri = call_action("organization_create", context={"user": sysadmin["name"]}, name="293423",
                         title="平群町", lg_code="293423")
    create_dataset(name="aed", title="AED設置箇所一覧", conforms_to="08", theme=["social-security-health"])
    create_dataset(name="population", title="地域・年齢別人口", conforms_to="04", theme=["population-households"],
                   temporal="2024-04-01/2025-03-31")
    create_dataset(name="heguri-aed", title="平群町AED設置箇所", conforms_to="08", owner_org=heguri["id"])
    create_dataset(name="heguri-pop", title="平群町の人口", conforms_to="", owner_org=heguri["id"],
                   theme=["population-households"], spatial_lg_codes="293423", temporal="2024-04-01/2025-03-31")
    for command in (["stats", "snapshot"], ["quality", "score"]):
        assert cli.invoke(ckan_command, ["ikoma", *command]).exit_code == 0


def test_a_resident_reads_the_region_and_statistics_pages(live_server, browser, region_data, screenshot_dir):
    browser.get(f"{live_server}/")
    browser.find_element(By.LINK_TEXT, "地域").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "地域のオープンデータ"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.ikoma-chart")
    assert chart.get_attribute("role") == "img" and browser.find_element(By.ID, "chart-desc")
    assert "生駒市" in browser.find_element(By.CSS_SELECTOR, ".ikoma-kpi-table").text
    assert "平群町" in browser.find_element(By.CSS_SELECTOR, ".ikoma-coverage-table").text
    full_page_screenshot(browser, os.path.join(screenshot_dir, "region.png"))
    browser.find_element(By.LINK_TEXT, "統計情報").click()
    assert "人口・世帯" in browser.page_source and "平群町の人口" in browser.page_source
    full_page_screenshot(browser, os.path.join(screenshot_dir, "statistics.png"))
    browser.set_window_size(390, 900)
    browser.get(f"{live_server}/region/")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
