"""fetch() against real HTTP servers on 127.0.0.1: what is fetched, retried, refused, and how fast."""
import socket
import time

import pytest
from catalog_server import CATALOG, ETAG, HUGE, LAST_MODIFIED

from ckanext.ikoma.net import addresses as addresses_module
from ckanext.ikoma.net.addresses import NonPublicAddress, PrivateAllowlist, connectable_addresses
from ckanext.ikoma.net.fetch import MB, FetchError, FetchPolicy, FetchResult, fetch

# 127.0.0.1 is private: every test that talks to the local server allows it, as a site admin would.
LOOPBACK = PrivateAllowlist.parse("127.0.0.0/8")
LOCAL = FetchPolicy(private_allowlist=LOOPBACK)


def local(**changes) -> FetchPolicy:
    return FetchPolicy(**{"private_allowlist": LOOPBACK, **changes})


def test_ok_returns_content_type_and_validators(catalog_server):
    result = fetch(catalog_server.url("/catalog.ttl"), LOCAL)
    assert result == FetchResult(url=catalog_server.url("/catalog.ttl"), status=200, content=CATALOG,
                                 content_type="text/turtle", etag=ETAG, last_modified=LAST_MODIFIED)
    sent = catalog_server.log.headers("/catalog.ttl")[0]
    assert sent["User-Agent"] == "ckanext-ikoma"
    assert sent["Host"] == f"127.0.0.1:{catalog_server.port}"
    assert "text/turtle" in sent["Accept"]
    assert "If-None-Match" not in sent


def test_conditional_get_answered_304_has_no_content(catalog_server):
    first = fetch(catalog_server.url("/catalog.ttl"), LOCAL)
    again = fetch(catalog_server.url("/catalog.ttl"), LOCAL, etag=first.etag, last_modified=first.last_modified)
    assert (again.status, again.content, again.etag) == (304, b"", ETAG)
    sent = catalog_server.log.headers("/catalog.ttl")[1]
    assert sent["If-None-Match"] == ETAG
    assert sent["If-Modified-Since"] == LAST_MODIFIED


def test_404_is_not_retried(catalog_server, sleeps):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/missing"), LOCAL, sleep=sleeps.append)
    assert (caught.value.kind, caught.value.status_code) == ("http_status", 404)
    assert "404" in caught.value.ja and "404" in caught.value.en
    assert str(caught.value) == f"{caught.value.ja} / {caught.value.en}"
    assert catalog_server.log.count("/missing") == 1
    assert sleeps == []


def test_500_then_200_is_retried_after_the_backoff(catalog_server, sleeps):
    result = fetch(catalog_server.url("/flaky"), LOCAL, sleep=sleeps.append)
    assert (result.status, result.content) == (200, CATALOG)
    assert catalog_server.log.count("/flaky") == 2
    assert sleeps == [1.0]


def test_500_always_gives_up_after_the_retries_with_doubling_waits(catalog_server, sleeps):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/broken"), LOCAL, sleep=sleeps.append)
    assert (caught.value.kind, caught.value.status_code) == ("http_status", 500)
    assert "after 3 attempts" in caught.value.en and "3回" in caught.value.ja
    assert catalog_server.log.count("/broken") == 3
    assert sleeps == [1.0, 2.0]


@pytest.mark.parametrize("after, wait", [("3", 3.0), ("3600", 60.0), ("soon", 1.0)])
def test_429_waits_as_the_server_asks_up_to_a_minute(catalog_server, sleeps, after, wait):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url(f"/busy?after={after}"), local(retries=1), sleep=sleeps.append)
    assert (caught.value.kind, caught.value.status_code) == ("http_status", 429)
    assert sleeps == [wait]


def test_a_server_that_never_answers_times_out(catalog_server, sleeps):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/silent"), local(connect_timeout=0.5, read_timeout=0.5, retries=1),
              sleep=sleeps.append)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 3
    assert catalog_server.log.count("/silent") == 2
    assert sleeps == [1.0]


