"""/region: the KPI counted from public datasets only, month by month across a deletion and a
privacy change; daily snapshots that are idempotent; the coverage matrix from declared standards;
CSV (UTF-8 with BOM) and JSON that say the same as the page."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

import ckan.model as model
from ckan.cli.cli import ckan as ckan_command
from ckan.tests.helpers import call_action

from ckanext.ikoma.model import KpiSnapshot


def _set_created(name: str, when: dt.datetime, modified: dt.datetime | None = None) -> None:
    package = model.Package.get(name)
    package.metadata_created = when
    if modified:
        package.metadata_modified = modified
    model.Session.commit()


@pytest.fixture
def region(create_dataset, sysadmin, ikoma_org, clean_index):
    ctx = {"user": sysadmin["name"]}
    neighbour = call_action("organization_create", context=ctx, name="293423", title="平群町", lg_code="293423")
    for i in range(3):
        create_dataset(name=f"ikoma-{i}", title=f"生駒{i}", conforms_to="")
    create_dataset(name="aed", title="AED設置箇所一覧", conforms_to="08")
    create_dataset(name="heguri-0", title="平群0", owner_org=neighbour["id"], conforms_to="08")
    create_dataset(name="heguri-1", title="平群1", owner_org=neighbour["id"], conforms_to="")
    create_dataset(name="secret", title="非公開", private=True, conforms_to="13")
    create_dataset(name="toilets-undeclared", title="公衆トイレ一覧（令和6年度）", conforms_to="")
    # a history: two datasets from last year, one deleted and one made private in March
    _set_created("ikoma-0", dt.datetime(2026, 1, 10))
    _set_created("ikoma-1", dt.datetime(2026, 1, 20))
    call_action("package_delete", context=ctx, id="ikoma-1")
    _set_created("ikoma-1", dt.datetime(2026, 1, 20), modified=dt.datetime(2026, 3, 5))
    _set_created("heguri-1", dt.datetime(2026, 2, 1))
    call_action("package_patch", context=ctx, id="heguri-1", private=True)
    _set_created("heguri-1", dt.datetime(2026, 2, 1), modified=dt.datetime(2026, 3, 15))
    return {"ikoma": ikoma_org, "heguri": neighbour}


def test_the_kpi_counts_public_datasets_now(app, region):
    result = call_action("ikoma_kpi_show")
    by_name = {o["name"]: o["public_datasets"] for o in result["organizations"]}
    assert by_name == {"ikoma-city": 4, "293423": 1}  # ikoma-0, ikoma-2, aed, toilets-undeclared; heguri-0
    assert result["total"] == 5


def test_snapshots_backfill_the_past_and_are_idempotent(app, region, cli):
    for _ in range(2):
        result = cli.invoke(ckan_command, ["ikoma", "stats", "snapshot"])
        assert result.exit_code == 0, result.output
    today = dt.date.today()
    assert model.Session.query(KpiSnapshot).filter(KpiSnapshot.day == today).count() == 2
    monthly = call_action("ikoma_kpi_show")["monthly"]
    ikoma, heguri = region["ikoma"]["id"], region["heguri"]["id"]
    assert monthly[ikoma]["2026-01"] == 2  # ikoma-0 and ikoma-1
    assert monthly[ikoma]["2026-02"] == 2
    assert monthly[ikoma]["2026-03"] == 1  # ikoma-1 deleted on 2026-03-05
    assert monthly[heguri]["2026-02"] == 1 and monthly[heguri]["2026-03"] == 0  # made private 2026-03-15
    assert monthly[ikoma][today.strftime("%Y-%m")] == 4


def test_the_coverage_matrix_comes_from_declared_standards(app, region):
    result = call_action("ikoma_coverage_show")
    rows = {o["name"]: o for o in result["organizations"]}
    assert rows["ikoma-city"]["datasets"]["08"] == [{"name": "aed", "title": "AED設置箇所一覧", "score": None}]
    assert rows["293423"]["datasets"]["08"][0]["name"] == "heguri-0"
    assert result["totals"]["08"] == 2 and "08" not in rows["ikoma-city"]["missing"]
    assert "13" in rows["ikoma-city"]["missing"]  # the private dataset declaring 13 does not count
    assert result["probably_undeclared"] == [
        {"number": "13", "name": "toilets-undeclared", "title": "公衆トイレ一覧（令和6年度）", "organization": "生駒市"}]


def test_the_page_shows_the_figures_and_no_private_dataset(app, region):
    page = app.get("/region/").get_data(as_text=True)
    assert "AED設置箇所一覧" in page or "aed" in page
    assert "非公開" not in page and "secret" not in page
    assert "<svg" not in page or 'role="img"' in page
    assert "平群町" in page


def test_the_page_lists_the_first_undeclared_datasets_and_the_download_all(app, region, create_dataset,
                                                                            monkeypatch):
    # a hub holds tens of thousands of them: reading and linking each made the page take seconds
    from ckanext.ikoma.region import coverage

    create_dataset(name="aed-undeclared", title="AED設置箇所一覧（旧）", conforms_to="")
    monkeypatch.setattr(coverage, "UNDECLARED_ON_PAGE", 1)
    page = app.get("/region/").get_data(as_text=True)
    listed = re.search(r'<ul class="ikoma-undeclared">(.*?)</ul>', page, re.S).group(1)
    assert listed.count("<li>") == 1 and "aed-undeclared" in listed  # by name: aed-… before toilets-…
    more = re.search(r'<p class="ikoma-undeclared-more">([^<]*)</p>', page).group(1)
    assert re.findall(r"\d+", more) == ["1"]
    assert [d["name"] for d in call_action("ikoma_coverage_show")["probably_undeclared"]] == [
        "aed-undeclared", "toilets-undeclared"]
    downloaded = app.get("/region/coverage.json").json
    assert len(downloaded["probably_undeclared"]) == 2


def test_the_page_says_nothing_more_when_all_undeclared_are_listed(app, region):
    page = app.get("/region/").get_data(as_text=True)
    assert "toilets-undeclared" in page and "ikoma-undeclared-more" not in page


def test_csv_downloads_open_as_utf8_with_the_same_numbers(app, region):
    raw = app.get("/region/kpi.csv").get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["organization", "title", "public_datasets_now"]
    assert {r[0]: r[2] for r in rows[1:]} == {"ikoma-city": "4", "293423": "1"}
    coverage = list(csv.reader(io.StringIO(app.get("/region/coverage.csv").get_data().decode("utf-8-sig"))))
    assert coverage[0][:3] == ["organization", "title", "covered"]
    assert app.get("/region/kpi.json").json["total"] == 5


def test_the_region_page_is_in_the_main_navigation_in_both_languages(app, region):
    home = app.get("/").get_data(as_text=True)
    assert 'href="/region/"' in home and "地域" in home
    english = app.get("/en/region/").get_data(as_text=True)
    assert "The region at a glance" in english and "Published open datasets (KPI)" in english
    japanese = app.get("/region/").get_data(as_text=True)
    assert "地域のオープンデータ" in japanese and "オープンデータ公開件数" in japanese


def test_a_coverage_cell_shows_the_csv_conformance_score(app, create_dataset, clean_queues, clean_index, upload_csv):
    """3 of the file's 10 rows have no error: the cell shows 30.0%, in the page, JSON and CSV."""
    from test_validation_job import run_worker

    toilets = create_dataset(name="ikoma-toilets", title="公衆トイレ一覧", conforms_to="13", resources=[])
    create_dataset(name="aed", title="AED設置箇所一覧", conforms_to="08")
    upload_csv(toilets, "toilets_current_bom_errors.csv")
    run_worker()
    cells = {o["name"]: o["datasets"] for o in call_action("ikoma_coverage_show")["organizations"]}["ikoma-city"]
    assert cells["13"] == [{"name": "ikoma-toilets", "title": "公衆トイレ一覧", "score": 30.0}]
    assert cells["08"][0]["score"] is None  # declared, nothing checked yet
    page = app.get("/region/").get_data(as_text=True)
    assert "30.0%" in page
    rows = list(csv.reader(io.StringIO(app.get("/region/coverage.csv").get_data().decode("utf-8-sig"))))
    header, ikoma = rows[0], next(r for r in rows if r[0] == "ikoma-city")
    assert ikoma[header.index("13")] == "30.0" and ikoma[header.index("08")] == "unchecked"
    assert ikoma[header.index("01")] == ""
