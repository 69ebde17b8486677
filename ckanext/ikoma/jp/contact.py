"""Phone numbers (GIF DS-445), postal codes (DS-443), e-mail addresses and web URLs."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from ckanext.ikoma.jp.errors import JpValueError
from ckanext.ikoma.jp.text import fold_hyphens, fold_width

# Domestic: a leading 0, the area code optionally in parentheses, groups joined by single hyphens.
_DOMESTIC = re.compile(r"^(?:\(0\d{1,5}\)\s?|0\d{0,5}-?)(?:\d{1,4}-)?\d{1,6}$")
# International: +81, then the number without its leading 0 or with it in parentheses.
_INTERNATIONAL = re.compile(r"^\+81[\s-]?(?:\(0\d{1,5}\)\s?|[1-9]\d{0,4}[\s-]?)(?:\d{1,4}[\s-])?\d{1,6}$")
_EXTENSION = re.compile(r"\s*(?:内線|ext\.?|x)\s*(\d{1,6})$", re.IGNORECASE)
_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")
# What may not appear in an IRI (RFC 3987): it would end the IRI in Turtle or an HTML attribute.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')
IRI_SCHEMES = ("http", "https", "mailto", "tel", "urn")  # what Ikoma's RDF output may point to
_URN = re.compile(r"^urn:[a-z0-9][a-z0-9-]{0,31}:\S+$", re.IGNORECASE)  # RFC 8141
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def normalize_phone(value: str) -> str:
    """Half-width digits and hyphens; a 内線 extension may follow. Domestic numbers have 10 or 11
    digits (0120 toll-free numbers included), international ones +81 and 9 or 10 more."""
    phone = fold_hyphens(fold_width(value))
    body = _EXTENSION.sub("", phone)
    extension = phone[len(body):]
    digits = re.sub(r"\D", "", body)
    if _DOMESTIC.match(body) and digits.startswith("0") and len(digits) in (10, 11):
        return body + extension
    if _INTERNATIONAL.match(body):
        national = digits[2:].lstrip("0") if "(0" in body else digits[2:]
        if len(national) in (9, 10):
            return body + extension
    raise JpValueError("phone_format")


def normalize_postal_code(value: str) -> str:
    """7 digits without hyphen (DS-443); 〒 and a hyphen are accepted and removed."""
    code = fold_hyphens(fold_width(value)).lstrip("〒").strip()
    match = _POSTAL.match(code)
    if not match:
        raise JpValueError("postal_code_format")
    return match.group(1) + match.group(2)


def normalize_email(value: str) -> str:
    email = fold_width(value)
    if len(email) > 254 or not _EMAIL.match(email):
        raise JpValueError("email_format")
    return email


def normalize_url(value: str, code: str = "url_format") -> str:
    """An absolute http(s) URL. Not width-folded: full-width characters are legal in paths. Any
    other scheme (javascript:, data:, vbscript:, file: …) is refused: these values become links."""
    url = value.strip()
    if any(c.isspace() for c in url):
        raise JpValueError(code)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise JpValueError(code) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise JpValueError(code)
    if _NOT_IN_IRI.search(url):
        raise JpValueError("url_characters")
    return url


def normalize_uri(value: str) -> str:
    """An http(s) URL, or a URN such as the urn:uuid:… another catalog names a dataset by."""
    uri = value.strip()
    return uri if _URN.match(uri) else normalize_url(uri, "uri_format")


def normalize_url_or_file(value: str) -> str:
    """An http(s) URL, or the name CKAN gives an uploaded file (no scheme)."""
    value = value.strip()
    try:
        scheme = urlsplit(value).scheme
    except ValueError:
        raise JpValueError("url_or_file_format") from None
    if not scheme and not value.startswith("//") and not any(c.isspace() for c in value):
        return value
    return normalize_url(value, "url_or_file_format")


def publishable_iri(value: str) -> bool:
    """Whether RDF output may carry this IRI: a scheme Ikoma writes, nothing that ends an IRI."""
    scheme, colon, _ = value.partition(":")
    return bool(colon) and scheme.lower() in IRI_SCHEMES and not _NOT_IN_IRI.search(value)


def safe_link(value) -> str:
    """The value if a browser may follow it as a link (an http(s) URL), else an empty string."""
    try:
        return normalize_url(value) if isinstance(value, str) else ""
    except JpValueError:
        return ""