def test_a_trickling_server_is_cut_at_the_deadline(catalog_server):
    """One byte every 0.2 s never trips the read timeout; connect + read timeout bounds the whole."""
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/trickle"), local(connect_timeout=0.5, read_timeout=1.0, retries=0))
    elapsed = time.monotonic() - started
    assert caught.value.kind == "timeout"
    assert 1.0 < elapsed < 3.5


def test_a_declared_length_over_the_limit_is_refused_before_the_body(catalog_server):
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        # the server sends no body: reading it would end in a timeout, not in too_large
        fetch(catalog_server.url("/declared-huge"), local(max_bytes=MB, read_timeout=2.0, retries=0))
    assert caught.value.kind == "too_large"
    assert "1 MB" in caught.value.ja and "1 MB" in caught.value.en
    assert time.monotonic() - started < 1.5


def test_an_undeclared_body_over_the_limit_stops_the_download(catalog_server, sleeps):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/endless"), local(max_bytes=MB), sleep=sleeps.append)
    assert caught.value.kind == "too_large"
    assert sleeps == []  # the answer will not get smaller: no retry
    assert catalog_server.log.finished["/endless"].wait(5), "the server should see the client hang up"
    # what the server got out is the client's 1 MB plus socket buffers, not 200 MB
    assert catalog_server.log.written["/endless"] < 8 * MB < HUGE


def test_a_redirect_to_the_same_host_is_followed(catalog_server):
    result = fetch(catalog_server.url("/redirect-same"), LOCAL)
    assert (result.url, result.content) == (catalog_server.url("/catalog.ttl"), CATALOG)


def test_a_redirect_to_another_host_is_refused(catalog_server):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/redirect-other"), LOCAL)
    assert caught.value.kind == "redirect"
    for host in (f"127.0.0.1:{catalog_server.port}", f"localhost:{catalog_server.port}"):
        assert host in caught.value.ja and host in caught.value.en
    assert catalog_server.log.count("/catalog.ttl") == 0


def test_a_redirect_to_another_allowed_host_is_followed(catalog_server):
    result = fetch(catalog_server.url("/redirect-other"), local(allowed_hosts=("127.0.0.1", "localhost")))
    assert (result.url, result.content) == (catalog_server.url("/catalog.ttl", host="localhost"), CATALOG)


@pytest.mark.parametrize("path, requests", [("/redirect-loop", 6), ("/redirect-file", 1)])
def test_endless_or_non_http_redirects_are_refused(catalog_server, path, requests):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url(path), LOCAL)
    assert caught.value.kind == "redirect"
    assert catalog_server.log.count(path) == requests


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::ffff:127.0.0.1]", "0.0.0.0"])
def test_private_addresses_are_refused_before_any_request(catalog_server, host):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/catalog.ttl", host=host), FetchPolicy())
    assert caught.value.kind == "private_address"
    assert "ckanext.ikoma.fetch.allowed_private" in caught.value.ja
    assert "ckanext.ikoma.fetch.allowed_private" in caught.value.en
    assert catalog_server.log.requests == []


@pytest.mark.parametrize("allowed", [("example.org",), ("127.0.0.1:1",)])
def test_hosts_outside_allowed_hosts_are_refused(catalog_server, allowed):
    with pytest.raises(FetchError) as caught:
        fetch(catalog_server.url("/catalog.ttl"), local(allowed_hosts=allowed))
    assert caught.value.kind == "host_not_allowed"
    assert catalog_server.log.requests == []


def test_an_allowed_host_may_name_its_port(catalog_server):
    result = fetch(catalog_server.url("/catalog.ttl"), local(allowed_hosts=(f"127.0.0.1:{catalog_server.port}",)))
    assert result.content == CATALOG


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/catalog.ttl", "gopher://example.org/", "javascript:alert(1)",
    "not a url", "", "http://", "//example.org/catalog.ttl", "http://example.org:99999/",
])
def test_only_http_urls_are_fetched(url):
    with pytest.raises(FetchError) as caught:
        fetch(url, FetchPolicy())
    assert caught.value.kind == "url"


def test_connection_refused_is_retried_then_reported(sleeps):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/catalog.ttl", LOCAL, sleep=sleeps.append)
    assert caught.value.kind == "connection"
    assert sleeps == [1.0, 2.0]


