"""The LLM writer turns the same grounded facts into prose and goes through the same per-pair
verification: a fake chat model (no hosted LLM can run here) and, marked slow, the packaged
SmolLM2 through llama.cpp, which invents citations."""

from __future__ import annotations

import html
import re

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from agent.llm.prompts import BUILTIN, DATA_RULE
from agent.review.outline import build_outline
from agent.review.verify import verify_draft
from agent.review.writers import write_review


class FakeRewritingChatModel(BaseChatModel):
    """Fake LLM: returns the checked statements it was given as its prose, plus one invented
    citation, the way a careless model would."""

    prompts: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake-rewriting"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        human = str(messages[-1].content)
        self.prompts.append(human)
        block = re.search(r"<text>\n(.*?)\n</text>", human, re.S)
        prose = html.unescape(block.group(1)) if block else "The papers above frame the problem."
        message = AIMessage(content=prose + "\n\nTransformers changed everything [@smith2020deep].")
        return ChatResult(generations=[ChatGeneration(message=message)])


@pytest.fixture(scope="module")
def outline(review_corpus, embedder):
    return build_outline("video anomaly detection and talking heads", review_corpus[2], embedder)


def test_fake_model_gets_the_grounded_statements_fenced_and_its_prose_is_verified_per_pair(
        review_corpus, outline) -> None:
    settings, library, records = review_corpus
    model = FakeRewritingChatModel()
    draft = write_review(outline.topic, outline, records, library, settings, chat_model=model)
    synthesis = [p for p in model.prompts if "<text>" in p]
    assert len(synthesis) == sum(1 + len(t.subthemes) for t in outline.themes if t.kind != "surveys")
    blocks = [p.split("<text>\n", 1)[1].split("\n</text>", 1)[0] for p in synthesis]
    assert all("</paper>" not in b and "</text>" not in b for b in blocks)
    assert any(re.search(r"\[@[\w-]+; @[\w-]+", b) for b in blocks)  # statements about several papers
    assert "@smith2020deep" in draft.removed_citations and "smith2020deep" not in draft.markdown
    checked, verification = verify_draft(draft, library, records)
    assert verification.unresolved == ["smith2020deep"]
    assert verification.pairs > verification.statements  # sentences about several papers
    supported = verification.pairs - len(verification.unsupported_pairs)
    assert supported >= 0.9 * verification.pairs, verification.unsupported_pairs


def test_the_synthesis_prompt_carries_the_data_rule_and_its_variables() -> None:
    prompt = BUILTIN["review_synthesis"]
    assert DATA_RULE in prompt.system
    assert {"passages", "allowed_keys", "topic", "section", "statements", "guidance"} == prompt.variables()


@pytest.mark.slow
def test_smollm2_writes_a_review_whose_invented_citations_are_caught(review_corpus, monkeypatch) -> None:
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed (extra: llamacpp)")
    from agent import services
    from agent.settings import load_settings

    for key, value in {"WRITER": "llamacpp:smollm2", "TEMPERATURE": "0", "MAX_OUTPUT_TOKENS": "96",
                       "CONTEXT_WINDOW": "2048"}.items():
        monkeypatch.setenv(f"AUTORESEARCH_LLM__{key}", value)
    settings, library, records = review_corpus
    settings = load_settings(config_file=settings.data_dir / "none.toml", home=settings.data_dir)
    model = services.chat_model(settings, "writer")
    outline = build_outline("video anomaly detection", records[:3], services.embedder(settings))
    draft = write_review(outline.topic, outline, records[:3], library, settings, chat_model=model)
    checked, verification = verify_draft(draft, library, records[:3])
    allowed = set(draft.keys)
    left = set(re.findall(r"@([\w:.-]+[\w])", " ".join(re.findall(r"\[@[^\]]*\]", checked.markdown))))
    assert left <= allowed  # whatever the model invented is gone from the review
    invented = {m.lstrip("@") for m in draft.removed_citations}
    assert invented <= set(verification.unresolved)
    assert draft.writer == "llamacpp:smollm2" and draft.usage["calls"] >= 2
