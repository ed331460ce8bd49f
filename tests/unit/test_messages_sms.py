"""What each follow-up nudge's SMS says, and SMS segment counting."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.api.requests import TEXT_LIMIT
from followup.domain.i18n import LANGUAGES
from followup.domain.layout import MAX_SMS_PARTS, fewest_parts
from followup.domain.messages import render, render_confirmation
from followup.domain.sms import gsm7_text, is_gsm7, sms_segments
from followup.domain.tokens import manage_url, new_token
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




# --- every language, the longest values -------------------------------------------------------

FIRM_NAME_LIMIT = 100  # template.yaml's FirmName MaxLength
SHORT_BASE_URL = "https://followup.example.com"
LONG_BASE_URL = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod"  # the stack's own URL, no domain


def longest(words: str, limit: int = TEXT_LIMIT) -> str:
    """``words`` repeated up to ``limit`` characters: as long as the field allows, still cut at words."""
    return (f"{words} " * limit)[:limit].strip()


def longest_context(language: str, base_url: str, **values):
    interview_id = "3f2a9c1e7b4d"  # submission's secrets.token_hex(6)
    return replace(
        TYPICAL, locale=f"{language}-US", firm_name=longest("Hohenzollern Staffing", FIRM_NAME_LIMIT),
        candidate_name=longest("Maximiliano Hernández"), preferred_name=longest("Maximiliano"),
        company=longest("Consolidated Business Machines"), role=longest("Principal Engineer"),
        interviewer_name=longest("Bartholomew Fitzgerald"), interviewer_title=longest("Vice President"),
        hiring_manager_name=longest("Alexandrina Montgomery"), supervisor_name=longest("Sebastián Ortiz"),
        manage_url=manage_url(base_url, interview_id, new_token(interview_id)), **values,
    )


EVERY_SMS = [
    pytest.param(lambda ctx: render_confirmation(ctx).sms, {}, "", id="confirmation"),
    *(pytest.param(lambda ctx, step=step, first=first: render(step, ctx, first_sms=first).sms, values, f"#{step}",
                   id=f"{name}-{'first' if first else 'later'}")
      for step, name, values in [("thank_you_note", "thank_you_note", {}), ("check_in", "check_in", {}),
                                 ("decision_thank_you", "offer", {"outcome": "offer"}),
                                 ("decision_thank_you", "offer-three-cards", {"outcome": "offer",
                                                                              "thank_interviewer": True}),
                                 ("decision_thank_you", "not_selected", {"outcome": "not_selected"})]
      for first in (True, False)),
]


@pytest.mark.parametrize("base_url", [SHORT_BASE_URL, LONG_BASE_URL], ids=["short_base_url", "long_base_url"])
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize(("sms", "values", "anchor"), EVERY_SMS)
def test_every_sms_in_every_language_fits_two_segments_with_the_longest_values_the_fields_allow(
        sms, values, anchor, language, base_url):
    # Given every name as long as its field allows, and a real manage link
    ctx = longest_context(language, base_url, **values)

    # When
    text = sms(ctx)

    # Then the link is whole, and the text goes out in at most two parts
    assert f"{ctx.manage_url}{anchor}" in text
    assert sms_segments(text)[1] <= MAX_SMS_PARTS


def test_a_wording_in_one_segment_wins_then_one_in_two_each_as_written_even_in_ucs2():
    # Given
    one_gsm7, two_ucs2, three = "a" * 150, "Sí, " + "a" * 100, "b" * 400

    # When / Then the first in one segment, else the first in two, accents kept
    assert fewest_parts([three, two_ucs2, one_gsm7]) == one_gsm7
    assert fewest_parts([three, two_ucs2]) == two_ucs2
    assert sms_segments(two_ucs2) == ("UCS-2", 2)


def test_spanish_no_ucs2_wording_fits_in_two_goes_out_in_gsm7_without_its_accents():
    # Given wordings that UCS-2 would send in three parts
    wording = "¿Envió la tarjeta? Año, acción, menú: " + "a" * 150

    # When
    sent = fewest_parts([wording])

    # Then its letters stay (ñ, ¿ are GSM-7), only the accents GSM-7 lacks go
    assert sms_segments(wording) == ("UCS-2", 3)
    assert sent == "¿Envio la tarjeta? Año, accion, menu: " + "a" * 150
    assert sms_segments(sent) == ("GSM-7", 2)
    assert fewest_parts(["b" * 400]) is None


def test_gsm7_text_keeps_what_gsm7_has_and_transliterates_the_rest():
    assert gsm7_text("Él está aquí, señor: ¡qué útil! Zoë – Łukasz") == "Él esta aqui, señor: ¡qué util! Zoe - Lukasz"
