"""The arXiv client against a real HTTP server on 127.0.0.1 (the mirror), with real recorded feeds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from agent import services
from agent.settings import Settings, load_settings
from evals.mirror import Corpus, Fault, MirrorServer, Replay
from tools.http import FetchError
from tools.search.arxiv import ArxivError

LEGACY_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=&amp;id_list=1111.2011v2</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">10</opensearch:itemsPerPage>
  <entry>
    <id>http://arxiv.org/abs/1111.2011v2</id>
    <updated>2012-04-02T12:38:54Z</updated>
    <published>2011-11-08T18:48:36Z</published>
    <title>Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large
  Connectivity Limit</title>
    <summary>  Theoretical description of anisotropic systems.</summary>
    <author><name>James M. Murray</name></author>
    <author><name>Adrian Del Maestro</name></author>
    <link title="doi" href="http://dx.doi.org/10.1103/PhysRevB.85.115117" rel="related"/>
    <link title="pdf" href="http://arxiv.org/pdf/1111.2011v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cond-mat.str-el"/>
    <category term="cond-mat.str-el" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>
"""


def client_for(settings: Settings):
    return services.arxiv_client(settings)


def test_search_finds_papers_and_caches_them(mirror: MirrorServer, mirror_settings: Settings) -> None:
    client = client_for(mirror_settings)
    papers = client.search('abs:"anomaly detection"', max_results=5)
    assert 0 < len(papers) <= 5
    assert all("anomaly" in (p.title + p.abstract).lower() for p in papers)
    assert papers[0].pdf_url.startswith(mirror.pdf_url)
    hits = len(mirror.api_hits())
    again = client_for(mirror_settings).search('abs:"anomaly  detection"', max_results=5)
    assert [p.arxiv_id for p in again] == [p.arxiv_id for p in papers]
    assert len(mirror.api_hits()) == hits, "a normalised repeat must be a cache hit"
    client_for(mirror_settings).search('abs:"anomaly detection"', max_results=5, refresh=True)
    assert len(mirror.api_hits()) == hits + 1


def test_paging_across_pages(mirror: MirrorServer, monkeypatch: pytest.MonkeyPatch,
                             mirror_settings: Settings) -> None:
    settings = load_settings(arxiv={"page_size": 10})
    papers = client_for(settings).search("all:video", max_results=35)
    starts = [h.params["start"] for h in mirror.api_hits()]
    assert starts == ["0", "10", "20", "30"]
    assert len(papers) == 35 and len({p.arxiv_id for p in papers}) == 35


def test_request_spacing_measured_at_the_server(mirror: MirrorServer, mirror_settings: Settings) -> None:
    settings = load_settings(arxiv={"min_interval_s": 0.4})
    client = client_for(settings)
    for word in ("video", "anomaly", "language"):
        client.search(f"all:{word}", max_results=3)
    arrivals = [h.at for h in mirror.api_hits()]
    assert len(arrivals) == 3
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.4


def test_real_three_second_interval(mirror: MirrorServer, mirror_settings: Settings) -> None:
    settings = load_settings(arxiv={"min_interval_s": 3.0})
    client = client_for(settings)
    client.search("all:video", max_results=2)
    client.search("all:anomaly", max_results=2)
    first, second = (h.at for h in mirror.api_hits())
    assert second - first >= 3.0


def test_429_then_success_backs_off(mirror: MirrorServer, mirror_settings: Settings) -> None:
    mirror.faults.extend([Fault(429), Fault(503, retry_after="0")])
    papers = client_for(mirror_settings).search("all:video", max_results=3)
    assert len(papers) == 3
    assert [h.status for h in mirror.api_hits()] == [429, 503, 200]


def test_retry_after_is_honoured(mirror: MirrorServer, mirror_settings: Settings) -> None:
    mirror.faults.append(Fault(429, retry_after="1"))
    client_for(mirror_settings).search("all:video", max_results=1)
    first, second = (h.at for h in mirror.api_hits())
    assert second - first >= 1.0


def test_429_forever_gives_a_clear_error_within_budget(mirror: MirrorServer,
                                                       mirror_settings: Settings) -> None:
    mirror.always = Fault(429)
    settings = load_settings(arxiv={"max_tries": 4, "retry_budget_s": 5})
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"arXiv is rate-limiting us: 429 on 4 tries over \d+ s"):
        client_for(settings).search("all:video", max_results=1)
    assert time.monotonic() - started < 5
    assert len(mirror.api_hits()) == 4


def test_timeouts_are_retried_then_reported(mirror: MirrorServer, mirror_settings: Settings) -> None:
    mirror.always = Fault(200, delay_s=1.0)
    settings = load_settings(arxiv={"timeout_s": 0.2, "max_tries": 2})
    with pytest.raises(FetchError, match="arXiv is unavailable: timeouts on 2 tries"):
        client_for(settings).search("all:video", max_results=1)


