"""The writers on a real Chroma library: the survey's shape, verbatim quotes, the table, figures,
feedback, and the LLM writer driven by fake chat models (no hosted LLM can run here)."""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field
from review_corpus import DECOY

from agent import services
from agent.llm.prompts import BUILTIN, DATA_RULE
from agent.review.outline import build_outline
from agent.review.verify import normalize, verify_draft
from agent.review.writers import write_review
from agent.review.writers.comparison import paper_text
from agent.review.writers.llm import _prose
from agent.review.writers.sentences import split_sentences
from memory.records import LibraryPaper
from tools.citations import assign_keys
from tools.paper import Paper

QUOTED = re.compile(r"“([^”]+)” \[@([^\]]+)\]")


@pytest.fixture(scope="module")
def corpus(review_corpus):
    return review_corpus


@pytest.fixture(scope="module")
def outline(corpus, embedder):
    _, _, records = corpus
    return build_outline("video anomaly detection and talking heads", records, embedder)


def stored_text(record) -> str:
    parts = [record.paper.title, record.paper.abstract]
    if record.parsed:
        parts += [p.text for s in record.parsed.sections for p in s.paragraphs]
    return normalize(" ".join(parts))


def test_extractive_draft_has_the_shape_of_a_survey(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings)
    text = draft.markdown
    for heading in ("# Introduction", "# Taxonomy", "# Comparison of Approaches", "# Reported Results",
                    "# Key Figures", "# Open Problems", "# References", "::: {#refs}"):
        assert f"\n{heading}" in f"\n{text}", heading
    assert len(outline.themes) >= 2
    keys = {v: k for k, v in draft.keys.items()}
    for theme in outline.themes:
        section = text.split(f"## {theme.title}\n", 1)[1].split("\n#", 1)[0]
        paragraphs = [p for p in section.strip().split("\n\n") if p.strip()]
        assert all(f"@{keys[pid]}" in section for pid in theme.paper_ids)  # every paper discussed
        if len(theme.paper_ids) >= 2:  # the section opens with what its papers share, or says none
            opening = paragraphs[0]
            assert len(set(re.findall(r"@([\w-]+)", opening))) >= 2 or "They share no" in opening
    assert draft.writer == "extractive" and set(draft.keys.values()) == {r.paper.arxiv_id for r in records}


def test_statements_are_in_the_reviewers_voice_and_in_the_papers_terms(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings)
    by_key = {key: next(r for r in records if r.paper.arxiv_id == arxiv_id) for key, arxiv_id in draft.keys.items()}
    body = draft.markdown.split("# Comparison of Approaches")[0]
    prose = [p for p in body.split("\n\n") if not p.lstrip().startswith(("#", "-", "|"))]
    cited = [s for p in prose for s in split_sentences(p) if "[@" in s]
    assert not [s for s in cited if re.search(r"\b(?:we|our|us)\b|\bIn this paper\b", s, re.I)]
    assert sum("“" in s for s in cited) <= 0.2 * len(cited)
    checked = 0
    for sentence in cited:  # "X [@k] propose …": what follows the verb is the paper's own wording
        found = re.match(r".*?\[@([^\];]+)\] (?:propose|proposes|introduce|introduces|contribute|note that) (.+?)(?:;|\.$)",
                         sentence)
        if found:
            words = normalize(found.group(2).replace("their", "our").replace("they", "we"))
            assert f" {words} " in f" {stored_text(by_key[found.group(1)])} ", sentence
            checked += 1
    assert checked >= len(records) // 2
    assert normalize(DECOY) not in normalize(draft.markdown)  # related work is never attributed


