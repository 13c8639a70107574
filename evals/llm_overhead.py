"""Benchmark: what the LLM layer costs on top of the model it wraps.

Two measurements, each a ratio against a baseline run in the same process:

1. Wrapper overhead: many calls of a fake chat model (no I/O, so only our code shows) through
   the bare model, through `GuardedChatModel`, and through it with a `UsageRecorder` attached.
2. SmolLM2-135M through llama.cpp on CPU (`--smollm2`): output tokens per second of bare
   `Llama.create_chat_completion`, of our `LlamaCppChat` adapter, and of the guarded role model,
   same prompt, greedy decoding, runs interleaved so machine load hits all three alike.

    python -m evals.llm_overhead [--calls 2000] [--smollm2 --runs 3 --tokens 128] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from agent.llm.factory import chat_model, guard
from agent.llm.llamacpp import CACHE, resolve_model_path
from agent.llm.usage import UsageRecorder
from agent.settings import LLMSettings, load_settings

PROMPT = [("system", "You are a helpful assistant for researchers."),
          ("user", "Explain in one paragraph what a literature review is and why it helps.")]


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def wrapper_overhead(calls: int) -> dict[str, Any]:
    """Seconds per call of a fake model: bare, guarded, guarded + accounting."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    bare = FakeListChatModel(responses=["A literature review surveys prior work [@2401.00001]."])
    guarded = guard(bare, "fake:list", "writer", LLMSettings())
    recorded = guard(bare, "fake:list", "writer", LLMSettings(), UsageRecorder())
    variants = {"bare": bare, "guarded": guarded, "guarded+usage": recorded}
    for model in variants.values():  # warm up imports and caches
        model.invoke(PROMPT)
    seconds = {name: 0.0 for name in variants}
    for _ in range(3):
        for name, model in variants.items():
            spent, _ = _timed(lambda m=model: [m.invoke(PROMPT) for _ in range(calls // 3)])
            seconds[name] += spent
    per_call = {name: spent / (calls // 3 * 3) for name, spent in seconds.items()}
    return {"calls": calls // 3 * 3,
            "us_per_call": {k: round(v * 1e6, 1) for k, v in per_call.items()},
            "ratio_vs_bare": {k: round(v / per_call["bare"], 3) for k, v in per_call.items()}}


def smollm2_speed(runs: int, tokens: int) -> dict[str, Any]:
    """Output tokens/s of SmolLM2: bare llama.cpp, our adapter, the guarded role model."""
    settings = load_settings(llm={"chat": "llamacpp:smollm2", "temperature": 0.0,
                                  "max_output_tokens": tokens, "context_window": 2048})
    guarded = chat_model(settings, "chat")
    adapter = guarded.inner
    llama = CACHE.get(resolve_model_path("smollm2"), adapter.n_ctx, adapter.threads).llama
    messages = [{"role": r if r != "user" else "user", "content": c} for r, c in PROMPT]

    def bare() -> int:
        reply = llama.create_chat_completion(messages=messages, temperature=0.0, max_tokens=tokens,
                                             seed=0, repeat_penalty=adapter.repeat_penalty)
        return reply["usage"]["completion_tokens"]

    def through(model: Any) -> Callable[[], int]:
        return lambda: model.invoke(PROMPT).usage_metadata["output_tokens"]

    variants = {"llama.cpp": bare, "adapter": through(adapter), "guarded": through(guarded)}
    bare()  # warm up: first evaluation allocates buffers
    rates: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, call in variants.items():
            spent, produced = _timed(call)
            rates[name].append(produced / spent)
    median = {name: statistics.median(values) for name, values in rates.items()}
    return {"runs": runs, "max_tokens": tokens,
            "tokens_per_s": {k: round(v, 1) for k, v in median.items()},
            "ratio_vs_llama_cpp": {k: round(v / median["llama.cpp"], 3) for k, v in median.items()}}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print a report (JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--smollm2", action="store_true", help="also time SmolLM2 through llama.cpp")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"wrapper": wrapper_overhead(args.calls)}
    if args.smollm2:
        report["smollm2"] = smollm2_speed(args.runs, args.tokens)
    if args.json:
        print(json.dumps(report))
    else:
        for section, values in report.items():
            print(f"{section}: " + json.dumps(values))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
