"""The drafts and the form's errors in Spanish: what a candidate whose interview speaks Spanish writes, says and
reads, from the catalogue (``followup.domain.i18n``), with Spanish dates; English unchanged.

The Spanish is checked by the phrases a Spanish speaker writes (a card opens "Apreciable Dana:", whatever the
interviewer's gender), not word for word, and every placeholder filled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from followup.api.commands import RecordDecision
from followup.domain import field_rules, form_errors
from followup.domain.drafts import MessageContext, context_of, guide, offer_cards_line
from followup.domain.errors import InterviewNotFound, InvalidFields
from followup.domain.models import Candidate, FollowUp, Interview, Interviewer, Person

SPANISH = MessageContext(
    firm_name="Acme Staffing", candidate_name="María José Hernández", company="Globex", role="Analista de datos",
    interviewer_name="Dana Whitfield", interviewer_title="Jefa de datos", interview_date=date(2026, 11, 27),
    manage_url="https://followup.example.com/manage/i1", unsubscribe_url="https://followup.example.com/u",
    locale="es-US", phone="+14155550123",
)
DAY = "viernes, 27 de noviembre"


def texts(step: str, ctx: MessageContext) -> list[str]:
    """Every string of the step's guide: its summary, its don'ts and each draft's words."""
    help_ = guide(step, ctx)
    found = [help_.summary, *help_.donts]
    for draft in help_.drafts:
        found += [part for part in (draft.label, draft.text, draft.subject, draft.envelope) if part]
    return found


def assert_filled(found: list[str]) -> None:
    for text in found:
        assert "%(" not in text and ")s" not in text, text


def test_the_thank_you_card_is_written_as_a_spanish_speaker_writes_one():
    help_ = guide("thank_you_note", SPANISH)
    card = help_.drafts[0]

    assert card.label == "Tarjeta para Dana Whitfield"
    assert card.envelope == "Dana Whitfield, Jefa de datos, Globex"
    assert card.text.startswith("Apreciable Dana:\n\nMuchas gracias por su tiempo el " + DAY + ", y por la entrevista")
    assert "el puesto de Analista de datos en Globex" in card.text
    assert card.text.endswith("\n\nCon gratitud,\nMaría José Hernández")
    assert help_.summary.startswith("Envíe a Dana Whitfield por correo postal")
    assert_filled(texts("thank_you_note", SPANISH))


def test_the_check_in_email_call_and_voicemail_are_in_spanish_with_the_donts():
    drafts = {d.id: d for d in guide("check_in", SPANISH).drafts}
    email, call, voicemail = drafts["check_in-email"], drafts["check_in-call"], drafts["check_in-voicemail"]

    assert email.subject == "Seguimiento de mi entrevista para el puesto de Analista de datos"
    assert email.label == "Correo electrónico para Dana Whitfield"
    assert email.text.startswith("Apreciable Dana:\n\nLe agradezco nuevamente que se haya reunido conmigo el " + DAY)
    assert email.text.endswith("\n\nSaludos cordiales,\nMaría José Hernández")
    assert call.text.startswith("Hola, Dana. Le habla María. Tuve una entrevista con usted el " + DAY)
    assert voicemail.label == "Si le contesta el buzón de voz"
    assert "Le habla María José Hernández." in voicemail.text
    assert "Puede comunicarse conmigo al (415) 555-0123." in voicemail.text
    assert guide("check_in", SPANISH).donts == ("No pregunte si todavía tiene posibilidades.",
                                                "No pregunte cómo van las entrevistas con otros candidatos.")
    assert_filled(texts("check_in", SPANISH))


def test_without_a_number_the_spanish_voicemail_leaves_a_blank_to_fill_in():
    voicemail = guide("check_in", replace(SPANISH, phone=None)).drafts[2]

    assert "Mi número es [su número de teléfono]." in voicemail.text


