"""Fewer requests for the same records: ids 100 to a request, known records free, long title ORs
by POST, and a host that failed a whole retry cycle left alone (counted at the mirror)."""

from __future__ import annotations

import json

import pytest

from agent import services
from agent.settings import Settings
from evals.mirror import SEED_CORPUS, Fault, MirrorServer
from tools.document import ParsedPaper, Reference
from tools.http import FetchError, HostDown
from tools.search import snowball as snowball_module
from tools.search.snowball import snowball_search, title_groups

SEED = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]


def test_ids_go_a_hundred_to_a_request_and_come_back_in_the_order_asked(
        mirror: MirrorServer, mirror_settings: Settings) -> None:
    client = services.arxiv_client(mirror_settings)
    ids = [r["arxiv_id"] for r in SEED]
    papers = client.fetch(ids)
    assert [p.arxiv_id for p in papers] == ids
    hits = mirror.api_hits()
    assert [len(h.params["id_list"].split(",")) for h in hits] == [100, len(ids) - 100]
    assert client.fetch(list(reversed(ids[:50]))) and len(mirror.api_hits()) == 2  # all at hand now


def test_records_a_search_brought_are_looked_up_without_a_request(
        mirror: MirrorServer, mirror_settings: Settings) -> None:
    client = services.arxiv_client(mirror_settings)
    found = client.search('abs:"anomaly detection"', max_results=5)
    assert len(mirror.api_hits()) == 1
    again = client.fetch([p.arxiv_id for p in found] + [found[0].versioned_id])
    assert [p.versioned_id for p in again] == [p.versioned_id for p in found]
    assert len(mirror.api_hits()) == 1
    other = services.arxiv_client(mirror_settings)  # another process on the same data dir
    assert other.fetch([found[1].arxiv_id])[0].title == found[1].title
    assert len(mirror.api_hits()) == 1
    client.fetch([found[0].arxiv_id], refresh=True)
    assert len(mirror.api_hits()) == 2


def test_many_titles_go_in_one_post_and_are_matched_back(mirror: MirrorServer, mirror_settings: Settings,
                                                         embedder) -> None:
    titles = [r["title"] for r in SEED[:60]] + [f"A book about item {n} that never was on arXiv" for n in range(20)]
    parsed = {"2401.00001": ParsedPaper(source="a.pdf", arxiv_id="2401.00001",
                                        references=[Reference(raw=t, title=t) for t in titles])}
    client = services.arxiv_client(mirror_settings)
    outcome = snowball_search(parsed, client, embedder, "video understanding", budget=5, max_results=100)
    hits = mirror.api_hits()
    assert outcome.requests == len(hits) == 1 and hits[0].method == "POST"
    assert {c.paper.arxiv_id for c in outcome.candidates} == {r["arxiv_id"] for r in SEED[:60]}
    assert len(outcome.unresolved) == 20


def test_title_groups_fill_each_query_up_to_its_length(monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.search.snowball import Cited

    works = [Cited(key=f"t{n}", reference=Reference(raw="", title=f"title number {n} of many words"))
             for n in range(30)]
    monkeypatch.setattr(snowball_module, "TITLE_QUERY_CHARS", 200)
    groups = title_groups(works)
    assert [w.key for g in groups for w, _ in g] == [w.key for w in works]
    assert all(len(" OR ".join(c for _, c in g)) <= 200 for g in groups)
    assert len(groups) == 6  # five 36-character phrases per query


def test_a_host_that_failed_a_whole_retry_cycle_is_left_alone(mirror: MirrorServer,
                                                              mirror_settings: Settings) -> None:
    mirror.always = Fault(status=503, body=b"down", path_prefix="/api/")
    client = services.arxiv_client(mirror_settings)
    with pytest.raises(FetchError, match="arXiv is unavailable: 503 on 4 tries"):
        client.fetch(["2401.00001"])
    assert len(mirror.api_hits()) == mirror_settings.arxiv.max_tries
    for ids in (["2401.00002"], ["2401.00003", "2401.00004"]):
        with pytest.raises(HostDown, match="arXiv is unavailable"):
            client.fetch(ids)
    assert len(mirror.api_hits()) == mirror_settings.arxiv.max_tries  # nothing more was sent
    mirror.always = None
    client.breaker.hold_s = 0  # the hold is over: asked again
    assert client.fetch([SEED[0]["arxiv_id"]])[0].title == SEED[0]["title"]
