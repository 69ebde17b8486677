"""Issue 14, Pages: every page of the extension stays under /en/ and speaks only the UI's language;
the API may carry both languages."""
import re

import pytest

from ckan.tests.helpers import call_action


@pytest.fixture
def auth(sysadmin):
    return {"Authorization": sysadmin["token"]}


@pytest.mark.parametrize("path, english", [
    ("/neighbours", "Neighbours' catalogs"),
    ("/standard-datasets", "Standard datasets"),
    ("/standard-datasets/13", "Public toilets"),
    ("/region", "The region at a glance"),
    ("/statistics", "Statistics"),
])
def test_english_pages_stay_under_en_and_speak_english(app, clean_db, path, english):
    response = app.get("/en" + path, follow_redirects=False)
    assert response.status_code == 200, response.headers.get("Location")
    assert english in response.body
    assert '<html lang="en"' in response.body


def _form_error(app, auth, prefix):
    return app.post(prefix + "/dataset/new", headers=auth, data={
        "title": "AED設置箇所一覧", "name": "ikoma-aed-form", "owner_org": "ikoma-city",
        "contact_phone": "abc", "notes": "x", "save": "",
    }).body


def test_field_errors_in_the_ui_language_only(app, ikoma_org, auth):
    japanese = _form_error(app, auth, "")
    english = _form_error(app, auth, "/en")
    ja_message = re.search(r"電話番号[^<]*", japanese)
    assert ja_message, "no Japanese phone error on the Japanese form"
    assert " / " not in ja_message.group(0)
    assert "digits" not in japanese.split("error-block", 1)[-1].split("</", 1)[0]
    assert "電話番号は" not in english and "phone" in english.lower()


def test_api_errors_keep_both_languages(app, ikoma_org, sysadmin):
    from dataset_examples import valid_dataset_dict
    from ckan.plugins.toolkit import ValidationError

    with pytest.raises(ValidationError) as caught:
        call_action("package_create", context={"user": sysadmin["name"]},
                    **valid_dataset_dict(ikoma_org["id"], contact_phone="abc"))
    assert " / " in caught.value.error_dict["contact_phone"][0]


def test_state_row_is_translated(app, create_dataset, auth):
    dataset = create_dataset()
    page = app.get(f"/dataset/{dataset['name']}", headers=auth).body
    row = re.search(r'状態</th>\s*<td class="dataset-details">([^<]*)<', page)
    assert row and row.group(1).strip() == "公開中"
    english = app.get(f"/en/dataset/{dataset['name']}", headers=auth).body
    assert re.search(r'State</th>\s*<td class="dataset-details">\s*Active\s*<', english)


def test_dataset_page_uses_english_title_and_notes_in_english(app, create_dataset):
    dataset = create_dataset(title_en="AED locations", notes_en="Where the AEDs of Ikoma are")
    english = app.get(f"/en/dataset/{dataset['name']}").body
    assert "<h1" in english and re.search(r"<h1[^>]*>\s*AED locations", english)
    assert "Where the AEDs of Ikoma are" in english
    japanese = app.get(f"/dataset/{dataset['name']}").body
    assert re.search(r"<h1[^>]*>\s*AED設置箇所一覧", japanese)


@pytest.mark.parametrize("english, japanese", [
    ("Skip to main content", "メインコンテンツへ移動"),
    ("Username or Email", "ユーザー名またはメールアドレス"),
    ("About 生駒市", "生駒市オープンデータ（テスト）について"),  # the footer's link to the About page
])
def test_missing_core_strings_are_japanese(app, clean_db, english, japanese):
    page = app.get("/user/login").body
    assert english not in page and japanese in page


def test_missing_value_reads_as_a_required_item(app, ikoma_org, auth):
    page = app.post("/dataset/new", headers=auth, data={"name": "x-y-z", "save": ""}).body
    assert "不明な値" not in page and "必須項目です" in page


def test_resource_additional_info_has_no_raw_or_repeated_rows(app, create_dataset):
    dataset = create_dataset()
    resource = dataset["resources"][0]
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").body
    table = page.split('class="table', 1)[1].split("</table>", 1)[0] if 'class="table' in page else ""
    for raw in ("Has views", "Package id", "Url type", "State", "Datastore active"):
        assert raw not in table, raw
    headers = re.findall(r'<th scope="row"[^>]*>([^<]*)</th>', table)
    assert len(headers) == len(set(headers)), headers  # no row twice
    assert not re.search(r"<td[^>]*>\s*</td>", table)  # no empty rows


def test_neighbours_date_in_the_locale_format(app, sysadmin, clean_db):
    org = call_action("organization_create", context={"user": sysadmin["name"]}, name="293423",
                      title="平群町", lg_code="293423")
    source = call_action("harvest_source_create", context={"user": sysadmin["name"]},
                         url="http://127.0.0.2:9/catalog.ttl", name="heguri", title="平群町",
                         source_type="ikoma_dcat", owner_org=org["id"], frequency="MANUAL")
    call_action("harvest_job_create", context={"user": sysadmin["name"]}, source_id=source["id"])
    japanese = app.get("/neighbours").body
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}", japanese), "no ja date"
    assert not re.search(r"\d+月 \d+, \d{4}", japanese)
    english = app.get("/en/neighbours").body
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", english)
