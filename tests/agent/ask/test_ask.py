"""`answer_question`: extractive answers with citations, figures, and a chat model's citations checked."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from agent import services
from agent.ask.extractive import answer_question
from agent.settings import load_settings
from memory.library import Library

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "memory"))
from paperfactory import make_paper  # noqa: E402


@pytest.fixture(scope="module")
def library(embedder, tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Three small papers, stored once for the module (the tests only read)."""
    library = services.library(load_settings(home=tmp_path_factory.mktemp("ask-home")), embedder)
    for number, topic in ((1, 0), (2, 1), (3, 4)):
        library.add(*make_paper(f"2404.0000{number}", "v1", topic))
    return library


def test_extractive_answer_groups_by_paper_and_cites_every_passage(library: Library) -> None:
    answer = answer_question(library, "which dataset is used to evaluate talking head generation?", k=4)
    assert answer.mode == "extractive" and len(answer.passages) == 4
    assert answer.passages[0].arxiv_id == "2404.00002" and "VoxCeleb2" in answer.passages[0].text
    bullets = [line for line in answer.answer.splitlines() if line.startswith("- ") and "Fig." not in line]
    assert sorted(line[line.rindex("["):] for line in bullets) == sorted(p.citation() for p in answer.passages)
    assert answer.answer.index("A study of talking head generation (2404.00002)") < answer.answer.index("- ")
    groups = [block.splitlines()[0] for block in answer.answer.split("\n\n")[1:] if not block.startswith("Fig")]
    assert len(groups) == len({p.arxiv_id for p in answer.passages})  # one block per paper


def test_paper_filter_and_an_empty_library(library: Library, embedder, tmp_path: Path) -> None:
    only = answer_question(library, "which dataset is used?", k=3, arxiv_ids=["2404.00003"])
    assert {p.arxiv_id for p in only.passages} == {"2404.00003"}
    empty = answer_question(services.library(load_settings(home=tmp_path / "empty"), embedder), "anything?")
    assert empty.mode == "empty" and empty.passages == [] and "add papers first" in empty.answer


def test_a_question_about_figures_uses_the_figures_collection(library: Library) -> None:
    answer = answer_question(library, "which figure plots accuracy on GSM8K against training steps?", k=3)
    assert answer.figures and answer.figures[0].arxiv_id == "2404.00003" and answer.figures[0].number == "2"
    assert answer.answer.splitlines()[2] == "Figures"
    assert "[2404.00003, Fig. 2, p.2]" in answer.answer


def test_chat_model_answer_keeps_only_retrieved_citations_fake_chat_model(library: Library) -> None:
    from langchain_core.language_models import FakeListChatModel

    seen: list[str] = []

    class Recording(FakeListChatModel):
        def invoke(self, messages, *args, **kwargs):
            seen.append("\n".join(str(m.content) for m in messages))
            return super().invoke(messages, *args, **kwargs)

    retrieved = answer_question(library, "what is evaluated on VoxCeleb2?", k=2).passages
    reply = ("Talking heads are evaluated on VoxCeleb2 [@S1]. It also trains there [@S2; @S9]. "
             "It beats everything [@9999.99999] (Smith et al., 2020).")
    answer = answer_question(library, "what is evaluated on VoxCeleb2?", k=2,
                             chat_model=Recording(responses=[reply]))
    assert answer.mode == "llm" and answer.notice == ""
    assert answer.answer.startswith(f"Talking heads are evaluated on VoxCeleb2 {retrieved[0].citation()}.")
    assert f"It also trains there {retrieved[1].citation()}." in answer.answer
    assert "9999" not in answer.answer and "Smith" not in answer.answer
    assert set(answer.removed_citations) >= {"@S9", "@9999.99999"} and len(answer.removed_citations) == 3
    prompt = seen[0]
    assert '<paper id="S1"' in prompt and "data" in prompt and retrieved[0].text[:40] in prompt


def test_an_uncited_or_failing_chat_model_falls_back_to_extractive_fake_chat_model(library: Library) -> None:
    from langchain_core.language_models import FakeListChatModel

    from agent.llm.errors import LLMCallFailed

    uncited = answer_question(library, "what is evaluated on VoxCeleb2?", k=2,
                              chat_model=FakeListChatModel(responses=["VoxCeleb2, as everyone knows [4]."]))
    assert uncited.mode == "extractive" and "cited none" in uncited.notice and uncited.removed_citations == ["[4]"]

    class Down(FakeListChatModel):
        def invoke(self, *args, **kwargs):
            raise LLMCallFailed("the model server answered 503")

    down = answer_question(library, "what is evaluated on VoxCeleb2?", k=2, chat_model=Down(responses=["x"]))
    assert down.mode == "extractive" and "503" in down.notice and "[2404.00002, §" in down.answer


def test_the_ask_usecase_embeds_the_question_once_beside_opening_the_library(embedder, tmp_path: Path) -> None:
    """`agent.usecases.ask` embeds the question on its own thread while the library opens, and
    answers exactly as `answer_question` does; the embedder's failure is the use case's failure."""
    from agent.services import Services
    from agent.usecases.ask import ask
    from memory.embedder import EmbeddingModelMissing

    class Recording:
        name = embedder.name

        def __init__(self) -> None:
            self.calls: list[tuple[str, list[str]]] = []

        def embed(self, texts: list[str]):
            self.calls.append((threading.current_thread().name, list(texts)))
            return embedder.embed(texts)

    settings = load_settings(home=tmp_path / "home")
    recording = Recording()
    services.library(settings, recording).add(*make_paper("2404.00002", "v1", 1))
    question = "what is evaluated on VoxCeleb2?"
    answer = ask(Services(settings, embedder=recording, cache_embeddings=False), f"  {question} ", k=2)
    asked = [thread for thread, texts in recording.calls if texts == [question]]
    assert len(asked) == 1 and asked[0].startswith("ask-embed")
    direct = answer_question(services.library(settings, embedder), question, k=2)
    assert answer.passages == direct.passages and answer.answer == direct.answer

    class Missing(Recording):
        def embed(self, texts: list[str]):
            raise EmbeddingModelMissing("no model here")

    with pytest.raises(EmbeddingModelMissing, match="no model here"):
        ask(Services(settings, embedder=Missing(), cache_embeddings=False), question)
