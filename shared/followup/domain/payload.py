"""What a step's schedule carries to its Lambda, read back from the event: ids and a version, never personal data.
Pure: ``followup.usecases.delivery`` reads each event with it; the scheduler adapter writes the same three keys."""

from __future__ import annotations

from dataclasses import dataclass

from followup.domain.errors import InvalidPayload
from followup.domain.models import STEPS, Step


@dataclass(frozen=True)
class SchedulePayload:
    """What a schedule carries: ids and a version, never personal data."""

    interview_id: str
    step: Step
    version: int

    @classmethod
    def of(cls, event: object) -> SchedulePayload:
        """The payload in a step Lambda's event (other keys are ignored); ``InvalidPayload`` names what is wrong."""
        if not isinstance(event, dict):
            raise InvalidPayload(f"the event is a {type(event).__name__}, not a schedule's payload")
        interview_id, step, version = event.get("interview_id"), event.get("step"), event.get("version")
        wrong = [
            name for name, fits in (
                ("interview_id", isinstance(interview_id, str) and interview_id != ""),
                ("step", step in STEPS),
                ("version", isinstance(version, int) and not isinstance(version, bool)),
            ) if not fits
        ]
        if wrong:
            raise InvalidPayload(f"the payload has no valid {', '.join(wrong)}")
        return cls(interview_id, step, version)
