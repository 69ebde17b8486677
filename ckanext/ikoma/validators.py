"""CKAN-facing validators: thin adapters from the pure checks in `jp/` to CKAN's navl validators.

A check returns the normalised value or raises `JpValueError`; here that error becomes a field
error with the Japanese and English messages, and the field's later validators are skipped.
Empty values are left to `scheming_required` (not_empty / ignore_missing).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from typing import Any, Callable

from ckan import model
from ckan.lib.navl.dictization_functions import Missing, StopOnError, missing
import ckan.plugins.toolkit as toolkit
from ckanext.scheming.validation import scheming_validator

from ckanext.ikoma import vocabularies
from ckanext.ikoma.compat import extra_value
from ckanext.ikoma.jp import JpValueError
from ckanext.ikoma.jp import codes, contact, dates, geo, numbers, text

SINGLE_LINE_MAX = 500
LONG_TEXT_MAX = 20_000
JST = dt.timezone(dt.timedelta(hours=9))


def error_text(error: JpValueError) -> str:
    """A field error in the form's language; in API responses Japanese, then English."""
    from ckanext.ikoma.bilingual import pick

    return pick(error.ja, error.en)


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or isinstance(value, Missing) or value == [] or (
        isinstance(value, str) and not value.strip()
    )


def _from_check(check: Callable[[str], str]) -> Callable:
    """A navl validator from a pure check."""
    def validator(key, data, errors, context):
        value = data.get(key)
        if _is_empty(value):
            if isinstance(value, str):
                data[key] = ""
            return
        try:
            data[key] = check(str(value))
        except JpValueError as e:
            errors[key].append(error_text(e))
            raise StopOnError
    validator.__name__ = f"ikoma_{check.__name__}"
    return validator


ikoma_phone = _from_check(contact.normalize_phone)
ikoma_postal_code = _from_check(contact.normalize_postal_code)
ikoma_email = _from_check(contact.normalize_email)
ikoma_url = _from_check(contact.normalize_url)
ikoma_uri = _from_check(contact.normalize_uri)
ikoma_url_or_file = _from_check(contact.normalize_url_or_file)
ikoma_date = _from_check(dates.normalize_date)
ikoma_period = _from_check(dates.normalize_period)
ikoma_time = _from_check(dates.normalize_time)
ikoma_corporate_number = _from_check(codes.normalize_corporate_number)
ikoma_non_negative_integer = _from_check(numbers.normalize_non_negative_integer)
ikoma_latitude = _from_check(geo.normalize_latitude)
ikoma_longitude = _from_check(geo.normalize_longitude)


def ikoma_resource_url(key, data, errors, context):
    """A resource's link: an http(s) URL. An upload's url is its file name, which CKAN serves under
    its own download URL, so it is left as it is."""
    if data.get(key[:-1] + ("url_type",)) != "upload":
        ikoma_url(key, data, errors, context)


def _known_lg_code(value: str) -> str:
    return codes.normalize_lg_code(value, known=vocabularies.local_governments())


ikoma_lg_code = _from_check(_known_lg_code)


def _text_check(max_length: int) -> Callable[[str], str]:
    def check_text(value: str) -> str:
        return text.check_free_text(value, max_length)
    return check_text


ikoma_text = _from_check(_text_check(SINGLE_LINE_MAX))
ikoma_long_text = _from_check(_text_check(LONG_TEXT_MAX))


# ---------------------------------------------------------------- lists of codes

_LIST_SEPARATORS = re.compile(r"[\s,、，;；]+")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        value = str(value).strip()
        if value.startswith("["):
            try:
                items = json.loads(value)
            except ValueError:
                items = [value]
        else:
            items = _LIST_SEPARATORS.split(value)
    return [str(i).strip() for i in items if str(i).strip()]


def ikoma_lg_code_list(key, data, errors, context):
    """One or more 全国地方公共団体コード (comma, space or 、 separated, or a list), stored as a
    sorted JSON list without duplicates (a set: RDF and the forms keep no order)."""
    value = data.get(key)
    if _is_empty(value):
        data[key] = missing if value is missing else ""
        return
    result: list[str] = []
    for item in _as_list(value):
        try:
            code = _known_lg_code(item)
        except JpValueError as e:
            errors[key].append(f"{item}: {error_text(e)}")
            continue
        if code not in result:
            result.append(code)
    if errors[key]:
        raise StopOnError
    data[key] = json.dumps(sorted(result))


