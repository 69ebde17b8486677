"""Fetch one page of a neighbour's catalog over HTTP, safely.

A harvest source is a URL typed in by a curator, so the fetcher must not be a way into the city's own
network (SSRF) nor let one slow or huge answer stall the harvest: only http(s), only the source's
hosts (redirects included), no private addresses, bounded time and size, retries only where a retry can
help. Failures are `FetchError`s with a kind and messages in ja and en, which the harvester records.

Pure: no CKAN import.
"""
from __future__ import annotations

import datetime as dt
import io
import ipaddress
import math
import re
import socket
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Optional
from urllib.parse import SplitResult, urljoin, urlsplit

import requests
from urllib3.exceptions import ReadTimeoutError

MB = 1024 * 1024
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
DEFAULT_PORTS = {"http": 80, "https": 443}
# RDF first (content negotiation on catalog endpoints), anything else accepted rather than a 406
ACCEPT = ("text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, "
          "*/*;q=0.1")
KINDS = ("url", "host_not_allowed", "private_address", "redirect", "too_large", "timeout", "connection",
         "http_status", "not_rdf")


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_bytes: int = 50 * MB
    retries: int = 2  # extra attempts after the first, only for connection errors, timeouts and 5xx/429
    backoff: float = 1.0  # seconds; retry n waits backoff * 2**(n-1), or Retry-After (at most 60 s)
    allowed_hosts: tuple[str, ...] = ()  # "host" (any port) or "host:port"; empty: only the first URL's host
    allow_private_addresses: bool = False
    user_agent: str = "ckanext-ikoma harvester"


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL, after same-host redirects
    status: int  # 2xx (in practice 200) or 304
    content: bytes  # b"" for 304
    content_type: Optional[str]  # media type without parameters, lowercased
    etag: Optional[str]
    last_modified: Optional[str]


class FetchError(Exception):
    """Why a page could not be fetched: `kind` is one of KINDS; str() is "日本語 / English"."""

    def __init__(self, kind: str, ja: str, en: str, status_code: Optional[int] = None):
        if kind not in KINDS:
            raise ValueError(f"unknown fetch error kind {kind!r}")
        self.kind, self.ja, self.en, self.status_code = kind, ja, en, status_code
        super().__init__(f"{ja} / {en}")


class _Retryable(Exception):
    """An attempt failed in a way another attempt may not (network, timeout, 5xx, 429)."""

    def __init__(self, error: FetchError, retry_after: Optional[float] = None):
        super().__init__(str(error))
        self.error, self.retry_after = error, retry_after


