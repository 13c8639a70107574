"""`autoresearch library migrate`: an embedded library copied to a real `chroma run` server (behind
a token-checking proxy), vectors as stored, verified, harmless to re-run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from paperfactory import make_paper

from agent import services
from agent.settings import load_settings
from evals.local_chroma import ChromaServer, TokenProxy
from memory.chroma import ChromaStore

REPO = Path(__file__).resolve().parents[2]
TOKEN = "team-token-1f2e"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent", *args], cwd=REPO, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=180)


def snapshot(store: ChromaStore) -> dict[str, dict[str, tuple[list[float], str, dict]]]:
    """Every record of every collection: id → (vector, text, metadata)."""
    found = {}
    for name in ("papers", "chunks", "figures"):
        ids, vectors, texts, metas = store.page(name, 0, 10_000)
        found[name] = {i: (v.tolist(), t, m) for i, v, t, m in zip(ids, vectors, texts, metas, strict=True)}
    return found


def assert_same(after: dict, before: dict) -> None:
    """The same ids, texts and metadata; vectors equal to float32 precision (a server's JSON
    answers may round the last bit)."""
    assert {n: sorted(r) for n, r in after.items()} == {n: sorted(r) for n, r in before.items()}
    for name, records in before.items():
        for key, (vector, text, metadata) in records.items():
            assert after[name][key][1:] == (text, metadata)
            np.testing.assert_allclose(after[name][key][0], vector, rtol=2e-7, atol=1e-7)


@pytest.fixture
def embedded(embedder) -> ChromaStore:
    """A library of three papers (with figures) in this test's data dir, and one hand-made vector
    that no model would produce: only a copy, never a re-embedding, can carry it over."""
    library = services.library(load_settings(), embedder)
    for number, topic in ((1, 0), (2, 1), (3, 2)):
        library.add(*make_paper(f"2402.0000{number}", "v1", topic))
    odd = np.random.default_rng(7).standard_normal((1, 384)).astype(np.float32)
    library.store.upsert("chunks", ["2402.00001:v1:999"], odd, ["a hand-made record"],
                         [{"arxiv_id": "2402.00001", "version": "v1", "chunk": 999}])
    return library.store  # type: ignore[return-value]


def test_migrate_copies_vectors_verifies_and_is_idempotent(embedded: ChromaStore, chroma_server: str) -> None:
    before = snapshot(embedded)
    with TokenProxy(chroma_server, TOKEN) as proxy:
        refused = cli("library", "migrate", "--to", proxy.url)
        assert refused.returncode == 1 and refused.stdout == ""
        assert "refused the request" in refused.stderr and "set memory.chroma_token" in refused.stderr
        refused_requests = len(proxy.seen)
        assert refused_requests > 0 and not any(ok for *_, ok in proxy.seen)

        # The model setting points nowhere: migrating must not load (or need) an embedding model.
        env = {"AUTORESEARCH_MEMORY__CHROMA_TOKEN": TOKEN, "AUTORESEARCH_MEMORY__EMBEDDING_MODEL": "/no/such/model"}
        first = cli("library", "migrate", "--to", proxy.url, "--json", env=env)
        assert first.returncode == 0, first.stderr
        report = json.loads(first.stdout)
        counts = {c["name"]: (c["source"], c["new"], c["replaced"], c["missing"], c["target"])
                  for c in report["collections"]}
        sizes = {name: len(records) for name, records in before.items()}
        assert counts == {name: (n, n, 0, 0, n) for name, n in sizes.items()}
        assert report["verified"] and report["embedding_model"] == embedded.embedding_model
        assert sizes == {"papers": 3, "figures": 6, "chunks": sizes["chunks"]} and sizes["chunks"] > 3 * 4
        assert [c["name"] for c in report["collections"]][-1] == "papers"  # entries last, as Library.add does

        again = cli("library", "migrate", "--to", proxy.url, "--token", TOKEN, "--json")
        assert again.returncode == 0, again.stderr
        assert {c["name"]: (c["new"], c["replaced"], c["target"]) for c in json.loads(again.stdout)["collections"]} \
            == {name: (0, n, n) for name, n in sizes.items()}
        assert all(ok for *_, ok in proxy.seen[refused_requests:])  # every later request carried the token

        server = ChromaStore(embedded.embedding_model, url=proxy.url, token=TOKEN)
        assert_same(snapshot(server), before)
        listed = cli("library", "list", "--json", env={"AUTORESEARCH_CHROMA_URL": proxy.url,
                                                         "AUTORESEARCH_MEMORY__CHROMA_TOKEN": TOKEN,
                                                         "AUTORESEARCH_HOME": str(Path(embedded.where).parent / "other")})
        assert listed.returncode == 0, listed.stderr
        assert [p["arxiv_id"] for p in json.loads(listed.stdout)] == ["2402.00001", "2402.00002", "2402.00003"]


def test_migrate_refuses_a_server_filled_by_another_model(embedded: ChromaStore, chroma_server: str) -> None:
    ChromaStore("some-other-model", url=chroma_server)
    done = cli("library", "migrate", "--to", chroma_server)
    assert done.returncode == 1
    assert "was built with the embedding model 'some-other-model'" in done.stderr


def test_migrate_without_an_embedded_library_says_so(chroma_server: str) -> None:
    done = cli("library", "migrate", "--to", chroma_server)
    assert done.returncode == 1 and "no embedded library at" in done.stderr and "nothing to migrate" in done.stderr


def test_a_stopped_servers_folder_is_a_complete_backup(embedder, tmp_path: Path) -> None:
    """The Chroma backup docs/deploy.md prescribes: stop the server, copy its --path, start again."""
    with ChromaServer(tmp_path / "live") as server:
        library = services.library(load_settings(memory={"chroma_url": server.url}), embedder)
        for number in (1, 2):
            library.add(*make_paper(f"2402.0000{number}", "v1", number))
        before = snapshot(library.store)  # type: ignore[arg-type]
    shutil.copytree(tmp_path / "live", tmp_path / "backup")
    with ChromaServer(tmp_path / "backup") as restored:
        assert_same(snapshot(ChromaStore(embedder.name, url=restored.url)), before)
