"""Check a draft's citations against the library before anyone reads it.

Two checks, for every writer alike:

1. Every citation key must resolve to a paper stored in the library. A key that does not (an LLM
   inventing `[@smith2020deep]`) is removed from the text and listed in `unresolved`.
2. Every cited sentence must be supported by the paper it cites. A sentence (or the quotation it
   carries) found verbatim in the paper's stored text is supported outright; any other sentence is
   scored against the cited paper's closest chunks (`library.search(…, arxiv_ids=[cited])`) by
   embedding similarity and word overlap, and numbers it states must occur in the paper. Sentences
   below the bar are listed in an "Unverified statements" appendix and counted.
"""

from __future__ import annotations

import re

from agent.review.types import Draft, Statement, Verification
from agent.review.writers.markdown import (
    CITATION,
    CITATION_GROUP,
    citation_keys,
    escape,
    heading_text,
    unescape,
)
from agent.review.writers.sentences import split_sentences
from memory.library import Library
from memory.records import LibraryPaper
from tools.citations import assign_keys
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS, stem

SUPPORT_THRESHOLD = 0.55
"""Below this blend of similarity and word overlap a sentence counts as unsupported."""
APPENDIX_TITLE = "Unverified Statements"
MAX_FRAMING_WORDS = 8
"""Words outside quotation marks (beyond the paper's title) a quoting sentence may add unchecked."""

_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
_STRAIGHT_QUOTE = re.compile(r"\"([^\"]{12,})\"")
_STOP = FUNCTION_WORDS | DOCUMENT_WORDS


def normalize(text: str) -> str:
    """Lower-case words and numbers only, single-spaced, for verbatim matching."""
    return " ".join(_WORD.findall(unescape(text).lower()))


def content_words(text: str) -> set[str]:
    """The words that carry meaning (no stop words), crudely stemmed."""
    return {stem(w) for w in _WORD.findall(text.lower())
            if w not in _STOP and not w.isdigit()}


class _Papers:
    """The stored text of cited papers, read once per verification."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._records: dict[str, LibraryPaper | None] = {}
        self._texts: dict[str, str] = {}

    def record(self, arxiv_id: str) -> LibraryPaper | None:
        if arxiv_id not in self._records:
            self._records[arxiv_id] = self.library.get(arxiv_id)
        return self._records[arxiv_id]

    def normalized(self, arxiv_id: str) -> str:
        """The paper's whole stored text, normalized and padded with spaces for word matching."""
        if arxiv_id not in self._texts:
            self._texts[arxiv_id] = " " + normalize(_stored_text(self.record(arxiv_id))) + " "
        return self._texts[arxiv_id]


def _stored_text(record: LibraryPaper | None) -> str:
    if record is None:
        return ""
    parts = [record.paper.title, record.paper.abstract, record.paper.comment]
    if record.parsed:
        parts += [record.parsed.abstract]
        parts += [p.text for s in record.parsed.sections for p in s.paragraphs]
        parts += [f.caption for f in record.parsed.figures]
        parts += [t.caption for t in record.parsed.tables]
    return " ".join(p for p in parts if p)


def verify_draft(draft: Draft, library: Library, papers: list[LibraryPaper],
                 threshold: float = SUPPORT_THRESHOLD) -> tuple[Draft, Verification]:
    """Remove citations that resolve to no stored paper and score every cited sentence."""
    body = strip_appendix(draft.markdown)
    key_to_id = {key: arxiv_id for arxiv_id, key in assign_keys(p.paper for p in papers).items()}
    key_to_id |= draft.keys
    store = _Papers(library)

    def resolves(key: str) -> bool:
        return key in key_to_id and store.record(key_to_id[key]) is not None

    total = len(citation_keys(body))
    statements = [_score(section, sentence, keys, key_to_id, resolves, store, threshold)
                  for section, sentence, keys in cited_sentences(body)]
    unresolved = sorted({k for k in citation_keys(body) if not resolves(k)})
    body = remove_keys(body, set(unresolved))
    # The LLM writer already cut citations of papers outside the review; they count here too.
    earlier = [m.lstrip("@") for m in draft.removed_citations]
    unresolved = sorted(set(unresolved) | {m for m in earlier if not resolves(m)})
    total += len(draft.removed_citations)
    unsupported = [s for s in statements if not s.supported]
    if unsupported:
        body = body.rstrip("\n") + "\n\n" + appendix(unsupported, threshold)
    verification = Verification(total=total, unresolved=unresolved, unsupported=unsupported,
                                statements=len(statements))
    return draft.model_copy(update={"markdown": body}), verification


def cited_sentences(markdown: str) -> list[tuple[str, str, list[str]]]:
    """(section, sentence, keys) for every prose sentence that carries a citation."""
    out: list[tuple[str, str, list[str]]] = []
    section = ""
    for block in re.split(r"\n\s*\n", markdown):
        lines = block.strip().splitlines()
        if not lines:
            continue
        title = heading_text(lines[0])
        if title is not None:
            section = title
            lines = lines[1:]
        if not lines or lines[0].lstrip().startswith(("|", "![", ":::", ": ")):
            continue  # tables, figures and fenced divs are checked for keys, not as prose
        text = " ".join(line.strip().lstrip("-*+ ").strip() for line in lines)
        for sentence in split_sentences(text):
            keys = citation_keys(sentence)
            if keys:
                out.append((section, sentence, list(dict.fromkeys(keys))))
    return out