def fetch(url: str, policy: FetchPolicy, etag: Optional[str] = None, last_modified: Optional[str] = None,
          session: Optional[requests.Session] = None, sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """GET `url` under `policy`; a conditional GET when `etag` / `last_modified` are given (304: no content).

    Raises FetchError. `sleep` is injectable so that tests need not wait for the backoff.
    """
    parts = _http_url(url)
    if parts is None:
        raise FetchError("url", f"取得できるのは http または https のURLだけです（{url}）",
                         f"only http and https URLs can be fetched ({url})")
    allowed = policy.allowed_hosts or (_host_label(parts),)
    headers = {"User-Agent": policy.user_agent, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own_session = session is None
    session = session or requests.Session()
    try:
        retry = 0
        while True:
            try:
                return _attempt(session, url, policy, allowed, headers)
            except _Retryable as failure:
                if retry >= policy.retries:
                    raise _after_attempts(failure.error, retry + 1) from failure.__cause__
                retry += 1
                sleep(failure.retry_after if failure.retry_after is not None else policy.backoff * 2 ** (retry - 1))
    finally:
        if own_session:
            session.close()


def _attempt(session: requests.Session, url: str, policy: FetchPolicy, allowed: tuple[str, ...],
             headers: dict[str, str]) -> FetchResult:
    """One attempt: the request and its same-host redirects, all within connect + read timeout."""
    deadline = time.monotonic() + policy.connect_timeout + policy.read_timeout
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        _check_target(url, current, policy, allowed, redirected=hop > 0)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Retryable(_timeout_error(url, policy))
        try:
            timeout = (min(policy.connect_timeout, remaining), min(policy.read_timeout, remaining))
            response = session.get(current, headers=headers, stream=True, allow_redirects=False, timeout=timeout)
        except requests.Timeout as error:
            raise _Retryable(_timeout_error(url, policy)) from error
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                requests.exceptions.MissingSchema) as error:
            raise FetchError("url", f"URLとして読めません（{current}）", f"not a valid URL ({current})") from error
        except requests.RequestException as error:
            raise _Retryable(_connection_error(url, error)) from error
        with response:
            status = response.status_code
            location = response.headers.get("Location")
            if status in REDIRECT_STATUSES and location:
                current = urljoin(response.url, location)
                continue
            if status == 304:
                return FetchResult(url=response.url, status=304, content=b"",
                                   content_type=_media_type(response.headers.get("Content-Type")),
                                   etag=response.headers.get("ETag") or headers.get("If-None-Match"),
                                   last_modified=response.headers.get("Last-Modified")
                                   or headers.get("If-Modified-Since"))
            if 200 <= status < 300:
                content = _read_body(response, url, policy, deadline)
                return FetchResult(url=response.url, status=status, content=content,
                                   content_type=_media_type(response.headers.get("Content-Type")),
                                   etag=response.headers.get("ETag"),
                                   last_modified=response.headers.get("Last-Modified"))
            answer = f"HTTP {status} {response.reason or ''}".rstrip()
            refusal = FetchError("http_status", f"{url} が {answer} を返しました", f"{url} answered {answer}",
                                 status_code=status)
            if status == 429 or status >= 500:  # overloaded or failing: may pass
                raise _Retryable(refusal, _retry_after(response.headers.get("Retry-After")))
            raise refusal
    raise FetchError("redirect", f"{url} のリダイレクトが{MAX_REDIRECTS}回を超えました",
                     f"{url} redirected more than {MAX_REDIRECTS} times")


def _check_target(url: str, target: str, policy: FetchPolicy, allowed: tuple[str, ...], redirected: bool) -> None:
    """Refuse a target outside the allowed hosts, or one that resolves into a private network."""
    parts = _http_url(target)
    if parts is None:  # only a redirect can get here: fetch() checked the first URL
        raise FetchError("redirect", f"{url} のリダイレクト先が http / https のURLではありません（{target}）",
                         f"{url} redirected to a URL that is not http or https ({target})")
    host = _host_label(parts)
    if not _host_allowed(parts, allowed):
        if redirected:
            first = _host_label(urlsplit(url))
            raise FetchError("redirect",
                             f"{url} が別のホスト「{host}」へリダイレクトしたため取得しません"
                             f"（元のホスト「{first}」。許可するには allowed_hosts に加えます）",
                             f"{url} redirected from host {first} to another host, {host}, which is refused "
                             f"(add it to allowed_hosts to permit it)")
        raise FetchError("host_not_allowed",
                         f"{url} のホスト「{host}」からの取得は許可されていません（許可されたホスト：{', '.join(allowed)}）",
                         f"{url}: host {host} is not allowed (allowed hosts: {', '.join(allowed)})")
    if policy.allow_private_addresses:
        return
    # The address is checked here and connected to later by requests: a DNS answer that changes in
    # between (rebinding) slips through. Accepted: closing it would mean pinning the address per request.
    try:
        address = _non_public_address(parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme.lower()])
    except UnicodeError as error:
        raise FetchError("url", f"ホスト名として読めません（{target}）", f"not a valid host name ({target})") from error
    except OSError as error:
        raise _Retryable(FetchError("connection", f"{target} のホスト名「{host}」を解決できませんでした",
                                    f"{target}: the host name {host} could not be resolved")) from error
    if address is not None:
        raise FetchError("private_address",
                         f"{target} のホスト「{host}」は内部向けのアドレス {address} を指すため取得しません"
                         f"（許可するには allow_private_addresses を true にします）",
                         f"{target}: host {host} resolves to the non-public address {address}, which is refused "
                         f"(set allow_private_addresses to true to permit it)")


def _non_public_address(hostname: str, port: int) -> Optional[str]:
    """The first address `hostname` resolves to that is not on the public internet, or None."""
    for *_, sockaddr in socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])  # drop an IPv6 zone ("%eth0")
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback, whatever Python 3.11 says
        if (not address.is_global or address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified):
            return str(address)
    return None