def test_captcha_html_is_an_error_not_papers(mirror: MirrorServer, mirror_settings: Settings) -> None:
    mirror.faults.append(Fault(200, body=b"<!DOCTYPE html><html><body>Are you a robot?</body></html>",
                               content_type="text/html"))
    with pytest.raises(ArxivError, match="HTML page"):
        client_for(mirror_settings).search("all:video", max_results=1)


def test_bad_id_gives_the_error_feed_message(mirror: MirrorServer, mirror_settings: Settings) -> None:
    with pytest.raises(ArxivError, match="incorrect id format for abc"):
        client_for(mirror_settings).fetch(["abc"])


def test_fetch_by_id_and_empty_result(mirror: MirrorServer, mirror_settings: Settings) -> None:
    client = client_for(mirror_settings)
    [paper] = client.fetch(["2501.09733"])
    assert paper.title.startswith("ComplexVAD") and paper.version == "v1"
    assert client.fetch(["0000.00000"]) == []


def test_legacy_serialization_parses(mirror: MirrorServer, mirror_settings: Settings) -> None:
    mirror.faults.append(Fault(200, body=LEGACY_FEED, content_type="application/atom+xml"))
    [paper] = client_for(mirror_settings).fetch(["1111.2011v2"])
    assert paper.arxiv_id == "1111.2011" and paper.version == "v2"
    assert paper.doi == "10.1103/PhysRevB.85.115117"
    assert paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert paper.authors == ["James M. Murray", "Adrian Del Maestro"]


def test_latest_version_wins() -> None:
    rows = [{"arxiv_id": "2401.00001", "version": "v1", "title": "Old", "abstract": "video"},
            {"arxiv_id": "2401.00001", "version": "v3", "title": "New", "abstract": "video"}]
    with MirrorServer(Corpus.from_records(rows)) as server:
        settings = load_settings(arxiv={"api_url": server.api_url, "min_interval_s": 0})
        papers = client_for(settings).search("all:video")
    assert [(p.version, p.title) for p in papers] == [("v3", "New")]


# -- real recorded arXiv answers ------------------------------------------------------------------

@pytest.fixture
def replay(shared_data: Path) -> MirrorServer:
    with MirrorServer(None, replay=Replay(shared_data / "atom")) as server:
        yield server


@pytest.fixture
def replay_settings(replay: MirrorServer) -> Settings:
    return load_settings(arxiv={"api_url": replay.api_url, "min_interval_s": 0})


def test_recorded_error_feed(replay: MirrorServer, replay_settings: Settings) -> None:
    with pytest.raises(ArxivError, match="arXiv rejected the query: incorrect id format for abc"):
        client_for(replay_settings).fetch(["abc"])


def test_recorded_old_style_ids(replay: MirrorServer, replay_settings: Settings) -> None:
    client = client_for(replay_settings)
    [astro] = client.fetch(["astro-ph/0601001"])
    assert astro.arxiv_id == "astro-ph/0601001" and astro.version
    [quant] = client.fetch(["quant-ph/0201082v1"])
    assert (quant.arxiv_id, quant.version) == ("quant-ph/0201082", "v1")


def test_recorded_empty_result(replay: MirrorServer, replay_settings: Settings) -> None:
    assert client_for(replay_settings).fetch(["0000.0000"]) == []


def test_recorded_hundred_entry_page(replay: MirrorServer, replay_settings: Settings) -> None:
    settings = load_settings(arxiv={"api_url": replay.api_url, "min_interval_s": 0, "page_size": 100})
    papers = client_for(settings).search("testing", max_results=100)
    assert len(papers) >= 99  # one id may repeat across versions and be deduplicated
    assert all(p.title and p.arxiv_id for p in papers)


def test_recorded_paging(replay: MirrorServer, replay_settings: Settings) -> None:
    settings = load_settings(arxiv={"api_url": replay.api_url, "min_interval_s": 0, "page_size": 10})
    papers = client_for(settings).search("testing", max_results=50)
    assert [h.params["start"] for h in replay.api_hits()] == ["0", "10", "20", "30", "40"]
    assert len(papers) >= 45


def test_recorded_legacy_file(shared_data: Path, mirror: MirrorServer, mirror_settings: Settings) -> None:
    body = (shared_data / "atom" / "legacy_2016_id_list_1111.2011v2.xml").read_bytes()
    mirror.faults.append(Fault(200, body=body, content_type="application/atom+xml"))
    [paper] = client_for(mirror_settings).fetch(["1111.2011v2"])
    assert paper.doi == "10.1103/PhysRevB.85.115117"
    assert paper.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert "cond-mat.stat-mech" in paper.categories
