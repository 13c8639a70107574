"""The summary written by a model, and translated: driven by fake chat models."""

from __future__ import annotations

import pytest

from agent.llm.factory import guard
from agent.llm.prompts import DATA_RULE
from agent.llm.translation import TranslationError, Translator
from agent.settings import LLMSettings
from agent.summary.extract import FIELDS, summarize_extractive
from agent.summary.render import render_summary_markdown
from agent.summary.written import SummaryError, passages_for, summarize_with_model, translate_summary
from tests.fakes.chat import ScriptedFakeChatModel, fake_translation, guarded
from tests.fixtures.papers import sample_paper


def _answer(prompt: str) -> str:
    if "key takeaways" in prompt:
        return "- FrameGate is fast.\n- It reaches 87.4% AUC.\nnoise"
    if "the method" in prompt:
        return ""
    return "A model-written sentence. Another one."


def test_each_field_is_written_from_its_own_sections_by_a_fake_chat_model() -> None:
    model = ScriptedFakeChatModel(reply=_answer)
    summary = summarize_with_model(sample_paper(), guarded(model, "summarizer"), "fake:model")
    assert summary.mode == "llm" and summary.model == "fake:model"
    assert summary.takeaways == ["FrameGate is fast.", "It reaches 87.4% AUC."]
    assert summary.background == ["A model-written sentence.", "Another one."]
    # the model wrote nothing for the method: quoted sentences stand in, and the summary says so
    assert summary.method == summarize_extractive(sample_paper()).method
    assert any(w.startswith("method:") for w in summary.warnings)
    users = [str(p[-1].content) for p in model.prompts]
    background = next(u for u in users if "research background" in u)
    method = next(u for u in users if "the method the paper proposes" in u)
    assert '<paper id="2501.00001" section="1 Introduction" page="1">' in background
    assert "Surveillance cameras record" in background and "gated transformer" not in background
    assert "gated transformer then mixes" in method and "Surveillance cameras" not in method
    assert all(DATA_RULE in str(p[0].content) for p in model.prompts)
    assert len(model.prompts) == len(FIELDS)
    assert "Written by the summarizer model `fake:model`" in render_summary_markdown(summary)


def test_passages_come_from_the_roles_and_fit_a_small_window() -> None:
    intro = passages_for(sample_paper(), ("introduction",))
    assert [p.section for p in intro] == ["1 Introduction"]
    assert [p.section for p in passages_for(sample_paper(), ("nonexistent",))] == ["Abstract"]
    model = ScriptedFakeChatModel(reply=lambda p: "Short answer here.")
    tiny = guard(model, "fake:tiny", "summarizer", LLMSettings(max_retries=0, context_window=420,
                                                              max_output_tokens=100))
    summarize_with_model(sample_paper(), tiny, "fake:tiny")
    assert all(len(str(p[-1].content)) < 4 * 420 for p in model.prompts)


def test_a_failing_fake_summarizer_is_a_clear_error() -> None:
    def broken(text: str) -> str:
        raise TimeoutError("no answer in 120 s")

    with pytest.raises(SummaryError, match="summarizer model failed: .*no answer in 120 s"):
        summarize_with_model(sample_paper(), guarded(ScriptedFakeChatModel(reply=broken), "summarizer"), "fake")


def test_translated_summary_sits_beside_the_english_with_a_fake_translator() -> None:
    summary = translate_summary(summarize_extractive(sample_paper()), Translator(
        guarded(ScriptedFakeChatModel(reply=fake_translation)), "zh"))
    tr = summary.translation
    assert tr is not None and tr.language == "zh" and tr.title.startswith("【译】FrameGate")
    assert set(tr.fields) == set(FIELDS)
    assert len(tr.fields["takeaways"]) == len(summary.takeaways)
    assert tr.captions == {"1": "【译】Figure 1: Overview of FrameGate.",
                           "2": "【译】Figure 2: AUC against frames per second."}
    markdown = render_summary_markdown(summary)
    assert "**【译】FrameGate" in markdown and "> 【译】" in markdown
    assert markdown.index(summary.background[0]) < markdown.index("> 【译】" + summary.background[0])


def test_a_translation_failure_is_never_silent() -> None:
    with pytest.raises(TranslationError):
        translate_summary(summarize_extractive(sample_paper()),
                          Translator(guarded(ScriptedFakeChatModel(reply=lambda t: "")), "zh"))
