"""Every nudge, the confirmation and the texts that answer a reply, in the interview's language: Spanish for an
``es-US`` candidate (its dates by Babel, ``<html lang="es">``), English unchanged for ``en-US``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.domain.messages import render, render_confirmation
from followup.domain.replies import done_answer, page_answer
from followup.domain.sms import sms_segments
from tests.unit.message_parts import EVERY_EMAIL, MANAGE_URL, NOT_SELECTED, OFFER, TYPICAL


def spanish(ctx):
    return replace(ctx, locale="es-US")


@pytest.mark.parametrize(
    ("step", "ctx", "subject", "sentence"),
    [
        pytest.param("thank_you_note", TYPICAL, "Es momento de enviarle una tarjeta de agradecimiento a Dana Whitfield",
                     "Su entrevista del martes, 3 de marzo para el puesto de Senior Data Analyst en Globex Corporation "
                     "no termina cuando usted sale por la puerta", id="thank_you_note"),
        pytest.param("check_in", TYPICAL, "Comuníquese con Dana Whitfield sobre el puesto de Senior Data Analyst",
                     "Usted tuvo su entrevista con Dana Whitfield, Head of Analytics, el martes, 3 de marzo para el "
                     "puesto de Senior Data Analyst en Globex Corporation", id="check_in"),
        pytest.param("decision_thank_you", OFFER, "Felicidades por la oferta para el puesto de Senior Data Analyst: "
                     "tarjetas de agradecimiento por enviar",
                     "¡Felicidades, Jordan! El puesto de Senior Data Analyst en Globex Corporation es suyo.", id="offer"),
        pytest.param("decision_thank_you", NOT_SELECTED, "Una tarjeta de agradecimiento que aún vale la pena enviarle "
                     "a Priya Raman", "Lamentamos que esta vez el puesto de Senior Data Analyst en Globex Corporation "
                     "haya sido para otra persona.", id="not_selected"),
    ],
)
def test_each_nudge_to_a_spanish_speaker_is_in_spanish_with_a_spanish_date(step, ctx, subject, sentence):
    # Given / When
    message = render(step, spanish(ctx))

    # Then the subject, the body (text and HTML), the footer and the SMS speak Spanish
    assert message.subject == subject
    assert message.language == "es"
    assert sentence in message.text and sentence in message.html
    assert "Mucho éxito,\nAcme Staffing" in message.text
    assert "Recibe estos recordatorios porque se creó un plan de seguimiento para su entrevista en Globex " \
           "Corporation." in message.text
    assert message.html.startswith('<!DOCTYPE html>\n<html lang="es">\n')
    assert ">Administre sus seguimientos</a>" in message.html and ">Cancelar la suscripción</a>" in message.html
    assert message.sms.startswith("Acme Staffing: ") and message.sms.endswith(f"{MANAGE_URL}#{step}")
    for english in ("Hi Jordan", "Good luck", "Unsubscribe", "Manage your follow-ups", "Draft"):
        assert english not in message.text


def test_the_offer_names_its_cards_and_drafts_in_spanish():
    # Given / When
    message = render("decision_thank_you", spanish(OFFER))

    # Then
    assert "Borrador: tarjeta para " in message.text
    assert "Escriba en el sobre: Priya Raman, Globex Corporation." in message.text
    assert message.sms == f"Acme Staffing: Tarjetas para Priya Raman y Sam Ortiz: {MANAGE_URL}#decision_thank_you"


def test_the_confirmation_to_a_spanish_speaker_is_in_spanish_and_its_sms_ends_with_the_spanish_opt_out():
    # Given / When
    message = render_confirmation(spanish(TYPICAL))

    # Then
    assert message.subject == "Confirme sus recordatorios de seguimiento para la entrevista de Senior Data Analyst"
    assert message.text.startswith(
        "Hola, Jordan:\n\nNos pidieron recordarle los pasos a seguir después de su entrevista del martes, 3 de marzo "
        "para el puesto de Senior Data Analyst en Globex Corporation."
    )
    assert '"Confirmar y activar mis recordatorios"' in message.text
    assert '<html lang="es">' in message.html
    assert message.sms == f"Confirme sus recordatorios: {MANAGE_URL} - Acme Staffing. Responda STOP para cancelar"
    assert sms_segments(message.sms) == ("GSM-7", 1)


def test_a_first_spanish_nudge_keeps_its_whole_wording_in_two_segments_before_the_opt_out_line():
    # Given / When
    sms = render("check_in", spanish(TYPICAL), first_sms=True).sms

    # Then
    assert sms == ("Escriba o llame a Dana Whitfield, de Globex Corporation, para decirle que le sigue interesando el "
                   f"puesto. Borradores: {MANAGE_URL}#check_in - Acme Staffing. Responda STOP para cancelar")
    assert sms_segments(sms) == ("GSM-7", 2)


@pytest.mark.parametrize(("step", "ctx"), EVERY_EMAIL)
def test_english_is_unchanged_for_an_english_speaker(step, ctx):
    # Given / When
    default, american = render(step, ctx), render(step, replace(ctx, locale="en-US"))

    # Then
    assert american == default
    assert american.language == "en"
    assert american.html.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert "Good luck,\nAcme Staffing" in american.text


def test_a_language_the_product_lacks_gets_english():
    # Given / When
    message = render("check_in", replace(TYPICAL, locale="fr-FR"))

    # Then
    assert message.language == "en"
    assert message.subject == "Check in with Dana Whitfield about the Senior Data Analyst position"


@pytest.mark.parametrize("step", ["thank_you_note", "check_in", "decision_thank_you", "unknown"])
def test_the_answer_to_done_is_one_gsm7_segment_in_either_language(step):
    # Given / When
    english, spanish_ = done_answer(step, "Acme Staffing"), done_answer(step, "Acme Staffing", "es")

    # Then
    assert english.startswith("Thanks: ") and spanish_.startswith("Gracias: marcamos ")
    assert spanish_.endswith(" - Acme Staffing")
    assert sms_segments(english) == sms_segments(spanish_) == ("GSM-7", 1)


def test_the_answer_to_an_unread_text_points_to_the_page_in_spanish_without_leaving_gsm7():
    # Given / When
    answer = page_answer(MANAGE_URL, "Acme Staffing", "es")

    # Then
    assert answer == ("Este servicio solo manda recordatorios y no puede leer respuestas. Sus seguimientos: "
                      f"{MANAGE_URL} - Acme Staffing")
    assert sms_segments(answer) == ("GSM-7", 2)
    assert page_answer(MANAGE_URL, "Acme Staffing") == (
        f"This number sends reminders only and can't read replies. Your page: {MANAGE_URL} - Acme Staffing"
    )
