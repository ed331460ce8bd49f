"""What each follow-up nudge's SMS says, and SMS segment counting."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.domain.messages import render
from followup.domain.sms import is_gsm7, sms_segments
from tests.unit.message_parts import (
    LONG_NAME,
    MANAGE_URL,
    NOT_SELECTED,
    OFFER,
    TYPICAL,
)

# --- SMS -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "ctx", "expected"),
    [
        pytest.param(
            "thank_you_note",
            TYPICAL,
            f"Acme Staffing: Mail Dana Whitfield a thank-you card: {MANAGE_URL}#thank_you_note",
            id="thank_you_note",
        ),
        pytest.param(
            "check_in",
            TYPICAL,
            f"Acme Staffing: Tell Dana Whitfield you're still keen: {MANAGE_URL}#check_in",
            id="check_in",
        ),
        pytest.param(
            "decision_thank_you",
            OFFER,
            f"Acme Staffing: Mail cards to Priya Raman and Sam Ortiz: {MANAGE_URL}#decision_thank_you",
            id="offer",
        ),
        pytest.param(
            "decision_thank_you",
            NOT_SELECTED,
            f"Acme Staffing: Still mail Priya Raman a card: {MANAGE_URL}#decision_thank_you",
            id="not_selected",
        ),
    ],
)
def test_the_typical_sms_is_one_gsm7_segment_starting_with_the_firm(step, ctx, expected):
    # Given
    assert len(MANAGE_URL) == 85

    # When
    sms = render(step, ctx).sms

    # Then
    assert sms == expected
    assert sms_segments(sms) == ("GSM-7", 1)


def test_short_names_keep_the_optional_parts_of_the_sms():
    # Given
    ctx = replace(TYPICAL, firm_name="Acme", interviewer_name="Jo", company="Initech")

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == f"Acme: Mail Jo a handwritten thank-you card by post. Draft: {MANAGE_URL}#thank_you_note"


@pytest.mark.parametrize(
    ("step", "ctx", "expected"),
    [
        pytest.param(
            "thank_you_note",
            replace(TYPICAL, interviewer_name=LONG_NAME),
            "Acme Staffing: Mail Maximilian-Alexander Lukasz von... ",
            id="thank_you_note",
        ),
        pytest.param(
            "check_in",
            replace(TYPICAL, interviewer_name=LONG_NAME),
            "Acme Staffing: Tell Maximilian-Alexander Lukasz von... ",
            id="check_in",
        ),
        pytest.param(
            "decision_thank_you",
            replace(OFFER, hiring_manager_name=LONG_NAME, supervisor_name="Bartholomew Fitzgerald"),
            "Acme Staffing: Mail cards to Maximilian-Alexander... ",
            id="offer",
        ),
        pytest.param(
            "decision_thank_you",
            replace(NOT_SELECTED, hiring_manager_name=LONG_NAME),
            "Acme Staffing: Still mail Maximilian-Alexander... ",
            id="not_selected",
        ),
    ],
)
def test_long_names_are_truncated_so_the_sms_stays_one_segment_with_the_link_intact(step, ctx, expected):
    # Given / When
    sms = render(step, ctx).sms

    # Then
    assert sms == f"{expected}{MANAGE_URL}#{step}"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_a_long_link_leaving_forty_characters_still_gives_one_segment():
    # Given
    manage_url = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=" + "A" * 45
    ctx = replace(TYPICAL, interviewer_name=LONG_NAME, manage_url=manage_url)

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert len(f"{manage_url}#thank_you_note") == 119
    assert sms == f"Acme Staffing: Mail Maximilian-Alexan... {manage_url}#thank_you_note"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_a_link_too_long_to_leave_room_keeps_the_whole_wording_in_two_segments():
    # Given
    manage_url = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=" + "A" * 80
    ctx = replace(TYPICAL, manage_url=manage_url)

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == f"Acme Staffing: Mail Dana Whitfield a thank-you card: {manage_url}#thank_you_note"
    assert sms_segments(sms) == ("GSM-7", 2)


def test_sms_transliterates_names_outside_gsm7_to_plain_ascii():
    # Given
    ctx = replace(TYPICAL, firm_name="Zoë Staffing", interviewer_name="José Łukasz-Ørsted")

    # When
    sms = render("check_in", ctx).sms

    # Then
    assert sms == f"Zoe Staffing: Tell Jose Lukasz-Orsted you're still keen: {MANAGE_URL}#check_in"
    assert is_gsm7(sms)


def test_sms_replaces_curly_quotes_and_dashes_with_plain_ones():
    # Given
    ctx = replace(TYPICAL, firm_name="Acme", interviewer_name="Jo", company="O’Brien–Sons", manage_url="https://x.example/m/1?t=2")

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == "Acme: Mail Jo at O'Brien-Sons a handwritten thank-you card by post. Draft: https://x.example/m/1?t=2#thank_you_note"
    assert sms_segments(sms) == ("GSM-7", 1)


def test_sms_drops_what_cannot_be_transliterated_and_falls_back_to_a_role_word():
    # Given
    ctx = replace(TYPICAL, interviewer_name="王芳 😀")

    # When
    sms = render("thank_you_note", ctx).sms

    # Then
    assert sms == f"Acme Staffing: Mail your interviewer a thank-you card: {MANAGE_URL}#thank_you_note"
    assert is_gsm7(sms)


# --- segment counting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", ("GSM-7", 0), id="empty"),
        pytest.param("a" * 160, ("GSM-7", 1), id="gsm7-160"),
        pytest.param("a" * 161, ("GSM-7", 2), id="gsm7-161"),
        pytest.param("a" * 306, ("GSM-7", 2), id="gsm7-153x2"),
        pytest.param("a" * 307, ("GSM-7", 3), id="gsm7-153x2+1"),
        pytest.param("a" * 158 + "{", ("GSM-7", 1), id="extended-counts-two-160"),
        pytest.param("a" * 159 + "€", ("GSM-7", 2), id="extended-counts-two-161"),
        pytest.param("a" * 152 + "[" + "a" * 152, ("GSM-7", 3), id="extended-not-split-across-parts"),
        pytest.param("é" * 160, ("GSM-7", 1), id="accented-gsm7-letters"),
        pytest.param("Ł" * 70, ("UCS-2", 1), id="ucs2-70"),
        pytest.param("Ł" * 71, ("UCS-2", 2), id="ucs2-71"),
        pytest.param("Ł" * 134, ("UCS-2", 2), id="ucs2-67x2"),
        pytest.param("Ł" * 135, ("UCS-2", 3), id="ucs2-67x2+1"),
        pytest.param("It’s" + "a" * 66, ("UCS-2", 1), id="one-curly-quote-makes-ucs2"),
        pytest.param("😀" * 35, ("UCS-2", 1), id="emoji-counts-two-units-70"),
        pytest.param("😀" * 36, ("UCS-2", 2), id="emoji-counts-two-units-72"),
    ],
)
def test_sms_segments_counts_encoding_and_parts(text, expected):
    assert sms_segments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("José à Ñ", True, id="gsm7-accents"),
        pytest.param("{[~^|\\]}€", True, id="extension-table"),
        pytest.param("Zoë", False, id="e-diaeresis"),
        pytest.param("Łukasz", False, id="l-stroke"),
        pytest.param("it’s", False, id="curly-quote"),
        pytest.param("a – b", False, id="en-dash"),
        pytest.param("`", False, id="backtick"),
    ],
)
def test_is_gsm7_knows_the_gsm7_alphabet(text, expected):
    assert is_gsm7(text) is expected


