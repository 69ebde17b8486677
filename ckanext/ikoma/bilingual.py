"""Pages in the UI's language only: which language a request reads in, the ja/en pairs of fields
(`title_en`, `notes_en`) and messages picked for it, dates in the locale's own format.
The API, the CLI and background jobs have no UI language: they keep both languages."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import ckan.plugins.toolkit as toolkit

from ckanext.ikoma.vocabularies import text_language

# Fields whose English version is a field of its own (schemas/dataset.yaml, resource fields).
ENGLISH_FIELDS = {"title": "title_en", "notes": "notes_en", "name": "name_en", "description": "description_en"}


def ui_language() -> Optional[str]:
    """'ja' or 'en' on a web page (English in the zh_Hans_CN and ko_KR UIs too); None for the API
    and outside a request (both languages)."""
    from flask import has_request_context, request

    if not has_request_context() or request.blueprint == "api":
        return None
    try:
        return text_language(toolkit.h.lang())
    except Exception:  # a request without CKAN's i18n set up (e.g. a bare test request)
        return None


def pick(ja: str, en: str) -> str:
    """One text on a page, both ('ja / en') where no UI language applies."""
    lang = ui_language()
    if lang is None:
        return f"{ja} / {en}"
    return en if lang == "en" else ja


def in_ui_language(text: str) -> str:
    """A stored 'ja / en' text (a job's or fetcher's message) in the UI's language."""
    ja, sep, en = (text or "").partition(" / ")
    lang = ui_language()
    if not sep or lang is None:
        return text
    return en if lang == "en" else ja


@toolkit.chained_helper
def get_translated(next_helper, data_dict: dict[str, Any], field: str):
    """CKAN's `get_translated`, which reads `<field>_translated`, also reads Ikoma's `<field>_en`."""
    english = ENGLISH_FIELDS.get(field)
    if english and ui_language() == "en" and isinstance(data_dict, dict) and data_dict.get(english):
        return data_dict[english]
    return next_helper(data_dict, field)


@toolkit.chained_helper
def dataset_display_name(next_helper, package):
    if isinstance(package, dict):
        return get_translated(_core_get_translated, package, "title") or package.get("name")
    return next_helper(package)


def _core_get_translated(data_dict, field):
    from ckan.lib.helpers import get_translated as core

    return core(data_dict, field)


def locale_datetime(value: Any, with_time: bool = True) -> str:
    """A date (and time) in the UI's locale: 2026年12月2日 13:15 / Dec 2, 2026 13:15 (core's
    render_datetime gives 「12月 2, 2026, 07:43」 in Japanese). Naive values are UTC, as CKAN
    stores them; shown in ckan.display_timezone. The one date rule of the extension's pages."""
    from babel.dates import format_skeleton, format_time

    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    value = value.astimezone(toolkit.h.get_display_timezone())
    locale = str(toolkit.h.lang() or "ja")  # Babel knows every locale CKAN offers (zh_Hans_CN, ko_KR)
    text = format_skeleton("yMMMd", value, locale=locale)
    return f"{text} {format_time(value, 'H:mm', locale=locale)}" if with_time else text


@toolkit.chained_helper
def render_datetime(next_helper, datetime_, date_format=None, with_hours=False, with_seconds=False):
    """Core's pattern with hours is English in every locale: with hours and no explicit format,
    the extension's locale rule instead."""
    if date_format or not with_hours or with_seconds:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    value = datetime_
    if isinstance(value, str):
        try:
            value = toolkit.h.date_str_to_datetime(value)
        except (TypeError, ValueError):
            return ""
    if not isinstance(value, dt.datetime):
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    return locale_datetime(value)


@toolkit.chained_helper
def scheming_language_text(next_helper, text, prefer_lang=None):
    """Schema labels are {ja, en}: scheming falls back to the default locale (ja) for a UI language
    they lack; the zh_Hans_CN and ko_KR UIs read the English label instead."""
    if prefer_lang is None and isinstance(text, dict):
        lang = ui_language()
        if lang and toolkit.h.lang() not in text:
            prefer_lang = lang
    return next_helper(text, prefer_lang)


@toolkit.chained_helper
def scheming_choices_label(next_helper, choices, value):
    """The same for a choice's label, which scheming looks up without going through the helper."""
    label = next((c.get("label") for c in choices or () if c.get("value") == value), None)
    lang = ui_language()
    if lang and isinstance(label, dict) and toolkit.h.lang() not in label and label.get(lang):
        return label[lang]
    return next_helper(choices, value)


def facet_labels(search_results: dict[str, Any], labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Facet items whose indexed value is bilingual shown in the UI's language."""
    lang = ui_language()
    if lang is None:
        return search_results
    for field, by_value in labels.items():
        facet = (search_results.get("search_facets") or {}).get(field)
        for item in (facet or {}).get("items", []):
            if item.get("name") in by_value:
                item["display_name"] = by_value[item["name"]][lang]
    return search_results


def all_helpers() -> dict[str, Any]:
    return {"get_translated": get_translated, "dataset_display_name": dataset_display_name,
            "render_datetime": render_datetime, "ikoma_in_ui_language": in_ui_language,
            "scheming_language_text": scheming_language_text, "scheming_choices_label": scheming_choices_label}
