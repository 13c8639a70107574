"""The TUI's logic without a screen: commands, citations, run views, outline edits, paper text."""

from __future__ import annotations

import pytest

from agent.review.types import Outline, Theme
from agent.runs.events import (
    ApprovalNeeded,
    Failed,
    Finished,
    Progress,
    StageFinished,
    StageStarted,
    Warning,
)
from agent.runs.registry import RunInfo
from tests.fixtures.papers import sample_paper
from tui.citations import Citation, link_citations, target
from tui.commands import (
    COMMANDS,
    CommandError,
    Parsed,
    complete,
    parse,
    review_arguments,
    split_items,
    suggestion,
)
from tui.outline_edit import OutlineEdit
from tui.run_state import STAGES, RunView


def test_slash_commands_parse_complete_and_explain_mistakes() -> None:
    assert parse("what is VAD?") is None and parse("//not a command") is None
    assert parse("/search  video anomaly ") == Parsed("search", "video anomaly")
    assert parse("/RUNS") == Parsed("runs", "")
    with pytest.raises(CommandError, match="did you mean /search"):
        parse("/sea video")
    with pytest.raises(CommandError, match="/ingest needs ID"):
        parse("/ingest")
    assert [c.name for c in complete("/")] == [c.name for c in COMMANDS]
    assert [c.name for c in complete("/s")] == ["search", "summarize"] and complete("/search x") == []
    assert suggestion("/di") == "/digest " and suggestion("/s") is None
    assert review_arguments("video anomaly --max 3 detection", 10) == ("video anomaly detection", 3)
    assert review_arguments("talking heads", 10) == ("talking heads", 10)
    assert split_items("2501.12948, 2401.00001v2 https://x.org/a.pdf") == ["2501.12948", "2401.00001v2",
                                                                           "https://x.org/a.pdf"]
    assert split_items("Attention is all you need") == ["Attention is all you need"]


def test_citations_become_links_that_point_back_at_the_paper() -> None:
    text = ("FrameGate reaches 87.4% AUC [2501.00001, §4.1 Results, p.6]. Again [2501.00001, §4.1 Results, p.6]; "
            "the plot [2409.03605v2, Fig. 3, p.7]. Not a citation: [see above] or a [link](https://x.org).")
    linked, found = link_citations(text)
    assert found == [Citation("2501.00001", "4.1 Results", 6), Citation("2409.03605", "", 7, "3")]
    assert linked.count("(cite:0)") == 2 and "[\\[2409.03605v2, Fig. 3, p.7\\]](cite:1)" in linked
    assert "[see above]" in linked and "[link](https://x.org)" in linked
    assert target("cite:1", found) == found[1] and target("cite:9", found) is None
    assert target("https://x.org", found) is None
    assert found[0].label == "2501.00001, §4.1 Results, p.6"


def test_run_view_follows_the_event_stream() -> None:
    from agent.review.graph import STAGES as GRAPH_STAGES

    assert STAGES == GRAPH_STAGES
    view = RunView(run_id="r1", topic="t", live_here=True)
    for event in [StageStarted(stage="search", at=100.0), Progress(stage="search", done=1, total=3, message="q1"),
                  Warning(stage="search", message="arXiv answered 503; retried")]:
        view.apply(event)
    search = view.stages["search"]
    assert (search.status, search.done, search.total, search.message) == ("running", 1, 3, "q1")
    assert search.elapsed(now=102.5) == 2.5 and view.headline() == "running: search"
    view.apply(StageFinished(stage="search", seconds=2.0))
    view.apply(ApprovalNeeded(gate="papers", request={"gate": "papers", "candidates": [{}, {}]}))
    assert view.stages["search"].elapsed(now=999) == 2.0 and view.stages["gate_papers"].status == "paused"
    assert view.headline() == "paused: waits for approval of 2 papers"
    view.apply(ApprovalNeeded(gate="papers", request={"gate": "papers", "round": "citations", "candidates": [{}]}))
    assert view.stages["gate_cited"].status == "paused"  # the second papers round has its own stage
    view.apply(Finished(out_dir="/out", counts={"papers": 2}))
    assert view.headline() == "finished: /out/review.md" and view.warnings == ["search: arXiv answered 503; retried"]
    assert view.stages["outline"].status == "skipped"  # a finished run never went there: not still waiting
    view = RunView(run_id="r2")
    view.apply(StageStarted(stage="ingest", at=1.0))
    view.apply(Failed(error="cancelled", cancelled=True))
    assert view.status == "cancelled" and view.stages["ingest"].status == "failed"


