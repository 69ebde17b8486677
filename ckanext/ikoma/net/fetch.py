"""The one way out to the network: every URL the extension reads (a neighbour's catalog page, a
linked CSV file) is fetched here, safely.

The URLs come from curators and from other sites, so the fetcher must not be a way into the site's
own network (SSRF) nor let one slow or huge answer stall a worker: only http(s); each host resolved
once and the connection made to the checked address (no DNS rebinding), for the first URL and after
every redirect; non-public addresses refused unless the site admin allowed them (net/addresses.py);
only the allowed hosts; bounded redirects, time and size; retries only where a retry can help.
Failures are `FetchError`s with a kind and messages from the one catalogue (jp/messages.yaml).

Pure: no CKAN import.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import BinaryIO, Callable, Iterator, Optional
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError

from ckanext.ikoma.jp.errors import message
from ckanext.ikoma.net.addresses import NonPublicAddress, PrivateAllowlist, connectable_addresses

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
    any_host: bool = False  # follow redirects to any (public) host: a linked file's CDN, say
    # the site admin's exceptions to "no private addresses" (ckan.ini); never a curator's
    private_allowlist: PrivateAllowlist = field(default_factory=PrivateAllowlist)
    user_agent: str = "ckanext-ikoma"


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL, after redirects
    status: int  # 2xx (in practice 200) or 304
    content: bytes  # b"" for 304, and when the body went to a sink
    content_type: Optional[str]  # media type without parameters, lowercased
    etag: Optional[str]
    last_modified: Optional[str]
    truncated: bool = False  # the body was longer than max_bytes and cut there (fetch(truncate=True))


class FetchError(Exception):
    """Why a URL could not be fetched: `kind` is one of KINDS, `code` a key of jp/messages.yaml;
    str() is "日本語 / English"."""

    def __init__(self, kind: str, code: str, status_code: Optional[int] = None, **params):
        if kind not in KINDS:
            raise ValueError(f"unknown fetch error kind {kind!r}")
        self.kind, self.code, self.params, self.status_code = kind, code, params, status_code
        self.ja, self.en = message(code, "ja", **params), message(code, "en", **params)
        super().__init__(f"{self.ja} / {self.en}")

    def after_attempts(self, attempts: int) -> "FetchError":
        if attempts == 1:
            return self
        error = FetchError(self.kind, self.code, self.status_code, **self.params)
        error.ja = message("fetch_attempts", "ja", message=self.ja, attempts=attempts)
        error.en = message("fetch_attempts", "en", message=self.en, attempts=attempts)
        error.args = (f"{error.ja} / {error.en}",)
        return error


class _Retryable(Exception):
    """An attempt failed in a way another attempt may not (network, timeout, 5xx, 429)."""

    def __init__(self, error: FetchError, retry_after: Optional[float] = None):
        super().__init__(str(error))
        self.error, self.retry_after = error, retry_after


def fetch(url: str, policy: FetchPolicy, etag: Optional[str] = None, last_modified: Optional[str] = None,
          sleep: Callable[[float], None] = time.sleep, sink: Optional[BinaryIO] = None,
          truncate: bool = False) -> FetchResult:
    """GET `url` under `policy`; a conditional GET when `etag` / `last_modified` are given (304: no content).

    The body is returned, or written to `sink` (a file; rewound before each attempt). Over
    policy.max_bytes it is refused (too_large), or with `truncate` cut after max_bytes + 1 bytes,
    enough for the caller to know it is too large. Raises FetchError. `sleep` is injectable so
    that tests need not wait for the backoff.
    """
    parts = _http_url(url)
    if parts is None:
        raise FetchError("url", "fetch_url_scheme", url=url)
    allowed = policy.allowed_hosts or (_host_label(parts),)
    headers = {"User-Agent": policy.user_agent, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    retry = 0
    while True:
        try:
            return _attempt(url, policy, allowed, headers, sink, truncate)
        except _Retryable as failure:
            if retry >= policy.retries:
                raise failure.error.after_attempts(retry + 1) from failure.__cause__
            retry += 1
            sleep(failure.retry_after if failure.retry_after is not None else policy.backoff * 2 ** (retry - 1))


def check_url(url: str, policy: FetchPolicy) -> None:
    """FetchError when `url` could never be fetched under `policy` (its scheme, host or address),
    before anything is stored that would fetch it later. A name that does not resolve now passes:
    it may tomorrow, and the fetch checks it again then."""
    parts = _http_url(url)
    if parts is None:
        raise FetchError("url", "fetch_url_scheme", url=url)
    try:
        _check_target(url, url, policy, policy.allowed_hosts or (_host_label(parts),), redirected=False)
    except _Retryable:
        pass


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address given in the URL while TLS checks the certificate of, and sends
    SNI for, the host name that was resolved to it."""

    def __init__(self, tls_hostname: Optional[str]):
        self._tls_hostname = tls_hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        if self._tls_hostname:
            pool_kwargs.update(server_hostname=self._tls_hostname, assert_hostname=self._tls_hostname)
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)


@contextlib.contextmanager
def _pinned_get(parts: SplitResult, address, headers: dict[str, str], timeout) -> Iterator[requests.Response]:
    """GET the URL from the checked `address`, never resolving its host name again."""
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = host + (f":{parts.port}" if parts.port else "")
    pinned_url = urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))
    https = parts.scheme.lower() == "https"
    with requests.Session() as session:
        session.trust_env = False  # a proxy from the environment would resolve the name itself
        session.mount(pinned_url, _PinnedAdapter(parts.hostname if https else None))
        host_header = parts.netloc.rsplit("@", 1)[-1]
        with session.get(pinned_url, headers={**headers, "Host": host_header}, stream=True,
                         allow_redirects=False, timeout=timeout) as response:
            yield response


