"""Translate titles, abstracts and summaries with the translator model, each text once.

The call itself is `agent.llm.grounded.translate` (the text fenced as data, split to fit the window).
This layer adds what a digest needs: translation is never silent, so a model that answers
nothing, hands the text back untranslated, or fails raises `TranslationError`, and callers show
the failure instead of printing English alone; answers are cached on disk by (model, language,
text), so a daily digest translates only the papers it has not met before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from agent.llm.errors import LLMError
from agent.llm.grounded import translate
from agent.llm.prompts import TRANSLATE_RETRY_USER, PromptBook
from tools.errors import AutoresearchError
from tools.files import write_atomic

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.llm.prompts import PromptBook

_QUOTE_PAIRS = {('"', '"'), ("'", "'"), ("“", "”"), ("「", "」"), ("«", "»")}
SCRIPTS = {
    "zh": r"[\u4e00-\u9fff]", "ja": r"[\u3040-\u30ff\u4e00-\u9fff]", "ko": r"[\uac00-\ud7af]",
    "ru": r"[\u0400-\u04ff]", "uk": r"[\u0400-\u04ff]", "bg": r"[\u0400-\u04ff]", "el": r"[\u0370-\u03ff]",
    "ar": r"[\u0600-\u06ff]", "fa": r"[\u0600-\u06ff]", "he": r"[\u0590-\u05ff]", "hi": r"[\u0900-\u097f]",
    "th": r"[\u0e00-\u0e7f]",
}
"""Target languages written in their own script: a translation must contain some of it."""
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class TranslationError(AutoresearchError, RuntimeError):
    """The model could not translate a text; the message says what it did instead."""


class LanguageCodeError(AutoresearchError, ValueError):
    """Not a language code."""


def check_language(code: str) -> str:
    """Return a language code (`zh`, `pt-BR`) unchanged, or raise `LanguageCodeError` for anything else."""
    if not _LANG_RE.match(code.strip()):
        raise LanguageCodeError(f"not a language code: {code!r} (use e.g. zh, ja, de, pt-BR)")
    return code.strip()


class Translator:
    """Translate text into one language with one chat model."""

    def __init__(self, model: BaseChatModel, language: str, cache_dir: Path | None = None,
                 model_name: str = "", prompt_overrides: Mapping[str, str] | None = None) -> None:
        self.model = model
        self.language = check_language(language)
        self.cache_dir = cache_dir
        self.model_name = model_name or str(getattr(model, "model_name", "")) or type(model).__name__
        self.overrides = dict(prompt_overrides or {})
        self.prompts = PromptBook(self.overrides)
        """The prompts in force (`llm.prompts` overrides checked here: a bad one fails at once)."""

    def translate(self, text: str) -> str:
        """The text in the target language (empty text stays empty)."""
        text = " ".join(text.split())
        if not text:
            return ""
        cached = self._cached(text)
        if cached is not None:
            return cached
        answer = _clean(self._ask(text, self.prompts))
        if self._untranslated(text, answer):
            answer = _clean(self._ask(text, self._retry_prompts()))  # once, asked more plainly
        if not answer:
            raise TranslationError(f"the translator model returned nothing for: {text[:60]!r}")
        if self._untranslated(text, answer):
            raise TranslationError(f"the translator model returned the text untranslated: {text[:60]!r}")
        self._store(text, answer)
        return answer

    def _untranslated(self, text: str, answer: str) -> bool:
        """An answer that is the text itself, or lacks the target language's script (zh, ja, ru…)."""
        if not answer:
            return True
        if answer.casefold() == text.casefold() and re.search(r"[A-Za-z]{3}", text):
            return True
        script = SCRIPTS.get(self.language.lower().split("-")[0].split("_")[0])
        return bool(script and re.search(r"[A-Za-z]{3}", text) and not re.search(script, answer))

    def _retry_prompts(self) -> PromptBook:
        """The prompts in force, with the plainer second-try wording for the translate prompt."""
        return PromptBook({**self.overrides, "translate.user": TRANSLATE_RETRY_USER})

    def _ask(self, text: str, prompts: PromptBook | None) -> str:
        """One translation through the LLM layer; its typed failures become `TranslationError`."""
        try:
            return translate(self.model, text, self.language, prompts=prompts)
        except LLMError as error:
            raise TranslationError(f"translating into {self.language} failed: {error}") from error

    def _key(self, text: str) -> str:
        raw = f"{self.model_name}\n{self.language}\n{text}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]

    def _cached(self, text: str) -> str | None:
        if self.cache_dir is None:
            return None
        try:
            return (self.cache_dir / f"{self._key(text)}.txt").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def _store(self, text: str, answer: str) -> None:
        if self.cache_dir is None:
            return
        write_atomic(self.cache_dir / f"{self._key(text)}.txt", answer)


def _clean(answer: str) -> str:
    """Drop a leading "Translation:" label and wrapping quotes small models like to add."""
    answer = answer.strip()
    answer = re.sub(r"^(?:translation|翻译|译文)\s*[:：]\s*", "", answer, flags=re.IGNORECASE)
    if len(answer) > 1 and (answer[0], answer[-1]) in _QUOTE_PAIRS:
        answer = answer[1:-1].strip()
    return " ".join(answer.split())
