"""Reading a request to move the local stack's simulated clock (local/advance.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from local.advance import MAX_ADVANCE, AdvanceError, read_advance

FORM = "application/x-www-form-urlencoded"


def test_a_console_button_form_moves_the_clock_by_its_hours():
    assert read_advance(FORM, b"advance_hours=1") == timedelta(hours=1)


def test_json_sent_with_curls_form_content_type_is_read_as_json():
    assert read_advance(FORM, b'{"advance_days": 1.5}') == timedelta(days=1.5)


@pytest.mark.parametrize(
    "body",
    [b'{"advance_days": "inf"}', b'{"advance_hours": 1e300}', b'{"advance_days": "nan"}', b'{"advance_days": true}',
     b'{"advance_days": 0}', b"[1]", b"{not json", b'{"advance_days": 1, "advance_hours": 1}'],
)
def test_an_amount_the_clock_cannot_move_by_is_an_advance_error_not_a_crash(body):
    with pytest.raises(AdvanceError):
        read_advance("application/json", body)


def test_the_largest_advance_is_accepted_and_one_hour_more_is_not():
    assert read_advance("application/json", f'{{"advance_days": {MAX_ADVANCE.days}}}'.encode()) == MAX_ADVANCE

    with pytest.raises(AdvanceError, match=f"at most {MAX_ADVANCE.days} days"):
        read_advance("application/json", f'{{"advance_hours": {MAX_ADVANCE.days * 24 + 1}}}'.encode())
