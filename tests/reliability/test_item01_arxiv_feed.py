"""Item 1: a malformed arXiv feed is an error, retried like a 503, and never cached."""

from __future__ import annotations

import json

from evals.mirror import Fault, MirrorServer

BROKEN = b"<feed><entry><title>x</entry"
TOPIC = "video anomaly detection"


def broken_feed() -> Fault:
    return Fault(200, body=BROKEN, content_type="application/atom+xml; charset=utf-8")


def test_item01_malformed_feed_is_an_error_and_not_cached(mirror: MirrorServer, mirror_settings, cli) -> None:
    mirror.always = broken_feed()
    failed = cli("search", TOPIC, "--no-rerank", "--json")
    assert failed.code == 1, failed.out
    assert failed.out == ""
    assert "not an Atom feed" in failed.reason
    assert len(mirror.api_hits()) == mirror_settings.arxiv.max_tries, "retried like a 503"

    mirror.always = None  # the server recovers: the same search must ask it again and find papers
    done = cli("search", TOPIC, "--no-rerank", "--json")
    assert done.code == 0, done.err
    document = json.loads(done.out)
    assert document["requests"] == 1
    assert len(document["results"]) > 0


def test_item01_one_malformed_answer_is_retried(mirror: MirrorServer, mirror_settings, cli) -> None:
    mirror.faults.append(broken_feed())
    done = cli("search", TOPIC, "--no-rerank", "--json")
    assert done.code == 0, done.err
    assert len(json.loads(done.out)["results"]) > 0
    assert [hit.status for hit in mirror.api_hits()] == [200, 200]
