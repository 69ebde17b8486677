"""From a dataset as the `ikoma_dcat` parser reads it to a dataset of the Ikoma schema, with the
harvest identity and a content hash. Pure: no CKAN import, so it is fast to test.

What the schema cannot take is kept in `harvest_unmapped` (JSON: {field: [values as found]}) and
never silently dropped; what the schema requires but the source lacks is filled from the source's
`defaults`, then from the dataset itself (documented in README "Harvesting").
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ckanext.ikoma.jp.codes import is_valid_lg_code
from ckanext.ikoma.jp.contact import normalize_uri, safe_link
from ckanext.ikoma.jp.errors import JpValueError, message
from ckanext.ikoma.schema_fields import dataset_fields, resource_fields
from ckanext.ikoma.vocabularies import file_type, local_governments, media_type_of

# The Ikoma schema's fields (everything else of the parsed dict is provenance or unmapped).
DATASET_FIELDS = dataset_fields()
RESOURCE_FIELDS = resource_fields()
# Stock-parser extras that are identity or provenance, not lost data.
IDENTITY_EXTRAS = {"uri", "guid", "identifier", "harvest_identity"}
LG_CODE = re.compile(r"(\d{6})$")


@dataclass(frozen=True)
class HarvestWarning:
    """A value the dataset was imported without (or with as plain text): recorded on its object."""
    code: str    # a key of jp/messages.yaml
    field: str
    value: str
    reason: str = ""

    def text(self, lang: str, source: str) -> str:
        return message(self.code, lang, field=self.field, value=self.value, source=source, reason=self.reason)


@dataclass(frozen=True)
class Harvested:
    identity: str          # <original identifier>@<全国地方公共団体コード>
    publisher_code: str
    original_uri: str
    content_hash: str
    dataset: dict[str, Any]  # ready for package_create (without name, owner_org and provenance)
    unmapped: dict[str, list[str]]
    raw_values: dict[str, list[str]] = field(default_factory=dict)  # mapped values as the source wrote them
    warnings: tuple[HarvestWarning, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Harvested":
        loaded = json.loads(text)
        loaded["warnings"] = tuple(HarvestWarning(**w) for w in loaded.get("warnings") or ())
        return cls(**loaded)


class MappingError(ValueError):
    def __init__(self, ja: str, en: str):
        self.ja, self.en = ja, en
        super().__init__(f"{ja} / {en}")


def _extra(parsed: dict[str, Any], key: str) -> str:
    for extra in parsed.get("extras") or []:
        if extra.get("key") == key:
            return str(extra.get("value") or "")
    return ""


def original_identifier(parsed: dict[str, Any]) -> str:
    """dct:identifier, else the dataset's URI: what the publisher calls it."""
    return (str(parsed.get("identifier") or "") or _extra(parsed, "identifier")
            or str(parsed.get("uri") or "") or _extra(parsed, "uri")).strip()


def publisher_code(parsed: dict[str, Any], fixed: Optional[str], fallback: Optional[str]) -> str:
    """The 全国地方公共団体コード of the publisher: the source's fixed code, the publisher's
    dct:identifier (or a code at the end of its URI), a single spatial code, the source's own."""
    if fixed:
        return fixed
    publisher = parsed.get("ikoma_publisher") or {}
    for candidate in (publisher.get("lg_code") or "", publisher.get("uri") or ""):
        match = LG_CODE.search(unicodedata.normalize("NFKC", candidate.strip()))
        if match and is_valid_lg_code(match.group(1)):
            return match.group(1)
    spatial = parsed.get("spatial_lg_codes") or []
    if len(spatial) == 1:
        return spatial[0]
    return fallback or ""


TAG_NOT_ALLOWED = re.compile(r"[^\w\s.-]+")  # CKAN's tag rule: letters (any script), digits, space, - _ .


def clean_tags(tags: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[str]]:
    """Keywords as CKAN tags: characters CKAN refuses (・, /, （） …) become spaces, 1 to 100 long
    (犬, 水: one kanji is a word), each once. Returns the tags and the original spellings that had to
    change."""
    cleaned: dict[str, None] = {}
    respelled = []
    for tag in tags:
        original = str(tag.get("name") or "").strip()
        name = re.sub(r"\s+", " ", TAG_NOT_ALLOWED.sub(" ", unicodedata.normalize("NFKC", original))).strip()[:100]
        if name != original:
            respelled.append(original)
        if name:
            cleaned[name] = None
    return [{"name": name} for name in cleaned], respelled