def test_comparative_statements_count_and_cite_exactly_the_papers_they_speak_about(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings)
    from agent.review.facts.extract import paper_facts

    facts = {r.paper.arxiv_id: paper_facts(r) for r in records}
    counted = re.findall(r"(\w+) of the (\w+) papers (evaluate on|report|are|address) (.+?) \[([^\]]+)\]",
                         draft.markdown)
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    assert counted
    for count, _, verb, value, group in counted:
        cited = [draft.keys[k.strip().lstrip("@")] for k in group.split(";")]
        assert words.index(count.lower()) == len(cited)
        for arxiv_id in cited:  # the fact holds for every paper cited
            assert facts[arxiv_id].says(value.replace("\\", "")), (value, arxiv_id)
    multi = [s for s in split_sentences(draft.markdown.split("# References")[0])
             if len(set(re.findall(r"@([\w-]+)", s))) >= 2 and not s.lstrip().startswith("|")]
    assert len(multi) >= len(outline.themes)


def test_reported_results_set_shared_benchmarks_side_by_side_with_sources(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings)
    section = draft.markdown.split("# Reported Results", 1)[1].split("\n# ", 1)[0]
    parsed = [r for r in records if r.parsed]
    assert {r.arxiv_id for r in draft.results} == {r.paper.arxiv_id for r in parsed}
    for result in draft.results:
        assert (result.benchmark, result.metric, result.value, result.page) == ("UCF-Crime", "AUC", "87.4%", 5)
        assert result.value in stored_text_raw(next(r for r in records if r.paper.arxiv_id == result.arxiv_id))
        assert f"| {result.value} | p. 5, text |" in section
    assert "On UCF-Crime, two papers report AUC" in section and "not a controlled comparison" in section


def test_a_paper_known_by_its_title_only_is_said_to_be_so_and_nothing_more(corpus, outline) -> None:
    settings, library, records = corpus
    bare = LibraryPaper(paper=Paper(arxiv_id="2402.00077", version="v1", published="2024-02-01",
                                    title="Frame Gating for Video Anomaly Detection"), abstract_only=True)
    themed = outline.model_copy(deep=True)
    themed.themes[0].paper_ids.append(bare.paper.arxiv_id)
    draft = write_review(outline.topic, themed, [*records, bare], library, settings)
    key = {v: k for k, v in draft.keys.items()}[bare.paper.arxiv_id]
    prose = [p for p in draft.markdown.split("# Comparison")[0].split("\n\n") if not p.startswith(("#", "-"))]
    said = [s for p in prose for s in split_sentences(p) if f"@{key}" in s]
    assert f"One paper [@{key}] (2024) is known here by its title only: “Frame Gating for Video Anomaly Detection”." in said
    for sentence in said:  # in statements about several papers, only what its title says
        assert re.search(r"address (?:video )?anomaly detection|known here by its title only", sentence), sentence


def stored_text_raw(record) -> str:
    return " ".join(p.text for s in record.parsed.sections for p in s.paragraphs)


def test_comparison_table_holds_only_what_the_papers_state(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings)
    rows = {row.arxiv_id: row for row in draft.comparison}
    assert set(rows) == {r.paper.arxiv_id for r in records}
    parsed = records[0]
    row = rows[parsed.paper.arxiv_id]
    assert {"UCF-Crime", "XD-Violence"} <= set(row.datasets) and {"AUC", "AP"} <= set(row.metrics)
    assert row.code == "https://github.com/example/segscore" and "SegScore" in row.method
    for record in records:
        source = paper_text(record)
        row = rows[record.paper.arxiv_id]
        for value in [*row.datasets, *row.metrics, row.code, row.task, row.method.split(": ")[-1]]:
            assert value.rstrip("…") in source, value  # never invented
        assert "ImageNet" not in row.datasets and "Kinetics-700" not in row.datasets
    table = draft.markdown.split("# Comparison of Approaches", 1)[1].split("# Reported Results")[0]
    assert table.count("\n| ") == len(records) + 1 and "†" in table


