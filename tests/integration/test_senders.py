"""The SES and SNS adapter on moto: a send is tried once, and a lost answer is told apart from a refusal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from followup.adapters import aws
from followup.adapters.notify import AwsSenders
from followup.ports import Email, SendFailed, SendUnconfirmed

EMAIL = Email(sender="followups@acme-staffing.example", sender_name="Acme Staffing", to="jordan@example.com",
              subject="s", text="t", html="<p>h</p>", unsubscribe_url="https://followup.example.com/unsubscribe?token=x")


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **kwargs):
        yield self.data


def throttled(service: str) -> AWSResponse:
    """What the service answers when it throttles: a 400 that botocore's retry rules call throttling."""
    if service == "sns":  # the query protocol: XML
        body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                b"<Message>slow down</Message></Error></ErrorResponse>")
        return AWSResponse("https://sns.example", 400, {}, _Body(body))
    return AWSResponse("https://email.example", 400, {"x-amzn-ErrorType": "ThrottlingException"},
                       _Body(b'{"message": "slow down"}'))


def _on_every_try(client, service: str, operation: str, outcome: Exception | AWSResponse) -> list[int]:
    """Every try of ``operation`` on ``client`` meets ``outcome`` instead of the network; returns the tries."""
    tries: list[int] = []

    def answer(**kwargs):
        tries.append(1)
        if isinstance(outcome, Exception):
            raise outcome  # botocore treats it as the connection's failure, which its retry rules see
        return outcome

    client.meta.events.register(f"before-send.{service}.{operation}", answer)
    return tries


def test_a_throttled_email_is_refused_after_one_try_so_the_delivery_decides_the_retry(aws_env):
    tries = _on_every_try(aws.client("sesv2", retried=False), "sesv2", "SendEmail", throttled("sesv2"))

    with pytest.raises(SendFailed) as refused:
        AwsSenders().send_email(EMAIL)

    assert not isinstance(refused.value, SendUnconfirmed)
    assert refused.value.code == "ThrottlingException"
    assert len(tries) == 1  # botocore's own retries would have sent it up to five times


@pytest.mark.parametrize(("service", "operation", "send"), [
    ("sesv2", "SendEmail", lambda: AwsSenders().send_email(EMAIL)),
    ("sns", "Publish", lambda: AwsSenders().send_sms("+14155550123", "hello")),
])
def test_a_send_whose_answer_is_lost_is_unconfirmed_and_not_tried_again(aws_env, service, operation, send):
    tries = _on_every_try(aws.client(service, retried=False), service, operation,
                          ReadTimeoutError(endpoint_url="https://example.invalid"))

    with pytest.raises(SendUnconfirmed):
        send()

    assert len(tries) == 1


def test_replies_go_to_the_firms_reply_to_address_when_it_has_one():
    from dataclasses import replace
    from email import message_from_bytes

    from followup.adapters.notify import build_mime

    with_reply_to = message_from_bytes(build_mime(replace(EMAIL, reply_to="help@acme-staffing.example")))
    without = message_from_bytes(build_mime(EMAIL))

    assert with_reply_to["Reply-To"] == "help@acme-staffing.example"
    assert without["Reply-To"] is None


def test_an_email_names_the_configuration_set_and_carries_its_tags_as_ses_takes_them(aws_env):
    # Given the adapter for the stack's configuration set, and an email tagged with ids
    seen: list[dict] = []
    aws.client("sesv2", retried=False).meta.events.register(
        "provide-client-params.sesv2.SendEmail", lambda params, **kwargs: seen.append(dict(params)))
    tagged = Email(**{**EMAIL.__dict__, "tags": (("interview", "0a1b2c3d4e5f"), ("kind", "check_in"),
                                                  ("channel", "email"))})

    # When it is sent, and an untagged one by an adapter with no configuration set
    AwsSenders("followup-emails").send_email(tagged)
    AwsSenders().send_email(EMAIL)

    # Then SES is asked with the set's name and each tag as a Name/Value pair; the other names neither
    assert seen[0]["ConfigurationSetName"] == "followup-emails"
    assert seen[0]["EmailTags"] == [{"Name": "interview", "Value": "0a1b2c3d4e5f"}, {"Name": "kind", "Value": "check_in"},
                                    {"Name": "channel", "Value": "email"}]
    assert "ConfigurationSetName" not in seen[1] and "EmailTags" not in seen[1]


def test_the_store_never_lets_a_suppression_that_expires_replace_one_for_good(aws_env):
    from followup.adapters.store import InterviewStore

    # Given a complaint's suppression (for good) and a bounce's (30 days) on two addresses
    store = InterviewStore(aws_env.table_name)
    store.opt_out("complained-digest", "complained")
    store.opt_out("bounced-digest", "bounced", expires_at=2_000_000_000)

    # When a bounce comes for the first, and a complaint for the second
    store.opt_out("complained-digest", "bounced", expires_at=2_000_000_000)
    store.opt_out("bounced-digest", "complained")

    # Then both are held for good, for the complaint; an expired one is not held at all
    assert store.opted_out(["complained-digest", "bounced-digest"], 1_999_999_999) == {
        "complained-digest": "complained", "bounced-digest": "complained"}
    store.opt_out("soon-digest", "bounced", expires_at=1_000)
    assert store.opted_out(["soon-digest"], 1_001) == {}


def test_accented_names_round_trip_through_the_outbox_in_the_subject_the_text_and_the_html(aws_env):
    # Given a Spanish candidate whose name, role and company carry letters outside ASCII
    from local import environment
    from local.outbox import Outbox
    from tests.integration.harness import call_api, sample_submission

    body = sample_submission()
    body["candidate"].update(name="María José Hernández", locale="es-US")
    body.update(role="Diseñadora de interacción", company="Café Olé", channels=["email"])
    body.pop("sms_consent", None)

    # When it is submitted, and the outbox reads what SES took
    assert call_api("POST", "/interviews", body=body).status == 202
    outbox = Outbox(DEFAULT_ACCOUNT_ID, environment.REGION)
    outbox.stamp(datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    (mail,) = outbox.read()["emails"]

    # Then every part reads as written: the subject (an encoded word), the text and the HTML (quoted-printable),
    # and the raw message SES took is 7-bit, with its language said
    assert "Diseñadora de interacción" in mail["subject"]
    assert "Hola, María:" in mail["text"] and "Café Olé" in mail["text"]
    assert "María" in mail["html"] and "Diseñadora de interacción" in mail["html"] and '<html lang="es">' in mail["html"]
    (raw,) = [m.raw_data for m in ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages]
    assert raw.isascii() and "Content-Transfer-Encoding: quoted-printable" in raw and "Content-Language: es" in raw