def _organization_lg_code(org_id: str | None) -> str | None:
    if not org_id:
        return None
    group = model.Group.get(org_id)
    if group is None:
        return None
    return (group.extras or {}).get("lg_code") or None  # 2.12: NULL extras when migrated without any


def ikoma_default_spatial(key, data, errors, context):
    """Spatial coverage defaults to the publisher's code, else the site's own municipality."""
    if not _is_empty(data.get(key)):
        return
    code = _organization_lg_code(data.get(("owner_org",))) or toolkit.config.get(
        "ckanext.ikoma.municipality_code")
    if code:
        data[key] = code


def ikoma_default_today(key, data, errors, context):
    """Today, for a curator who leaves the date empty; never for a harvested value: a source that
    gives no date gives none (the harvest day is not the day the file changed)."""
    if _is_empty(data.get(key)) and context.get("ikoma_harvest"):
        data[key] = ""
    elif _is_empty(data.get(key)):
        data[key] = dt.datetime.now(JST).date().isoformat()


def _slug(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] if isinstance(text, str) else ""


def ikoma_default_dataset_name(key, data, errors, context):
    """A Japanese title gives no URL slug, so an empty name becomes one from the English title or,
    failing that, the English name of the declared standard dataset (or "dataset" and the date)
    with a short random id; the curator can still type their own."""
    if not _is_empty(data.get(key)):
        return
    slug = _slug(data.get(("title_en",)))
    if not slug or model.Package.get(slug) is not None:
        standard = vocabularies.vocabulary("standard_datasets").get(data.get(("conforms_to",)) or "")
        stem = _slug(standard.en) if standard else f"dataset-{dt.datetime.now(JST):%Y%m%d}"
        slug = f"{stem[:70]}-{secrets.token_hex(3)}"
    data[key] = slug


def ikoma_contact_reachable(key, data, errors, context):
    """At least one way to reach the contact: phone, e-mail or enquiry form URL."""
    prefix = key[:-1]
    fields = ("contact_phone", "contact_email", "contact_url")
    if all(_is_empty(data.get(prefix + (f,))) for f in fields):
        errors[key].append(error_text(JpValueError("contact_unreachable")))


def ikoma_unique_org_lg_code(key, data, errors, context):
    """A 全国地方公共団体コード belongs to at most one organization."""
    code = data.get(key)
    if _is_empty(code) or errors.get(key):
        return
    own_id = data.get(("id",))
    query, lg_code = extra_value(model.Session.query(model.Group), model.Group, "lg_code")
    query = query.filter(lg_code == code, model.Group.state != "deleted", model.Group.is_organization.is_(True))
    if own_id and not isinstance(own_id, Missing):
        query = query.filter(model.Group.id != own_id)
    other = query.first()
    if other is not None:
        errors[key].append(error_text(JpValueError(
            "lg_code_taken", value=code, organization=other.title or other.name)))


def ikoma_prefecture_from_lg_code(key, data, errors, context):
    """An empty prefecture is the one the organization's code belongs to."""
    if not _is_empty(data.get(key)):
        return
    try:  # navl runs fields in key order, so lg_code may not be normalised yet
        code = _known_lg_code(str(data.get(key[:-1] + ("lg_code",)) or ""))
    except JpValueError:
        return
    government = vocabularies.local_governments().get(code)
    if government:
        data[key] = government.prefecture_code


# ---------------------------------------------------------------- vocabulary choices

def _choice_error(value: str) -> str:
    return error_text(JpValueError("choice_unknown", value=value))


def _empty_choice(field, key, data, errors) -> None:
    """Apply the field's default, or require a value, or drop the empty field (like ignore_missing)."""
    default = field.get("default")
    if default is not None:
        data[key] = json.dumps(list(default)) if isinstance(default, list) else default
        return
    if field.get("required"):
        errors[key].append(error_text(JpValueError("required")))
    else:
        data.pop(key, None)
    raise StopOnError


@scheming_validator
def ikoma_vocabulary_choice(field, schema):
    """One term of the field's vocabulary; labels and aliases are accepted and stored as the value.
    Handles emptiness itself (default, required or dropped), so it comes first in the chain."""
    def validator(key, data, errors, context):
        value = data.get(key)
        if _is_empty(value):
            return _empty_choice(field, key, data, errors)
        term = vocabularies.vocabulary(field["vocabulary"]).lookup(str(value))
        if term is None:
            errors[key].append(_choice_error(str(value)))
            raise StopOnError
        data[key] = term.value
    return validator