def test_an_offer_in_spanish_thanks_the_manager_the_supervisor_and_the_interviewer():
    ctx = replace(SPANISH, outcome="offer", hiring_manager_name="Priya Shah", supervisor_name="Luis Soto",
                  thank_interviewer=True)
    help_ = guide("decision_thank_you", ctx)
    cards = {d.id: d for d in help_.drafts}

    assert help_.summary.startswith("¡Felicidades por el puesto de Analista de datos! Las tarjetas de "
                                    "agradecimiento son para Priya Shah, Luis Soto y Dana Whitfield: envíelas")
    assert cards["decision_thank_you-manager"].label == "Tarjeta para Priya Shah (gerente de contratación)"
    assert cards["decision_thank_you-manager"].text.startswith("Apreciable Priya:\n\nMuchas gracias por elegirme")
    assert cards["decision_thank_you-supervisor"].text.startswith("Apreciable Luis:\n\nMe alegra mucho incorporarme "
                                                                  "a su equipo de Globex")
    interviewer = cards["decision_thank_you-interviewer"]
    assert interviewer.label == "Tarjeta para Dana Whitfield (quien le hizo la entrevista)"
    assert f"el {DAY}, y por la entrevista" in interviewer.text
    assert "me voy a incorporar a Globex" in interviewer.text
    assert_filled(texts("decision_thank_you", ctx))


def test_one_offer_card_is_said_in_the_singular():
    ctx = replace(SPANISH, outcome="offer", hiring_manager_name="Priya Shah")
    help_ = guide("decision_thank_you", ctx)

    assert [d.label for d in help_.drafts] == ["Tarjeta para Priya Shah (gerente de contratación)"]
    assert "La tarjeta de agradecimiento es para Priya Shah: envíela por correo postal." in help_.summary
    assert offer_cards_line(help_.drafts, "es-MX").startswith("La tarjeta de agradecimiento es para Priya Shah")


def test_not_selected_in_spanish_is_kind_and_says_nobody_s_gender():
    ctx = replace(SPANISH, outcome="not_selected", hiring_manager_name="Priya Shah", thank_interviewer=True)
    help_ = guide("decision_thank_you", ctx)
    manager, interviewer = help_.drafts

    assert help_.summary == ("Las tarjetas de agradecimiento son para Priya Shah y Dana Whitfield: agradézcales la "
                             "oportunidad de la entrevista. Si con la persona elegida las cosas no resultan, Priya se "
                             "acordará de usted.")
    assert "Aunque en esta ocasión eligieron a otra persona" in manager.text
    assert "seleccionad" not in manager.text  # "seleccionado/a" would guess the candidate's gender
    assert interviewer.text.startswith(f"Apreciable Dana:\n\nMuchas gracias por su tiempo el {DAY}, y por la")
    assert_filled(texts("decision_thank_you", ctx))


def test_one_not_selected_card_names_the_manager_in_spanish():
    help_ = guide("decision_thank_you", replace(SPANISH, outcome="not_selected", hiring_manager_name="Priya Shah"))

    assert help_.summary.startswith("La tarjeta de agradecimiento es para Priya Shah: agradézcale a Priya la "
                                    "oportunidad de la entrevista.")


@pytest.mark.parametrize(
    ("step", "changes"),
    [
        ("thank_you_note", {}),
        ("check_in", {}),
        ("decision_thank_you", {"outcome": "offer", "hiring_manager_name": "Priya Shah", "supervisor_name": "Luis",
                                "thank_interviewer": True}),
        ("decision_thank_you", {"outcome": "offer", "supervisor_name": "Dana Whitfield"}),
        ("decision_thank_you", {"outcome": "not_selected", "hiring_manager_name": "Priya", "thank_interviewer": True}),
    ],
)
def test_no_english_sentence_is_left_in_a_spanish_guide(step, changes):
    spanish = texts(step, replace(SPANISH, **changes))
    english = texts(step, replace(SPANISH, locale="en-US", **changes))

    assert len(spanish) == len(english)
    for es, en in zip(spanish, english, strict=True):
        assert es == en if en in ("Dana Whitfield, Jefa de datos, Globex", "Dana Whitfield, Globex",
                                  "Priya Shah, Globex", "Luis, Globex", "Priya, Globex") else es != en
    for text in spanish:
        for english_word in ("Dear", "Thank", "Card for", "regards", "position", "Don't"):
            assert english_word not in text, text


def test_a_stored_interview_in_spanish_gets_spanish_drafts_and_dates():
    at = "2026-11-27T14:00:00-05:00"
    interview = Interview(
        id="i1", company="Globex", role="Analista de datos", interviewer=Interviewer(name="Dana Whitfield"),
        interview_at=at, candidate=Candidate(name="María José Hernández", time_zone="America/New_York",
                                             locale="es-US", phone="+14155550123"),
        channels=["sms"], sms_consent=True, expected_decision_days=7,
        follow_ups={"thank_you_note": FollowUp(step="thank_you_note", status="scheduled", due_at=at)},
        created_at=at, updated_at=at, status="active",
    )
    ctx = context_of(interview, "Acme Staffing")

    assert ctx.language == "es"
    assert f"el {DAY}, y por la entrevista" in guide("thank_you_note", ctx).drafts[0].text


