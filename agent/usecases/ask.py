"""Ask: answer a question from the library, every claim cited (CLI `ask`, TUI chat, Slack mentions)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from agent import services as factories
from agent.ask.extractive import Answer, answer_question
from agent.llm.factory import ModelFor
from agent.services import Services
from agent.usecases.library import NotInLibrary
from memory.embedder import query_vector
from tools.inputs import nonblank


def ask(services: Services, question: str, *, k: int = 8, papers: list[str] | None = None,
        models: ModelFor | None = None) -> Answer:
    """Retrieve, rerank (MMR) and answer, written by the `chat` model when there is one.

    `papers` (library keys) limits the answer to those papers; each must be in the library.
    `models(role)` gives the chat model (default: the configured one, `llm.chat`); it is asked
    only once the library is open and the papers are checked. A blank question is a `BadInput`.
    """
    question = nonblank(question, "the question")
    embedder = services.embedder
    # The question is embedded while the library opens: on a cold start both take a few tenths
    # of a second (loading the model; importing and opening Chroma), and the first mostly outside
    # the GIL.
    with ThreadPoolExecutor(1, thread_name_prefix="ask-embed") as pool:
        vector = pool.submit(query_vector, embedder, question)
        library = services.library
        for key in papers or []:
            if library.get(key) is None:
                raise NotInLibrary(f"{key} is not in the library", hint="see `autoresearch library list`")
        model = models("chat") if models else factories.chat_model(services.settings, "chat")
        return answer_question(library, question, k, papers or None, model, services.settings.memory.mmr_diversity,
                               vector=vector.result())