@pytest.mark.parametrize("addresses, refused", [
    (["93.184.215.14"], None),
    (["2606:2800:21f:cb07:6820:80da:af6b:8b2c"], None),
    (["93.184.215.14", "10.0.0.1"], "10.0.0.1"),  # one private answer is enough to refuse
    (["172.16.0.1"], "172.16.0.1"),
    (["192.168.1.1"], "192.168.1.1"),
    (["169.254.169.254"], "169.254.169.254"),  # cloud metadata
    (["100.64.0.1"], "100.64.0.1"),  # carrier-grade NAT: not private, not global either
    (["224.0.0.1"], "224.0.0.1"),
    (["240.0.0.1"], "240.0.0.1"),
    (["::1"], "::1"),
    (["fe80::1%eth0"], "fe80::1"),
    (["fc00::1"], "fc00::1"),
    (["::ffff:10.0.0.1"], "10.0.0.1"),
])
def test_non_public_addresses(monkeypatch, addresses, refused):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in addresses]

    monkeypatch.setattr(addresses_module.socket, "getaddrinfo", resolve)
    if refused is None:
        assert connectable_addresses("catalog.example.jp", 443, PrivateAllowlist())
    else:
        with pytest.raises(NonPublicAddress) as caught:
            connectable_addresses("catalog.example.jp", 443, PrivateAllowlist())
        assert str(caught.value.address) == refused


def test_the_host_is_resolved_once_and_the_checked_address_is_the_one_connected_to(catalog_server, monkeypatch):
    """DNS rebinding: a name that answers an allowed address when checked and an internal one
    when connected to. The fetcher never asks twice, so the second answer is never used."""
    real = socket.getaddrinfo
    asked = []

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "10.255.255.1"  # the second answer: a private network
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    result = fetch(catalog_server.url("/catalog.ttl", host="rebind.test"), local(retries=0))
    assert result.content == CATALOG and asked == ["rebind.test"]
    assert catalog_server.log.headers("/catalog.ttl")[0]["Host"] == f"rebind.test:{catalog_server.port}"


def test_a_name_with_one_private_answer_is_refused_even_if_another_is_public(monkeypatch):
    def mixed(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in ("93.184.215.14", "127.0.0.1")]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    with pytest.raises(FetchError) as caught:
        fetch("http://mixed.test/catalog.ttl", FetchPolicy(retries=0))
    assert caught.value.kind == "private_address" and "127.0.0.1" in caught.value.en


@pytest.mark.parametrize("entries, host, port, address, allowed", [
    ("127.0.0.2", "x.test", 80, "127.0.0.2", True),
    ("127.0.0.2", "x.test", 80, "127.0.0.1", False),
    ("10.1.0.0/16, ::1", "x.test", 80, "10.1.200.3", True),
    ("10.1.0.0/16 ::1", "x.test", 80, "::1", True),
    ("catalog.internal:8080", "catalog.internal", 8080, "10.0.0.5", True),
    ("catalog.internal:8080", "catalog.internal", 8081, "10.0.0.5", False),
    ("catalog.internal", "Catalog.Internal.", 443, "10.0.0.5", True),
    ("", "x.test", 80, "10.0.0.5", False),
])
def test_the_site_allowlist(entries, host, port, address, allowed):
    import ipaddress

    assert PrivateAllowlist.parse(entries).allows(host, port, ipaddress.ip_address(address)) is allowed


@pytest.mark.parametrize("entry", ["http://x/", "10.0.0.0/33", "host:99999", "a b/c"])
def test_a_malformed_allowlist_entry_is_refused(entry):
    with pytest.raises(ValueError):
        PrivateAllowlist.parse(entry)


def test_a_body_can_go_to_a_file_and_be_cut_at_the_limit(catalog_server, tmp_path):
    with open(tmp_path / "body", "w+b") as sink:
        result = fetch(catalog_server.url("/endless"), local(max_bytes=1000), sink=sink, truncate=True)
    assert result.truncated and result.content == b"" and (tmp_path / "body").stat().st_size == 1001
