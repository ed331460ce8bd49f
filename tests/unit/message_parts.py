"""The message contexts and helpers the tests of what each nudge says share (test_messages_*.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from followup.domain.messages import MessageContext

MANAGE_URL = "https://followup.example.com/manage/3f2a9c1e7b4d5a60?token=AbCdEfGhIjKlMnOpQrStUvWxYz"
UNSUBSCRIBE_URL = "https://followup.example.com/unsubscribe?token=ZyXwVuTsRqPoNmLkJiHgFeDc"
LONG_NAME = "Maximilian-Alexander Łukasz von Hohenzollern-Sigmaringen"
EVIL = "<script>alert(1)</script> & Co"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"

TYPICAL = MessageContext(
    firm_name="Acme Staffing",
    candidate_name="Jordan Lee",
    company="Globex Corporation",
    role="Senior Data Analyst",
    interviewer_name="Dana Whitfield",
    interviewer_title="Head of Analytics",
    interview_date=date(2026, 3, 3),
    manage_url=MANAGE_URL,
    unsubscribe_url=UNSUBSCRIBE_URL,
)
OFFER = replace(TYPICAL, outcome="offer", hiring_manager_name="Priya Raman", supervisor_name="Sam Ortiz")
NOT_SELECTED = replace(TYPICAL, outcome="not_selected", hiring_manager_name="Priya Raman")

EVERY_EMAIL = [
    pytest.param("thank_you_note", TYPICAL, id="thank_you_note"),
    pytest.param("check_in", TYPICAL, id="check_in"),
    pytest.param("decision_thank_you", OFFER, id="offer"),
    pytest.param("decision_thank_you", NOT_SELECTED, id="not_selected"),
]


def _draft_region(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


