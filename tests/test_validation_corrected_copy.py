"""Issue #11 in CKAN: the corrected copy offered on the resource page (normalized.csv), served only to
those who may see the resource and never replacing it; the standard suggested to the curator for a
CSV of a dataset that declares none, never applied; the score as a share of rows."""
import csv
import io
import os

import pytest

from ckan.tests import factories
from ckan.tests.helpers import call_action

from test_validation_job import run_worker

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def normalized_url(dataset, resource):
    return f"/dataset/{dataset['name']}/resource/{resource['id']}/normalized.csv"


def test_the_resource_page_offers_the_corrected_copy(app, create_dataset, clean_queues, clean_index, upload_csv):
    dataset = create_dataset(name="toilets-fixable", conforms_to="13", resources=[])
    resource = upload_csv(dataset, "toilets_fixable.csv")
    run_worker()
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
    assert "修正版CSVをダウンロード" in page
    assert f"/dataset/{dataset['id']}/resource/{resource['id']}/normalized.csv" in page
    assert "適合率 77.7%（9行中7行にエラーなし）" in page
    assert "標準と違う書き方（直せます） 5" in page and "現行様式（自治体標準オープンデータセット）" in page
    assert "<code>階数</code>" in page  # the fix beside the value
    english = app.get(f"/en/dataset/{dataset['name']}/resource/{resource['id']}").body
    assert "Download the corrected CSV" in english and "not in the standard form (fixable) 5" in english

    response = app.get(normalized_url(dataset, resource))
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "normalized.csv" in response.headers["Content-Disposition"]
    body = response.get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert body.startswith(b"\xef\xbb\xbf") and rows[0][-1] == "備考" and rows[1][8] == "階数"
    assert rows[7][12] == "25:00"  # an error stays as it was

    # the original is untouched, and still what the resource serves
    download = app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download/toilets_fixable.csv")
    with open(os.path.join(DATA, "toilets_fixable.csv"), "rb") as f:
        assert download.get_data() == f.read()
    assert call_action("resource_show", id=resource["id"])["url_type"] == "upload"


def test_the_corrected_copy_of_a_private_dataset_is_for_its_members(app, sysadmin, create_dataset, clean_queues,
                                                                    upload_csv):
    dataset = create_dataset(name="private-aed", conforms_to="08", private=True, resources=[])
    resource = upload_csv(dataset, "aed_cp932_nec.csv")
    run_worker()
    assert app.get(normalized_url(dataset, resource), status=None).status_code == 404
    other = factories.UserWithToken()
    assert app.get(normalized_url(dataset, resource), headers={"Authorization": other["token"]},
                   status=None).status_code == 404
    response = app.get(normalized_url(dataset, resource), headers={"Authorization": sysadmin["token"]})
    assert response.status_code == 200 and "㈱生駒ビルⅡ".encode() in response.get_data()
    assert "private" in response.headers["Cache-Control"] and "no-store" in response.headers["Cache-Control"]


def test_no_corrected_copy_of_another_dataset_resource_or_an_unreadable_file(app, create_dataset, clean_queues,
                                                                             upload_csv):
    shelters = create_dataset(name="shelters-mixed", conforms_to="03", resources=[])
    mixed = upload_csv(shelters, "mixed_encodings.csv")
    other = create_dataset(name="other-dataset", conforms_to="03", resources=[])
    run_worker()
    assert "修正版CSVをダウンロード" not in app.get(f"/dataset/shelters-mixed/resource/{mixed['id']}").body
    assert app.get(normalized_url(shelters, mixed), status=None).status_code == 404
    wrong = app.get(f"/dataset/{other['name']}/resource/{mixed['id']}/normalized.csv", status=None)
    assert wrong.status_code == 404 and "見る権限がありません" in wrong.get_data(as_text=True)


