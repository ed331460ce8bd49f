"""Destinations: one mailbox is one destination, however its address is written. Pure: no I/O.

An email address is mailed as the candidate typed it, but every rule that counts or recognises a
destination (the confirmations limit, the duplicate rule, the firm-wide opt-out, the address a token is
bound to) keys on its **canonical mailbox**: the local part case-folded and its ``+tag`` dropped and, for
the providers that ignore them (gmail.com, googlemail.com), its dots dropped and the domain made one.
``Alice+x@GoogleMail.com`` and ``a.lice@gmail.com`` are one mailbox. A phone number is already canonical
(E.164, as the API stores it).

What is stored of a destination for those rules is ``address_key``: a digest, never the address in clear.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup.domain.models import Candidate, Interview

# Providers that deliver ``a.lice@`` to ``alice@``, and the one domain their mailboxes are known by.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def canonical_email(address: str) -> str:
    """The mailbox ``address`` reaches: ``Alice.Smith+jobs@GoogleMail.com`` -> ``alicesmith@gmail.com``."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return address.strip().casefold()
    domain = domain.rstrip(".").lower()
    local = local.casefold().split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def canonical(channel: str, destination: str) -> str:
    """The destination as the rules key on it: the canonical mailbox of an email, the E.164 number as given."""
    return canonical_email(destination) if channel == "email" else destination.strip()


def address_key(channel: str, destination: str) -> str:
    """A digest of the channel's canonical destination: what a token is bound to and an opt-out is kept by."""
    return hashlib.sha256(f"{channel}\n{canonical(channel, destination)}".encode()).hexdigest()


def same_destination(channel: str, one: str | None, other: str | None) -> bool:
    """Whether two destinations of ``channel`` reach the same mailbox or number (both absent counts as same)."""
    if not one or not other:
        return not one and not other
    return canonical(channel, one) == canonical(channel, other)


def channels_opted_out(interview: Interview, channels: Iterable[str],
                       opted_out: Callable[[list[str]], dict[str, str]]) -> dict[str, str]:
    """Which of ``channels`` (those with an address) go to a destination ``opted_out`` (``Store.opted_out`` for a
    moment: the digests among those given that opted out, with why) names, each with its reason; it is asked
    once, and not at all for none."""
    wanted = {address_key(c, destination_of(interview, c)): c for c in channels if destination_of(interview, c)}
    refused = opted_out(list(wanted)) if wanted else {}
    return {channel: refused[address] for address, channel in wanted.items() if address in refused}


def destination_of(interview: Interview, channel: str) -> str:
    """Where ``channel``'s messages of ``interview`` go now: the email address or the phone number ("" if none)."""
    return destination_of_candidate(interview.candidate, channel)


def destination_of_candidate(candidate: Candidate, channel: str) -> str:
    return (candidate.email if channel == "email" else candidate.phone) or ""
