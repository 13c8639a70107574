"""Keep only allowed citations in model-written text; remove and report every other one.

A model asked to cite `[@2401.00001]` will also write `[@9999.99999]`, `[3]`, `arXiv:2105.xxxxx`
or `(Smith et al., 2020)`, whether it invented them or a paper's text told it to. Everything that
looks like a reference is checked against the allowed keys: allowed ones are normalised to Pandoc
form (`[@key]`, `[@a; @b]`), the rest are cut out and listed in `removed`. Checking that a kept
key is really stored and supports the sentence is the review verifier's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from pydantic import BaseModel, Field

ARXIV_LIKE = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_GROUP = re.compile(r"\[([^\[\]\n]{1,300})\]")
_TOKEN = re.compile(r"@?[A-Za-z0-9][\w.:/+-]*")
_NUMERIC = re.compile(r"\s*[1-9]\d{0,3}(?:\s*[-–,;]\s*[1-9]\d{0,3})*\s*")
_AUTHOR_YEAR = re.compile(r"\((?=[^()]*(?:et al|[A-Z][A-Za-z-]+,? (?:19|20)\d{2}))[^()]{1,200}\)")
_BARE_KEY = re.compile(r"(?<![\w@])@([A-Za-z0-9][\w.:/+-]*[\w/])")
_BARE_ID = re.compile(r"(?:arXiv:\s*)?(?<![\w./-])(" + ARXIV_LIKE.pattern + r")(?![\w/])", re.IGNORECASE)
_ARXIV_URL = re.compile(r"<?https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(" + ARXIV_LIKE.pattern
                        + r")(?:\.pdf)?/?>?", re.IGNORECASE)
CITE_GROUP = re.compile(r"\[(@[^\[\]\s;]+(?:; @[^\[\]\s;]+)*)\]")
"""A normalised citation group `[@a; @b]` as this module writes it."""


class CheckedText(BaseModel):
    """Model text after the citation check."""

    text: str
    citations: list[str] = Field(default_factory=list)
    """Allowed keys cited, in order of first use."""
    removed: list[str] = Field(default_factory=list)
    """Citation markers cut out because their key is not allowed (invented or injected)."""


class _Keys:
    """Allowed keys, matched leniently (case, `@`, `arXiv:` prefix, version suffix)."""

    def __init__(self, allowed: Collection[str]) -> None:
        self._by_lower = {key.lower(): key for key in allowed}

    def match(self, token: str) -> str | None:
        token = token.lstrip("@").rstrip(".,;:")
        token = re.sub(r"^arxiv:\s*", "", token, flags=re.IGNORECASE).lower()
        return self._by_lower.get(token) or self._by_lower.get(re.sub(r"v\d+$", "", token))


def keep_allowed_citations(text: str, allowed: Collection[str]) -> CheckedText:
    """`text` with allowed citations normalised and every other reference removed."""
    keys, cited, removed = _Keys(allowed), [], []
    protected: list[str] = []

    def group(found: re.Match[str]) -> str:
        inner = found.group(1)
        kept, dropped = [], []
        for token in _TOKEN.findall(inner):
            key = keys.match(token)
            if key:
                kept.append(key)
            elif token.startswith("@") or ARXIV_LIKE.fullmatch(token.rstrip(".,;:")):
                dropped.append(token)
        if not kept and not dropped and (_NUMERIC.fullmatch(inner) or "et al" in inner):
            dropped.append(f"[{inner}]")
        removed.extend(dropped)
        if not kept:
            return found.group(0) if not dropped else ""
        return _protect(kept)

    def _protect(kept: list[str]) -> str:
        unique = list(dict.fromkeys(kept))
        cited.extend(unique)
        protected.append("[" + "; ".join("@" + k for k in unique) + "]")
        return f"\x00{len(protected) - 1}\x00"

    def bare(found: re.Match[str]) -> str:
        key = keys.match(found.group(1))
        if key:
            return _protect([key])
        removed.append(found.group(0).strip())
        return ""

    def author_year(found: re.Match[str]) -> str:
        removed.append(found.group(0))
        return ""

    text = _ARXIV_URL.sub(bare, text)
    text = _GROUP.sub(group, text)
    text = _AUTHOR_YEAR.sub(author_year, text)
    text = _BARE_KEY.sub(bare, text)
    text = _BARE_ID.sub(bare, text)
    text = re.sub("\x00(\\d+)\x00", lambda m: protected[int(m.group(1))], text)
    return CheckedText(text=_tidy(text), citations=list(dict.fromkeys(cited)), removed=removed)


def render_citations(text: str, cite: Callable[[list[str]], str]) -> str:
    """Replace each `[@a; @b]` group with `cite(["a", "b"])` (e.g. `[2401.00001, §3, p.4]`)."""
    return CITE_GROUP.sub(lambda m: cite([k.lstrip("@") for k in m.group(1).split("; ")]), text)


def _tidy(text: str) -> str:
    """Remove what cutting citations leaves behind: empty brackets, doubled spaces."""
    text = re.sub(r"\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\]", "", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([.,;:!?])", r"\1", text)
    return text.strip()