def test_the_corrected_copy_of_a_linked_file_is_fetched_as_the_check_fetches_it(app, create_dataset, clean_queues,
                                                                                file_server, sysadmin):
    dataset = create_dataset(name="linked-flags", conforms_to="03", resources=[])
    resource = call_action("resource_create", context={"user": sysadmin["name"]}, package_id=dataset["id"],
                           name="避難場所（リンク）", description="CSV", format="CSV",
                           url=f"{file_server}/shelters_flag_marks.csv")
    run_worker()
    body = app.get(normalized_url(dataset, resource)).get_data().decode("utf-8-sig")
    assert body.splitlines()[1].endswith(",1,,,1,,1,,,1")


def test_a_csv_of_a_dataset_without_a_standard_gets_a_suggestion_for_the_curator(
        app, sysadmin, create_dataset, clean_queues, clean_index, upload_csv):
    dataset = create_dataset(name="undeclared-aed", conforms_to="", resources=[])
    resource = upload_csv(dataset, "aed_cp932_nec.csv")
    run_worker()
    suggestion = call_action("ikoma_validation_show", resource_id=resource["id"])
    assert (suggestion["status"], suggestion["standard"]) == ("suggested", "08")
    assert suggestion["report"]["best"]["share"] == 100 and suggestion["report"]["best"]["layout"] == "legacy"

    url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    page = app.get(url, headers={"Authorization": sysadmin["token"]}).body
    assert "このCSVは 08 AED設置箇所一覧 のファイルのようです" in page and "自動では設定しません" in page
    assert "22列中22列が一致（100%）" in page
    assert "ikoma-suggestion" not in app.get(url).body  # for the curator, not the public
    # never applied: no standard declared, nothing checked, no score, no facet
    assert call_action("package_show", id=dataset["id"]).get("conforms_to") in (None, "")
    assert "ikoma-score" not in app.get(f"/dataset/{dataset['name']}").body
    assert not call_action("package_search", **{"facet.field": '["ikoma_conformance"]'})["facets"]["ikoma_conformance"]

    # once the curator declares the standard, the file is checked and the suggestion gives way
    call_action("package_patch", context={"user": sysadmin["name"]}, id=dataset["id"], conforms_to="08")
    run_worker()
    assert call_action("ikoma_validation_show", resource_id=resource["id"])["status"] == "success"


def test_a_csv_of_no_standard_gets_no_suggestion(create_dataset, clean_queues, upload_csv):
    dataset = create_dataset(name="plain-table", conforms_to="", resources=[])
    resource = upload_csv(dataset, "wide_header.csv")
    run_worker()
    with pytest.raises(Exception):
        call_action("ikoma_validation_show", resource_id=resource["id"])


def test_a_report_stored_before_the_upgrade_still_shows(app, create_dataset, clean_queues, upload_csv):
    import json

    import ckan.model as model
    from ckanext.ikoma.model import ResourceValidation

    dataset = create_dataset(name="old-report", conforms_to="13", resources=[])
    resource = upload_csv(dataset, "toilets_current_bom_errors.csv")
    run_worker()
    row = ResourceValidation.get(resource["id"])
    row.report = json.dumps({  # ikoma-csv-report/1: `row` was the file line, no share of rows, no labels
        "format": "ikoma-csv-report/1", "valid": False, "checked": True,
        "standard": {"number": "13", "name": "公衆トイレ一覧", "name_en": "Public toilets", "layout": "current"},
        "file": {"bytes": 10, "encoding": "utf-8", "rows": 10, "columns": 39},
        "summary": {"errors": 1, "warnings": 0}, "counts": {"lg_code_check_digit": 1}, "truncated": False,
        "issues": [{"severity": "error", "code": "lg_code_check_digit", "ja": "検査数字が違います", "en": "bad check digit",
                    "row": 3, "column": "全国地方公共団体コード", "value": "292096"}]}, ensure_ascii=False)
    model.Session.commit()
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
    assert "検査数字が違います" in page and "<td>3</td>" in page
    assert "適合率 0%" in app.get(f"/dataset/{dataset['name']}").body  # failed, all or nothing as then
