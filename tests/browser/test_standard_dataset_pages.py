"""A department reads a standard dataset's definition page and the data-item dictionary in
headless Chromium: each column with its IMI path and where it comes from, the share of columns
mapped, the dictionary linking back. Screenshot to docs/screenshots with `make screenshots`."""
from __future__ import annotations

import os

from selenium.webdriver.common.by import By

from test_curator_form import full_page_screenshot


def test_the_definition_page_shows_the_imi_path_of_each_column(live_server, browser, screenshot_dir):
    browser.get(f"{live_server}/standard-datasets/13")
    assert "41 列中 30 列に共通語彙基盤のパスがあります" in browser.find_element(By.CSS_SELECTOR, ".ikoma-imi-coverage").text
    table = browser.find_element(By.CSS_SELECTOR, ".ikoma-columns").text
    assert "施設>関連施設{役割='設置施設'}>施設>名称>表記" in table and "GIF→IMI 対応表" in table
    full_page_screenshot(browser, os.path.join(screenshot_dir, "standard-dataset-imi.png"))
    browser.get(f"{live_server}/standard-datasets/items")
    assert "データ項目辞書" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.CSS_SELECTOR, ".ikoma-data-items a[href='/standard-datasets/13']").click()
    assert "公衆トイレ一覧" in browser.find_element(By.TAG_NAME, "h1").text
