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
from ckanext.ikoma.vocabularies import file_type, local_governments, media_type_of

# Keys of the parsed dict that are the Ikoma schema's (everything else is provenance or unmapped).
DATASET_FIELDS = (
    "title", "title_en", "notes", "notes_en", "tags", "keywords_en", "theme", "creator", "contact_name",
    "contact_department", "contact_phone", "contact_email", "contact_url", "spatial_lg_codes", "temporal",
    "issued", "modified", "frequency", "language", "access_rights", "conforms_to", "license_id", "url",
    "version", "provenance",
)
RESOURCE_FIELDS = (
    "url", "name", "name_en", "description", "description_en", "format", "mimetype", "size", "issued",
    "modified", "status", "language", "license", "conforms_to", "character_encoding", "uri",
)
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
# as they are (README "Harvesting"): no warning, they are not lost.
KEPT_AS_FOUND = {"conforms_to", "resources.conforms_to"}


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
                found.append(HarvestWarning("harvest_markup", f"resources[{position}].{key}", _excerpt(value, match.start())))
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
        raise MappingError("データセットに識別子（dct:identifier）もURIもありません",
                           "the dataset has neither an identifier (dct:identifier) nor a URI")
    if not str(parsed.get("title") or "").strip():
        source = str(parsed.get("uri") or identifier)
        raise MappingError(message("harvest_missing_title", "ja", source=source),
                           message("harvest_missing_title", "en", source=source))
    code = publisher_code(parsed, fixed_code, fallback_code)
    if not code:
        raise MappingError(f"「{identifier}」の提供者の全国地方公共団体コードがわかりません",
                           f"no local government code for the publisher of {identifier!r}")
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
                for key, values in unmapped.items() if key not in KEPT_AS_FOUND]
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


# ---------------------------------------------------------------- CKAN API sources

def _ckan_extras(package: dict[str, Any]) -> dict[str, str]:
    return {str(e.get("key")): str(e.get("value") or "") for e in package.get("extras") or [] if e.get("key")}


def _term(vocabulary_name: str, *spellings: Any) -> str:
    from ckanext.ikoma import vocabularies

    vocabulary = vocabularies.vocabulary(vocabulary_name)
    for spelling in spellings:
        if not spelling:
            continue
        text = str(spelling)
        term = vocabulary.find(text, loose_uri="://" in text)
        if term is None and vocabulary_name == "frequencies":
            term = vocabularies.normalize_frequency(text)
        if term:
            return term.value
    return ""


def _date(*values: Any) -> tuple[str, list[str]]:
    """The first value that is a date, as YYYY-MM-DD, and those before it that were not."""
    from ckanext.ikoma.jp.dates import date_of
    from ckanext.ikoma.jp.errors import JpValueError

    wrong = []
    for value in values:
        text = str(value or "").strip()
        if not text:
            continue
        try:
            return date_of(text), wrong
        except JpValueError:
            wrong.append(text)
    return "", wrong


CKAN_KNOWN_EXTRAS = {"identifier", "guid", "frequency", "issued", "modified", "language", "spatial_lg_codes",
                     "title_en", "notes_en", "harvest_identity", "harvest_original_uri", "harvest_source_url",
                     "harvested_at", "harvest_content_hash", "harvest_unmapped", "harvest_withdrawn_at"}