def test_run_view_from_the_registry_marks_dead_runs_and_gates() -> None:
    info = RunInfo(run_id="r", topic="t", status="running", out_dir="/o", created="c", updated="u",
                   timings={"plan": 0.1, "search": 1.5})
    view = RunView.from_info(info)
    assert view.status == "stopped" and view.stages["search"].status == "done" and "resume" in view.headline()
    paused = RunView.from_info(info.model_copy(update={"status": "paused", "gate": "outline"}))
    assert paused.stages["gate_outline"].status == "paused" and paused.waits_for() == "approval of the outline"


def test_outline_edits_rename_reorder_move_and_leave_out() -> None:
    outline = Outline(topic="t", title="T", themes=[Theme(title="A", paper_ids=["1", "2"]),
                                                    Theme(title="B", paper_ids=["3"])])
    edit = OutlineEdit.start(outline, ["1", "2", "3", "4"])
    assert edit.left_out == ["4"] and not edit.changed()
    edit.rename(-1, "  New   title ")
    edit.rename(0, "")  # an empty title changes nothing
    assert edit.title == "New title" and edit.themes[0].title == "A"
    assert edit.move_theme(0, 1) == 1 and [t.title for t in edit.themes] == ["B", "A"]
    assert edit.move_theme(1, 1) == 1  # already last
    edit.move_paper("2", -1)
    edit.assign("4", 0)
    edit.leave_out("3")
    assert [t.paper_ids for t in edit.themes] == [["4"], ["2", "1"]] and edit.left_out == ["3"]
    edit.add_theme("Empty")
    edit.delete_theme(0)
    assert edit.left_out == ["3", "4"]
    result = edit.to_outline()
    assert [t.title for t in result.themes] == ["A"] and result.title == "New title" and edit.changed()


def test_outline_edits_reach_into_subsections() -> None:
    outline = Outline(topic="t", title="T", left_out={"5": "a 1-page excerpt"}, themes=[
        Theme(title="A", paper_ids=["1"], subthemes=[Theme(title="A1", paper_ids=["2", "3"]),
                                                     Theme(title="A2", paper_ids=["4"])])])
    edit = OutlineEdit.start(outline, ["1", "2", "3", "4", "5"])
    assert edit.left_out == ["5"] and edit.why_left_out("5") == "a 1-page excerpt" and not edit.changed()
    edit.rename_sub(0, 0, " Sub  one ")
    assert edit.move_sub(0, 0, 1) == 1 and [s.title for s in edit.themes[0].subthemes] == ["A2", "Sub one"]
    edit.move_paper("3", -1)
    assert edit.themes[0].subthemes[1].paper_ids == ["3", "2"]
    edit.assign("5", 0, 0)  # into subsection A2
    edit.leave_out("4")
    assert edit.themes[0].subthemes[0].paper_ids == ["5"] and "4" not in edit.themes[0].paper_ids
    edit.delete_sub(0, 1)  # its papers stay in the section
    result = edit.to_outline()
    assert [s.title for s in result.themes[0].subthemes] == ["A2"]
    assert sorted(result.themes[0].paper_ids) == ["1", "2", "3", "5"] and result.left_out == {}


def test_paper_text_escapes_markdown_and_lists_what_is_stored() -> None:
    from memory.records import LibraryPaper
    from tools.paper import Paper
    from tui.paper_text import figures_markdown, md, references_markdown, sections_markdown

    assert md("a *b* [c](d) <e>") == "a \\*b\\* \\[c\\](d) \\<e\\>"
    parsed = sample_paper()
    record = LibraryPaper(paper=Paper(arxiv_id="2501.00001", title=parsed.title), parsed=parsed)
    sections = sections_markdown(record)
    assert "## 1 Introduction  ·  p.1" in sections and "### 3.1 Gated attention" in sections
    figures = figures_markdown(record)
    assert "Figure 2 · p.5" in figures and "A scatter plot" in figures and "Not described yet" in figures
    assert references_markdown(record) == "_No references stored for this paper._"
    bare = LibraryPaper(paper=Paper(arxiv_id="1", title="x", abstract="Only this."), abstract_only=True)
    assert "Only the abstract is stored" in sections_markdown(bare) and "Only this." in sections_markdown(bare)