def test_english_drafts_are_unchanged():
    ctx = replace(SPANISH, locale="en-US")
    card = guide("thank_you_note", ctx).drafts[0]

    assert card.text == ("Dear Dana,\n\nThank you for your time on Friday, November 27 and for the interview for the "
                         "Analista de datos position at Globex. I enjoyed our conversation and appreciated the chance "
                         "to learn more about the role.\n\nKind regards,\nMaría José Hernández")
    voicemail = guide("check_in", replace(ctx, phone=None)).drafts[2]
    assert "in it. My number is [your phone number]. Thank you, and have a good day." in voicemail.text


# --- the form's errors ---------------------------------------------------------------------------


def test_a_fields_problems_are_said_in_spanish():
    too_long = {"type": "string_too_long", "ctx": {"max_length": 200}}

    assert form_errors.plain_message("candidate.name", {"type": "missing"}, "es") == "Escriba su nombre"
    assert form_errors.plain_message("candidate.name", too_long, "es") == "Su nombre debe tener 200 caracteres o menos"
    assert form_errors.plain_message("role", {"type": "link"}, "es") == ("El puesto no puede contener una dirección "
                                                                          "web ni un enlace")
    assert form_errors.plain_message("expected_decision_days", {"type": "less_than_equal"}, "es") == (
        "Elija un número de días del 1 al 60")
    assert form_errors.plain_message("nickname", {"type": "extra_forbidden"}, "es") == (
        "nickname no es un campo que conozcamos: quítelo")


def test_english_field_problems_are_unchanged():
    too_long = {"type": "string_too_long", "ctx": {"max_length": 200}}

    assert form_errors.plain_message("candidate.name", too_long) == "Your name must be 200 characters or fewer"
    assert form_errors.plain_message("interviewer", {"type": "value_error", "msg": "null"}) == (
        "Tell us who interviewed you")
    assert form_errors.plain_message("extra.thing", {"type": "missing"}) == "Enter extra thing"


def test_the_cross_field_rules_speak_the_requests_language():
    body = {"channels": ["email", "sms"], "candidate": {}, "sms_consent": False}

    assert form_errors.contact_problems(body, set(), "es") == [
        ("candidate.email", "Escriba su dirección de correo electrónico, o elija solo mensajes de texto"),
        ("candidate.phone", "Escriba un número de teléfono que reciba mensajes de texto, por ejemplo (415) 555-0123, "
                            "o elija solo correo electrónico"),
        ("sms_consent", "Marque la casilla para aceptar los mensajes de texto, o elija solo correo electrónico"),
    ]
    with pytest.raises(InvalidFields) as caught:
        field_rules.check_contact(Candidate(name="J", time_zone="UTC"), ["email"], False, "es")
    assert caught.value.fields == [("candidate.email", "Escriba su dirección de correo electrónico, o elija solo "
                                                       "mensajes de texto")]
    with pytest.raises(InvalidFields) as caught:
        field_rules.check_decision(RecordDecision(outcome="offer"), "es")
    assert caught.value.fields == [("supervisor.name", "Escriba el nombre de la persona a quien reportará "
                                                       "directamente: también recibirá una tarjeta de agradecimiento")]
    with pytest.raises(InvalidFields) as caught:
        field_rules.check_decision(RecordDecision(outcome="not_selected", supervisor=Person(name="M")))
    assert caught.value.fields == [("supervisor", "Leave the supervisor out: it is only for an offer")]


def test_an_error_a_candidate_reads_is_said_in_their_language():
    assert InterviewNotFound().in_language("es") == ("no encontramos la entrevista", [])
    assert InterviewNotFound().in_language() == ("interview not found", [])
    already = InvalidFields(fields=[("candidate.email", form_errors.EMAIL_NEEDED), ("x", "ya en español")])
    assert already.in_language("es") == ("algunos campos no son válidos", [
        ("candidate.email", "Escriba su dirección de correo electrónico, o elija solo mensajes de texto"),
        ("x", "ya en español"),
    ])
    assert InvalidFields("", fields=[("x", "")]).in_language("es") == ("algunos campos no son válidos", [("x", "")])