@scheming_validator
def ikoma_vocabulary_choices(field, schema):
    """Zero or more terms of the field's vocabulary, stored as a JSON list in vocabulary order."""
    def validator(key, data, errors, context):
        value = data.get(key)
        items = [] if _is_empty(value) else _as_list(value)
        if not items:
            return _empty_choice(field, key, data, errors)
        vocabulary = vocabularies.vocabulary(field["vocabulary"])
        selected = set()
        for item in items:
            term = vocabulary.lookup(item)
            if term is None:
                errors[key].append(_choice_error(item))
            else:
                selected.add(term.value)
        if errors[key]:
            raise StopOnError
        data[key] = json.dumps([t.value for t in vocabulary if t.value in selected])
    return validator


STANDARD_DATASET_TAG = "自治体標準ODS"  # the tag BODIK looks for, with the dataset's own tag


def ikoma_standard_dataset_defaults(key, data, errors, context):
    """Conforming to a standard dataset adds the tags BODIK detects standard datasets by, and fills
    the title and theme when the curator left them empty."""
    number = data.get(key)
    if _is_empty(number) or errors.get(key):
        return
    term = vocabularies.vocabulary("standard_datasets").get(number)
    if term is None:
        return
    wanted = [STANDARD_DATASET_TAG, term.extra["tag"]]
    tag_string = data.get(("tag_string",))
    if isinstance(tag_string, str):
        present = [t.strip() for t in tag_string.split(",") if t.strip()]
        data[("tag_string",)] = ",".join(present + [t for t in wanted if t not in present])
    else:
        indexes = sorted({k[1] for k in data if len(k) == 3 and k[0] == "tags"})
        present = [data.get(("tags", i, "name")) for i in indexes]
        next_index = (indexes[-1] + 1) if indexes else 0
        for tag in wanted:
            if tag not in present:
                data[("tags", next_index, "name")] = tag
                next_index += 1
    if _is_empty(data.get(("title",))):
        data[("title",)] = term.ja
    if _is_empty(data.get(("theme",))) and term.extra.get("theme"):
        data[("theme",)] = [term.extra["theme"]]


def ikoma_keep_harvest_value(key, data, errors, context):
    """The harvester's provenance fields are not in the form: when an update leaves one out, keep
    the stored value, so a curator's save does not cut a dataset off from its source."""
    if data.get(key, missing) is not missing:  # given, even empty: the harvester clears values so
        return
    package = context.get("package")
    stored = (package.extras or {}).get(key[-1]) if package is not None else None
    if stored:
        data[key] = stored


MIN_TAG_LENGTH, MAX_TAG_LENGTH = 1, 100  # 犬, 水, 森: one kanji is an ordinary keyword


def ikoma_tag_length(value, context):
    """CKAN's tag length rule with a minimum of one character (CKAN's is two)."""
    if not MIN_TAG_LENGTH <= len(value) <= MAX_TAG_LENGTH:
        raise toolkit.Invalid(error_text(JpValueError("tag_length", value=value, max=MAX_TAG_LENGTH)))
    return value


# CKAN's tag characters (letters, digits, space, - _ .) and the Japanese middle dot and full-width
# parentheses: two standard datasets' own tags (地域・年齢別人口, 食品等営業許可・届出) have a 「・」
_TAG_CHARACTERS = re.compile(r"^[\w \-.・（）]*$")


def ikoma_tag_name(value, context):
    """CKAN's tag character rule, with ・ and （） allowed."""
    if not _TAG_CHARACTERS.match(value):
        raise toolkit.Invalid(error_text(JpValueError("tag_characters", value=value)))
    return value


def ikoma_tag_string_convert(key, data, errors, context):
    """CKAN's tag_string_convert (a comma-separated string into tags), with ikoma_tag_length."""
    value = data[key]
    tags = [t.strip() for t in value.split(",") if t.strip()] if isinstance(value, str) else list(value)
    current = max([int(k[1]) for k in data if len(k) == 3 and k[0] == "tags"] + [-1])
    for number, tag in enumerate(tags, current + 1):
        data[("tags", number, "name")] = tag
    for tag in tags:
        ikoma_tag_length(tag, context)
        ikoma_tag_name(tag, context)


def all_validators() -> dict[str, Callable]:
    validators = {name: fn for name, fn in globals().items() if name.startswith("ikoma_") and callable(fn)}
    # CKAN's tag schema names its length rule (default_tags_schema resolves validators by name):
    # the plugin's validator of that name is the one it gets, without changing CKAN
    validators["tag_length_validator"] = ikoma_tag_length
    validators["tag_string_convert"] = ikoma_tag_string_convert
    validators["tag_name_validator"] = ikoma_tag_name
    return validators
