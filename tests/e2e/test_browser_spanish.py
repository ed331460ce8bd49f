"""In a real browser, at a phone's width: a candidate who picks Español on the form gets the confirmation and the page
in Spanish, with Spanish dates (Playwright driving Debian's chromium against the local stack, as test_browser.py).

The browser is an American English one in New York: Spanish is the candidate's choice, not the browser's.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from local.client import request
from tests.e2e.browser_parts import (  # noqa: F401 - the fixtures
    MANAGE_LINK,
    base_url_fixture,
    browser_fixture,
    confirmation_link,
    csp_violations,
)

pytestmark = pytest.mark.e2e


def test_a_candidate_who_picks_espanol_gets_the_form_the_confirmation_and_the_page_in_spanish(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York", viewport={"width": 375, "height": 740})
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.extend(csp_violations([message])))

    # The form comes in the browser's English; choosing Español at its top loads it again in Spanish
    page.goto(f"{base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language / Idioma").select_option("es")
    expect(page).to_have_url(re.compile(r"/\?lang=es$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dé seguimiento a su entrevista")
    expect(page.get_by_label("Idioma / Language")).to_have_value("es")

    # Its own checks speak Spanish too
    page.get_by_role("button", name="Programar mis recordatorios").click()
    expect(page.locator("#candidate-name-error")).to_have_text("Escriba su nombre.")

    page.get_by_label("Su nombre", exact=True).fill("María José Hernández")
    page.get_by_label("Correo electrónico", exact=True).fill("maria.jose@example.com")
    page.get_by_label("Empresa").fill("Globex Corporation")
    page.get_by_label("Puesto").fill("Analista de datos")
    page.get_by_label("Nombre de quien le entrevistó").fill("Dana Whitfield")
    page.get_by_label("Fecha y hora de la entrevista").fill("2026-03-10T14:00")
    page.get_by_role("button", name="Programar mis recordatorios").click()
    expect(page.get_by_role("heading", name="Revise su correo o su teléfono para confirmar")).to_be_focused()
    expect(page.locator("#sent-to li")).to_have_text(["Correo electrónico: m•••@example.com"])

    # The interview speaks Spanish in the browser's region
    link = confirmation_link(base_url, "maria.jose@example.com")
    interview, token = MANAGE_LINK.search(link).group(1), link.split("token=")[1]
    view = request("GET", f"{base_url}/interviews/{interview}", headers={"Authorization": f"Bearer {token}"}).json()
    assert view["candidate"]["locale"] == "es-US"

    # The confirmation's link opens the page (served in the browser's English), which loads again in the interview's
    # Spanish, the token kept
    page.goto(link)
    expect(page).to_have_url(re.compile(rf"/manage/{interview}\?lang=es$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Los pasos a seguir tras su entrevista")
    expect(page.get_by_role("heading", name="Analista de datos en Globex Corporation")).to_be_visible()
    page.get_by_role("button", name="Confirmar y activar mis recordatorios").click()

    expect(page.locator("#timeline-status")).to_have_text("Confirmado: sus recordatorios están programados.")
    expect(page.locator("#state")).to_have_text(
        "Sus recordatorios están activos: el próximo, el jue, 12 de mar, 9:00 a.m., es la tarjeta de agradecimiento "
        "para quien le entrevistó.")
    card = page.locator("#timeline li[data-step=thank_you_note]")
    expect(card.locator("h3")).to_have_text("Tarjeta de agradecimiento para quien le entrevistó")
    expect(card.locator("time")).to_have_text(re.compile(r"^jueves, 12 de marzo de 2026, 9:00\s?a\.\s?m\.$"))
    expect(card.locator(".status")).to_have_text("Recordatorio programado para el jue, 12 de mar, 9:00 a.m.")
    expect(page.locator("#destination-email")).to_have_text("Confirmado: m•••@example.com")
    expect(page.get_by_role("button", name="Marcar como hecho: Tarjeta de agradecimiento para quien le entrevistó"))\
        .to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    # Back to English from the page: the interview's language changes (its messages from now on), then the page's
    page.get_by_label("Idioma / Language").select_option("en")
    expect(page).to_have_url(re.compile(rf"/manage/{interview}\?lang=en$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your interview follow-ups")
    expect(page.locator("#state")).to_have_text(
        "Your reminders are running: next, thank-you card to your interviewer, Thu, Mar 12, 9:00 AM.")
    view = request("GET", f"{base_url}/interviews/{interview}", headers={"Authorization": f"Bearer {token}"}).json()
    assert (view["candidate"]["locale"], view["display"]["language"]) == ("en-US", "en")
    assert violations == []
    context.close()
