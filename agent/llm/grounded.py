"""Grounded writing helpers: answer, write a section, translate — from fenced paper text only.

The writers (`ask`, the review's abstractive writer, summaries, translation) call these with a
role's model from `agent.llm.factory.chat_model`. Paper text reaches the model only inside
`<paper id="…">` blocks, escaped so that it cannot close its own fence, under a system prompt
saying that fenced text is data. The reply is plain text (a guarded model cannot call tools; tool
calls a raw model returns are ignored and reported), and every citation not in the allowed set is
removed and reported. Nothing here decides anything: the caller shows the text to a person.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, Field

from agent.llm.budget import counter_for, fit_passages, prompt_budget, truncate_to_tokens
from agent.llm.citekeys import keep_allowed_citations, render_citations
from agent.llm.errors import LLMCallFailed
from agent.llm.prompts import PromptBook
from agent.llm.thinking import strip_think

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

LANGUAGES = {"zh": "Simplified Chinese", "zh-cn": "Simplified Chinese", "zh-tw": "Traditional Chinese",
             "ja": "Japanese", "ko": "Korean", "de": "German", "fr": "French", "es": "Spanish",
             "it": "Italian", "pt": "Portuguese", "ru": "Russian", "ar": "Arabic", "hi": "Hindi",
             "vi": "Vietnamese", "tr": "Turkish", "nl": "Dutch", "pl": "Polish", "en": "English"}
"""Language codes spelled out: small models follow "Japanese" better than "ja"."""


_FENCE_TAG = re.compile(r"</?paper\b[^>]*>", re.IGNORECASE)


class PassageLike(Protocol):
    """What a retrieved passage offers (`memory.records.Passage` fits)."""

    arxiv_id: str
    section: str
    page: int
    text: str

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Any: ...


class GroundedText(BaseModel):
    """Model-written text whose citations were checked against the allowed keys."""

    text: str
    """The text, citations normalised to Pandoc form `[@key]`."""
    citations: list[str] = Field(default_factory=list)
    """Allowed keys the text cites, in order of first use."""
    removed: list[str] = Field(default_factory=list)
    """Citation markers removed because their key was not allowed (invented or injected)."""
    dropped_tool_calls: list[str] = Field(default_factory=list)
    """Tools the model tried to call; none were called."""
    passages_used: int = 0
    """Passages that fit the context window and were shown to the model."""

    @property
    def grounded(self) -> bool:
        """Whether the text cites at least one allowed source (else prefer the extractive path)."""
        return bool(self.citations)

    def render(self, cite: Any) -> str:
        """The text with each `[@a; @b]` replaced by `cite(["a", "b"])`."""
        return render_citations(self.text, cite)


def fence_passage(passage: PassageLike, key: str, text: str | None = None) -> str:
    """One passage as a `<paper>` data block; its text is escaped so it cannot end the block."""
    attrs = {"id": key, "section": passage.section, "page": str(passage.page or "")}
    head = " ".join(f'{name}="{html.escape(value, quote=True)}"' for name, value in attrs.items()
                    if value)
    body = html.escape(passage.text if text is None else text, quote=False)
    return f"<paper {head}>\n{body}\n</paper>"


def write_grounded(model: BaseChatModel, prompt: str, passages: Sequence[PassageLike],
                   allowed_keys: Collection[str] | None = None, *,
                   keys: Mapping[str, str] | None = None, prompts: PromptBook | None = None,
                   **variables: str) -> GroundedText:
    """Fill template `prompt` with fenced passages, call the model, keep allowed citations only.

    `keys` maps an arXiv id to the citation key the text should use (default: the id itself);
    `allowed_keys` defaults to the keys of the passages given. Passages are in order of
    preference and are cut to fit the model's context window. With no passage, no call is made.
    """
    prompts = prompts or PromptBook()
    key_of = _keyer(keys)
    allowed = set(allowed_keys) if allowed_keys is not None else {key_of(p) for p in passages}
    shown = [p for p in passages if key_of(p) in allowed]
    if not shown:
        return GroundedText(text="")
    listed = ", ".join(dict.fromkeys(key_of(p) for p in shown))
    fixed = prompts.render(prompt, passages="", allowed_keys=listed, **variables)
    kept = fit_passages(shown, prompt_budget(model, fixed), counter_for(model),
                        lambda p, text: fence_passage(p, key_of(p), text))
    if not kept:
        raise LLMCallFailed(f"the {prompt} prompt leaves no room for passages in the context "
                            "window: raise llm.context_window or shorten the prompt override")
    listed = ", ".join(dict.fromkeys(key_of(p) for p in kept))
    block = "\n\n".join(fence_passage(p, key_of(p)) for p in kept)
    reply = model.invoke(prompts.render(prompt, passages=block, allowed_keys=listed, **variables))
    checked = keep_allowed_citations(strip_fences(strip_think(str(reply.text))), allowed)
    return GroundedText(text=checked.text, citations=checked.citations, removed=checked.removed,
                        dropped_tool_calls=_tool_calls(reply), passages_used=len(kept))


def grounded_answer(model: BaseChatModel, question: str, passages: Sequence[PassageLike],
                    allowed_keys: Collection[str] | None = None, **options: Any) -> GroundedText:
    """Answer `question` from `passages`, citing only `allowed_keys` (for `ask` and the chat)."""
    return write_grounded(model, "grounded_answer", passages, allowed_keys, question=question,
                          **options)


def grounded_section(model: BaseChatModel, topic: str, section: str,
                     passages: Sequence[PassageLike], allowed_keys: Collection[str] | None = None,
                     guidance: str = "", **options: Any) -> GroundedText:
    """Write one survey section from `passages` (for the review's abstractive writer)."""
    return write_grounded(model, "grounded_section", passages, allowed_keys, topic=topic,
                          section=section, guidance=guidance, **options)


def language_name(target: str) -> str:
    """A language code or name as a name the model understands (`zh` → Simplified Chinese)."""
    cleaned = target.strip()
    if not cleaned:
        raise ValueError("no target language given (e.g. zh, ja, de or a language name)")
    return LANGUAGES.get(cleaned.lower().replace("_", "-"), cleaned)


def translate(model: BaseChatModel, text: str, target_language: str,
              prompts: PromptBook | None = None) -> str:
    """`text` translated into `target_language`, paragraph groups at a time to fit the window."""
    prompts = prompts or PromptBook()
    language = language_name(target_language)
    if not text.strip():
        return text
    fixed = prompts.render("translate", language=language, text="")
    room = min(prompt_budget(model, fixed), int(getattr(model, "max_output_tokens", 1024) * 0.6))
    out = []
    for piece in _pieces(text, max(room, 16), counter_for(model)):
        reply = model.invoke(prompts.render("translate", language=language,
                                            text=html.escape(piece, quote=False)))
        translated = _unwrap(strip_think(str(reply.text)))
        if not translated:
            raise LLMCallFailed(f"{getattr(model, 'model_name', 'the model')} returned an empty "
                                f"translation into {language}")
        out.append(translated)
    return "\n\n".join(out)


def _pieces(text: str, limit: int, count: Any) -> list[str]:
    """Paragraphs grouped up to `limit` tokens; an over-long paragraph is cut to fit."""
    pieces: list[str] = []
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if not paragraph:
            continue
        if pieces and count(pieces[-1] + "\n\n" + paragraph) <= limit:
            pieces[-1] += "\n\n" + paragraph
            continue
        while count(paragraph) > limit:
            head = truncate_to_tokens(paragraph, limit, count).removesuffix(" …")
            if not head:
                break
            pieces.append(head)
            paragraph = paragraph[len(head):].strip()
        if paragraph:
            pieces.append(paragraph)
    return pieces


def strip_fences(text: str) -> str:
    """Remove `<paper …>` tags a model copied from its prompt (small models echo the format)."""
    return re.sub(r"\n{3,}", "\n\n", _FENCE_TAG.sub("", text)).strip()


def _unwrap(text: str) -> str:
    """Drop an echoed `<text>` fence and undo the escaping the model may have copied."""
    text = text.strip()
    for tag in ("<text>", "</text>"):
        text = text.replace(tag, "")
    return html.unescape(text).strip()


def _keyer(keys: Mapping[str, str] | None) -> Any:
    mapping = dict(keys or {})
    return lambda passage: mapping.get(passage.arxiv_id, passage.arxiv_id)


def _tool_calls(reply: Any) -> list[str]:
    names = list(getattr(reply, "response_metadata", {}).get("dropped_tool_calls", []))
    return names + [call["name"] for call in getattr(reply, "tool_calls", []) or []]