def _read_body(response: requests.Response, url: str, policy: FetchPolicy, deadline: float) -> bytes:
    """The body, refused as soon as it exceeds max_bytes or the attempt's deadline passes."""
    declared = response.headers.get("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(url, policy)
    body = io.BytesIO()
    watchdog = _Watchdog(response, deadline - time.monotonic())
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            if watchdog.expired or time.monotonic() > deadline:
                break
            if body.tell() + len(chunk) > policy.max_bytes:
                raise _too_large(url, policy)
            body.write(chunk)
    except requests.RequestException as error:
        if watchdog.expired or _is_timeout(error):
            raise _Retryable(_timeout_error(url, policy)) from error
        raise _Retryable(_connection_error(url, error)) from error
    finally:
        watchdog.stop()
    if watchdog.expired or time.monotonic() > deadline:  # a close-delimited body just ends early
        raise _Retryable(_timeout_error(url, policy))
    return body.getvalue()


class _Watchdog:
    """Shuts the socket for reading at the deadline. A server trickling one byte at a time never trips
    the read timeout, and iter_content blocks until a whole chunk arrived: only another thread can stop it."""

    def __init__(self, response: requests.Response, seconds: float):
        self.expired = False
        self._response = response
        self._lock = threading.Lock()
        self._active = True
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            if not self._active:
                return
            self.expired = True
            try:
                self._response.raw.shutdown()  # urllib3 ≥ 2.3; refuses once the connection went back to the pool
            except (AttributeError, ValueError, RuntimeError, OSError):
                pass

    def stop(self) -> None:
        with self._lock:
            self._active = False
        self._timer.cancel()


def _http_url(url: str) -> Optional[SplitResult]:
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts


def _host_label(parts: SplitResult) -> str:
    """host[:port] as written in allowed_hosts (the port only when the URL gives one)."""
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    return host + (f":{parts.port}" if parts.port else "")


def _host_allowed(parts: SplitResult, allowed: tuple[str, ...]) -> bool:
    hostname = (parts.hostname or "").rstrip(".")
    port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    for entry in allowed:
        try:
            entry_parts = urlsplit("//" + entry.strip().lower())
            entry_host, entry_port = (entry_parts.hostname or "").rstrip("."), entry_parts.port
        except ValueError:
            continue
        if entry_host == hostname and entry_port in (None, port):
            return True
    return False


def _media_type(content_type: Optional[str]) -> Optional[str]:
    media_type = (content_type or "").split(";")[0].strip().lower()
    return media_type or None


def _retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait as the server asks (delta-seconds or an HTTP date), at most MAX_RETRY_AFTER."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        seconds = (when - dt.datetime.now(dt.timezone.utc)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _is_timeout(error: BaseException) -> bool:
    """requests reports a read timeout while streaming as a ConnectionError wrapping urllib3's."""
    return isinstance(error, requests.Timeout) or any(
        isinstance(arg, (ReadTimeoutError, TimeoutError)) for arg in error.args)


def _too_large(url: str, policy: FetchPolicy) -> FetchError:
    limit = f"{policy.max_bytes / MB:.3g}"
    return FetchError("too_large", f"{url} の応答が上限の {limit} MB を超えています（上限は max_bytes で変えられます）",
                      f"{url} is larger than the {limit} MB limit (max_bytes)")


def _timeout_error(url: str, policy: FetchPolicy) -> FetchError:
    return FetchError("timeout",
                      f"{url} の取得が時間内に終わりませんでした（接続 {policy.connect_timeout:g} 秒、"
                      f"読み込み {policy.read_timeout:g} 秒まで）",
                      f"fetching {url} did not finish in time (connect {policy.connect_timeout:g} s, "
                      f"read {policy.read_timeout:g} s)")


def _connection_error(url: str, error: BaseException, limit: int = 200) -> FetchError:
    detail = str(error)
    detail = detail if len(detail) <= limit else detail[:limit] + "…"
    return FetchError("connection", f"{url} に接続できませんでした（{detail}）", f"could not connect to {url} ({detail})")


def _after_attempts(error: FetchError, attempts: int) -> FetchError:
    if attempts == 1:
        return error
    return FetchError(error.kind, f"{error.ja}（{attempts}回試しました）", f"{error.en} (after {attempts} attempts)",
                      error.status_code)


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
    """True for a web page where RDF was expected (a portal's top page, a login or error page)."""
    if _media_type(content_type) == "text/html":
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
