"""The controlled vocabularies in vocab/, loaded once per process. Pure Python, no CKAN import.

Each YAML vocabulary has `source`, `version`, an optional `uri_base` and `terms`; a term has a
stable `value` (what is stored), `ja` and `en` labels, an optional `code` that completes its URI
under `uri_base`, and optional `aliases` (free-text spellings that normalise to it).
"""
from __future__ import annotations

import csv
import functools
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

VOCAB_DIR = os.path.join(os.path.dirname(__file__), "vocab")

YAML_VOCABULARIES = (
    "themes", "frequencies", "languages", "access_rights", "statuses", "character_encodings",
    "standard_datasets", "file_types",
)


@dataclass(frozen=True)
class Term:
    value: str
    ja: str
    en: str
    uri: Optional[str] = None
    aliases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def label(self, lang: str = "ja") -> str:
        return self.ja if text_language(lang) == "ja" else self.en


def text_language(locale: Optional[str]) -> str:
    """The half of a ja/en pair a UI locale reads: Japanese in the Japanese UI, English in every
    other (en, zh_Hans_CN, ko_KR): the data has no Chinese or Korean, English is the usual bridge."""
    return "ja" if (locale or "ja").startswith("ja") else "en"


@dataclass(frozen=True)
class Vocabulary:
    name: str
    source: str
    version: str
    terms: tuple[Term, ...]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    @functools.cached_property
    def by_value(self) -> dict[str, Term]:
        return {t.value: t for t in self.terms}

    @functools.cached_property
    def labels(self) -> dict[str, dict[str, str]]:
        """value -> {"ja": …, "en": …}: what a facet or a list shows in either language."""
        return {t.value: {"ja": t.ja, "en": t.en} for t in self.terms}

    @functools.cached_property
    def by_uri(self) -> dict[str, Term]:
        return {t.uri: t for t in self.terms if t.uri}

    @functools.cached_property
    def _by_spelling(self) -> dict[str, Term]:
        index: dict[str, Term] = {}
        for term in self.terms:
            for spelling in (term.value, term.ja, term.en, term.uri, *term.aliases):
                if spelling:
                    index.setdefault(spelling_key(spelling), term)
        return index

    @functools.cached_property
    def _by_loose_uri(self) -> dict[str, Term]:
        return {loose_uri(t.uri): t for t in self.terms if t.uri}

    def by_loose_uri(self, uri: str) -> Optional[Term]:
        """A term by URI, as catalogs spell it: http or https, with or without a trailing slash,
        a Creative Commons deed or legal-code page for the licence itself."""
        return self._by_loose_uri.get(loose_uri(uri))

    def find(self, text: str, loose_uri: bool = False) -> Optional[Term]:
        """The term `text` names: its URI, value, label or alias; with loose_uri, also a URI in
        another spelling (see by_loose_uri)."""
        return self.by_uri.get(text) or self.lookup(text) or (self.by_loose_uri(text) if loose_uri else None)

    def get(self, value: str) -> Optional[Term]:
        return self.by_value.get(value)

    def lookup(self, text: str) -> Optional[Term]:
        """The term whose value, label, URI or alias `text` is, ignoring width, case and spaces."""
        return self._by_spelling.get(spelling_key(text))


def loose_uri(uri: str) -> str:
    uri = re.sub(r"^https?://", "", uri.strip().lower())
    uri = re.sub(r"/(deed|legalcode)(\.[a-z-]+)?$", "", uri)
    return uri.rstrip("/")


def spelling_key(text: str) -> str:
    return re.sub(r"[\s・]", "", unicodedata.normalize("NFKC", text)).lower()


def _read_yaml(path: str) -> dict[str, Any]:
    from ckanext.ikoma.yamlfile import read_yaml  # here so that pure users of LocalGovernment need no yaml

    return read_yaml(path)


@functools.lru_cache(maxsize=None)
def vocabulary(name: str) -> Vocabulary:
    """A vocabulary by name: one of YAML_VOCABULARIES, or the derived `licenses` and `prefectures`."""
    if name in DERIVED_VOCABULARIES:
        return DERIVED_VOCABULARIES[name]()
    if name not in YAML_VOCABULARIES:
        raise KeyError(f"unknown vocabulary {name!r}")
    data = _read_yaml(os.path.join(VOCAB_DIR, f"{name}.yaml"))
    uri_base = data.get("uri_base")
    terms = []
    for raw in data["terms"]:
        raw = dict(raw)
        value, ja, en = str(raw.pop("value")), raw.pop("ja"), raw.pop("en")
        code = raw.pop("code", None)
        aliases = tuple(str(a) for a in raw.pop("aliases", ()))
        uri = uri_base + code if uri_base and code else None
        terms.append(Term(value, ja, en, uri, aliases, raw))
    return Vocabulary(name, data["source"], str(data["version"]), tuple(terms))


# ---------------------------------------------------------------- local government codes

@dataclass(frozen=True)
class LocalGovernment:
    code: str
    prefecture_code: str
    kind: str  # "prefecture" or "municipality"
    prefecture: str
    name: str
    name_kana: str
    name_en: str
    lat: Optional[float]
    lng: Optional[float]
    url: str

    @property
    def full_name(self) -> str:
        """奈良県生駒市; a prefecture is just its own name."""
        return self.name if self.kind == "prefecture" else self.prefecture + self.name


