"""Embedding batches are bounded by tokens: long chunks go a few at a time, vectors unchanged."""

from __future__ import annotations

import numpy as np

from memory.batching import length_batches


def test_batches_hold_every_index_once_within_count_and_token_budget() -> None:
    lengths = [256] * 20 + [12] * 100 + [60, 3, 900]
    batches = length_batches(lengths, batch_size=64, budget=2048)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 64
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 2048
    assert max(len(b) for b in batches if all(lengths[i] == 256 for i in b)) == 8
    assert max(len(b) for b in batches) == 64  # short texts still fill a whole batch
    assert [lengths[i] for i in batches[-1]] == [900]  # alone: over the budget by itself


def test_onnx_vectors_do_not_depend_on_how_texts_are_batched(embedder) -> None:
    long_text = " ".join(["Table structure recognition recovers rows, columns and spanning cells."] * 30)
    texts = [long_text + f" Variant {i}." for i in range(10)] + ["short query", "another short one"]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert together.shape == (12, 384)
    assert np.allclose(together, alone, atol=1e-4)
