"""For search engines: a paged sitemap of the public datasets and the pages of the extension, and
the canonical and hreflang links between the Japanese (unprefixed) page and its English (/en/),
Simplified Chinese (/zh_Hans_CN/) and Korean (/ko_KR/) versions."""
from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response

import ckan.plugins.toolkit as toolkit

SITEMAP_PAGE_SIZE = 1000  # Google takes 50,000 URLs a file; a smaller page keeps each search cheap
PAGE_ENDPOINTS = ("home.index", "home.about", "ikoma_standards.index", "ikoma_harvest.harvest_index",
                  "ikoma_region.index", "ikoma_statistics.statistics", "dataset.search")
SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"'

sitemap_blueprint = Blueprint("ikoma_sitemap", __name__)


# CKAN's locale -> the BCP 47 tag search engines read in hreflang
HREFLANG = {"ja": "ja", "en": "en", "zh_Hans_CN": "zh-Hans", "ko_KR": "ko"}


def _languages() -> list[str]:
    offered = toolkit.aslist(toolkit.config.get("ckan.locales_offered"))
    return [locale for locale in HREFLANG
            if locale in offered or locale == toolkit.config.get("ckan.locale_default")]


def _url(endpoint: str, lang: str, **values: Any) -> str:
    default = toolkit.config.get("ckan.locale_default") or "ja"
    return toolkit.url_for(endpoint, locale="default" if lang == default else lang, _external=True, **values)


def alternates(endpoint: str, values: dict[str, Any]) -> dict[str, str]:
    """hreflang -> URL of the same page in each offered UI language, and x-default (the Japanese)."""
    urls = {HREFLANG[locale]: _url(endpoint, locale, **values) for locale in _languages()}
    urls["x-default"] = _url(endpoint, toolkit.config.get("ckan.locale_default") or "ja", **values)
    return urls


def _entry(endpoint: str, lastmod: str = "", **values: Any) -> str:
    urls = alternates(endpoint, values)
    links = "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(url)}/>'
                    for lang, url in urls.items())
    modified = f"<lastmod>{escape(lastmod[:10])}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(urls['x-default'])}</loc>{modified}{links}</url>"


def _public_datasets(page: int) -> dict[str, Any]:
    """As the anonymous public sees them: private, draft and deleted datasets are never listed."""
    return toolkit.get_action("package_search")({"user": ""}, {
        "q": "*:*", "fq": "+dataset_type:dataset", "rows": SITEMAP_PAGE_SIZE,
        "start": (page - 1) * SITEMAP_PAGE_SIZE, "sort": "name asc", "include_private": False,
        "fl": "name,metadata_modified"})


def _xml(body: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, mimetype="application/xml")


@sitemap_blueprint.route("/sitemap.xml")
def sitemap_index():
    pages = -(-_public_datasets(1)["count"] // SITEMAP_PAGE_SIZE)
    urls = [toolkit.url_for("ikoma_sitemap.sitemap_pages", _external=True)] + [
        toolkit.url_for("ikoma_sitemap.sitemap_datasets", page=n, _external=True) for n in range(1, pages + 1)]
    return _xml('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls) + "</sitemapindex>")


@sitemap_blueprint.route("/sitemap-pages.xml")
def sitemap_pages():
    from ckanext.ikoma.standards import standard_datasets

    entries = [_entry(e) for e in PAGE_ENDPOINTS]
    entries += [_entry("ikoma_standards.read", number=n) for n in standard_datasets()]
    return _xml(f"<urlset {SITEMAP_NS}>" + "".join(entries) + "</urlset>")


@sitemap_blueprint.route("/sitemap-datasets-<int:page>.xml")
def sitemap_datasets(page: int):
    result = _public_datasets(page) if page >= 1 else {"results": []}
    if not result["results"]:
        return toolkit.abort(404, toolkit._("No such sitemap page"))
    entries = [_entry("dataset.read", d.get("metadata_modified") or "", id=d["name"]) for d in result["results"]]
    return _xml(f"<urlset {SITEMAP_NS}>" + "".join(entries) + "</urlset>")


def page_links() -> dict[str, Any]:
    """canonical and hreflang URLs of the page being rendered (a template helper)."""
    from flask import request

    if request.endpoint is None or request.blueprint == "api":
        return {}
    values = dict(request.view_args or {})
    try:
        urls = alternates(request.endpoint, values)
        lang = toolkit.h.lang() or toolkit.config.get("ckan.locale_default") or "ja"
        canonical = urls.get(HREFLANG.get(lang, lang)) or urls["x-default"]
    except Exception:  # an endpoint url_for cannot rebuild (e.g. error pages)
        return {}
    if request.args:  # searches and filters are pages of their own
        canonical += "?" + request.query_string.decode("latin-1")
    return {"canonical": canonical, "alternates": urls}
