"""The trust limits, through the real API handler on moto: each trips at its setting, answers 429 with
Retry-After, and a refused request leaves nothing behind."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest

from followup.adapters.limits import DynamoLimiter, window_bounds
from local import environment
from tests.conftest import load_event
from tests.integration.harness import call_api, emails, sms

HOUR = timedelta(hours=1)
SUBMISSION = json.loads(load_event("submit_interview.json")["body"])


def submit(source_ip: str = "203.0.113.17"):
    return call_api("POST", "/interviews", body=SUBMISSION, source_ip=source_ip)


def interviews(aws_env) -> list[str]:
    items = boto3.client("dynamodb").scan(TableName=aws_env.table_name)["Items"]
    return [item["pk"]["S"] for item in items if item["pk"]["S"].startswith("INTERVIEW#")]


@pytest.fixture
def two_an_hour(aws_env, monkeypatch):
    monkeypatch.setenv("SUBMISSIONS_PER_HOUR_PER_CLIENT", "2")
    monkeypatch.setenv("CONFIRMATIONS_PER_DAY_PER_DESTINATION", "100")  # this limit is not the one under test
    environment.refresh()
    return aws_env


@pytest.fixture
def two_confirmations_a_day(aws_env, monkeypatch):
    monkeypatch.setenv("CONFIRMATIONS_PER_DAY_PER_DESTINATION", "2")
    environment.refresh()
    return aws_env


def test_a_destination_over_its_daily_confirmations_gets_429_with_retry_after_and_no_message(
        two_confirmations_a_day, fake_clock):
    # Given an address and a number that got their two confirmations today, from two different clients
    accepted = [submit(source_ip="198.51.100.1"), submit(source_ip="198.51.100.2")]
    stored = interviews(two_confirmations_a_day)

    # When a third client submits for them
    refused = submit(source_ip="198.51.100.3")

    # Then it is refused until the day ends: no third confirmation went out, and nothing was stored
    assert [a.status for a in accepted] + [refused.status] == [202, 202, 429]
    _, end = window_bounds(fake_clock(), timedelta(days=1))
    assert int(refused.headers["Retry-After"]) == end - int(fake_clock().timestamp())
    assert (len(emails()), len(sms())) == (2, 2)
    assert interviews(two_confirmations_a_day) == stored


def test_a_client_over_its_hourly_submissions_gets_429_with_retry_after_and_nothing_is_stored(two_an_hour, fake_clock):
    # Given a client that made its two submissions this hour
    first, second = submit(), submit()
    stored = interviews(two_an_hour)

    # When it submits once more
    third = submit()

    # Then it is refused until the hour ends, and nothing more was stored or scheduled
    assert (first.status, second.status, third.status) == (202, 202, 429)
    _, end = window_bounds(fake_clock(), HOUR)
    assert int(third.headers["Retry-After"]) == end - int(fake_clock().timestamp())
    assert third.json()["message"].startswith("too many submissions")
    assert interviews(two_an_hour) == stored
    assert len(emails()) == 2  # the two accepted submissions' confirmations, no third


def test_another_client_and_the_next_hour_are_counted_apart(two_an_hour, fake_clock):
    # Given a client that used up its hour
    submit(), submit()

    # When another client submits, and the first one again after the hour
    other = submit(source_ip="198.51.100.7")
    fake_clock.advance(hours=1)
    later = submit()

    # Then both are accepted
    assert (other.status, later.status) == (202, 202)


def test_an_invalid_submission_uses_none_of_the_clients_submissions(two_an_hour):
    # Given two invalid submissions (SMS without consent)
    body = SUBMISSION | {"sms_consent": False}
    refused = [call_api("POST", "/interviews", body=body) for _ in range(2)]

    # When the client then submits a valid one twice
    accepted = [submit(), submit()]

    # Then the refused ones did not count
    assert [r.status for r in refused] == [422, 422]
    assert [a.status for a in accepted] == [202, 202]


def test_the_counter_keeps_no_client_address_and_expires_with_its_window(aws_env, fake_clock):
    # Given the counter of one address
    limiter = DynamoLimiter(aws_env.table_name)
    limiter.take("submissions", "203.0.113.17", 5, HOUR, fake_clock())

    # When the table is read
    (item,) = [i for i in boto3.client("dynamodb").scan(TableName=aws_env.table_name)["Items"]]

    # Then the key holds a digest, not the address, and the item expires when its hour ends
    assert "203.0.113.17" not in str(item)
    assert int(item["expires_at"]["N"]) == window_bounds(fake_clock(), HOUR)[1]
    assert item["uses"]["N"] == "1"