def from_ckan_package(package: dict[str, Any], site_url: str) -> dict[str, Any]:
    """A package from a neighbour's CKAN API (package_search) as the `ikoma_dcat` parser would give
    it, so the same mapping applies. Fields of the Ikoma schema are taken as they are when the
    neighbour runs it too; values that fit nowhere go to ikoma_unmapped."""
    extras = _ckan_extras(package)
    field = lambda key: package.get(key) or extras.get(key) or ""  # noqa: E731
    unmapped: dict[str, list[str]] = {}
    base = site_url.rstrip("/")
    license_id = _term("licenses", package.get("license_id"), package.get("license_title"), package.get("license_url"))
    if not license_id and (package.get("license_id") or package.get("license_title")):
        unmapped["license_id"] = [v for v in (package.get("license_id"), package.get("license_title")) if v]
    frequency = _term("frequencies", field("frequency"), extras.get("更新頻度"))
    raw_frequency = field("frequency") or extras.get("更新頻度") or ""
    if not frequency and raw_frequency:
        unmapped["frequency"] = [raw_frequency]
    raw = {"frequency": [raw_frequency]} if frequency and raw_frequency and raw_frequency != frequency else {}
    issued, wrong_issued = _date(field("issued"), extras.get("公開日"))
    modified, wrong_modified = _date(field("modified"), extras.get("最終更新日"), package.get("metadata_modified"))
    if wrong_issued:
        unmapped["issued"] = wrong_issued
    if wrong_modified:
        unmapped["modified"] = wrong_modified
    org = package.get("organization") or {}
    org_code = str(org.get("lg_code") or (org.get("name") if re.fullmatch(r"\d{6}", str(org.get("name") or "")) else ""))
    for key, value in extras.items():
        if key not in CKAN_KNOWN_EXTRAS and value:
            unmapped.setdefault(key, []).append(value)
    identifier = str(field("identifier") or package.get("id") or "")
    origin = field("harvest_identity")
    if "@" in origin:  # the neighbour harvested it too: keep the origin's identity and URI
        identifier, org_code = origin.rsplit("@", 1)
    spatial = package.get("spatial_lg_codes") or extras.get("spatial_lg_codes") or []
    if isinstance(spatial, str):
        try:
            spatial = json.loads(spatial)
        except ValueError:
            spatial = re.findall(r"\d{6}", spatial)
    same_schema = {key: package[key] for key in DATASET_FIELDS if _filled(package.get(key))}
    for key in ("theme", "language", "spatial_lg_codes"):  # stored JSON lists
        if isinstance(same_schema.get(key), str):
            try:
                same_schema[key] = json.loads(same_schema[key])
            except ValueError:
                same_schema.pop(key)
    computed = {
        "identifier": identifier,
        "uri": f"{base}/dataset/{package.get('name') or package.get('id')}",
        "ikoma_source": field("harvest_original_uri"),
        "title": package.get("title") or package.get("name") or "",
        "title_en": field("title_en"), "notes": package.get("notes") or "", "notes_en": field("notes_en"),
        "tags": [{"name": t.get("name")} for t in package.get("tags") or [] if t.get("name")],
        "license_id": license_id, "frequency": frequency, "issued": issued, "modified": modified,
        "url": package.get("url") or "", "version": package.get("version") or "",
        "contact_name": package.get("maintainer") or package.get("author") or "",
        "contact_email": package.get("maintainer_email") or package.get("author_email") or "",
        "spatial_lg_codes": [c for c in spatial if isinstance(c, str)],
        "ikoma_publisher": {"uri": f"{base}/organization/{org.get('name')}" if org.get("name") else "",
                            "lg_code": org_code, "name": org.get("title") or "", "name_en": ""},
        "ikoma_unmapped": unmapped, "ikoma_raw": raw, "extras": [],
        "resources": [{
            **{key: r[key] for key in RESOURCE_FIELDS if _filled(r.get(key))},
            "size": str(r["size"]) if str(r.get("size") or "").isdigit() else "",
            "uri": f"{base}/dataset/{package.get('name')}/resource/{r.get('id')}" if r.get("id") else r.get("url") or "",
        } for r in package.get("resources") or []],
    }
    # a neighbour running the Ikoma schema gives its fields as they are; others get the best guess
    return {**computed, **{k: v for k, v in same_schema.items() if k not in ("license_id", "frequency")
                           or not computed.get(k)}}


def ckan_search_url(url: str, rows: int = 100, after: Optional[tuple[str, str]] = None) -> str:
    """The package_search URL of a CKAN site given by its address or by the API URL itself. Pages
    are a keyset on (metadata_created, id), not an offset: a dataset deleted upstream while a run
    pages through would otherwise shift the next one onto a page already read, and it would be
    missed (and withdrawn here)."""
    from urllib.parse import urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path.endswith("/api/3/action/package_search"):
        path += "/api/3/action/package_search"
    params = {"q": "*:*", "rows": rows, "sort": "metadata_created asc, id asc"}
    if after:
        created = after[0] if after[0].endswith("Z") else after[0] + "Z"
        identifier = after[1].replace('"', "")
        # required as a whole: CKAN adds its own +clauses, beside which a bare OR would be optional
        params["fq"] = (f'+(metadata_created:{{"{created}" TO *] OR '
                        f'(metadata_created:"{created}" AND id:{{"{identifier}" TO *]))')
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(params), ""))
