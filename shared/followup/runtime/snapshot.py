"""What a SnapStart snapshot should already hold: the libraries and data a function's first request loads.

The functions import their field libraries (email-validator, phonenumbers), Babel's English data and the
holiday calendars on the first request that needs them, not at import: a plain cold start is shorter that
way (``make bench``). With the template's ``SnapStart=on``, Lambda runs a function's init once, when a version
is published, and starts each new sandbox from a snapshot of it; the first request of a restored sandbox pays
only what the init left out. So in a snapshotted init (``coldstart.snapshotting()``), each function loads them
there, by going through what its first request does, without any I/O:

- the api validates a sample submission (its request models' validators built, email-validator, phonenumbers,
  the locale check) and finds the next working day in the firm's default country (holidays);
- a step formats a day, a time, a zone and a phone number as its messages do (Babel's data, phonenumbers).

Nothing is written, sent or logged, and nothing random is drawn: every sandbox restored from the snapshot
shares what the init did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from followup.runtime.config import Settings

SAMPLE_ZONE = "America/New_York"
SAMPLE_PHONE = "+14155550123"


def load_for_api(settings: Settings, validate_submission: Callable[[dict[str, Any]], object]) -> None:
    """What the api's first submission loads: its validators and field libraries (through
    ``validate_submission``, the API's request model: this package imports none), and the holiday calendar."""
    from followup.domain import policy

    now = datetime.now().astimezone()
    validate_submission({
        "candidate": {"name": "Jordan Rivera", "email": "jordan@example.com", "phone": "(415) 555-0123",
                      "time_zone": SAMPLE_ZONE, "locale": settings.default_locale},
        "channels": ["email", "sms"],
        "sms_consent": True,
        "company": "Globex",
        "role": "Analyst",
        "interviewer": {"name": "Dana Whitfield"},
        "interview_at": (now - timedelta(hours=2)).replace(tzinfo=None).isoformat(timespec="minutes"),
    })
    policy.next_working_day(now.date(), settings.default_country)
    load_for_step(settings)


def load_for_step(settings: Settings) -> None:
    """What a nudge's first rendering loads: Babel's data for the firm's locale, and phonenumbers."""
    from followup.domain import locales

    now = datetime.now().astimezone()
    tag = settings.default_locale
    locales.long_day(now.date(), tag), locales.short_day(now.date(), tag), locales.time_of_day(now, tag)
    locales.zone_label(SAMPLE_ZONE, tag, now), locales.national_phone(SAMPLE_PHONE)
