"""Who a request comes from, for the per-client limit: the API's source IP, or, behind a CDN the firm trusts,
the address that CDN says it served.

Behind CloudFront every candidate reaches the API from one of CloudFront's addresses, so the source IP would
put them all in one bucket. A firm that puts CloudFront (or another proxy) in front names the header that
carries the viewer's address (``TRUSTED_PROXY_HEADER``: ``CloudFront-Viewer-Address``, ``X-Forwarded-For``)
and the proxy's address ranges (``TRUSTED_PROXY_RANGES``). The header is believed only on a request whose
source IP is inside those ranges: anyone else could write it. In a list (``X-Forwarded-For``), the client is
the last address not itself inside the ranges. A header that does not read as an address is not believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
CLOUDFRONT_VIEWER_ADDRESS = "cloudfront-viewer-address"  # "<address>:<port>", IPv6 without brackets


def client_address(source_ip: str, headers: Mapping[str, str], header: str, ranges: Iterable[str]) -> str:
    """The address the per-client limit counts: ``source_ip``, or what a trusted proxy's ``header`` says."""
    networks = _networks(tuple(ranges))
    if not header or not networks or not _inside(source_ip, networks):
        return source_ip
    value = next((v for k, v in headers.items() if k.lower() == header.lower()), None)
    if not value:
        return source_ip
    with_port = header.lower() == CLOUDFRONT_VIEWER_ADDRESS
    for entry in reversed(value.split(",")):
        address = _address(entry.strip(), with_port)
        if address is None:
            return source_ip
        if not _inside(address, networks):
            return address
    return source_ip


@lru_cache(maxsize=4)
def _networks(ranges: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(r, strict=False) for r in ranges)


def _inside(address: str, networks: tuple[_Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in networks)


def _address(text: str, with_port: bool) -> str | None:
    """``text`` as an IP address: bare, ``1.2.3.4:port`` or ``[v6]:port``; ``with_port``, CloudFront's form,
    which always ends in ``:port`` (``2001:db8::7:443`` is the address ``2001:db8::7``)."""
    if with_port:
        candidates = [text.rsplit(":", 1)[0].strip("[]")]
    elif text.startswith("[") and "]" in text:
        candidates = [text[1:text.index("]")]]
    else:
        candidates = [text, text.rsplit(":", 1)[0]]
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
