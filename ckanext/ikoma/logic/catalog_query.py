"""The catalog endpoints' parameters, read strictly: each either means one thing or is a 400 with a
ja/en message naming the parameter and the form it takes. What reaches Solr is built only from
values read here (times in CKAN's own form, ids escaped), so no parameter can break a query.

No CKAN import: the site's and the installed RDF profiles are passed in.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from ckanext.ikoma.profiles.turtle import FORMAT as TURTLE  # rdflib's Turtle, faster (profiles/turtle.py)

FORMATS = {  # extension -> (rdflib format, media type)
    "ttl": (TURTLE, "text/turtle"),
    "xml": ("pretty-xml", "application/rdf+xml"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "n3": ("n3", "text/n3"),
}
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
MAX_PROFILES = 4  # more than any meaningful stack of profiles; each one costs a pass over the graph
MAX_ID_LENGTH = 100  # CKAN's own limit for names; ids are UUIDs
# metadata_modified as CKAN stores and Solr returns it (UTC, no zone), with or without the Z
_STORED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z?$")
# modified_since: a date, or a date-time with an optional zone (converted to UTC)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NOT_IN_IDS = re.compile(r"[\x00-\x1f\x7f\\\"\s]")  # ids and names have none of these


class CatalogRequestError(ValueError):
    """A request the endpoint answers with 400: `ja` and `en` say what is wrong."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja, self.en = ja, en


@dataclass(frozen=True)
class PageQuery:
    fmt: str
    limit: int
    after: Optional[tuple[str, str]]  # (metadata_modified, id) of the last item already seen
    before: Optional[tuple[str, str]]  # for a previous page
    modified_since: Optional[str]  # UTC, YYYY-MM-DDTHH:MM:SS
    profiles: tuple[str, ...]
    default_profiles: bool = True  # the site's profiles: only such answers are cached

    @property
    def canonical(self) -> bool:
        """Whether this is a page of the one chain a harvester walks from /catalog.ttl: only those
        are kept in the page cache, so that no choice of parameters can fill it."""
        return self.default_profiles and self.limit == DEFAULT_LIMIT and self.modified_since is None


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        shown = _CONTROL.sub("?", fmt[:20])
        raise CatalogRequestError(f"形式「{shown}」には対応していません（{', '.join(FORMATS)}）",
                                  f"unknown format {shown!r}; use one of {', '.join(FORMATS)}")
    return fmt


def check_dataset_id(name_or_id: str) -> str:
    if not name_or_id or len(name_or_id) > MAX_ID_LENGTH or _CONTROL.search(name_or_id):
        raise CatalogRequestError(f"データセットの名前またはIDは{MAX_ID_LENGTH}文字以内で、制御文字を含みません",
                                  f"a dataset name or id has at most {MAX_ID_LENGTH} characters and no control characters")
    return name_or_id


def read_profiles(arg: Optional[str], configured: tuple[str, ...], installed: Iterable[str]) -> tuple[str, ...]:
    """The profiles asked for (`profiles=a,b`): installed ones, each once, at most MAX_PROFILES."""
    if not arg:
        return configured
    names = tuple(p.strip() for p in arg.split(",") if p.strip())
    known = set(installed)
    if not names or len(names) > MAX_PROFILES or len(set(names)) != len(names) or not set(names) <= known:
        raise CatalogRequestError(
            f"profilesには導入済みのプロファイル（{', '.join(sorted(known))}）を{MAX_PROFILES}個まで、重複なくカンマ区切りで指定します",
            f"profiles takes up to {MAX_PROFILES} installed profiles ({', '.join(sorted(known))}), "
            "comma-separated, each once")
    return names


def encode_cursor(modified: str, dataset_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([modified, dataset_id]).encode()).decode().rstrip("=")


def decode_cursor(name: str, cursor: str) -> tuple[str, str]:
    """(metadata_modified, id) of a cursor this endpoint wrote, checked field by field."""
    try:
        if len(cursor) > 400:
            raise ValueError
        padded = cursor + "=" * (-len(cursor) % 4)
        modified, dataset_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(modified, str) or not _STORED_TIME.match(modified):
            raise ValueError
        dt.datetime.fromisoformat(modified.rstrip("Z"))
        if not isinstance(dataset_id, str) or not dataset_id or len(dataset_id) > MAX_ID_LENGTH \
                or _NOT_IN_IDS.search(dataset_id):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise CatalogRequestError(
            f"{name}が正しくありません。応答の hydra:next / hydra:previous のURLをそのまま使ってください",
            f"invalid {name}: use the hydra:next / hydra:previous URL of an answer as it is") from None
    return modified.rstrip("Z"), dataset_id


def read_modified_since(text: str) -> str:
    """UTC YYYY-MM-DDTHH:MM:SS of a date (its midnight, UTC) or a date-time (zone converted)."""
    try:
        if _DATE.match(text):
            when = dt.datetime.fromisoformat(text)
        elif _DATE_TIME.match(text):
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if when.tzinfo is not None:
                when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
        else:
            raise ValueError
    except ValueError:
        raise CatalogRequestError(
            "modified_sinceは日付（2024-04-01）または日時（2024-04-01T09:00:00+09:00、時差なしはUTC）で指定してください",
            "modified_since takes a date (2024-04-01) or a date-time (2024-04-01T09:00:00+09:00; UTC without "
            "a zone)") from None
    return when.isoformat()


def parse_page_query(fmt: str, args: Mapping[str, str], configured: tuple[str, ...],
                     installed: Iterable[str]) -> PageQuery:
    check_format(fmt)
    limit_text = args.get("limit", str(DEFAULT_LIMIT))
    if not (limit_text.isascii() and limit_text.isdigit()) or not 1 <= int(limit_text) <= MAX_LIMIT:
        raise CatalogRequestError(f"limitは1〜{MAX_LIMIT}の整数です", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    if "page" in args:  # offset paging is what misses and repeats datasets; say what to use
        raise CatalogRequestError("pageは使えません。応答のhydra:nextのURL（cursor）をたどってください",
                                  "page is not supported: follow the hydra:next link (cursor) of each answer")
    after = decode_cursor("cursor", args["cursor"]) if args.get("cursor") else None
    before = decode_cursor("before", args["before"]) if args.get("before") else None
    if after and before:
        raise CatalogRequestError("cursorとbeforeは同時に指定できません", "give cursor or before, not both")
    modified_since = read_modified_since(args["modified_since"]) if args.get("modified_since") else None
    profiles = read_profiles(args.get("profiles"), configured, installed)
    return PageQuery(fmt, int(limit_text), after, before, modified_since, profiles, profiles == configured)


def solr_phrase(value: str) -> str:
    """A value inside a quoted Solr term: backslashes and quotes escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"')
