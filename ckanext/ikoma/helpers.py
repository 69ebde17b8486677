"""Template helpers: vocabulary choices for scheming forms (cached) and readable labels."""
from __future__ import annotations

import functools
import json
from typing import Any, Optional

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma import vocabularies


@functools.lru_cache(maxsize=None)
def _choices(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"value": t.value, "label": {"ja": t.ja, "en": t.en}}
        for t in vocabularies.vocabulary(name)
    )


def ikoma_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming `choices_helper`: the terms of the vocabulary the field names, built once."""
    return list(_choices(field["vocabulary"]))


def _lang() -> str:
    try:
        return toolkit.h.lang() or "ja"
    except Exception:  # outside a request
        return toolkit.config.get("ckan.locale_default") or "ja"


def ikoma_text_language() -> str:
    """'ja' or 'en': which half of the ja/en data a page shows (English in the zh and ko UIs)."""
    return vocabularies.text_language(_lang())


def ikoma_vocabulary_label(name: str, value: Optional[str]) -> str:
    term = vocabularies.vocabulary(name).get(value) if value else None
    return term.label(_lang()) if term else (value or "")


def ikoma_local_government(code: Optional[str]) -> Optional[vocabularies.LocalGovernment]:
    return vocabularies.local_governments().get(code) if code else None


def ikoma_harvest_unmapped(pkg: dict[str, Any]) -> dict[str, list[str]]:
    """The values a harvested dataset had upstream that the schema could not take."""
    from ckanext.ikoma.harvesters.mapping import read_unmapped

    return read_unmapped(pkg.get("harvest_unmapped"))


def ikoma_harvest_progress(source_id: str):
    """The source's last job's progress (logic/harvest_progress.JobProgress), None before any job."""
    from ckanext.ikoma.logic.harvest_progress import job_progress
    from ckanext.ikoma.logic.harvest_report import last_job

    job = last_job(source_id)
    return job_progress(job) if job is not None else None


def ikoma_harvest_raw_values(pkg: dict[str, Any]) -> dict[str, list[str]]:
    """The text a harvested dataset's mapped values were read from (年1回 for annual)."""
    from ckanext.ikoma.harvesters.mapping import read_unmapped

    return read_unmapped(pkg.get("harvest_raw_values"))


def ikoma_datetime(value: Any, with_time: bool = True) -> str:
    from ckanext.ikoma.bilingual import locale_datetime

    return locale_datetime(value, with_time)


def ikoma_safe_url(value: Any) -> str:
    """The value when it may be a link target (an http(s) URL), else '': values stored before URLs
    were checked, or sent by another catalog, never become a javascript: or data: link."""
    from ckanext.ikoma.jp.contact import safe_link

    return safe_link(value)


def ikoma_as_list(value: Any) -> list[str]:
    """Stored JSON lists (and plain strings) as a list, for display snippets and forms."""
    if isinstance(value, list):
        return value
    if not value:
        return []
    try:
        loaded = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return loaded if isinstance(loaded, list) else [str(loaded)]


def ikoma_license_options() -> list[tuple[str, str]]:
    """(title, id) of the licences in the user's language, in vocabulary order."""
    lang = _lang()
    return [(t.label(lang), t.value) for t in vocabularies.vocabulary("licenses")]


def ikoma_resource_validation(resource_id: str) -> Optional[dict[str, Any]]:
    from ckanext.ikoma.model import ResourceValidation

    row = ResourceValidation.get(resource_id)
    return row.as_dict() if row else None


def ikoma_package_score(package_id: str) -> Optional[float]:
    from ckanext.ikoma.logic.validation import package_score

    return package_score(package_id)


def ikoma_package_conformance(package_id: str) -> Optional[dict[str, Any]]:
    """Score (share of rows without errors), error and warning counts of the dataset's CSV files."""
    from ckanext.ikoma.logic.validation import package_conformance_summary

    return package_conformance_summary(package_id)


def ikoma_message(code: str, **params: Any) -> str:
    """A text of the one message catalogue (jp/messages.yaml) in the page's language."""
    from ckanext.ikoma.jp.errors import message

    return message(code, ikoma_text_language(), **params)


def ikoma_percent(value: Optional[float]) -> str:
    """99.9, 100, 0: one decimal at most."""
    return "" if value is None else f"{value:g}"


@toolkit.chained_helper
def dcat_get_endpoint(next_helper, _type: str = "dataset") -> str:
    """ckanext-dcat's templates link to the RDF endpoints through this helper: Ikoma's when it
    serves them (ckanext.dcat.enable_rdf_endpoints = false)."""
    from ckanext.ikoma.views import serves_catalog

    if serves_catalog():
        return "ikoma_catalog.read_dataset" if _type == "dataset" else "ikoma_catalog.read_catalog"
    return next_helper(_type)


def ikoma_dataset_quality(package_id: str) -> Optional[dict[str, Any]]:
    from ckanext.ikoma.quality.summary import dataset_quality

    return dataset_quality(package_id)


def ikoma_quality_rating_label(rating: Optional[str]) -> str:
    from ckanext.ikoma.quality.mqa import definitions

    term = next((r for r in definitions()["ratings"] if r["value"] == rating), None)
    if term is None:
        return ""
    return term[ikoma_text_language()]


def ikoma_imi_available(resource_id: str) -> bool:
    """Whether the validation job kept an IMI (共通語彙基盤) form of the resource."""
    from ckanext.ikoma.logic.imi_distribution import has_imi

    return bool(resource_id) and has_imi(resource_id)


def ikoma_page_links() -> dict[str, Any]:
    from ckanext.ikoma.seo import page_links

    return page_links()


def ikoma_licenses() -> list[vocabularies.Term]:
    return list(vocabularies.vocabulary("licenses"))


def ikoma_home_page():
    from ckanext.ikoma.home import home_page

    return home_page(_lang())


def all_helpers() -> dict[str, Any]:
    helpers = {name: fn for name, fn in globals().items() if name.startswith("ikoma_") and callable(fn)}
    helpers["dcat_get_endpoint"] = dcat_get_endpoint
    from ckanext.ikoma import bilingual

    helpers.update(bilingual.all_helpers())  # core helpers chained to read ja/en in the UI's language
    return helpers