def _header_comments(path: str) -> dict[str, str]:
    header = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition(":")
            header[key.strip()] = value.strip()
    return header


@functools.lru_cache(maxsize=1)
def local_governments() -> dict[str, LocalGovernment]:
    path = os.path.join(VOCAB_DIR, "local_government_codes.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {
            row["code"]: LocalGovernment(
                code=row["code"], prefecture_code=row["prefecture_code"], kind=row["kind"],
                prefecture=row["prefecture"], name=row["name"], name_kana=row["name_kana"],
                name_en=row["name_en"], lat=float(row["lat"]) if row["lat"] else None,
                lng=float(row["lng"]) if row["lng"] else None, url=row["url"],
            )
            for row in rows
        }


def prefectures() -> list[LocalGovernment]:
    return [g for g in local_governments().values() if g.kind == "prefecture"]


# ---------------------------------------------------------------- licences (CKAN's JSON format)

LICENSES_FILE = os.path.join(VOCAB_DIR, "licenses.json")


@functools.lru_cache(maxsize=1)
def licenses() -> list[dict[str, Any]]:
    with open(LICENSES_FILE, encoding="utf-8") as f:
        return json.load(f)


def _license_vocabulary() -> Vocabulary:
    terms = tuple(
        Term(lic["id"], lic["title_ja"], lic["title_en"], lic.get("url") or None,
             tuple(lic.get("aliases", ())), extra={"source": lic["source"]})
        for lic in licenses()
    )
    return Vocabulary("licenses", "vocab/licenses.json", "see source per licence", terms)


def _prefecture_vocabulary() -> Vocabulary:
    terms = tuple(
        Term(p.code, p.name, p.name_en, aliases=(re.sub("[都府県]$", "", p.name), p.name_kana, p.code[:2]))
        for p in prefectures()
    )
    return Vocabulary("prefectures", "vocab/local_government_codes.csv", "see that file", terms)


DERIVED_VOCABULARIES = {"licenses": _license_vocabulary, "prefectures": _prefecture_vocabulary}


# ---------------------------------------------------------------- frequency normalisation

_PER_PERIOD = re.compile(r"^(?:毎)?(年|月|週|日)(\d+)回(?:程度)?(?:更新)?$")
_PERIODS_PER_YEAR = {"年": 1, "月": 12, "週": 52, "日": 365}


def normalize_frequency(text: str) -> Optional[Term]:
    """Map a free-text 更新頻度 (随時, 月次, 年1回, 年度更新, 月2回 …) to a frequency term."""
    frequencies = vocabulary("frequencies")
    term = frequencies.lookup(text)
    if term:
        return term
    match = _PER_PERIOD.match(spelling_key(text))
    if match:
        per_year = _PERIODS_PER_YEAR[match.group(1)] * int(match.group(2))
        for candidate in frequencies:
            if candidate.extra.get("per_year") == per_year:
                return candidate
    return None


# ---------------------------------------------------------------- inventory

def inventory() -> list[dict[str, Any]]:
    """What is loaded, with sources and versions (for `ckan ikoma vocab list`)."""
    items = []
    for name in YAML_VOCABULARIES:
        v = vocabulary(name)
        items.append({"name": name, "terms": len(v), "source": v.source, "version": v.version})
    header = _header_comments(os.path.join(VOCAB_DIR, "local_government_codes.csv"))
    items.append({
        "name": "local_government_codes", "terms": len(local_governments()),
        "source": header.get("source", ""), "version": header.get("version", ""),
    })
    items.append({
        "name": "licenses", "terms": len(licenses()),
        "source": "; ".join(lic["source"] for lic in licenses()), "version": "see source per licence",
    })
    return items


def resolve(name: str, text: str, loose_uri: Optional[bool] = None) -> Optional[str]:
    """The one term lookup of the profile and the harvester: the stored value of the term `text`
    names in vocabulary `name` — its URI (loosely spelt when `loose_uri`, by default when `text`
    looks like one), value, label or alias; a free-text frequency (年1回, 随時) through the
    normalisation table."""
    text = str(text or "").strip()
    if not text:
        return None
    term = vocabulary(name).find(text, loose_uri="://" in text if loose_uri is None else loose_uri)
    if term is None and name == "frequencies":
        term = normalize_frequency(text)
    return term.value if term else None


# ---------------------------------------------------------------- file formats

_IANA_MEDIA_TYPE = re.compile(r"^https?://www\.iana\.org/assignments/media-types/(.+?)/?$", re.IGNORECASE)


def media_type_of(text: str) -> str:
    """The media type an IANA media-type URI names (text/csv), or the text itself."""
    match = _IANA_MEDIA_TYPE.match(text.strip())
    return match.group(1).lower() if match else text.strip()


def file_type(text: str) -> Optional[Term]:
    """The file_types term a format names, however a catalog spells it: its label (csv), a media
    type (text/csv), an IANA media-type URI or an EU file-type URI. vocab/file_types.yaml is the
    one table."""
    if not text or not text.strip():
        return None
    types = vocabulary("file_types")
    return types.find(text.strip(), loose_uri="://" in text) or types.lookup(media_type_of(text))
