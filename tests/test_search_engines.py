"""Issue 14, found by search engines: schema.org Dataset JSON-LD on dataset pages, a paged sitemap
of public datasets only, canonical and hreflang links between the ja, en, zh and ko pages. Each test parses
what the site serves."""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from ckan.tests.helpers import call_action

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">([\s\S]*?)</script>', page)
    assert blocks, "no JSON-LD"
    return json.loads(blocks[0])


def _nodes(document):
    return document.get("@graph", [document])


def test_dataset_page_carries_schema_org_dataset_with_ikoma_fields(app, create_dataset, sysadmin, ikoma_org):
    call_action("organization_patch", context={"user": sysadmin["name"]}, id=ikoma_org["id"], lg_code="292095",
                title_en="Ikoma City")
    dataset = create_dataset(title_en="AED locations", notes_en="Where the AEDs are", spatial_lg_codes="292095",
                             license_id="cc-by")
    document = _json_ld(app.get(f"/dataset/{dataset['name']}").body)
    nodes = _nodes(document)
    found = [n for n in nodes if "schema:Dataset" in str(n.get("@type")) or n.get("@type") == "Dataset"]
    assert len(found) == 1, nodes
    text = json.dumps(document, ensure_ascii=False)
    for expected in ('"AED設置箇所一覧"', '"AED locations"', '"Where the AEDs are"', '"292095"', "奈良県生駒市",
                     "https://creativecommons.org/licenses/by/4.0/", '"Ikoma City"', "DataDownload"):
        assert expected in text, expected
    assert '"@language": "en"' in text and '"@language": "ja"' in text


def _sitemap(app, path):
    response = app.get(path)
    assert response.status_code == 200 and "xml" in response.headers["Content-Type"]
    return ET.fromstring(response.get_data())


def test_sitemap_lists_public_datasets_only(app, clean_index, create_dataset, sysadmin):
    create_dataset(name="public-one")
    create_dataset(name="private-one", private=True)
    create_dataset(name="draft-one", state="draft")
    deleted = create_dataset(name="deleted-one")
    call_action("package_delete", context={"user": sysadmin["name"]}, id=deleted["id"])

    index = _sitemap(app, "/sitemap.xml")
    parts = [loc.text for loc in index.iter(SM + "loc")]
    assert any(p.endswith("/sitemap-pages.xml") for p in parts)
    dataset_parts = [p for p in parts if "/sitemap-datasets-" in p]
    assert len(dataset_parts) == 1
    urls = []
    for part in dataset_parts:
        tree = _sitemap(app, part.replace("http://test.ckan.net", ""))
        urls += [loc.text for loc in tree.iter(SM + "loc")]
        alternates = {link.get("hreflang"): link.get("href") for link in tree.iter(XHTML + "link")}
        assert alternates["en"].endswith("/en/dataset/public-one")
        assert alternates["zh-Hans"].endswith("/zh_Hans_CN/dataset/public-one")
        assert alternates["ko"].endswith("/ko_KR/dataset/public-one")
    assert urls == ["http://test.ckan.net/dataset/public-one"]
    assert app.get("/sitemap-datasets-2.xml").status_code == 404

    pages = [loc.text for loc in _sitemap(app, "/sitemap-pages.xml").iter(SM + "loc")]
    assert "http://test.ckan.net/standard-datasets/13" in pages and "http://test.ckan.net/about" in pages


def test_sitemap_is_paged(app, clean_index, create_dataset, monkeypatch):
    from ckanext.ikoma import seo

    monkeypatch.setattr(seo, "SITEMAP_PAGE_SIZE", 2)
    for n in range(3):
        create_dataset(name=f"dataset-{n}")
    parts = [loc.text for loc in _sitemap(app, "/sitemap.xml").iter(SM + "loc") if "/sitemap-datasets-" in loc.text]
    assert len(parts) == 2
    second = [loc.text for loc in _sitemap(app, "/sitemap-datasets-2.xml").iter(SM + "loc")]
    assert second == ["http://test.ckan.net/dataset/dataset-2"]


@pytest.mark.parametrize("path, canonical", [
    ("/dataset/ikoma-aed", "http://test.ckan.net/dataset/ikoma-aed"),
    ("/en/dataset/ikoma-aed", "http://test.ckan.net/en/dataset/ikoma-aed"),
    ("/en/standard-datasets/13", "http://test.ckan.net/en/standard-datasets/13"),
    ("/ko_KR/dataset/ikoma-aed", "http://test.ckan.net/ko_KR/dataset/ikoma-aed"),
    ("/zh_Hans_CN/neighbours/", "http://test.ckan.net/zh_Hans_CN/neighbours/"),
])
def test_canonical_and_hreflang_links(app, create_dataset, path, canonical):
    create_dataset()
    page = app.get(path).body
    assert re.findall(r'<link rel="canonical" href="([^"]+)"', page) == [canonical]
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page))
    tail = re.sub(r"^/(en|ko_KR|zh_Hans_CN)/", "/", canonical.replace("http://test.ckan.net", ""))
    assert alternates == {"ja": "http://test.ckan.net" + tail, "en": "http://test.ckan.net/en" + tail,
                          "zh-Hans": "http://test.ckan.net/zh_Hans_CN" + tail,
                          "ko": "http://test.ckan.net/ko_KR" + tail, "x-default": "http://test.ckan.net" + tail}


def test_robots_txt_names_the_sitemap(app, clean_db):
    assert "Sitemap: http://test.ckan.net/sitemap.xml" in app.get("/robots.txt").body
