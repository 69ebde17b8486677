"""/statistics: statistics of every publisher grouped by field and area, filtered by area, year and
field, paged, with a statistics source's datasets whatever their theme; never a private dataset; in
the main navigation in both languages."""
from __future__ import annotations

import json

import pytest

from ckanext.ikoma.region import statistics as statistics_module

from ckan.tests.helpers import call_action


@pytest.fixture
def statistics(create_dataset, sysadmin, clean_index):
    neighbour = call_action("organization_create", context={"user": sysadmin["name"]}, name="293423",
                            title="平群町", lg_code="293423")
    create_dataset(name="pop-ikoma", title="生駒市の人口", theme=["population-households"],
                   spatial_lg_codes="292095", temporal="2024-04-01/2025-03-31")
    create_dataset(name="pop-heguri", title="平群町の人口", theme=["population-households"], owner_org=neighbour["id"],
                   spatial_lg_codes="293423", temporal="2020-04-01/2021-03-31")
    create_dataset(name="wages", title="賃金統計", theme=["labour-wages"], spatial_lg_codes="292095",
                   temporal="2024-01-01/2024-12-31")
    create_dataset(name="secret-stats", title="非公開統計", theme=["labour-wages"], private=True)
    create_dataset(name="misc", title="その他のデータ", theme=["other"])


def test_statistics_are_grouped_by_field_and_area(app, statistics):
    page = app.get("/statistics/").get_data(as_text=True)
    assert "人口・世帯" in page and "労働・賃金" in page
    assert "奈良県生駒市" in page and "奈良県平群町" in page
    assert "生駒市の人口" in page and "平群町の人口" in page and "賃金統計" in page
    assert "非公開統計" not in page and "その他のデータ" not in page


def test_filters_by_area_and_year(app, statistics):
    by_area = app.get("/statistics/?area=293423").get_data(as_text=True)
    assert "平群町の人口" in by_area and "生駒市の人口" not in by_area
    by_year = app.get("/statistics/?year=2024").get_data(as_text=True)
    assert "生駒市の人口" in by_year and "賃金統計" in by_year and "平群町の人口" not in by_year
    assert app.get("/statistics/?area=%00&year=x").status_code == 200  # a bad filter is no filter


def test_in_the_main_navigation_in_both_languages(app, statistics):
    assert 'href="/statistics/"' in app.get("/").get_data(as_text=True)
    english = app.get("/en/statistics/").get_data(as_text=True)
    assert "Population and households" in english and "Statistics" in english


def test_filters_by_field_with_counts(app, statistics):
    page = app.get("/statistics/?theme=labour-wages").get_data(as_text=True)
    assert "賃金統計" in page and "生駒市の人口" not in page
    assert 'value="population-households" >人口・世帯 (2)' in page or "人口・世帯 (2)" in page
    assert "1–1 of 1" in app.get("/en/statistics/?theme=labour-wages").get_data(as_text=True)
    assert app.get("/statistics/?theme=<script>&page=-1").status_code == 200


def test_pages_through_every_statistic(app, statistics, monkeypatch):
    monkeypatch.setattr(statistics_module, "PAGE_SIZE", 2)
    first = app.get("/statistics/").get_data(as_text=True)
    second = app.get("/statistics/?page=2").get_data(as_text=True)
    titles = ("生駒市の人口", "平群町の人口", "賃金統計")
    assert sum(t in first for t in titles) == 2 and sum(t in second for t in titles) == 1
    assert 'href="/statistics/?page=2"' in first and "3–3" in second
    assert "非公開統計" not in first + second


def test_a_statistics_source_is_listed_whatever_the_theme(app, statistics, sysadmin, create_dataset):
    org = call_action("organization_create", context={"user": sysadmin["name"]}, name="290009",
                      title="奈良県", lg_code="290009")
    url = "https://example.org/nara-statistics/catalog.ttl"
    call_action("harvest_source_create", context={"user": sysadmin["name"]}, url=url, name="nara-stats",
                title="奈良県統計", source_type="ikoma_dcat", owner_org=org["id"], frequency="MANUAL",
                config=json.dumps({"role": "statistics"}))
    create_dataset(name="nara-census", title="奈良県推計人口調査", theme=["other"], owner_org=org["id"],
                   harvest_identity="census@290009", harvest_source_url=url)
    create_dataset(name="nara-other", title="奈良県の観光地", theme=["other"], owner_org=org["id"],
                   harvest_identity="sights@290009", harvest_source_url="https://example.org/nara/catalog.ttl")
    page = app.get("/statistics/").get_data(as_text=True)
    assert "奈良県推計人口調査" in page and "その他の統計" in page
    assert "奈良県の観光地" not in page  # another source's dataset of no statistics field
    assert "Other statistics" in app.get("/en/statistics/").get_data(as_text=True)
