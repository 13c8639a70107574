"""Benchmark: how fast the Slack bot acknowledges requests (Slack gives up after 3 s).

Every case is a correctly signed request to the real Bolt HTTP receiver on 127.0.0.1, in one
process, against the fake Slack Web API (`evals/fake_slack.py`) and the arXiv mirror:

- `url_verification`: answered by Bolt itself (signature check, dispatch, no listener): the baseline;
- `/research usage error`: a listener that only acknowledges;
- `/digest keyword`: acknowledge, then hand the digest to the job pool (it runs meanwhile);
- `click (not an approver)`: acknowledge, then an ephemeral refusal from the listener thread;
- `/digest, job pool full`: the same while every job thread is held by a (simulated) long review,
  which must not delay acknowledgements.

Reported: p50 and p95 latency in ms and the p50 ratio to the baseline.
Run: `python -m evals.bench_slack [--rounds N] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
from pathlib import Path

from agent.settings import load_settings
from evals.fake_slack import TOKEN, FakeSlackApi  # the same fake the tests use
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from evals.slack_requests import SECRET, SlackSender, actions_body, command_body
from slackbot import blocks as kit
from slackbot.app import build_app
from slackbot.bot import Bot
from slackbot.refs import GateRef
from slackbot.server import HttpReceiver
from slackbot.worker import Workers

CLICKED = {"ts": "1.000001", "channel": "C0PAPERS", "blocks": []}


def _cases(send: SlackSender, workers: Workers) -> dict[str, tuple]:
    """Per case: (setup, request, teardown)."""
    hold = threading.Event()
    verification = json.dumps({"type": "url_verification", "challenge": "c", "token": "t"})
    click = actions_body(kit.PAPERS_KEEP_ALL, GateRef(run="20990101-000000", gate="papers").value(), CLICKED,
                         user="U0STRANGER")
    digest = command_body("/digest", "video anomaly detection")

    def fill_the_job_pool() -> None:
        for _ in range(workers.jobs.threads):
            workers.run(lambda: hold.wait(120), on_error=print)

    nothing = lambda: None  # noqa: E731 - a table of small callables reads best inline
    return {
        "url_verification": (nothing, lambda: send.post(verification, content_type="application/json"), nothing),
        "/research usage error": (nothing, lambda: send.post(command_body("/research", "")), nothing),
        "/digest keyword": (nothing, lambda: send.post(digest), nothing),
        "click (not an approver)": (nothing, lambda: send.post(click), nothing),
        "/digest, job pool full": (fill_the_job_pool, lambda: send.post(digest), hold.set),
    }


def _measure(send: SlackSender, action, rounds: int) -> list[float]:
    send.latencies.clear()
    for _ in range(rounds):
        action()
    return [t * 1000 for t in send.latencies]


def run(rounds: int) -> dict[str, dict[str, float]]:
    """Measure every case; the baseline first, each after one warm-up request."""
    with tempfile.TemporaryDirectory() as home, FakeSlackApi() as slack, \
            MirrorServer(Corpus.load(SEED_CORPUS)) as mirror:
        settings = load_settings(home=Path(home), arxiv={"api_url": mirror.api_url, "min_interval_s": 0.0}, openalex={"enabled": False},
                                 slack={"bot_token": TOKEN, "signing_secret": SECRET, "api_url": slack.base_url,
                                        "approvers": ["U0APPROVER"]})
        bot = Bot(settings, Workers(jobs=2))
        with HttpReceiver(build_app(settings, bot=bot), port=0) as receiver:
            send = SlackSender(receiver.url)
            results: dict[str, dict[str, float]] = {}
            for name, (setup, action, teardown) in _cases(send, bot.workers).items():
                setup()
                action()  # warm-up
                times = _measure(send, action, rounds)
                teardown()
                results[name] = {"p50_ms": statistics.median(times),
                                 "p95_ms": sorted(times)[max(0, round(0.95 * len(times)) - 1)]}
                bot.workers.drain(120)
            bot.close()
    base = results["url_verification"]["p50_ms"]
    for numbers in results.values():
        numbers["ratio_p50"] = numbers["p50_ms"] / base
    return results


def main() -> None:
    """Print the table (or one JSON document)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run(args.rounds)
    if args.json:
        print(json.dumps(results))
        return
    print(f"{'case':<26} {'p50 ms':>8} {'p95 ms':>8} {'x baseline':>11}")
    for name, numbers in results.items():
        print(f"{name:<26} {numbers['p50_ms']:8.1f} {numbers['p95_ms']:8.1f} {numbers['ratio_p50']:11.2f}")


if __name__ == "__main__":
    main()
