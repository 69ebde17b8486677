"""Issue 14, Forms: errors tied to their fields, required fields said in markup and words, an
error summary that is announced and links to the fields; a URL name that never comes from the
ASCII fragments of a Japanese title."""
import re

import pytest

from ckan.tests.helpers import call_action


@pytest.fixture
def auth(sysadmin):
    return {"Authorization": sysadmin["token"]}


def _tag(page, element_id):
    match = re.search(r'<(?:input|select|textarea)[^>]*\bid="%s"[^>]*>' % re.escape(element_id), page)
    assert match, element_id
    return match.group(0)


def _failed_submit(app, auth):
    return app.post("/dataset/new", headers=auth, data={
        "title": "", "name": "", "owner_org": "ikoma-city", "contact_phone": "abc", "notes": "x", "save": "",
    }).body


def test_a_bad_field_is_marked_invalid_and_described_by_its_error(app, ikoma_org, auth):
    page = _failed_submit(app, auth)
    phone = _tag(page, "field-contact_phone")
    assert 'aria-invalid="true"' in phone
    described = re.search(r'aria-describedby="([^"]+)"', phone).group(1).split()
    assert "field-contact_phone-error" in described
    error = re.search(r'id="field-contact_phone-error"[^>]*>([^<]+)<', page)
    assert error and "電話番号" in error.group(1)
    assert 'aria-invalid' not in _tag(page, "field-notes")  # only where the value is wrong


def test_help_text_is_linked_to_its_field(app, ikoma_org, auth):
    page = app.get("/dataset/new", headers=auth).body
    keywords = _tag(page, "field-keywords_en")
    assert "field-keywords_en-help" in re.search(r'aria-describedby="([^"]+)"', keywords).group(1)
    assert re.search(r'id="field-keywords_en-help"[^>]*>[\s\S]*?カンマ区切り', page)


def test_required_fields_are_marked_in_markup_and_words(app, ikoma_org, auth):
    page = app.get("/dataset/new", headers=auth).body
    assert 'aria-required="true"' in _tag(page, "field-title")
    assert 'aria-required' not in _tag(page, "field-title_en")
    label = re.search(r'<label[^>]*for="field-title"[^>]*>([\s\S]*?)</label>', page).group(1)
    assert "必須" in label
    english = app.get("/en/dataset/new", headers=auth).body
    assert "Required" in re.search(r'<label[^>]*for="field-title"[^>]*>([\s\S]*?)</label>', english).group(1)


def test_error_summary_is_an_alert_with_links_to_the_fields(app, ikoma_org, auth):
    page = _failed_submit(app, auth)
    summary = re.search(r'<div[^>]*class="error-explanation[^"]*"[^>]*>[\s\S]*?</div>', page).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary and 'id="ikoma-error-summary"' in summary
    assert 'href="#field-contact_phone"' in summary and 'href="#field-title"' in summary


def test_the_contact_requirement_is_stated_where_the_fields_are(app, ikoma_org, auth):
    page = app.get("/dataset/new", headers=auth).body
    assert "field-contact_phone-help" in _tag(page, "field-contact_phone")
    help_text = page.split('id="field-contact_phone-help"', 1)[1][:400]
    assert "電話番号・メールアドレス・問い合わせフォームURLのいずれか" in help_text


def test_an_empty_name_comes_from_the_standard_when_there_is_no_english_title(ikoma_org, sysadmin):
    from dataset_examples import valid_dataset_dict

    dataset = call_action("package_create", context={"user": sysadmin["name"]}, **valid_dataset_dict(
        ikoma_org["id"], name="", title="令和6年度 避難所一覧", title_en="", conforms_to="03"))
    assert re.fullmatch(r"designated-emergency-evacuation-sites-[0-9a-f]{6}", dataset["name"]), dataset["name"]