def read_unmapped(text: Any) -> dict[str, list[str]]:
    """A stored harvest_unmapped value back as {field: [values]} ({} when empty or unreadable)."""
    try:
        loaded = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _is_uri(value: str) -> bool:
    try:
        normalize_uri(value)
    except JpValueError:
        return False
    return True


# Link fields and how each is checked: a neighbour's javascript:, data: … value is never stored
# (it is dropped and kept in unmapped, so the curator sees it as text), the dataset still imported.
DATASET_LINKS = {"url": safe_link, "contact_url": safe_link}
RESOURCE_LINKS = {"url": safe_link, "uri": _is_uri}


def drop_unsafe_links(record: dict[str, Any], checks: dict[str, Any], unmapped: dict[str, list[str]],
                      prefix: str = "") -> None:
    for key, check in checks.items():
        value = record.get(key)
        if _filled(value) and not check(str(value)):
            unmapped.setdefault(prefix + key, []).append(str(value))
            record[key] = ""


# Stock-parser extras the ikoma_dcat profile reads into a field of its own: not lost when it did.
READ_AS = {"spatial_uri": "spatial_lg_codes", "spatial_text": "spatial_lg_codes", "temporal_start": "temporal",
           "temporal_end": "temporal"}


def _read_as_field(extra: dict[str, Any], parsed: dict[str, Any]) -> bool:
    field_name = READ_AS.get(str(extra.get("key")))
    return bool(field_name and _filled(parsed.get(field_name)))


