"""An unknown id and an existing id with a wrong secret cost the same work: one hash, compared in constant time.

Counted, not timed: the same operations run either way, whatever a clock would say on this machine.
"""

from __future__ import annotations

import hmac
from collections import Counter

import pytest

from followup.domain import tokens
from followup.domain.errors import InterviewNotFound
from tests.unit.builders import World


@pytest.fixture
def counted(monkeypatch) -> Counter:
    """Counts each token hashed and each digest comparison."""
    calls: Counter = Counter()
    hash_token, compare_digest = tokens.hash_token, hmac.compare_digest

    def counting_hash(token: str) -> str:
        calls["hash"] += 1
        return hash_token(token)

    def counting_compare(a, b) -> bool:
        calls["compare"] += 1
        return compare_digest(a, b)

    monkeypatch.setattr(tokens, "hash_token", counting_hash)
    monkeypatch.setattr(hmac, "compare_digest", counting_compare)
    return calls


def work_of(world: World, counted: Counter, interview_id: str, token: str) -> Counter:
    counted.clear()
    with pytest.raises(InterviewNotFound):
        world.service.get(interview_id, token)
    return Counter(counted)


def test_an_unknown_id_hashes_and_compares_the_token_like_an_existing_id_with_a_wrong_secret(counted):
    # Given an existing interview
    world = World()
    created = world.submit_confirmed()

    # When its id is asked with a wrong secret, and an unknown id with a token of the same shape
    wrong_secret = work_of(world, counted, created["id"], f"{created['id']}.wrong-secret-of-22-chars")
    unknown_id = work_of(world, counted, "ffffffffffff", "ffffffffffff.wrong-secret-of-22-chars")

    # Then both answered not found after the same work: one hash, the same constant-time comparisons
    assert len(world.store.interviews[created["id"]].tokens) > 1
    assert wrong_secret == unknown_id == Counter(hash=1, compare=tokens.COMPARISONS)
