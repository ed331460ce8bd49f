"""One mailbox is one destination; a token is bound to the address it went to; an interview's grants stay
bounded; the per-client limit's address behind a trusted proxy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followup.api.client_address import client_address
from followup.domain import tokens
from followup.domain.destinations import address_key, canonical_email, same_destination
from followup.domain.models import TokenGrant
from followup.runtime.config import SettingsError, settings_from

NOW = datetime(2026, 3, 10, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(("written", "mailbox"), [
    ("alice@gmail.com", "alice@gmail.com"),
    ("Alice@gmail.com", "alice@gmail.com"),
    ("ALICE@GMAIL.COM", "alice@gmail.com"),
    ("a.lice@gmail.com", "alice@gmail.com"),
    ("alice+x@gmail.com", "alice@gmail.com"),
    ("A.l.i.c.e+jobs+more@GoogleMail.com", "alice@gmail.com"),
    ("Bob.Smith+work@Example.com", "bob.smith@example.com"),  # dots count elsewhere
    ("bob@example.com.", "bob@example.com"),
])
def test_every_spelling_of_a_mailbox_has_one_canonical_form(written, mailbox):
    assert canonical_email(written) == mailbox


def test_two_mailboxes_stay_two_and_the_channel_is_part_of_the_key():
    assert canonical_email("bob.smith@example.com") != canonical_email("bobsmith@example.com")
    assert address_key("email", "a@b.com") != address_key("sms", "a@b.com")
    assert address_key("email", "Alice+x@gmail.com") == address_key("email", "a.lice@googlemail.com")
    assert same_destination("email", "Alice@gmail.com", "alice@googlemail.com")
    assert not same_destination("sms", "+14155550123", "+14155550124")
    assert same_destination("email", None, "") and not same_destination("email", None, "a@b.com")


def test_each_manage_token_is_bound_to_its_address_and_the_unsubscribe_token_to_the_email():
    links = tokens.mint_links("abc123def456", {"email": "jo@example.com", "sms": "+14155550123"}, NOW)
    by_channel = {(g.kind, g.channel): g for g in links.grants}

    email, sms = by_channel[("manage", "email")], by_channel[("manage", "sms")]
    assert tokens.binds(email, "email", "Jo@example.com") and not tokens.binds(email, "email", "other@example.com")
    assert tokens.binds(sms, "sms", "+14155550123") and not tokens.binds(sms, "email", "+14155550123")
    assert by_channel[("unsubscribe", None)].address == address_key("email", "jo@example.com")
    sms_only = tokens.mint_links("abc123def456", {"sms": "+14155550123"}, NOW)
    assert [g.address for g in sms_only.grants if g.kind == "unsubscribe"] == [None]


def test_a_grant_from_before_binding_binds_nothing():
    legacy = TokenGrant(hash="h", kind="manage", channel="email")

    assert not tokens.binds(legacy, "email", "jo@example.com")


def test_changing_an_address_drops_that_channels_other_manage_tokens_only():
    old = tokens.mint_links("abc123def456", {"email": "old@example.com", "sms": "+14155550123"}, NOW).grants
    new = tokens.mint_links("abc123def456", {"email": "new@example.com"}, NOW).grants
    legacy = TokenGrant(hash="legacy", kind="manage", channel="email")

    kept = tokens.drop_address([legacy, *old, *new], "email", address_key("email", "new@example.com"))

    assert [(g.kind, g.channel, g.address) for g in kept] == [
        ("manage", "sms", address_key("sms", "+14155550123")),
        ("unsubscribe", None, address_key("email", "old@example.com")),
        ("manage", "email", address_key("email", "new@example.com")),
        ("unsubscribe", None, address_key("email", "new@example.com")),
    ]
    assert [g for g in tokens.drop_address(old, "email", None) if g.channel == "email"] == []


def test_an_interview_keeps_the_newest_grants_of_each_kind_and_channel_and_no_more():
    grants = [tokens.mint("abc123def456", "manage", NOW + timedelta(minutes=n), "email", "a")[1] for n in range(40)]
    grants += [tokens.mint("abc123def456", "unsubscribe", NOW)[1] for _ in range(40)]
    grants += [tokens.mint("abc123def456", "manage", NOW, "sms", "b")[1] for _ in range(3)]

    kept = tokens.live(grants, NOW)

    assert len(kept) == 2 * tokens.GRANTS_KEPT + 3 <= tokens.COMPARISONS
    assert [g for g in kept if g.channel == "email"] == grants[40 - tokens.GRANTS_KEPT:40]  # the newest, in order
    assert tokens.live(grants, NOW + tokens.MANAGE_TOKEN_LIFETIME + timedelta(hours=1)) == \
        [g for g in kept if g.kind == "unsubscribe"]  # the expired manage tokens go first


# ---- the per-client limit's address ------------------------------------------------------------------

CLOUDFRONT = ("130.176.0.0/16", "2600:9000::/28")


@pytest.mark.parametrize(("source", "headers", "client"), [
    ("130.176.5.5", {"CloudFront-Viewer-Address": "198.51.100.7:46532"}, "198.51.100.7"),
    ("130.176.5.5", {"cloudfront-viewer-address": "2001:db8::7:443"}, "2001:db8::7"),
    ("2600:9000::1", {"CloudFront-Viewer-Address": "198.51.100.7:1"}, "198.51.100.7"),
    ("203.0.113.9", {"CloudFront-Viewer-Address": "198.51.100.7:1"}, "203.0.113.9"),  # not from the proxy
    ("130.176.5.5", {}, "130.176.5.5"),
    ("130.176.5.5", {"CloudFront-Viewer-Address": "not an address"}, "130.176.5.5"),
])
def test_the_viewer_address_header_is_believed_only_from_the_proxys_ranges(source, headers, client):
    assert client_address(source, headers, "cloudfront-viewer-address", CLOUDFRONT) == client


def test_in_a_forwarded_list_the_client_is_the_last_address_outside_the_proxy():
    headers = {"X-Forwarded-For": "10.0.0.1, 198.51.100.7, 130.176.1.1"}  # the first entry is anyone's to write

    assert client_address("130.176.5.5", headers, "x-forwarded-for", CLOUDFRONT) == "198.51.100.7"
    assert client_address("130.176.5.5", headers, "", CLOUDFRONT) == "130.176.5.5"  # no header named: the source


def test_the_proxy_settings_are_checked_and_need_each_other():
    base = {"TABLE_NAME": "t", "FIRM_NAME": "Acme", "SENDER_EMAIL": "a@b.c", "PUBLIC_BASE_URL": "https://x.example"}
    settings = settings_from({**base, "TRUSTED_PROXY_HEADER": "CloudFront-Viewer-Address",
                              "TRUSTED_PROXY_RANGES": "130.176.0.0/16, 2600:9000::/28",
                              "DESTINATION_CHANGES_PER_DAY_PER_INTERVIEW": "5"})

    assert settings.trusted_proxy_header == "cloudfront-viewer-address"
    assert settings.trusted_proxy_ranges == CLOUDFRONT
    assert settings.destination_changes_per_day_per_interview == 5
    with pytest.raises(SettingsError, match="TRUSTED_PROXY_RANGES"):
        settings_from({**base, "TRUSTED_PROXY_HEADER": "X-Forwarded-For"})
    with pytest.raises(SettingsError, match="TRUSTED_PROXY_RANGES"):
        settings_from({**base, "TRUSTED_PROXY_HEADER": "X-Forwarded-For", "TRUSTED_PROXY_RANGES": "example.com"})
    with pytest.raises(SettingsError, match="DESTINATION_CHANGES_PER_DAY_PER_INTERVIEW"):
        settings_from({**base, "DESTINATION_CHANGES_PER_DAY_PER_INTERVIEW": "0"})
