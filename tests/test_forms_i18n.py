"""The forms speak Japanese by default and English on request, with the extension's own catalogue."""
import pytest


@pytest.fixture
def auth(sysadmin):
    return {"Authorization": sysadmin["token"]}


def test_dataset_form_in_japanese_marks_required_and_recommended_items(app, ikoma_org, auth):
    page = app.get("/dataset/new", headers=auth).body
    assert "連絡先 電話番号" in page and "対象期間" in page
    assert 'class="badge bg-info text-dark ikoma-recommended">推奨<' in page  # from i18n/ja
    assert "令和6年4月1日" in page  # the date placeholder invites 和暦


def test_dataset_form_in_english(app, ikoma_org, auth):
    page = app.get("/en/dataset/new", headers=auth).body
    assert "Contact phone" in page and "Temporal coverage" in page
    assert ">Recommended<" in page


def test_licence_choices_follow_the_language(app, ikoma_org, auth):
    assert "公共データ利用規約（第1.0版）" in app.get("/dataset/new", headers=auth).body
    assert "Public Data License version 1.0" in app.get("/en/dataset/new", headers=auth).body


def test_organization_form_in_japanese(app, auth, clean_db):
    page = app.get("/organization/new", headers=auth).body
    assert "全国地方公共団体コード" in page and "法人番号" in page and "都道府県" in page


def test_organization_form_shows_the_code_error_and_keeps_the_input(app, auth, clean_db):
    response = app.post("/organization/new", headers=auth, data={
        "title": "生駒市", "name": "ikoma-city", "lg_code": "292096", "save": "",
    })
    assert "検査数字が正しくありません" in response.body
    assert 'value="292096"' in response.body


def test_resource_form_in_japanese(app, create_dataset, auth):
    dataset = create_dataset()
    page = app.get(f"/dataset/{dataset['name']}/resource/new", headers=auth).body
    assert "文字コード" in page and "UTF-8（BOM付き）" in page and "配信中" in page