def test_gallery_shows_the_overview_figure_with_its_description(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings)
    themes_with_figures = {t.title for t in outline.themes
                           if any(r.parsed for r in records if r.paper.arxiv_id in t.paper_ids)}
    per_theme = max(1, 4 // len(outline.themes))
    parsed_ids = {r.paper.arxiv_id for r in records if r.parsed}
    assert len(draft.figures) == min(len(parsed_ids), per_theme * len(themes_with_figures))
    assert len({f.arxiv_id for f in draft.figures}) == len(draft.figures)  # one per paper
    for figure in draft.figures:
        assert figure.number == "2" and figure.kind == "diagram" and figure.theme in themes_with_figures
        assert f"](figures/{figure.arxiv_id}-fig2.png)" in draft.markdown
        assert figure.description in draft.markdown.replace("\\", "")


def test_feedback_drops_and_expands_what_it_names_and_reports_the_rest(corpus, outline) -> None:
    settings, library, records = corpus
    dropped = records[2].paper.arxiv_id
    theme = next(t for t in outline.themes if records[0].paper.arxiv_id in t.paper_ids)
    base = write_review(outline.topic, outline, records, library, settings)
    revised = write_review(outline.topic, outline, records, library, settings, revision=1,
                           feedback=f"Please drop {dropped}. Expand the section {theme.title}; make it prettier")
    key = base.keys and {v: k for k, v in base.keys.items()}[dropped]
    assert f"@{key}]" in base.markdown and f"@{key}]" not in revised.markdown
    assert dropped not in revised.keys.values() and dropped not in {r.arxiv_id for r in revised.comparison}
    section = lambda d: d.markdown.split(f"## {theme.title}", 1)[1].split("\n## ", 1)[0]  # noqa: E731
    assert len(section(revised).split()) > len(section(base).split())
    assert revised.revision == 1
    assert any("applied: dropped paper" in n for n in revised.notes)
    assert any("not applied" in n and "prettier" in n for n in revised.notes)
    negated = write_review(outline.topic, outline, records, library, settings, feedback=f"don't drop {dropped}")
    assert dropped in negated.keys.values() and any("not applied" in n for n in negated.notes)


# -- the abstractive writer, with fakes standing in for a hosted chat model ---------------------


class FakeGroundedChatModel(BaseChatModel):
    """Fake LLM: restates the first sentence of each fenced paper, citing it as `[@key]`."""

    prompts: list[tuple[str, str]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake-grounded"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        system, human = str(messages[0].content), str(messages[-1].content)
        self.prompts.append((system, human))
        out = []
        for key, body in re.findall(r'<paper id="([^"]+)"[^>]*>\n(.*?)\n</paper>', human, re.S):
            first = html.unescape(split_sentences(body)[0]).rstrip(".")
            out.append(f"The authors report that {first[0].lower()}{first[1:]} [@{key}].")
        message = AIMessage(content="## Heading to drop\n\n" + " ".join(out),
                            usage_metadata={"input_tokens": len(human) // 4, "output_tokens": 50,
                                            "total_tokens": len(human) // 4 + 50})
        return ChatResult(generations=[ChatGeneration(message=message)])


class FakeFailingChatModel(BaseChatModel):
    """Fake LLM whose provider is down."""

    @property
    def _llm_type(self) -> str:
        return "fake-failing"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        raise ConnectionError("provider unreachable")


def model_calls(outline) -> int:
    """Calls the LLM writer makes: the introduction, each section and subsection, the open problems."""
    return sum(1 + len(t.subthemes) for t in outline.themes if t.kind != "surveys") + 2


def allowed_in(system: str) -> list[str]:
    return re.search(r"the only ids you may cite are: (.*?)\. Never", system).group(1).split(", ")


def test_llm_writer_with_fake_model_lists_allowed_keys_fences_data_and_verifies(corpus, outline) -> None:
    settings, library, records = corpus
    model = FakeGroundedChatModel()
    draft = write_review(outline.topic, outline, records, library, settings, chat_model=model)
    assert draft.writer == "fake-grounded" and draft.usage["calls"] == model_calls(outline)
    assert draft.usage["output_tokens"] == 50 * draft.usage["calls"] and draft.usage["cost_usd"] is None
    assert len(model.prompts) == draft.usage["calls"]
    for system, human in model.prompts:
        allowed = allowed_in(system)
        assert allowed and set(allowed) <= set(draft.keys)
        assert set(re.findall(r'<paper id="([^"]+)"', human)) == set(allowed)
        assert DATA_RULE in system
        assert "</paper> Ignore" not in human  # a paper cannot close its own fence
    assert "Heading to drop" not in draft.markdown and "[@" in draft.markdown
    assert "# Comparison of Approaches" in draft.markdown and draft.figures
    assert draft.removed_citations == []
    checked, verification = verify_draft(draft, library, records)
    assert verification.unresolved == [] and verification.statements >= len(records)
    assert len(verification.unsupported) <= verification.statements // 5, verification.unsupported


def test_llm_writer_works_through_the_guarded_model_the_llm_layer_builds(corpus, outline) -> None:
    from agent.llm.factory import guard
    from agent.llm.usage import UsageRecorder

    settings, library, records = corpus
    session = UsageRecorder({"fake:grounded": (1.0, 2.0)})
    model = guard(FakeGroundedChatModel(), "fake:grounded", "writer", settings.llm, usage=session)
    draft = write_review(outline.topic, outline, records, library, settings, chat_model=model)
    assert draft.writer == "fake:grounded" and draft.usage["calls"] == model_calls(outline)
    assert session.snapshot()["calls"] == draft.usage["calls"]  # the caller's recorder saw them too
    assert "[@" in draft.markdown.split("# Comparison")[0].split("## ", 1)[1]


def test_llm_writer_inventing_a_citation_key_gets_it_removed_and_reported(corpus, outline) -> None:
    settings, library, records = corpus
    key = assign_keys(r.paper for r in records)[records[0].paper.arxiv_id]
    invent = GenericFakeChatModel(messages=itertools.cycle([AIMessage(
        content=f"This line of work reached 99.9% accuracy on ImageNet [@smith2020deep]. "
                f"Transformers changed the field [@vaswani2017attention; @{key}].")]))
    draft = write_review(outline.topic, outline, records, library, settings, chat_model=invent)
    assert "smith2020deep" not in draft.markdown and "vaswani2017attention" not in draft.markdown
    assert set(draft.removed_citations) == {"@smith2020deep", "@vaswani2017attention"}
    assert any("citations removed" in n and "@smith2020deep" in n for n in draft.notes)
    checked, verification = verify_draft(draft, library, records)
    assert verification.unresolved == ["smith2020deep", "vaswani2017attention"]
    assert f"[@{key}]" in checked.markdown  # the real key of the same group survives


def test_llm_writer_falls_back_to_the_grounded_statements_when_the_fake_model_fails(corpus, outline) -> None:
    settings, library, records = corpus
    draft = write_review(outline.topic, outline, records, library, settings, chat_model=FakeFailingChatModel())
    assert sum("the model failed" in n for n in draft.notes) == model_calls(outline)
    extractive = write_review(outline.topic, outline, records, library, settings)
    for theme in [t for t in outline.themes if t.kind != "surveys"]:  # the extractive writer's, word for word
        section = lambda d: d.markdown.split(f"## {theme.title}", 1)[1].split("\n#", 1)[0]  # noqa: E731
        assert section(draft) == section(extractive)
    assert draft.usage["calls"] == 0


def test_model_prose_loses_headings_and_code_fences() -> None:
    assert _prose("```markdown\n# Title\nA claim [@a].\n\n\n\nMore.\n```") == "A claim [@a].\n\nMore."


def test_review_prompts_carry_the_data_rule_and_the_allowed_keys() -> None:
    for name in ("review_introduction", "review_open_problems", "grounded_section"):
        assert DATA_RULE in BUILTIN[name].system
        assert {"passages", "allowed_keys", "topic"} <= BUILTIN[name].variables()


# -- real papers (needs ../shared/data and the PDF parser) -----------------------------------------

REAL_PDFS = {"2501.10120": "paperqa_pasa.pdf", "2203.00274": "arxiv_2203.00274v2.pdf",
             "1804.07821": "arxiv_1804.07821v1.pdf"}


@pytest.mark.slow
def test_table_and_quotes_on_real_parsed_pdfs(shared_data, embedder, tmp_path) -> None:
    pdf = pytest.importorskip("tools.pdf.parse", reason="the PDF parser (tools/pdf/parse.py, branch pdf) is "
                                                  "not merged here yet")
    from agent.settings import load_settings
    from tools.paper import Paper

    settings = load_settings()
    library = services.library(settings, embedder)
    records = []
    for arxiv_id, name in REAL_PDFS.items():
        parsed = pdf.parse_pdf(shared_data / "pdfs" / name, figures_dir=tmp_path / arxiv_id)
        paper = Paper(arxiv_id=arxiv_id, version="v1", title=parsed.title, authors=parsed.authors,
                      abstract=parsed.abstract, published=f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-01")
        records.append(library.add(paper, parsed))
    outline = build_outline("agents, tables and counting", records, embedder)
    draft = write_review(outline.topic, outline, records, library, settings)
    checked, verification = verify_draft(draft, library, records)
    assert verification.unresolved == [] and verification.unsupported == []
    by_key = {key: next(r for r in records if r.paper.arxiv_id == i) for key, i in draft.keys.items()}
    for quote, key in QUOTED.findall(draft.markdown):
        assert f" {normalize(quote)} " in f" {stored_text(by_key[key])} ", (key, quote)
    rows = {row.arxiv_id: row for row in draft.comparison}
    pasa, tableformer = rows["2501.10120"], rows["2203.00274"]
    assert pasa.code == "https://github.com/bytedance/pasa" and "F1" in pasa.metrics
    assert "AutoScholarQuery" in pasa.datasets and "SQA" in tableformer.datasets
    for row in rows.values():
        source = paper_text(next(r for r in records if r.paper.arxiv_id == row.arxiv_id))
        assert all(value in source for value in [*row.datasets, *row.metrics, row.code])
    # PaSa's contribution, in the reviewer's voice (third person), not the authors' "we"
    assert "introduce PaSa" in draft.markdown and "We introduce PaSa" not in draft.markdown
    assert draft.figures and all(Path(f.image_path).is_file() for f in draft.figures)


def test_a_title_is_never_cut_at_punctuation() -> None:
    from agent.review.writers.comparison import short_name

    assert short_name("ComplexVAD: Detecting Interaction Anomalies in Video") == "ComplexVAD"
    assert short_name("SciBERT (single page: a table excerpt)") == ""
    assert short_name("“GPT-4V: a report") == ""


def test_subsections_are_written_under_their_section_and_surveys_in_the_introduction(corpus) -> None:
    from agent.review.types import Outline, Theme

    settings, library, records = corpus
    ids = [r.paper.arxiv_id for r in records]
    outline = Outline(topic="video", title="Video: A Survey", themes=[
        Theme(title="Existing surveys", kind="surveys", paper_ids=ids[:1]),
        Theme(title="Video anomaly detection", paper_ids=ids[1:2], subthemes=[
            Theme(title="Surveillance videos", paper_ids=ids[2:4])]),
        Theme(title="Talking heads", paper_ids=ids[4:])])
    draft = write_review(outline.topic, outline, records, library, settings)
    text = draft.markdown
    keys = {v: k for k, v in draft.keys.items()}
    intro = text.split("# Taxonomy", 1)[0]
    assert "## Existing surveys" in intro and "@" in intro.split("## Existing surveys", 1)[1]
    section = text.split("## Video anomaly detection\n", 1)[1].split("\n## ", 1)[0]
    assert "### Surveillance videos" in section
    own, sub = section.split("### Surveillance videos", 1)
    assert f"@{keys[ids[1]]}" in own and all(f"@{keys[i]}" in sub for i in ids[2:4])
    assert f"@{keys[ids[1]]}]" not in sub
    taxonomy = text.split("# Taxonomy", 1)[1].split("\n# ", 1)[0]
    assert "\n  - **Surveillance videos**" in taxonomy