def content_hash(dataset: dict[str, Any]) -> str:
    """Of everything harvested (not of when or by whom): the same upstream data gives the same hash."""
    return hashlib.sha256(json.dumps(dataset, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>|<!--|&(?:[a-zA-Z]+|#\d+);")
TEXT_FIELDS = ("title", "title_en", "notes", "notes_en")
# Values a source may give that the schema has no field for but that are kept and published back
# as they are (README "Harvesting"): no warning, they are not lost. A distribution's are filed
# under its position, resources[N].conforms_to (as warnings name resource fields).
KEPT_AS_FOUND = re.compile(r"(resources\[\d+\]\.)?conforms_to")


def resource_key(position: int, key: str) -> str:
    """How unmapped values and warnings name a field of the dataset's N-th resource (1-based)."""
    return f"resources[{position}].{key}"


def markup_warnings(dataset: dict[str, Any]) -> list[HarvestWarning]:
    """Markup in text fields: stored as text (escaped on every page), and said so."""
    found = []
    for key in TEXT_FIELDS:
        value = str(dataset.get(key) or "")
        match = MARKUP.search(value)
        if match:
            found.append(HarvestWarning("harvest_markup", key, _excerpt(value, match.start())))
    for position, resource in enumerate(dataset.get("resources") or [], 1):
        for key in ("name", "description"):
            value = str(resource.get(key) or "")
            match = MARKUP.search(value)
            if match:
                found.append(HarvestWarning("harvest_markup", resource_key(position, key), _excerpt(value, match.start())))
    return found


def _excerpt(value: str, at: int, width: int = 60) -> str:
    start = max(0, at - 10)
    return ("…" if start else "") + value[start:start + width] + ("…" if len(value) > start + width else "")


def normalize_format(resource: dict[str, Any]) -> None:
    """A format given as a media type or as an IANA / EU file-type URI, as its label (CSV); the
    media type without the IANA URI around it."""
    term = file_type(str(resource.get("format") or ""))
    if term is not None:
        resource["format"] = term.value
    if resource.get("mimetype"):
        resource["mimetype"] = media_type_of(str(resource["mimetype"]))


CONTACT_FIELDS = ("contact_phone", "contact_email", "contact_url")


def fill_contact(dataset: dict[str, Any], identifier: str) -> None:
    """Somewhere to ask about the data (the schema asks for one): its page upstream."""
    if not any(_filled(dataset.get(k)) for k in CONTACT_FIELDS):
        dataset["contact_url"] = dataset.get("url") or safe_link(identifier)


def map_dataset(parsed: dict[str, Any], *, fixed_code: Optional[str] = None, fallback_code: Optional[str] = None,
                defaults: Optional[dict[str, Any]] = None) -> Harvested:
    identifier = original_identifier(parsed)
    if not identifier:
        raise MappingError(message("harvest_no_identifier", "ja"), message("harvest_no_identifier", "en"))
    if not str(parsed.get("title") or "").strip():
        source = str(parsed.get("uri") or identifier)
        raise MappingError(message("harvest_missing_title", "ja", source=source),
                           message("harvest_missing_title", "en", source=source))
    code = publisher_code(parsed, fixed_code, fallback_code)
    if not code:
        raise MappingError(message("harvest_no_publisher_code", "ja", identifier=identifier),
                           message("harvest_no_publisher_code", "en", identifier=identifier))
    unmapped = {k: list(v) for k, v in (parsed.get("ikoma_unmapped") or {}).items()}
    publisher = parsed.get("ikoma_publisher") or {}
    if publisher.get("lg_code") and publisher["lg_code"] != code:  # a code we could not use
        unmapped["publisher"] = [v for v in (publisher.get("name"), publisher.get("uri"), publisher["lg_code"]) if v]
    for extra in parsed.get("extras") or []:
        if extra.get("key") not in IDENTITY_EXTRAS and _filled(extra.get("value")) and not _read_as_field(extra, parsed):
            unmapped.setdefault(str(extra["key"]), []).append(str(extra["value"]))

    dataset = {key: parsed[key] for key in DATASET_FIELDS if _filled(parsed.get(key))}
    if dataset.get("tags"):
        dataset["tags"], respelled = clean_tags(dataset["tags"])
        if respelled:
            unmapped["tags"] = respelled
    for key, value in (defaults or {}).items():
        if not _filled(dataset.get(key)):
            dataset[key] = value
    if "license_id" in unmapped and not _filled(dataset.get("license_id")):
        dataset["license_id"] = "other"  # a licence we could not name: never claim the default one
    if not _filled(dataset.get("notes")):
        dataset["notes"] = dataset.get("title", "")
    drop_unsafe_links(dataset, DATASET_LINKS, unmapped)
    fill_contact(dataset, identifier)
    governments = local_governments()
    spatial = [c for c in dataset.get("spatial_lg_codes") or [] if c in governments]
    wrong = [c for c in dataset.get("spatial_lg_codes") or [] if c not in governments]
    if wrong:
        unmapped.setdefault("spatial_lg_codes", []).extend(wrong)
    dataset["spatial_lg_codes"] = spatial or [code]
    dataset["resources"] = []
    for resource in parsed.get("resources") or []:
        kept = {key: resource[key] for key in RESOURCE_FIELDS if _filled(resource.get(key))}
        kept.setdefault("url", resource.get("download_url") or resource.get("access_url") or "")
        normalize_format(kept)
        kept.setdefault("name", kept.get("format") or dataset.get("title", ""))
        kept.setdefault("description", kept["name"])
        drop_unsafe_links(kept, RESOURCE_LINKS, unmapped, prefix="resources.")
        dataset["resources"].append(kept)
        if resource.get("ikoma_conforms_to_found"):
            unmapped[resource_key(len(dataset["resources"]), "conforms_to")] = list(resource["ikoma_conforms_to_found"])

    original_uri = str(parsed.get("ikoma_source") or parsed.get("uri") or _extra(parsed, "uri") or "")
    if original_uri and not _is_uri(original_uri):
        unmapped.setdefault("harvest_original_uri", []).append(original_uri)
        original_uri = ""
    identity = f"{identifier}@{code}"
    raw_values = {k: list(v) for k, v in (parsed.get("ikoma_raw") or {}).items() if v}
    hashed = {"dataset": dataset, "unmapped": unmapped, "identity": identity, "uri": original_uri}
    if raw_values:  # only when there are some: hashes of datasets without stay as they were
        hashed["raw"] = raw_values
    warnings = [HarvestWarning("harvest_value_left_out", key, ", ".join(values))
                for key, values in unmapped.items() if not KEPT_AS_FOUND.fullmatch(key)]
    warnings += markup_warnings(dataset)
    return Harvested(identity, code, original_uri, content_hash(hashed), dataset, unmapped, raw_values,
                     tuple(warnings))


def dataset_name(identity: str, taken) -> str:
    """A URL name from the identity: <code>-<identifier's last segment>, unique against `taken`."""
    identifier, code = identity.rsplit("@", 1)
    tail = identifier.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    slug = re.sub(r"[^a-z0-9_-]+", "-", unicodedata.normalize("NFKC", tail).lower()).strip("-")
    if not slug:
        slug = hashlib.sha1(identifier.encode()).hexdigest()[:12]
    base = f"{code}-{slug}"[:90].rstrip("-")
    name, n = base, 1
    while taken(name):
        n += 1
        name = f"{base}-{n}"
    return name
