"""The OpenAlex client against a local server speaking OpenAlex's layout (evals/openalex_server.py).

The layout itself is pinned to a recorded real answer (evals/datasets/openalex/, provenance in its
README): the parser reads the recorded work, and every key the local server writes exists in it
with the same JSON type, so a test passing here talks to the shape OpenAlex really sends.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.mirror import Fault
from evals.openalex_server import OpenAlexServer
from evals.openalex_works import make_work, work_id
from tools.http import FetchError, HostDown, RetryPolicy
from tools.ratelimit import HostLimiter
from tools.settings import OpenAlexSettings
from tools.sources.base import arxiv_doi
from tools.sources.openalex import DailyBudgetSpent, OpenAlexClient, OpenAlexError
from tools.sources.works import parse_work

RECORDED = Path(__file__).resolve().parents[3] / "evals" / "datasets" / "openalex" / "peneira_works_search_page1.json"
ATTENTION = make_work(seed="attention", title="Attention Is All You Need", authors=["Ashish Vaswani", "Noam Shazeer"],
                      year=2017, doi="10.48550/arxiv.1706.03762", arxiv_id="1706.03762", cited_by_count=90000,
                      abstract="The dominant sequence transduction models are based on recurrent networks.")
CITING = [make_work(seed=f"citing{i}", title=f"Transformers for task {i}", authors=["A. Author"], year=2018 + i,
                    date=f"{2018 + i}-03-01", cited_by_count=10 * i, references=[work_id("attention")])
          for i in range(4)]
JOURNAL = make_work(seed="prb", title="AKLT models with quantum spin glass ground states", authors=["C. R. Laumann"],
                    year=2009, venue="Physical Review B", volume="80", first_page="144415",
                    doi="10.1103/physrevb.80.144415", pdf_url="https://example.org/aklt.pdf")


@pytest.fixture
def server():
    with OpenAlexServer([ATTENTION, JOURNAL, *CITING]) as running:
        yield running


def client_for(server: OpenAlexServer, tmp_path: Path, **changes) -> OpenAlexClient:
    settings = OpenAlexSettings(api_url=server.api_url, mailto="me@example.org", min_interval_s=0.0, **changes)
    client = OpenAlexClient(settings, tmp_path / "cache", HostLimiter(tmp_path / "locks", 0.0))
    client.policy = RetryPolicy(max_tries=3, backoff_base_s=0.01, backoff_max_s=0.02, budget_s=5)
    return client


def test_a_recorded_real_work_is_read_whole() -> None:
    work = parse_work(json.loads(RECORDED.read_text())["results"][0])
    assert work is not None and work.id == "W2068311567"
    assert work.doi == "10.4081/gh.2014.294" and work.year == 2014 and work.venue == "Geospatial Health"
    assert work.authors == ["Alexander Liss", "Magaly Koch", "Elena N. Naumova"]
    assert (work.volume, work.first_page, work.cited_by_count) == ("8", "467", 8)
    assert work.oa_pdf_url.endswith("/download/294/291") and len(work.referenced_works) == 50
    words = work.abstract.split()
    assert len(words) == 240 and words[:3] == ["Existing", "climate", "classification"]
    assert words[-1] == "explored." and work.arxiv_id == ""


def _shape_differences(ours: dict, theirs: dict, path: str = "") -> list[str]:
    found = []
    for key, value in ours.items():
        if key not in theirs:
            found.append(f"{path}{key} is not in the recorded work")
        elif value is not None and theirs[key] is not None and type(value) is not type(theirs[key]):
            found.append(f"{path}{key}: {type(value).__name__}, recorded {type(theirs[key]).__name__}")
        elif isinstance(value, dict) and key != "abstract_inverted_index":
            found += _shape_differences(value, theirs[key], f"{path}{key}.")
        elif isinstance(value, list) and value and theirs[key] and isinstance(value[0], dict):
            found += _shape_differences(value[0], theirs[key][0], f"{path}{key}[].")
    return found


def test_the_local_server_writes_works_in_the_recorded_layout() -> None:
    recorded = json.loads(RECORDED.read_text())
    assert _shape_differences(ATTENTION, recorded["results"][0]) == []
    assert _shape_differences(JOURNAL, recorded["results"][0]) == []
    with OpenAlexServer([ATTENTION]) as running:
        import httpx
        answer = httpx.get(f"{running.api_url}/works", params={"filter": "doi:10.48550/arxiv.1706.03762"}).json()
    assert set(answer) == set(recorded) and set(answer["meta"]) == set(recorded["meta"])


def test_works_by_arxiv_doi_by_title_and_by_volume_and_page(server, tmp_path) -> None:
    client = client_for(server, tmp_path)
    [found] = client.lookup([arxiv_doi("1706.03762"), "10.9999/nothing"])
    assert found.arxiv_id == "1706.03762" and found.cited_by_count == 90000
    assert found.to_paper().arxiv_id == "1706.03762"  # keyed by its arXiv id, not its OpenAlex id
    assert [w.title for w in client.search_title("attention is all you need")] == ["Attention Is All You Need"]
    assert client.search_title("attention is all you need everywhere") == []
    assert [w.id for w in client.search_title("attention everywhere", loose=True)] == [work_id("attention")]
    [paper] = client.search_biblio("80", "144415", "2009")
    assert paper.venue == "Physical Review B" and paper.to_paper().arxiv_id == work_id("prb")
    assert paper.to_paper().pdf_url == "https://example.org/aklt.pdf"


def test_citing_works_come_most_cited_or_newest_first(server, tmp_path) -> None:
    client = client_for(server, tmp_path)
    most = client.cited_by(work_id("attention"), 2, "cited_by_count")
    newest = client.cited_by(work_id("attention"), 2, "publication_date")
    assert [w.cited_by_count for w in most] == [30, 20]
    assert [w.year for w in newest] == [2021, 2020]
    assert client.cited_by(work_id("attention"), 0) == []


def test_every_request_carries_mailto_and_the_key_and_answers_are_cached(server, tmp_path) -> None:
    client = client_for(server, tmp_path, api_key="secret-key")
    client.lookup([arxiv_doi("1706.03762")])
    client.lookup([arxiv_doi("1706.03762")])
    assert client.requests_made == 1 and len(server.hits) == 1
    params = server.hits[0].params
    assert params["mailto"] == "me@example.org" and params["api_key"] == "secret-key"
    assert "select" in params
    fresh = client_for(server, tmp_path, api_key="other-key")  # the cache key leaves the identity out
    fresh.lookup([arxiv_doi("1706.03762")])
    assert fresh.requests_made == 0


def test_the_daily_budget_stops_requests_across_clients_before_they_are_sent(server, tmp_path) -> None:
    first = client_for(server, tmp_path, daily_budget=11)
    first.search_title("attention")  # a search costs ten
    with pytest.raises(DailyBudgetSpent, match="daily budget of 11"):
        client_for(server, tmp_path, daily_budget=11).search_title("transformers")
    assert len(server.hits) == 1


def test_429_is_retried_and_403_is_explained(server, tmp_path) -> None:
    server.faults.append(Fault(status=429, retry_after="0"))
    client = client_for(server, tmp_path)
    assert client.lookup([arxiv_doi("1706.03762")])
    assert [h.status for h in server.hits] == [429, 200]
    server.faults.append(Fault(status=403, body=b'{"error": "Forbidden"}'))
    with pytest.raises(OpenAlexError, match="api_key"):
        client.search_title("spin glass")


def test_a_filter_openalex_rejects_is_a_clear_error(server, tmp_path) -> None:
    client = client_for(server, tmp_path)
    with pytest.raises(OpenAlexError, match="HTTP 400"):
        client.list_works({"filter": "author_name:Vaswani"})


def test_an_openalex_that_failed_a_retry_cycle_is_not_asked_again_by_the_same_client(server, tmp_path) -> None:
    server.faults.extend(Fault(status=503) for _ in range(3))
    client = client_for(server, tmp_path, daily_budget=100)
    with pytest.raises(FetchError, match="OpenAlex is unavailable"):
        client.lookup([arxiv_doi("1706.03762")])
    assert len(server.hits) == 3  # one retry cycle
    with pytest.raises(HostDown, match="not asking again"):
        client.search_title("spin glass")
    assert len(server.hits) == 3  # nothing sent, and nothing charged to the daily budget
    assert json.loads(next((tmp_path / "cache").glob("budget-*.json")).read_text())["used"] == 1
    assert client_for(server, tmp_path).lookup([arxiv_doi("1706.03762")])  # a new command asks anew
