"""The review graph, top to bottom: plan → search → gate → ingest → snowball (→ gate on the cited
works → ingest them, once) → figures → outline → gate → draft → verify → gate (→ draft again,
bounded) → export. Wiring only; nodes live in agent/review/nodes/.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.review.context import ReviewContext
from agent.review.nodes.draft import draft
from agent.review.nodes.export import export
from agent.review.nodes.figures import figures
from agent.review.nodes.gate_cited import gate_cited
from agent.review.nodes.gate_draft import gate_draft
from agent.review.nodes.gate_outline import gate_outline
from agent.review.nodes.gate_papers import gate_papers
from agent.review.nodes.ingest import ingest
from agent.review.nodes.outline import outline
from agent.review.nodes.plan import plan
from agent.review.nodes.routes import route_after_ingest, route_after_snowball, route_draft_decision
from agent.review.nodes.search import search
from agent.review.nodes.snowball import snowball
from agent.review.nodes.verify import verify
from agent.review.state import InputState, State

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

STAGES = ("plan", "search", "gate_papers", "ingest", "snowball", "gate_cited", "figures", "outline",
          "gate_outline", "draft", "verify", "gate_draft", "export")
"""Every stage in the order a run meets them (front ends size their progress views with it)."""


if TYPE_CHECKING:
    ReviewGraph = CompiledStateGraph[State, ReviewContext, InputState, State]
    """The compiled graph: its state, its run context, what it takes and what it returns."""


def build_graph(checkpointer: BaseCheckpointSaver | None) -> ReviewGraph:
    """Compile the review graph; gates need a checkpointer to pause and resume."""
    from langgraph.graph import END, START, StateGraph  # LangGraph loads when a run is driven, not on import

    builder = StateGraph(State, input_schema=InputState, context_schema=ReviewContext)
    for node in (plan, search, gate_papers, ingest, snowball, gate_cited, figures, outline, gate_outline, draft, verify,
                 gate_draft, export):
        builder.add_node(node.__name__, node)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "search")
    builder.add_edge("search", "gate_papers")
    builder.add_edge("gate_papers", "ingest")
    builder.add_conditional_edges("ingest", route_after_ingest, ["snowball", "figures"])
    builder.add_conditional_edges("snowball", route_after_snowball, ["gate_cited", "figures"])
    builder.add_edge("gate_cited", "ingest")
    builder.add_edge("figures", "outline")
    builder.add_edge("outline", "gate_outline")
    builder.add_edge("gate_outline", "draft")
    builder.add_edge("draft", "verify")
    builder.add_edge("verify", "gate_draft")
    builder.add_conditional_edges("gate_draft", route_draft_decision, ["draft", "export"])
    builder.add_edge("export", END)
    return builder.compile(checkpointer=checkpointer, name="review")
