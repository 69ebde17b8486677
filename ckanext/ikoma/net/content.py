"""What a fetched body is, read from its first bytes: a web page where data was expected (a portal's
top page, a login or error page), or XML that declares entities. Pure: no CKAN import."""
from __future__ import annotations

import re
from typing import Optional

_XML_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_HTML_START = re.compile(rb"(?:<!doctype\s+html|<html)\b", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _sniffable(content: bytes) -> bytes:
    """UTF-16 (with its byte order mark) as UTF-8, so the byte patterns below match it too."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return content.decode("utf-16", errors="ignore").encode("utf-8")
    return content.removeprefix(b"\xef\xbb\xbf")


def looks_like_html(content: bytes, content_type: Optional[str]) -> bool:
    """True for a web page where data (RDF, CSV) was expected."""
    if (content_type or "").split(";")[0].strip().lower() == "text/html":
        return True
    head = _sniffable(content[:4096]).lstrip()
    declaration = _XML_DECLARATION.match(head)  # XHTML may open with <?xml …?>
    if declaration:
        head = head[declaration.end():].lstrip()
    return bool(_HTML_START.match(head))


def has_xml_entity_declarations(content: bytes) -> bool:
    """True when a DOCTYPE is followed by an <!ENTITY declaration: refused before parsing, since
    entities are how a few hundred bytes expand to gigabytes ("billion laughs") or read local files."""
    content = _sniffable(content)
    doctype = _DOCTYPE.search(content)
    return bool(doctype and _ENTITY.search(content, doctype.end()))
