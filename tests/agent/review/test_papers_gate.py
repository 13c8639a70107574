"""What the papers gate keeps: flagged candidates are proposed unticked and left out of an approve
(`--approve auto` included) unless a person keeps or adds them by name."""

from __future__ import annotations

from types import SimpleNamespace

from agent.review.approval import Decision
from agent.review.nodes.gate_papers import apply
from tools.paper import Candidate, Paper


class NoArxiv:
    """Fails the test if the gate asks arXiv for a paper it already has as a candidate."""

    def fetch(self, ids: list[str]) -> list[Paper]:
        raise AssertionError(f"fetched {ids}")


RUNTIME = SimpleNamespace(context=SimpleNamespace(services=SimpleNamespace(arxiv=NoArxiv())))
CANDIDATES = [Candidate(paper=Paper(arxiv_id=f"2401.0000{n}", title=f"Paper {n}")) for n in range(1, 4)] + [
    Candidate(paper=Paper(arxiv_id="2401.00009", title="CLIP talks"), flag="far below the other candidates")]


def chosen(decision: Decision) -> list[str]:
    return [p.arxiv_id for p in apply(decision, CANDIDATES, RUNTIME, SimpleNamespace(warn=print))]


def test_approve_and_drop_leave_flagged_candidates_out() -> None:
    assert chosen(Decision(action="approve", by="auto")) == ["2401.00001", "2401.00002", "2401.00003"]
    assert chosen(Decision(action="edit", drop=["2401.00002"])) == ["2401.00001", "2401.00003"]


def test_a_flagged_candidate_stays_when_kept_or_added_by_name() -> None:
    assert chosen(Decision(action="edit", keep=["2401.00001", "2401.00009"])) == ["2401.00001", "2401.00009"]
    assert chosen(Decision(action="edit", add=["2401.00009"]))[-1] == "2401.00009"  # taken, not fetched
