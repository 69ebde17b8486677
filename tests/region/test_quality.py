"""Metadata quality on the real stack: the link checker (never a private address, once a day), the
nightly scoring with SHACL and conformance, the dataset page in words, /region and the action."""
from __future__ import annotations

import datetime as dt

import pytest

import ckan.model as model
from ckan.cli.cli import ckan as ckan_command
from ckan.tests.helpers import call_action

from ckanext.ikoma.model import LinkCheck, QualityScore


@pytest.fixture
def scored(app, create_dataset, clean_index, clean_redis, file_server, cli):
    good = create_dataset(name="good", title="良いデータ", title_en="Good data", notes_en="Described",
                          resources=[{"url": f"{file_server}/shelters_clean.csv", "name": "CSV", "description": "CSV",
                                      "format": "CSV", "mimetype": "text/csv", "size": "120"}])
    create_dataset(name="internal-link", title="内部リンク", resources=[
        {"url": "http://127.0.0.1:9/secret.csv", "name": "CSV", "description": "CSV", "format": "CSV"}])
    create_dataset(name="hidden", title="非公開", private=True)
    for command in (["quality", "check-links"], ["quality", "score"]):
        result = cli.invoke(ckan_command, ["ikoma", *command])
        assert result.exit_code == 0, result.output
    return good


def test_the_link_checker_asks_public_and_allowed_hosts_only(scored, file_server):
    checks = {row.url: row for row in model.Session.query(LinkCheck)}
    assert checks[f"{file_server}/shelters_clean.csv"].status == 200
    refused = checks["http://127.0.0.1:9/secret.csv"]
    assert refused.status is None and "127.0.0.1" in refused.error


def test_links_are_requested_once_a_day(scored, cli):
    result = cli.invoke(ckan_command, ["ikoma", "quality", "check-links"])
    assert result.exit_code == 0 and "0 URLs requested" in result.output


def test_scores_are_stored_per_day_and_private_datasets_are_not_scored(scored, cli):
    assert cli.invoke(ckan_command, ["ikoma", "quality", "score"]).exit_code == 0  # the same day again
    rows = model.Session.query(QualityScore).all()
    assert len(rows) == 2 and {r.day for r in rows} == {dt.date.today()}
    good = QualityScore.latest(scored["id"])
    internal = QualityScore.latest(model.Package.get("internal-link").id)
    assert good.points > internal.points


def test_the_dataset_page_says_what_is_missing_in_words(app, scored):
    page = app.get("/dataset/internal-link").get_data(as_text=True)
    assert "メタデータの品質" in page and "アクセスURLが応答する" in page
    english = app.get("/en/dataset/internal-link").get_data(as_text=True)
    assert "Metadata quality" in english and "Access URL answers" in english


def test_region_and_action_agree(app, scored):
    result = call_action("ikoma_quality_show")
    assert result["region"]["datasets"] == 2
    assert result["indicators"]["access_url_ok"] == pytest.approx(0.5)
    page = app.get("/region/").get_data(as_text=True)
    assert "メタデータの品質" in page
    failing = app.get("/region/quality/access_url_ok").get_data(as_text=True)
    assert "内部リンク" in failing and "良いデータ" not in failing and "非公開" not in failing
    assert call_action("ikoma_quality_show", id="good")["points"] == QualityScore.latest(scored["id"]).points
    assert app.get("/region/quality.csv").get_data().startswith(b"\xef\xbb\xbf")


def test_shape_verdicts_are_remembered_by_graph_content(scored, cli, sysadmin):
    """The second run checks no unchanged graph again and scores the same; a changed graph is
    checked anew (an English title does not change the shapes' verdict, a changed dataset does
    get a new verdict key)."""
    import json

    from ckan.lib.redis import connect_to_redis

    first = {r.package_id: json.loads(r.indicators)["shacl"] for r in model.Session.query(QualityScore)}
    redis = connect_to_redis()
    verdicts = set(redis.scan_iter("ikoma:quality:shacl:*"))
    assert len(verdicts) == 2
    call_action("package_patch", context={"user": sysadmin["name"]}, id="internal-link", title_en="Internal link")
    assert cli.invoke(ckan_command, ["ikoma", "quality", "score"]).exit_code == 0
    model.Session.expire_all()
    second = {r.package_id: json.loads(r.indicators)["shacl"] for r in model.Session.query(QualityScore)}
    assert second == first
    assert len(set(redis.scan_iter("ikoma:quality:shacl:*")) - verdicts) == 1  # only the changed graph
