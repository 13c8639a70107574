"""Translate titles, abstracts and summaries with a chat model, each text once.

Translation is never silent: a model that answers nothing, or hands the text back untranslated,
raises `TranslationError`, and callers show the failure instead of printing English alone.
Answers are cached on disk by (model, language, text), so a daily digest translates only the
papers it has not met before.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from agent.prompts import TRANSLATE_SYSTEM, language_name

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

_THINK_RE = re.compile(r"<think>.*?</think>", re.DOTALL)
_QUOTE_PAIRS = {('"', '"'), ("'", "'"), ("“", "”"), ("「", "」"), ("«", "»")}
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


class TranslationError(RuntimeError):
    """The model could not translate a text; the message says what it did instead."""


def check_language(code: str) -> str:
    """Return a language code (`zh`, `pt-BR`) unchanged, or raise ValueError for anything else."""
    if not _LANG_RE.match(code.strip()):
        raise ValueError(f"not a language code: {code!r} (use e.g. zh, ja, de, pt-BR)")
    return code.strip()


class Translator:
    """Translate text into one language with one chat model."""

    def __init__(self, model: "BaseChatModel", language: str, cache_dir: Path | None = None,
                 model_name: str = "") -> None:
        self.model = model
        self.language = check_language(language)
        self.cache_dir = cache_dir
        self.model_name = model_name or type(model).__name__

    def translate(self, text: str) -> str:
        """The text in the target language (empty text stays empty)."""
        text = " ".join(text.split())
        if not text:
            return ""
        cached = self._cached(text)
        if cached is not None:
            return cached
        answer = _clean(self._ask(text))
        if not answer:
            raise TranslationError(f"the translator model returned nothing for: {text[:60]!r}")
        if answer.casefold() == text.casefold() and re.search(r"[A-Za-z]{3}", text):
            raise TranslationError(f"the translator model returned the text untranslated: {text[:60]!r}")
        self._store(text, answer)
        return answer

    def _ask(self, text: str) -> str:
        """One model call; any provider error becomes a `TranslationError`."""
        from langchain_core.messages import HumanMessage, SystemMessage

        system = TRANSLATE_SYSTEM.format(language=language_name(self.language))
        try:
            reply = self.model.invoke([SystemMessage(system), HumanMessage(text)])
        except Exception as error:  # noqa: BLE001 - providers raise their own types; report, never crash the run
            raise TranslationError(f"the translator model failed: {type(error).__name__}: "
                                   f"{str(error)[:200]}") from error
        content = reply.content
        if isinstance(content, list):
            content = "".join(part if isinstance(part, str) else str(part.get("text", ""))
                              for part in content)
        return str(content)

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
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        target = self.cache_dir / f"{self._key(text)}.txt"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(answer, encoding="utf-8")
        tmp.replace(target)


def _clean(answer: str) -> str:
    """Drop reasoning blocks, a leading "Translation:" label and wrapping quotes."""
    answer = _THINK_RE.sub("", answer).strip()
    answer = re.sub(r"^(?:translation|翻译|译文)\s*[:：]\s*", "", answer, flags=re.IGNORECASE)
    if len(answer) > 1 and (answer[0], answer[-1]) in _QUOTE_PAIRS:
        answer = answer[1:-1].strip()
    return " ".join(answer.split())
