"""Issue 14, Truly bilingual: Simplified Chinese and Korean UIs. CKAN core names them zh_Hans_CN
and ko_KR (its catalogues in ckan/i18n/), so the extension's catalogues and the URL prefixes do too.
The extension's own strings come from i18n/<locale>; what exists only in ja and en (vocabulary
labels, jp/messages.yaml, title_en) reads in English there, never in Japanese, never empty."""
import re

import pytest

# locale, then Search datasets, Data item dictionary, The region at a glance, Active, State: the catalogues
CHINESE = ("zh_Hans_CN", "搜索数据集", "数据项词典", "地区开放数据一览", "已公开", "状态")
KOREAN = ("ko_KR", "데이터 세트 검색", "데이터 항목 사전", "지역 오픈 데이터 한눈에 보기", "공개 중", "상태")


@pytest.fixture(params=[CHINESE, KOREAN], ids=lambda strings: strings[0])
def ui(request):
    return request.param


def test_home_page_in_the_language_with_english_theme_labels(app, create_dataset, ui):
    create_dataset()
    page = app.get(f"/{ui[0]}/", follow_redirects=False)
    assert page.status_code == 200
    assert ui[1] in page.body
    assert "Social security and health" in page.body and "社会保障・衛生" not in page.body
    assert f'<html lang="{ui[0].replace("_", "-")}"' in page.body


def _row(page, label):
    found = re.search(rf'{label}</th>\s*<td class="dataset-details">\s*([^<]*?)\s*<', page)
    return found and found.group(1)


def test_dataset_page_falls_back_to_english_data(app, create_dataset, sysadmin, ui):
    dataset = create_dataset()
    page = app.get(f"/{ui[0]}/dataset/{dataset['name']}", follow_redirects=False,
                   headers={"Authorization": sysadmin["token"]})
    assert page.status_code == 200
    assert re.search(r"<h1[^>]*>\s*AED locations", page.body)  # title_en, not AED設置箇所一覧
    assert _row(page.body, "Theme") == "Social security and health"  # schema and vocabulary: ja/en
    assert _row(page.body, "Access rights") == "Public"
    assert _row(page.body, "Conforms to \\(standard dataset\\)") == "AED locations"
    assert _row(page.body, ui[5]) == ui[4]  # the state row, from the catalogue


def test_standard_datasets_page(app, clean_db, ui):
    page = app.get(f"/{ui[0]}/standard-datasets", follow_redirects=False)
    assert page.status_code == 200
    assert ui[2] in page.body
    assert re.search(r'standard-datasets/13">Public toilets</a>', page.body)  # English name first


def test_region_page(app, clean_db, ui):
    page = app.get(f"/{ui[0]}/region", follow_redirects=False)
    assert page.status_code == 200
    assert ui[3] in page.body


@pytest.mark.parametrize("path, chinese, korean", [
    ("/neighbours", "周边市町村的目录", "인근 지자체의 카탈로그"),
    ("/statistics", "统计领域", "통계 분야"),
])
def test_other_extension_pages(app, clean_db, ui, path, chinese, korean):
    page = app.get(f"/{ui[0]}{path}", follow_redirects=False)
    assert page.status_code == 200
    assert (chinese if ui is CHINESE else korean) in page.body


def test_field_error_in_english_on_a_chinese_form(app, ikoma_org, sysadmin):
    """messages.yaml has ja and en only: the Chinese form shows the English message alone."""
    body = app.post("/zh_Hans_CN/dataset/new", headers={"Authorization": sysadmin["token"]}, data={
        "title": "AED設置箇所一覧", "name": "ikoma-aed-form", "owner_org": "ikoma-city",
        "contact_phone": "abc", "notes": "x", "save": "",
    }).body
    assert "phone" in body.lower() and "電話番号は" not in body


def test_every_ui_but_japanese_reads_the_english_half():
    from ckanext.ikoma.vocabularies import text_language

    assert [text_language(lang) for lang in ("ja", "en", "zh_Hans_CN", "ko_KR", None)] == \
        ["ja", "en", "en", "en", "ja"]
