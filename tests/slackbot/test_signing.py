"""Request signing at the real Bolt HTTP receiver: a forged, missing or stale signature is a 401
and nothing happens (no Web API call, no run)."""

from __future__ import annotations

import json
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from evals.slack_requests import SECRET, command_body, sign


class FixedClock:
    """slack_sdk's verifier clock, stopped at a given second."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def test_the_signer_reproduces_slacks_documented_example(shared_data) -> None:
    vector = json.loads((shared_data / "slack" / "slack_docs_signature_vector_slash_command.json").read_text())
    assert sign(vector["signing_secret"], vector["timestamp"], vector["body"]) == vector["valid_signature"]
    verifier = SignatureVerifier(vector["signing_secret"], clock=FixedClock(int(vector["timestamp"])))
    assert verifier.is_valid(vector["body"], vector["timestamp"], vector["valid_signature"])


def test_the_signer_agrees_with_slack_sdk_on_our_own_requests() -> None:
    body, stamp = command_body("/research", "video anomaly detection --max 3"), str(int(time.time()))
    assert sign(SECRET, stamp, body) == SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    assert sign(SECRET, stamp, body) != sign(SECRET + "x", stamp, body)


def _nothing_happened(harness) -> None:
    harness.drain()
    assert [c.method for c in harness.slack.calls] == ["auth.test"]  # Bolt's start-up check only
    assert harness.bot.session.runs() == []


@pytest.mark.parametrize("case", ["forged", "missing", "stale", "tampered"])
def test_bad_signatures_are_refused_with_401_and_no_action(harness, case: str) -> None:
    body = command_body("/research", "video anomaly detection --max 3")
    stamp = str(int(time.time()) - (6 * 60 if case == "stale" else 0))
    signature = {"forged": sign("not-the-secret", stamp, body), "missing": "",
                 "stale": sign(SECRET, stamp, body), "tampered": sign(SECRET, stamp, body + "&text=x")}[case]
    response = harness.send.post(body, timestamp=stamp, signature=signature)
    assert response.status_code == 401
    _nothing_happened(harness)


def test_slacks_documented_request_is_refused_as_stale(harness, shared_data) -> None:
    """The example is correctly signed (with its own secret) but dated 2018: older than 5 minutes."""
    vector = json.loads((shared_data / "slack" / "slack_docs_signature_vector_slash_command.json").read_text())
    harness.send.secret = vector["signing_secret"]
    response = harness.send.post(vector["body"], timestamp=vector["timestamp"], signature=vector["valid_signature"])
    assert response.status_code == 401
    _nothing_happened(harness)


def test_a_correctly_signed_request_is_answered(harness) -> None:
    response = harness.send.post(json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}),
                                 content_type="application/json")
    assert response.status_code == 200 and response.json() == {"challenge": "c-123"}
    usage = harness.send.command("/research", "")
    assert usage.status_code == 200 and usage.text.startswith("Usage: `/research <topic>")
    _nothing_happened(harness)


def test_oversized_bodies_are_refused_before_reading(harness) -> None:
    response = harness.send.post("x" * 1_000_001)
    assert response.status_code == 413
    _nothing_happened(harness)
