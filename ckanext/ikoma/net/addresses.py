"""Which network addresses the extension may connect to.

Everything it fetches (neighbours' catalog pages, linked CSV files) names a host that somebody else
typed in, so a host that resolves into the site's own network (loopback, private, link-local, the
cloud metadata address, multicast, reserved, IPv4 inside IPv6) is refused, unless the site's admin
allowed it in ckan.ini (`ckanext.ikoma.fetch.allowed_private`). Nothing a curator can set allows it.

Pure: no CKAN import.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Union
from urllib.parse import urlsplit

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


def plain_address(text: str) -> IPAddress:
    """An address as getaddrinfo gives it, without an IPv6 zone, IPv4-mapped addresses unwrapped
    (::ffff:127.0.0.1 is loopback, whatever ipaddress says of it in Python 3.11)."""
    address = ipaddress.ip_address(str(text).split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_public(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
        or address.is_multicast or address.is_unspecified)


@dataclass(frozen=True)
class PrivateAllowlist:
    """The site admin's exceptions: networks (any port) and host names or host:port pairs."""
    networks: tuple[IPNetwork, ...] = ()
    hosts: tuple[tuple[str, Union[int, None]], ...] = ()

    @classmethod
    def parse(cls, text: Union[str, list, tuple, None]) -> "PrivateAllowlist":
        """From the ckan.ini value: entries separated by spaces or commas, each a network
        (10.1.0.0/16, 127.0.0.2, ::1) or a host with an optional port (catalog.internal:8080).
        ValueError names an entry that is neither."""
        entries = text.replace(",", " ").split() if isinstance(text, str) else list(text or ())
        networks, hosts = [], []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            try:
                parts = urlsplit("//" + entry.lower())
                host, port = (parts.hostname or "").rstrip("."), parts.port
            except ValueError:
                host, port = "", None
            if not host or parts.path or parts.query:
                raise ValueError(f"not a network, host or host:port: {entry!r}")
            hosts.append((host, port))
        return cls(tuple(networks), tuple(hosts))

    def allows(self, hostname: str, port: int, address: IPAddress) -> bool:
        host = hostname.lower().rstrip(".")
        if any(host == allowed and allowed_port in (None, port) for allowed, allowed_port in self.hosts):
            return True
        return any(address.version == network.version and address in network for network in self.networks)


class NonPublicAddress(Exception):
    def __init__(self, address: IPAddress):
        super().__init__(str(address))
        self.address = address


def connectable_addresses(hostname: str, port: int, allowlist: PrivateAllowlist) -> list[IPAddress]:
    """The addresses `hostname` resolves to, resolved once: the caller connects to one of these
    and never resolves again, so a DNS answer that changes between check and use (rebinding)
    changes nothing. NonPublicAddress when any of them is non-public and not allowed (a name
    with one private answer among public ones is refused as a whole); OSError when it does not
    resolve; UnicodeError for a name that is not one."""
    addresses: list[IPAddress] = []
    for *_, sockaddr in socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM):
        address = plain_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    for address in addresses:
        if not is_public(address) and not allowlist.allows(hostname, port, address):
            raise NonPublicAddress(address)
    return addresses
