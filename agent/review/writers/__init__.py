"""The review writers: extractive by default, abstractive when a chat model is given.

Both return the same `Draft` shape (introduction, taxonomy, theme sections, comparison table, key
figures, open problems, references) with Pandoc citations; `agent.review.verify` then checks every one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.review.types import Draft, Outline
from agent.review.writers.extractive import write_extractive
from agent.review.writers.llm import write_abstractive
from agent.settings import Settings
from memory.records import LibraryPaper

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from memory.library import Library


def write_review(topic: str, outline: Outline, papers: list[LibraryPaper], library: Library,
                 settings: Settings, chat_model: BaseChatModel | None = None, feedback: str = "",
                 revision: int = 0) -> Draft:
    """Draft the review of `papers` along `outline`, honouring the reviewer's `feedback`."""
    if chat_model is None:
        return write_extractive(topic, outline, papers, feedback, revision)
    return write_abstractive(topic, outline, papers, library, settings, chat_model, feedback,
                             revision)
