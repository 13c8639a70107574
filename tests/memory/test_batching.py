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


def test_ingest_embeds_and_writes_in_bounded_steps_and_passes(embedder, monkeypatch) -> None:
    from paperfactory import make_paper

    from agent import services
    from agent.settings import load_settings
    from memory import embed_onnx
    from memory.batching import TOKEN_BUDGET

    shapes: list[tuple[int, int]] = []
    run = embed_onnx.OnnxEmbedder._run

    def recording_run(session, encodings):
        shapes.append((len(encodings), max(len(e.ids) for e in encodings)))
        return run(session, encodings)

    monkeypatch.setattr(embed_onnx.OnnxEmbedder, "_run", staticmethod(recording_run))
    library = services.library(load_settings(), embedder)
    library.ingest_batch = 16
    writes: list[int] = []
    upsert = library.store.upsert
    monkeypatch.setattr(library.store, "upsert", lambda collection, ids, *rest: (
        writes.append(len(ids)) if collection == "chunks" else None, upsert(collection, ids, *rest))[1])
    record = library.add(*make_paper("2403.00009", sections=12))
    assert record.chunks > 16 and sum(writes) == record.chunks and max(writes) <= 16
    assert shapes and all(n == 1 or n * width <= TOKEN_BUDGET for n, width in shapes)


def test_ingest_steps_cover_every_chunk_once_and_end_on_a_short_step() -> None:
    from memory.library import ingest_steps

    for total, size in [(1754, 1024), (3000, 1024), (500, 1024), (257, 1024), (256, 1024), (60, 1024),
                        (300, 16), (10, 4), (1, 1024), (0, 1024)]:
        steps = ingest_steps(total, size, tail=128)
        assert [i for start, end in steps for i in range(start, end)] == list(range(total))
        assert all(0 < end - start <= size for start, end in steps)
        if total > 2 * min(128, size):  # a long paper: its last write is short, the rest even
            *head, last = [end - start for start, end in steps]
            assert last == min(128, size)
            assert max(head) - min(head) <= 1
        else:
            assert len(steps) == -(-total // size)
    assert [end - start for start, end in ingest_steps(1754, 1024, tail=128)] == [813, 813, 128]
