"""Creating and updating datasets, resources and organizations through real CKAN actions and the
HTTP API, with valid and invalid input. Invalid input is a field error (409), never a 500, and
nothing is saved."""
import json

import pytest

import ckan.logic as logic
import ckan.model as model
import ckan.plugins.toolkit as toolkit
from ckan.lib.navl.dictization_functions import validate
from ckan.tests.helpers import call_action

from dataset_examples import valid_dataset_dict


def _valid_dataset(org, **overrides):
    return valid_dataset_dict(org["id"], **overrides)


@pytest.fixture
def org(ikoma_org, sysadmin):
    return call_action("organization_patch", context={"user": sysadmin["name"]},
                       id=ikoma_org["id"], lg_code="292095")


@pytest.fixture
def ctx(sysadmin):
    return {"user": sysadmin["name"]}


def _errors(ctx, action, **data):
    with pytest.raises(logic.ValidationError) as e:
        call_action(action, context=dict(ctx), **data)
    return e.value.error_dict


def _package_count():
    return model.Session.query(model.Package).filter(model.Package.state != "deleted").count()


class TestDatasetCreate:
    def test_values_are_normalised_and_stored(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org))
        assert dataset["theme"] == ["social-security-health"]
        assert dataset["frequency"] == "annual"
        assert dataset["temporal"] == "2024-04-01/2025-03-31"
        assert dataset["issued"] == "2024-04-01"
        assert dataset["modified"] == "2024-05-01"
        assert dataset["language"] == ["ja"]
        assert dataset["access_rights"] == "public"
        assert dataset["license_id"] == "cc-by"
        assert dataset["spatial_lg_codes"] == ["292095"]  # the publisher's code
        [resource] = dataset["resources"]
        assert resource["character_encoding"] == "utf-8-sig"
        assert resource["status"] == "available"
        assert resource["modified"]  # defaults to today

    def test_dataset_is_found_by_its_japanese_title_and_english_title(self, org, ctx, clean_index):
        call_action("package_create", context=ctx, **_valid_dataset(org))
        assert call_action("package_search", q="設置")["count"] == 1

    def test_empty_name_gets_one_from_the_english_title(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org, name=""))
        assert dataset["name"] == "aed-locations"

    def test_licence_titles_are_published_through_ckan_licence_register(self):
        licences = {lic["id"]: lic for lic in call_action("license_list")}
        assert licences["pdl-1.0"]["title_en"] == "Public Data License version 1.0 (PDL1.0)"
        assert licences["cc-by"]["url"] == "https://creativecommons.org/licenses/by/4.0/"

    @pytest.mark.parametrize("field, value, code_word", [
        ("contact_phone", "0743-74-111", "電話番号"),
        ("contact_email", "opendata@", "メールアドレス"),
        ("url", "javascript:alert(1)", "URL"),
        ("issued", "平成31年5月1日", "平成"),
        ("issued", "令和6年2月30日", "存在しない日付"),
        ("temporal", "2025-03-31/2024-04-01", "終了日"),
        ("spatial_lg_codes", "292096", "検査数字"),
        ("spatial_lg_codes", "292095, 999997", "該当する地方公共団体がありません"),
        ("frequency", "気が向いたら", "選択肢"),
        ("theme", ["人口・世帯", "宇宙"], "選択肢"),
        ("title", "タイトル\x00", "制御文字"),
        ("notes", "あ" * 20001, "20000文字以内"),
    ])
    def test_invalid_value_is_a_field_error_and_nothing_is_saved(self, org, ctx, field, value, code_word):
        before = _package_count()
        errors = _errors(ctx, "package_create", **_valid_dataset(org, **{field: value}))
        assert list(errors) == [field]
        [message] = errors[field][:1]
        assert code_word in message and " / " in message  # Japanese, then English
        assert _package_count() == before

    def test_no_way_to_reach_the_contact(self, org, ctx):
        errors = _errors(ctx, "package_create", **_valid_dataset(
            org, contact_phone="", contact_email="", contact_url=""))
        assert "いずれか" in errors["contact_phone"][0]

    def test_title_and_description_are_required(self, org, ctx):
        errors = _errors(ctx, "package_create", **_valid_dataset(org, title="", notes="", conforms_to=""))
        assert set(errors) == {"title", "notes"}

    def test_conforming_to_a_standard_dataset_adds_bodik_tags_and_fills_title_and_theme(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(
            org, title="", theme=[], conforms_to="13", tag_string="トイレ"))
        assert dataset["title"] == "公衆トイレ一覧"
        assert dataset["theme"] == ["social-security-health"]
        assert {t["name"] for t in dataset["tags"]} == {"トイレ", "自治体標準ODS", "公衆トイレ"}

    def test_standard_dataset_tags_are_added_once_with_a_tag_list(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(
            org, conforms_to="08", tags=[{"name": "AED"}, {"name": "自治体標準ODS"}]))
        assert sorted(t["name"] for t in dataset["tags"]) == sorted(["AED", "自治体標準ODS", "AED設置箇所"])
        assert dataset["title"] == "AED設置箇所一覧"  # the curator's title is kept

    def test_a_bad_resource_fails_the_whole_dataset(self, org, ctx):
        before = _package_count()
        resource = dict(_valid_dataset(org)["resources"][0], issued="2024-99-99")
        errors = _errors(ctx, "package_create", **_valid_dataset(org, resources=[resource]))
        assert "resources" in errors
        assert _package_count() == before


