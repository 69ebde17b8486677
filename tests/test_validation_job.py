"""End to end: a CSV uploaded through the API is checked by a real CKAN worker (RQ on Redis), and
the report is readable through the action, on the resource page and as a search facet."""
import os
import subprocess
import sys

import pytest

from ckan.plugins.toolkit import config
from ckan.tests.helpers import call_action

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CKAN = os.path.join(os.path.dirname(sys.executable), "ckan")


def run_worker():
    """A real `ckan jobs worker`, in its own process, until the queue is empty (on the run's own ini)."""
    result = subprocess.run([CKAN, "-c", config["__file__"], "jobs", "worker", "--burst"],
                            capture_output=True, text=True, timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture
def toilets_dataset(create_dataset, clean_queues, clean_index):
    return create_dataset(name="ikoma-toilets", title="公衆トイレ一覧", conforms_to="13", resources=[])


def test_uploaded_csv_is_checked_by_the_worker_and_reported(app, toilets_dataset, upload_csv):
    resource = upload_csv(toilets_dataset, "toilets_current_bom_errors.csv")
    pending = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert pending["status"] == "pending" and pending["standard"] == "13"

    run_worker()

    result = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert result["status"] == "failure"
    assert (result["error_count"], result["warning_count"]) == (8, 2)
    report = result["report"]
    assert report["file"]["encoding"] == "utf-8-sig" and report["standard"]["layout"] == "current"
    assert {"lg_code_check_digit", "latitude_range", "csv_formula"} <= set(report["counts"])

    page = app.get(f"/dataset/{toilets_dataset['name']}/resource/{resource['id']}").body
    assert 'data-status="failure"' in page and "標準に不適合" in page
    assert "全国地方公共団体コード292096の検査数字が正しくありません" in page

    # 3 of the 10 rows have no error: the score is the share, not all or nothing
    partly = "一部適合（90%未満） / Partly conforming (under 90%)"
    found = call_action("package_search", fq=f'ikoma_conformance:"{partly}"')
    assert [d["name"] for d in found["results"]] == ["ikoma-toilets"]
    facets = call_action("package_search", **{"facet.field": '["ikoma_conformance"]'})["facets"]
    assert facets["ikoma_conformance"] == {partly: 1}
    assert "適合率 30%" in app.get("/dataset/ikoma-toilets").body
    assert "Conformance 30%" in app.get("/en/dataset/ikoma-toilets").body
    # the search page's facet reads in the UI's language only (the API above keeps both)
    japanese, english = app.get("/dataset/").body, app.get("/en/dataset/").body
    assert "一部適合（90%未満）" in japanese and "Partly conforming" not in japanese
    assert "Partly conforming (under 90%)" in english and "一部適合" not in english

    # the file is kept whatever the report says
    download = app.get(f"/dataset/{toilets_dataset['id']}/resource/{resource['id']}/download/toilets_current_bom_errors.csv")
    assert download.status_code == 200 and download.get_data().startswith(b"\xef\xbb\xbf")


def test_a_clean_shift_jis_legacy_file_conforms_with_a_warning(create_dataset, clean_queues, clean_index, upload_csv):
    dataset = create_dataset(name="ikoma-aed", conforms_to="08", resources=[])
    resource = upload_csv(dataset, "aed_legacy_sjis.csv", name="AED（Shift_JIS）")
    run_worker()
    result = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert (result["status"], result["error_count"], result["warning_count"]) == ("success", 0, 1)
    assert result["report"]["standard"]["layout"] == "legacy"
    assert call_action("package_search", fq='ikoma_conformance:"適合 / Conforming"')["count"] == 1


@pytest.mark.parametrize("filename, code", [("zip_renamed.csv", "csv_zip"), ("binary.csv", "csv_binary"),
                                            ("mixed_encodings.csv", "csv_undecodable")])
def test_broken_files_get_a_report_and_keep_the_file(toilets_dataset, filename, code, upload_csv):
    resource = upload_csv(toilets_dataset, filename, name=filename)
    run_worker()
    result = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert result["status"] == "failure" and code in result["report"]["counts"]
    assert call_action("resource_show", id=resource["id"])["url_type"] == "upload"


def test_non_csv_and_non_conforming_resources_are_not_checked(create_dataset, clean_queues, upload_csv):
    dataset = create_dataset(name="plain", conforms_to="", resources=[])
    resource = upload_csv(dataset, "shelters_clean.csv")
    with pytest.raises(Exception):
        call_action("ikoma_validation_show", resource_id=resource["id"])


def test_private_report_is_not_shown_to_anonymous_users(app, create_dataset, clean_queues, upload_csv):
    dataset = create_dataset(name="private-toilets", conforms_to="13", private=True, resources=[])
    resource = upload_csv(dataset, "shelters_clean.csv")
    response = app.get(f"/api/3/action/ikoma_validation_show?resource_id={resource['id']}", status=None)
    assert response.status_code == 403


def test_linked_csv_is_downloaded_and_checked(create_dataset, clean_queues, clean_index, file_server, sysadmin):
    dataset = create_dataset(name="linked-shelters", conforms_to="03", resources=[])
    resource = call_action("resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
                           name="避難場所（リンク）", description="CSV", format="CSV",
                           url=f"{file_server}/shelters_clean.csv")
    run_worker()
    result = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert result["status"] == "success" and result["report"]["file"]["rows"] == 2


def test_unreachable_link_is_an_error_status_not_a_crashed_worker(app, create_dataset, clean_queues, file_server,
                                                                  sysadmin):
    dataset = create_dataset(name="broken-link", conforms_to="03", resources=[])
    resource = call_action("resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
                           name="リンク切れ", description="CSV", format="CSV", url=f"{file_server}/missing.csv")
    run_worker()
    result = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert result["status"] == "error" and "404" in result["message"]
    ja, en = result["message"].split(" / ", 1)  # the API keeps both languages; each page shows one
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    japanese, english = app.get(url).body, app.get("/en" + url).body
    assert ja in japanese and en not in japanese
    assert en in english and ja not in english
