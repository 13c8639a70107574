"""The ReportBench eval's arithmetic, and a handful of its surveys kept green (the full table, all
49 surveys and every strategy, is `python -m evals.reportbench`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from evals.reportbench import (
    MemoEmbedder,
    evaluate,
    half,
    load_tasks,
    metrics,
    prompt_ratio,
    runs,
    summary,
)

SURVEYS = ("2206.03237", "2207.07483", "2010.00661")
"""Blockchain for business processes, BERT4Rec, cyberattacks in smart grids: three fields, small
reference lists (54–69 papers), so every recall@100 can reach 1."""


def test_metrics_splits_and_pairs() -> None:
    found = ["a", "x", "b"] + [f"n{i}" for i in range(120)] + ["c"]
    assert metrics(found, {"a", "b", "c", "d"}) == {"recall@100": 0.5, "precision@20": 0.1,
                                                    "precision@10": 0.2}
    assert {half({"survey_id": f"24{i:02d}.0000{i}"}) for i in range(20)} == {"tune", "check"}
    assert runs(["or", "broad", "expand"], "both") == [("or", "topic"), ("broad", "topic"),
                                                       ("expand", "topic"), ("broad", "prompt")]
    rows = [{"strategy": "broad", "field": f, "half": "tune", "recall@100": r, "precision@20": 0.8,
             "requests": 7, "seconds": 1.0, "returned": 100} for f, r in (("topic", 0.5), ("prompt", 0.45))]
    assert prompt_ratio(summary(rows)) == 0.9


def test_the_memo_embedder_keeps_vectors_across_runs(tmp_path: Path) -> None:
    class Counting:
        name, calls = "fake", 0

        def embed(self, texts: list[str]) -> np.ndarray:
            Counting.calls += len(texts)
            return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    memo = MemoEmbedder(Counting(), tmp_path / "memo.npz")
    first = memo.embed(["a", "bb", "a"])
    memo.save()
    again = MemoEmbedder(Counting(), tmp_path / "memo.npz").embed(["bb", "a"])
    assert Counting.calls == 2 and np.array_equal(again, first[[1, 0]])


def test_a_handful_of_surveys_stay_green(shared_data: Path, embedder) -> None:
    tasks = [t for t in load_tasks(shared_data / "reportbench") if t["survey_id"] in SURVEYS]
    rows = evaluate(tasks, [("or", "topic"), ("broad", "topic"), ("broad", "prompt")],
                    MemoEmbedder(embedder), corpus=shared_data / "reportbench" / "corpus.jsonl")
    by = {(r["survey"], r["strategy"], r["field"]): r for r in rows}
    for survey in SURVEYS:
        broad, baseline = by[(survey, "broad", "topic")], by[(survey, "or", "topic")]
        assert broad["recall@100"] > baseline["recall@100"]
        assert broad["returned"] == 100
        assert baseline["requests"] == 1 and broad["requests"] <= 10
        assert by[(survey, "broad", "prompt")]["recall@100"] >= 0.9 * broad["recall@100"]
    # the target is a mean: one survey may fall short (BERT4Rec's top 20 holds BERT papers)
    assert sum(by[(s, "broad", "topic")]["precision@20"] for s in SURVEYS) / len(SURVEYS) >= 0.75
