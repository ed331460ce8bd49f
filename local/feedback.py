"""What SES and EventBridge do with a sent email's fate, for moto (whose SES has configuration sets but no
event destinations, and whose EventBridge the local stack does not run), from the template's own resources.

In AWS: an email names a configuration set; the set's event destination (``AWS::SES::
ConfigurationSetEventDestination``, ``EventBridgeDestination``, ``Enabled``) publishes each of its events whose
type is among its ``MatchingEventTypes`` to the account's ``default`` bus, in EventBridge's envelope; each rule
on that bus whose pattern matches invokes its target asynchronously (Lambda retries a failed invocation twice,
then sends the event to the function's dead-letter queue).

Here: ``FeedbackEmulator.from_template`` reads the destinations and the rules (a function's SAM event of type
``EventBridgeRule``, its ``Pattern`` resolved as CloudFormation would); ``hear_back(sends)``, called by the
stack right after each handler invocation that sent email (``local/sends.py`` recorded them), makes SES's events
of each send (``local/mailbox.py``: the mailbox simulator's outcomes, a delivery for any other address), keeps
those the send's configuration set publishes, matches each against every rule (``local/eventbridge.py``) and
invokes the matching functions with it, within that same request, at the simulated clock's time. ``force``
makes one event (a permanent bounce, a complaint) of a sent message: the dev console's buttons. What each
message heard, and what each function answered, is kept for the outbox (``heard``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from local import mailbox
from local.clock import iso
from local.eventbridge import PatternError, check, matches
from local.intrinsics import Scope, resolve
from local.invocations import DeadLetter, Invoke, NotEmulated, deliver, function_events, function_target, kept
from local.sends import EmailSend

EVENT_DESTINATION = "AWS::SES::ConfigurationSetEventDestination"
RULE_EVENT_TYPES = ("EventBridgeRule", "CloudWatchEvent")  # SAM's two names for a rule that invokes the function
# A rule's target that reshapes the event: the local stack delivers events whole, so it says so instead
RESHAPING = ("Input", "InputPath", "InputTransformer")


def event_type_key(name: str) -> str:
    """An SES event type however it is written: ``DELIVERY_DELAY`` (SES v2), ``deliveryDelay`` (CloudFormation),
    ``DeliveryDelay`` (the record's eventType), ``Rendering Failure`` -> ``deliverydelay``, ``renderingfailure``."""
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass(frozen=True)
class EventDestination:
    """An enabled EventBridge destination of a configuration set."""

    logical_id: str
    configuration_set: str
    event_types: frozenset[str]  # event_type_key of each MatchingEventTypes entry
    bus: str  # the event bus's name (SES publishes to the default bus only)


@dataclass(frozen=True)
class Rule:
    """An enabled EventBridge rule whose target is one of the template's functions."""

    name: str  # "<function's logical id>.<event's name>"
    function: str  # the function's logical id
    code: str  # its folder under functions/
    pattern: Mapping[str, Any]
    bus: str
    retries: int  # Lambda's asynchronous retries after a failed invocation
    dead_letter_arn: str | None  # the function's DeadLetterQueue, where an event that failed every try goes


def _enabled(value: Any, default: bool) -> bool:
    if value is None:
        return default
    return value is True or str(value).lower() == "true"


def _bus_name(value: Any) -> str:
    text = str(value or "default")
    return text.rpartition("event-bus/")[2] if text.startswith("arn:") else text


def event_destinations(template: Mapping[str, Any], scope: Scope) -> list[EventDestination]:
    """The template's enabled EventBridge destinations of configuration sets, resolved in ``scope``."""
    found = []
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != EVENT_DESTINATION or not kept(resource, scope):
            continue
        props = resolve(resource.get("Properties") or {}, scope)
        destination = props.get("EventDestination") or {}
        bridge = destination.get("EventBridgeDestination")
        if not bridge or not _enabled(destination.get("Enabled"), default=False):  # SES's default: not enabled
            continue
        found.append(EventDestination(
            logical_id=logical_id,
            configuration_set=str(props["ConfigurationSetName"]),
            event_types=frozenset(event_type_key(str(t)) for t in destination.get("MatchingEventTypes") or []),
            bus=_bus_name(bridge.get("EventBusArn")),
        ))
    return found


def rules(template: Mapping[str, Any], scope: Scope) -> list[Rule]:
    """The template's enabled EventBridge rules that invoke one of its functions, patterns resolved in ``scope``.
    A pattern the local stack cannot match as EventBridge would, or a target that reshapes the event, raises."""
    found = []
    for logical_id, resource, event_name, event in function_events(template, scope, RULE_EVENT_TYPES):
        name = f"{logical_id}.{event_name}"
        given = event.get("Properties") or {}
        reshaping = [key for key in RESHAPING if key in given]
        if reshaping:
            raise PatternError(f"{name}: {', '.join(reshaping)} is not emulated by the local stack")
        if _enabled(resolve(given.get("Enabled"), scope), default=True) is False or \
                str(resolve(given.get("State", "ENABLED"), scope)) == "DISABLED":
            continue
        pattern = resolve(given.get("Pattern"), scope)
        try:
            check(pattern)
            target = function_target(template, logical_id, resource, name, scope)
        except (PatternError, NotEmulated) as exc:
            raise PatternError(f"{name}: {exc}".replace(f"{name}: {name}: ", f"{name}: ")) from None
        found.append(Rule(
            name=name,
            function=logical_id,
            code=target.code,
            pattern=pattern,
            bus=_bus_name(resolve(given.get("EventBusName"), scope)),
            retries=target.retries,
            dead_letter_arn=target.dead_letter_arn,
        ))
    return found


class FeedbackEmulator:
    """SES's events of each sent email, published as the template's destinations say, to the rules that match."""

    def __init__(
        self,
        destinations: Iterable[EventDestination],
        routes: Iterable[Rule],
        *,
        invoke: Invoke,
        now: Callable[[], datetime],
        account: str,
        region: str,
        dead_letter: DeadLetter | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.destinations = list(destinations)
        self.rules = list(routes)
        self._invoke = invoke
        self._now = now
        self._account = account
        self._region = region
        self._dead_letter = dead_letter
        self._log = log or (lambda line: None)
        self._heard: dict[str, list[dict[str, Any]]] = {}

    @classmethod
    def from_template(cls, template: Mapping[str, Any], scope: Scope, **kwargs: Any) -> FeedbackEmulator:
        return cls(event_destinations(template, scope), rules(template, scope), **kwargs)

    def functions(self) -> list[str]:
        """The code folders of the functions a rule invokes (the stack loads them at start)."""
        return list(dict.fromkeys(rule.code for rule in self.rules))

    def hear_back(self, sends: Iterable[EmailSend]) -> list[dict[str, Any]]:
        """Every event SES makes of each of ``sends`` that its configuration set publishes, delivered to the rules
        that match it, now; what each was and what each function answered, oldest first."""
        at = self._now()
        published = []
        for send in sends:
            for detail in mailbox.records(send, at, account=self._account, region=self._region):
                entry = self._publish(send, detail, at)
                if entry is not None:
                    published.append(entry)
        return published

    def force(self, send: EmailSend, kind: str) -> dict[str, Any] | None:
        """SES's event ``kind`` (``bounce``: a permanent bounce; ``complaint``) of every recipient of ``send``, now,
        through the same path; None when the send's configuration set does not publish that event."""
        at = self._now()
        detail = mailbox.record(send, mailbox.FORCED[kind], send.destinations, at, account=self._account,
                                region=self._region)
        return self._publish(send, detail, at)

    def heard(self, message_id: str) -> list[dict[str, Any]]:
        """What became of a message: each event published about it, and what each function answered."""
        return list(self._heard.get(message_id, []))

    def publishing(self, send: EmailSend, event_type: str) -> list[EventDestination]:
        """The destinations that publish ``send``'s events of ``event_type``: none without a configuration set."""
        key = event_type_key(event_type)
        return [d for d in self.destinations
                if send.configuration_set is not None and d.configuration_set == send.configuration_set
                and key in d.event_types]

    def _publish(self, send: EmailSend, detail: dict[str, Any], at: datetime) -> dict[str, Any] | None:
        destinations = self.publishing(send, detail["eventType"])
        if not destinations:
            return None
        entry: dict[str, Any] = {"event": detail["eventType"], "detail_type": mailbox.DETAIL_TYPES[detail["eventType"]],
                                 "at": iso(at), "handled_by": []}
        if "bounce" in detail:
            entry["bounce_type"] = detail["bounce"]["bounceType"]
            entry["bounce_subtype"] = detail["bounce"]["bounceSubType"]
        for destination in destinations:  # each destination publishes the event once, to its bus
            event = mailbox.envelope(detail, at, account=self._account, region=self._region)
            for rule in self.rules:
                if rule.bus == destination.bus and matches(rule.pattern, event):
                    entry["handled_by"].append(self._deliver(rule, event, send.message_id))
        self._heard.setdefault(send.message_id, []).append(entry)
        return entry

    def _deliver(self, rule: Rule, event: dict[str, Any], message_id: str) -> dict[str, Any]:
        """Lambda's asynchronous invocation: 1 + ``rule.retries`` tries, then the function's dead-letter queue."""
        return deliver(rule, event, invoke=self._invoke, dead_letter=self._dead_letter, log=self._log,
                       what=f"SES {event['detail-type']} of {message_id}")