class TestDatasetUpdate:
    def test_update_normalises_and_invalid_update_changes_nothing(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org))
        updated = call_action("package_patch", context=ctx, id=dataset["id"], frequency="毎月",
                              contact_phone="(0743)74-1111")
        assert updated["frequency"] == "monthly"
        errors = _errors(ctx, "package_patch", id=dataset["id"], contact_phone="電話してね")
        assert "contact_phone" in errors
        assert call_action("package_show", id=dataset["id"])["contact_phone"] == "(0743)74-1111"

    def test_clearing_an_optional_choice(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org))
        updated = call_action("package_patch", context=ctx, id=dataset["id"], frequency="")
        assert not updated.get("frequency")


class TestResources:
    def test_resource_create_and_invalid_resource_is_not_saved(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org))
        resource = call_action("resource_create", context=ctx, package_id=dataset["id"],
                               url="https://example.org/b.csv", name="追加", description="説明",
                               status="配信準備中", license="PDL1.0", size="１，０２４")
        assert (resource["status"], resource["license"], resource["size"]) == ("in-preparation", "pdl-1.0", 1024)
        errors = _errors(ctx, "resource_create", package_id=dataset["id"], url="https://example.org/c.csv",
                         name="壊れた", description="説明", modified="令和元年4月30日")
        assert "modified" in errors
        assert len(call_action("package_show", id=dataset["id"])["resources"]) == 2

    def test_empty_form_values_are_not_a_500(self, org, ctx):
        # What the web form posts for untouched optional fields.
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org))
        resource = call_action("resource_create", context=ctx, package_id=dataset["id"],
                               url="https://example.org/d.csv", name="空欄", description="説明",
                               size="", issued="", name_en="", language="", license="", mimetype="")
        assert not resource.get("size")

    def test_resource_title_and_description_are_required(self, org, ctx):
        dataset = call_action("package_create", context=ctx, **_valid_dataset(org))
        errors = _errors(ctx, "resource_create", package_id=dataset["id"], url="https://example.org/c.csv")
        assert {"name", "description"} <= set(errors)