def _attempt(url: str, policy: FetchPolicy, allowed: tuple[str, ...], headers: dict[str, str],
             sink: Optional[BinaryIO], truncate: bool) -> FetchResult:
    """One attempt: the request and its redirects, all within connect + read timeout."""
    deadline = time.monotonic() + policy.connect_timeout + policy.read_timeout
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        parts, address = _check_target(url, current, policy, allowed, redirected=hop > 0)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Retryable(_timeout_error(url, policy))
        with contextlib.ExitStack() as exchange:
            try:
                timeout = (min(policy.connect_timeout, remaining), min(policy.read_timeout, remaining))
                response = exchange.enter_context(_pinned_get(parts, address, headers, timeout))
            except requests.Timeout as error:
                raise _Retryable(_timeout_error(url, policy)) from error
            except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                    requests.exceptions.MissingSchema, requests.exceptions.InvalidHeader, ValueError) as error:
                raise FetchError("url", "fetch_url_invalid", url=current) from error
            except requests.RequestException as error:
                raise _Retryable(_connection_error(url, error)) from error
            status = response.status_code
            location = response.headers.get("Location")
            if status in REDIRECT_STATUSES and location:
                current = urljoin(current, location)
                continue
            if status == 304:
                return FetchResult(url=current, status=304, content=b"",
                                   content_type=_media_type(response.headers.get("Content-Type")),
                                   etag=response.headers.get("ETag") or headers.get("If-None-Match"),
                                   last_modified=response.headers.get("Last-Modified")
                                   or headers.get("If-Modified-Since"))
            if 200 <= status < 300:
                content, truncated = _read_body(response, url, policy, deadline, sink, truncate)
                return FetchResult(url=current, status=status, content=content,
                                   content_type=_media_type(response.headers.get("Content-Type")),
                                   etag=response.headers.get("ETag"),
                                   last_modified=response.headers.get("Last-Modified"), truncated=truncated)
            answer = f"HTTP {status} {response.reason or ''}".rstrip()
            refusal = FetchError("http_status", "fetch_http_status", status_code=status, url=url, answer=answer)
            if status == 429 or status >= 500:  # overloaded or failing: may pass
                raise _Retryable(refusal, _retry_after(response.headers.get("Retry-After")))
            raise refusal
    raise FetchError("redirect", "fetch_redirect_loop", url=url, limit=MAX_REDIRECTS)


def _check_target(url: str, target: str, policy: FetchPolicy, allowed: tuple[str, ...], redirected: bool):
    """(the parts of `target`, the checked address to connect to); FetchError for a target outside
    the allowed hosts or one that resolves into a non-public network the site has not allowed."""
    parts = _http_url(target)
    if parts is None:  # only a redirect can get here: fetch() checked the first URL
        raise FetchError("redirect", "fetch_redirect_scheme", url=url, target=target)
    host = _host_label(parts)
    if not policy.any_host and not _host_allowed(parts, allowed):
        if redirected:
            raise FetchError("redirect", "fetch_redirect_host", url=url, host=host, first=_host_label(urlsplit(url)))
        raise FetchError("host_not_allowed", "fetch_host_not_allowed", url=url, host=host, allowed=", ".join(allowed))
    try:
        addresses = connectable_addresses(parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme.lower()],
                                          policy.private_allowlist)
    except NonPublicAddress as refused:
        raise FetchError("private_address", "fetch_private_address", target=target, host=host,
                         address=str(refused.address)) from None
    except UnicodeError as error:
        raise FetchError("url", "fetch_host_invalid", url=target) from error
    except OSError as error:
        raise _Retryable(FetchError("connection", "fetch_unresolved", target=target, host=host)) from error
    return parts, addresses[0]


def _read_body(response: requests.Response, url: str, policy: FetchPolicy, deadline: float,
               sink: Optional[BinaryIO], truncate: bool) -> tuple[bytes, bool]:
    """The body (or b"" when it went to `sink`) and whether it was cut at max_bytes; refused as
    soon as it exceeds max_bytes (unless truncating) or the attempt's deadline passes."""
    declared = response.headers.get("Content-Length", "")
    if not truncate and declared.strip().isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(url, policy)
    body = sink if sink is not None else io.BytesIO()
    body.seek(0)
    body.truncate()
    written, truncated = 0, False
    watchdog = _Watchdog(response, deadline - time.monotonic())
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            if watchdog.expired or time.monotonic() > deadline:
                break
            if written + len(chunk) > policy.max_bytes:
                if not truncate:
                    raise _too_large(url, policy)
                body.write(chunk[: policy.max_bytes + 1 - written])
                truncated = True
                break
            body.write(chunk)
            written += len(chunk)
    except requests.RequestException as error:
        if watchdog.expired or _is_timeout(error):
            raise _Retryable(_timeout_error(url, policy)) from error
        raise _Retryable(_connection_error(url, error)) from error
    finally:
        watchdog.stop()
    if watchdog.expired or time.monotonic() > deadline:  # a close-delimited body just ends early
        raise _Retryable(_timeout_error(url, policy))
    body.flush()
    return (b"" if sink is not None else body.getvalue()), truncated


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
    return FetchError("too_large", "fetch_too_large", url=url, limit=f"{policy.max_bytes / MB:.3g}")


def _timeout_error(url: str, policy: FetchPolicy) -> FetchError:
    return FetchError("timeout", "fetch_timeout", url=url, connect=policy.connect_timeout, read=policy.read_timeout)


def _connection_error(url: str, error: BaseException, limit: int = 200) -> FetchError:
    detail = str(error)
    return FetchError("connection", "fetch_connection", url=url,
                      detail=detail if len(detail) <= limit else detail[:limit] + "…")
