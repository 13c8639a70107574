"""The request budget is counted at the HTTP layer: retries count, nothing past it is sent."""

from __future__ import annotations

import pytest

from agent import services
from agent.settings import Settings
from evals.mirror import Fault, MirrorServer
from tools.search.budget import BudgetSpent, RequestBudget


def test_no_request_past_the_budget_reaches_arxiv(mirror: MirrorServer, mirror_settings: Settings) -> None:
    client = services.arxiv_client(mirror_settings)
    with RequestBudget(client, 2) as budget:
        client.search("ti:video", max_results=5)
        client.search("ti:video", max_results=5)  # the cache answers: free
        client.search("ti:anomaly", max_results=5)
        assert budget.remaining == 0
        with pytest.raises(BudgetSpent, match="budget of 2 arXiv requests"):
            client.search("ti:talking", max_results=5)
    assert len(mirror.api_hits()) == 2
    client.search("ti:talking", max_results=5)  # outside the budget, the client works as before
    assert len(mirror.api_hits()) == 3


def test_a_retry_after_429_counts_against_the_budget(mirror: MirrorServer,
                                                    mirror_settings: Settings) -> None:
    client = services.arxiv_client(mirror_settings)
    mirror.faults.append(Fault(429))
    with RequestBudget(client, 2) as budget:
        client.search("ti:video", max_results=5)
        assert budget.sent == 2 and client.requests_made == 1
        with pytest.raises(BudgetSpent):
            client.search("ti:anomaly", max_results=5)
    assert [h.status for h in mirror.api_hits()] == [429, 200]