def _score(section: str, sentence: str, keys: list[str], key_to_id: dict[str, str], resolves,
           store: _Papers, threshold: float) -> Statement:
    """How well the cited papers support one sentence (the best of them counts)."""
    text = unescape(CITATION_GROUP.sub("", sentence)).strip()
    text = " ".join(CITATION.sub("", text).split())
    statement = Statement(section=section, text=text, keys=keys)
    good = [key_to_id[k] for k in keys if resolves(k)]
    if not good:
        return statement.model_copy(update={"reason": "cites no stored paper"})
    support, reason, vetoed = max((_support(text, arxiv_id, store) for arxiv_id in good),
                                  key=lambda r: (not r[2], r[0]))
    return statement.model_copy(update={"support": round(support, 3), "reason": reason,
                                        "supported": support >= threshold and not vetoed})


def _support(text: str, arxiv_id: str, store: _Papers) -> tuple[float, str, bool]:
    """(support, reason, vetoed) of a sentence against one paper.

    `vetoed` marks a sentence that fails whatever its similarity: a quotation the paper does not
    contain, or a number the paper never states.
    """
    paper_text = store.normalized(arxiv_id)
    quotes, residue = quotations(text)
    if quotes and all(f" {normalize(q)} " in paper_text for q in quotes):
        record = store.record(arxiv_id)
        title = content_words(record.paper.title) if record else set()
        if len(content_words(residue) - title) <= MAX_FRAMING_WORDS:
            return 1.0, "verbatim quotation", False
    if any(f" {normalize(q)} " not in paper_text for q in quotes):
        return 0.0, "quotation not found in the paper", True
    if len(normalize(text)) > 30 and f" {normalize(text)} " in paper_text:
        return 1.0, "verbatim", False
    numbers = [n for n in _NUMBER.findall(text) if f" {normalize(n)} " not in paper_text]
    passages = store.library.search(text, k=4, arxiv_ids=[arxiv_id])
    similarity = max((p.score for p in passages), default=0.0)
    words = content_words(text)
    found = content_words(" ".join(p.text for p in passages))
    overlap = len(words & found) / len(words) if words else 0.0
    support = 0.5 * similarity + 0.5 * overlap
    reason = f"similarity {similarity:.2f}, word overlap {overlap:.2f}"
    if numbers:
        return support, f"{reason}; numbers not in the paper: {', '.join(numbers)}", True
    return support, reason, False


def quotations(text: str) -> tuple[list[str], str]:
    """The outermost quotations of a sentence (“…”, nesting allowed; or "…") and what is left."""
    quotes: list[str] = []
    outside: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char == "“":
            if depth == 0:
                start = i + 1
            depth += 1
        elif char == "”" and depth:
            depth -= 1
            if depth == 0:
                quotes.append(text[start:i])
        elif depth == 0:
            outside.append(char)
    rest = "".join(outside)
    quotes += _STRAIGHT_QUOTE.findall(rest)
    return [q for q in quotes if len(q) >= 12], _STRAIGHT_QUOTE.sub(" ", rest)


def remove_keys(markdown: str, bad: set[str]) -> str:
    """Drop `bad` keys from citation groups (and groups left empty), and bare in-text uses."""
    if not bad:
        return markdown

    def clean_group(match: re.Match) -> str:
        items = [i for i in match.group("body").split(";")
                 if not any(m.group("key") in bad for m in CITATION.finditer(i))]
        return "[" + ";".join(items).strip() + "]" if any(CITATION.search(i) for i in items) else ""

    markdown = CITATION_GROUP.sub(clean_group, markdown)
    markdown = CITATION.sub(lambda m: "" if m.group("key") in bad else m.group(0), markdown)
    return re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", markdown))


def appendix(unsupported: list[Statement], threshold: float) -> str:
    """The "Unverified statements" appendix: each flagged sentence, what it cites, and why."""
    lines = [f"# {APPENDIX_TITLE}", "",
             "These cited statements could not be matched to the stored text of the papers they "
             f"cite (support below {threshold:.2f}); check them before relying on them.", ""]
    for n, s in enumerate(unsupported, 1):
        cited = ", ".join(f"`{k}`" for k in s.keys)
        lines.append(f"{n}. “{escape(s.text)}” (section “{escape(s.section)}”; cites {cited}; "
                     f"support {s.support:.2f}; {escape(s.reason)})")
    return "\n".join(lines) + "\n"


def strip_appendix(markdown: str) -> str:
    """The draft without a previous verification's appendix (verification is repeatable)."""
    head, _, _ = markdown.partition(f"\n# {APPENDIX_TITLE}\n")
    return head.rstrip("\n") + "\n"
