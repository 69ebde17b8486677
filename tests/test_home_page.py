"""Issue 14, Pages: a home page for residents instead of CKAN's placeholder, and an About page in
Japanese and English. The figures are what the public may see: private and draft datasets never count."""
import re

from ckan.tests.helpers import call_action


def test_home_page_has_search_themes_standards_latest_kpi_and_neighbours(app, clean_index, create_dataset, sysadmin,
                                                                       ikoma_org):
    create_dataset(name="ikoma-aed", title="AED設置箇所一覧", theme=["social-security-health"], conforms_to="08")
    create_dataset(name="ikoma-hidden", title="非公開データ", private=True, theme=["social-security-health"])
    create_dataset(name="ikoma-draft", title="下書きデータ", state="draft")
    org = call_action("organization_create", context={"user": sysadmin["name"]}, name="293423",
                      title="平群町", lg_code="293423")
    call_action("harvest_source_create", context={"user": sysadmin["name"]}, url="http://127.0.0.2:9/c.ttl",
                name="heguri", title="平群町カタログ", source_type="ikoma_dcat", owner_org=org["id"], frequency="MANUAL")

    page = app.get("/").body
    assert "CKANへようこそ" not in page and "Welcome to CKAN" not in page
    assert re.search(r'<form[^>]*role="search"[^>]*action="/dataset/"|<form[^>]*action="/dataset/"[^>]*role="search"', page)
    themes = re.findall(r'href="/dataset/\?vocab_theme=([a-z-]+)"', page)
    assert len(themes) == 17
    assert re.search(r'vocab_theme=social-security-health">社会保障・衛生</a>\s*<span class="text-muted">\(1\)', page)
    assert "1 件の公開データセット" in page  # the KPI figure: the private and the draft one do not count
    assert 'href="/dataset/ikoma-aed"' in page and "非公開データ" not in page and "下書きデータ" not in page
    assert "AED設置箇所一覧" in page and 'href="/dataset/?conforms_to=08"' in page
    assert 'href="/standard-datasets/"' in page and 'href="/neighbours/heguri"' in page
    assert 'href="/region/"' in page and 'href="/statistics/"' in page

    english = app.get("/en/").body
    assert "Social security and health" in english and "1 public datasets" in english
    assert 'href="/en/dataset/ikoma-aed"' in english


def test_theme_links_find_the_datasets_of_the_theme(app, clean_index, create_dataset):
    create_dataset(name="ikoma-aed", theme=["social-security-health"])
    create_dataset(name="ikoma-pop", title="人口", theme=["population-households"])
    page = app.get("/dataset/?vocab_theme=social-security-health").body
    assert 'href="/dataset/ikoma-aed"' in page and 'href="/dataset/ikoma-pop"' not in page


def test_about_page_in_japanese_and_english(app, clean_db):
    japanese = app.get("/about").body
    assert "生駒市オープンデータカタログについて" in japanese and "公共データ利用規約" in japanese
    assert "CC BY 4.0" in japanese and "Welcome to" not in japanese
    english = app.get("/en/about").body
    assert "About the Ikoma City open data catalog" in english and "reuse" in english
    assert "生駒市オープンデータカタログについて" not in english