class TestOrganizations:
    def test_code_is_normalised_and_prefecture_follows(self, ctx, clean_db):
        org = call_action("organization_create", context=ctx, name="nara-city", title="奈良市",
                          title_en="Nara City", lg_code="２９２０１", corporate_number="7000012050002")
        assert (org["lg_code"], org["prefecture"]) == ("292010", "290009")

    def test_code_must_be_unique_among_organizations(self, org, ctx):
        errors = _errors(ctx, "organization_create", name="ikoma-copy", title="生駒市（複製）", lg_code="292095")
        assert "生駒市" in errors["lg_code"][0]
        assert model.Group.get("ikoma-copy") is None
        # saving the organization that holds the code is fine
        call_action("organization_patch", context=ctx, id=org["id"], lg_code="292095", title_en="Ikoma City")

    @pytest.mark.parametrize("field, value", [
        ("lg_code", "292096"), ("lg_code", "12345"), ("corporate_number", "7000012050003"),
        ("homepage", "city.ikoma.lg.jp"), ("contact_phone", "0743"), ("prefecture", "ムー大陸"),
    ])
    def test_invalid_organization_fields(self, ctx, clean_db, field, value):
        errors = _errors(ctx, "organization_create", name="bad-org", title="悪い組織", **{field: value})
        assert list(errors) == [field]
        assert model.Group.get("bad-org") is None


class TestHttpApi:
    def _post(self, app, sysadmin, action, data):
        return app.post(f"/api/3/action/{action}", json=data,
                        headers={"Authorization": sysadmin["token"]}, status=None)

    def test_invalid_input_is_409_with_field_key_and_message(self, app, org, sysadmin):
        response = self._post(app, sysadmin, "package_create",
                              _valid_dataset(org, issued="令和6年2月30日"))
        assert response.status_code == 409
        error = response.json["error"]
        assert error["__type"] == "Validation Error"
        assert "存在しない日付" in error["issued"][0]
        assert "not a real date" in error["issued"][0]

    def test_ten_megabyte_description_is_a_field_error_not_a_500(self, app, org, sysadmin):
        response = self._post(app, sysadmin, "package_create",
                              _valid_dataset(org, notes="あ" * (10 * 1024 * 1024 // 3)))
        assert response.status_code == 409
        assert "notes" in response.json["error"]

    def test_html_in_text_fields_is_escaped_on_display(self, app, org, sysadmin):
        script = "<script>alert('x')</script>"
        response = self._post(app, sysadmin, "package_create", _valid_dataset(
            org, title=f"AED{script}", creator=script, contact_department=script))
        assert response.status_code == 200, response.body
        page = app.get("/dataset/ikoma-aed").body
        assert script not in page
        assert "&lt;script&gt;" in page


def test_latitude_validator_is_registered_for_ckan_schemas():
    schema = {"lat": [toolkit.get_validator("ikoma_latitude")], "lng": [toolkit.get_validator("ikoma_longitude")]}
    data, errors = validate({"lat": "３４．６９", "lng": "135.70"}, schema, {})
    assert data == {"lat": "34.69", "lng": "135.70"} and not errors
    data, errors = validate({"lat": "-34.69", "lng": "200"}, schema, {})
    assert "緯度" in errors["lat"][0] and "経度" in errors["lng"][0]


@pytest.mark.parametrize("number, tag", [("15", "食品等営業許可・届出"), ("04", "地域・年齢別人口")])
def test_declaring_a_standard_whose_tag_has_a_middle_dot(create_dataset, number, tag):
    """Declaring 15 or 04 adds the standard's own tag, which has a 「・」: CKAN's tag characters
    refused it, so the dataset could not be saved at all."""
    dataset = create_dataset(conforms_to=number, tag_string="防災")
    assert tag in {t["name"] for t in dataset["tags"]}


def test_tags_still_refuse_markup(create_dataset):
    with pytest.raises(toolkit.ValidationError) as caught:
        create_dataset(tag_string="防災,<b>")
    message = json.dumps(caught.value.error_dict, ensure_ascii=False)
    assert "使えない文字" in message
