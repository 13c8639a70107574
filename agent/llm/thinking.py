"""Remove `<think>…</think>` monologues that reasoning models put in their replies.

Qwen3, DeepSeek-R1 and others served through Ollama or an OpenAI-compatible server write their
reasoning inline; it must never reach a review, a summary or a translation. A reply cut off inside
an unclosed `<think>` has no answer at all, so everything after the opening tag goes.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "<think>", "</think>"
_BLOCK = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
_STRAY_CLOSE = re.compile(r"^.*?</think>", re.DOTALL | re.IGNORECASE)


def strip_think(text: str) -> str:
    """`text` without its think blocks (a leading stray `</think>` drops what precedes it)."""
    if "think>" not in text.lower():
        return text
    text = _BLOCK.sub("", text)
    # Some servers strip the opening tag but keep the closing one.
    text = _STRAY_CLOSE.sub("", text, count=1)
    return text.strip()


class ThinkFilter:
    """Strip think blocks from a stream of text pieces whose tags may be split across pieces."""

    def __init__(self) -> None:
        self._pending = ""
        self._inside = False
        self._started = False

    def feed(self, piece: str) -> str:
        """The visible text this piece completes (possibly empty)."""
        self._pending += piece
        out: list[str] = []
        while True:
            tag = CLOSE if self._inside else OPEN
            at = self._pending.lower().find(tag)
            if at >= 0:
                if not self._inside:
                    out.append(self._pending[:at])
                self._pending = self._pending[at + len(tag):]
                self._inside = not self._inside
                continue
            keep = _partial_tag_suffix(self._pending, tag)
            if not self._inside:
                out.append(self._pending[:len(self._pending) - keep])
            self._pending = self._pending[len(self._pending) - keep:]
            break
        text = "".join(out)
        if not self._started:
            text = text.lstrip()
            self._started = bool(text)
        return text

    def flush(self) -> str:
        """What is left at the end of the stream (nothing, if a think block never closed)."""
        rest, self._pending = ("" if self._inside else self._pending), ""
        return rest


def _partial_tag_suffix(text: str, tag: str) -> int:
    """How many trailing characters of `text` could be the start of `tag`."""
    lowered = text.lower()
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(lowered[-size:]):
            return size
    return 0
