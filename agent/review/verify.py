"""Check a draft's citations against the library before anyone reads it.

Two checks, for every writer alike:

1. Every citation key must resolve to a paper stored in the library. A key that does not (an LLM
   inventing `[@smith2020deep]`) is removed from the text and listed in `unresolved`.
2. Every (sentence, cited paper) pair must be supported: each cited paper must support the part of
   the sentence it is cited for (`agent.review.claims`: a sentence about four papers claims its
   clause of each of the four). A part (or the quotation it carries) found verbatim in the paper's
   stored text is supported outright; any other part is scored against the cited paper's closest
   chunks (`library.search(…, arxiv_ids=[cited])`) by embedding similarity and word overlap, and
   numbers it states must occur in the paper (a year its metadata vouches for excepted). A paper
   cited only as the object of a relation must be the paper the sentence names. When some cited
   papers support a sentence and others do not, the others' citations are removed from it (and a
   count of papers corrected); a sentence no cited paper supports stays, and is listed in an
   "Unverified statements" appendix. Both are counted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from agent.review.appendix import APPENDIX_TITLE, appendix, drop_unsupported_pairs, strip_appendix  # noqa: F401 (re-exported)
from agent.review.claims import FRAMING, Part, metadata_years, parts
from agent.review.types import Draft, PairSupport, Statement, Verification
from agent.review.writers.markdown import (
    CITATION,
    CITATION_GROUP,
    citation_keys,
    heading_text,
    unescape,
)
from agent.review.writers.sentences import split_sentences
from memory.library import Library
from memory.records import LibraryPaper
from tools.citations import assign_keys, paper_year
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS, stem

if TYPE_CHECKING:
    import numpy as np

SUPPORT_THRESHOLD = 0.55
"""Below this blend of similarity and word overlap a sentence counts as unsupported."""
FACT_WORDS = 6
"""A part with at most this many content words is a fact: supported when one sentence of the paper
holds all of them (`weakly supervised`, `evaluate on UCF-Crime`)."""
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
        self._sentences: dict[str, list[set[str]]] = {}
        self.vectors: dict[str, np.ndarray] = {}

    def prefetch(self, texts: list[str]) -> None:
        """Embed the texts that will be searched, in one batch (one call is far cheaper than many)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        # An embedder with its own query form (`embed_query`) is asked one query at a time, as search does.
        if todo and not hasattr(self.library.embedder, "embed_query"):
            self.vectors.update(zip(todo, self.library.embedder.embed(todo), strict=True))

    def record(self, arxiv_id: str) -> LibraryPaper | None:
        if arxiv_id not in self._records:
            self._records[arxiv_id] = self.library.get(arxiv_id)
        return self._records[arxiv_id]

    def sentences(self, arxiv_id: str) -> list[set[str]]:
        """The content words of each sentence of the paper's stored text (and of its title)."""
        if arxiv_id not in self._sentences:
            record = self.record(arxiv_id)
            text = _stored_text(record)
            self._sentences[arxiv_id] = [content_words(s) for s in split_sentences(text)]
        return self._sentences[arxiv_id]

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
    """Remove citations that resolve to no stored paper or do not support their part; score the rest."""
    body = strip_appendix(draft.markdown)
    key_to_id = {key: arxiv_id for arxiv_id, key in assign_keys(p.paper for p in papers).items()}
    key_to_id |= draft.keys
    store = _Papers(library)

    def resolves(key: str) -> bool:
        return key in key_to_id and store.record(key_to_id[key]) is not None

    total = len(citation_keys(body))
    found = cited_sentences(body)
    store.prefetch([p.text for _, sentence, _ in found for p in parts(sentence) if p.text])
    checked = [(_score(section, sentence, keys, key_to_id, resolves, store, threshold), sentence)
               for section, sentence, keys in found]
    statements = [statement for statement, _ in checked]
    unresolved = sorted({k for k in citation_keys(body) if not resolves(k)})
    body, failed = drop_unsupported_pairs(body, checked)
    body = remove_keys(body, set(unresolved))
    # The LLM writer already cut citations of papers outside the review; they count here too.
    earlier = [m.lstrip("@") for m in draft.removed_citations]
    unresolved = sorted(set(unresolved) | {m for m in earlier if not resolves(m)})
    total += len(draft.removed_citations)
    unsupported = [s for s in statements if not any(p.supported for p in s.pairs)]
    if unsupported or failed:
        body = body.rstrip("\n") + "\n\n" + appendix(unsupported, threshold, failed)
    verification = Verification(total=total, unresolved=unresolved, unsupported=unsupported,
                                statements=len(statements), pairs=sum(len(s.pairs) for s in statements),
                                unsupported_pairs=failed)
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
        text = " ".join(re.sub(r"^[-*+]\s+", "", line.strip()) for line in lines)
        for sentence in split_sentences(text):
            keys = citation_keys(sentence)
            if keys:
                out.append((section, sentence, list(dict.fromkeys(keys))))
    return out


def _score(section: str, sentence: str, keys: list[str], key_to_id: dict[str, str], resolves,
           store: _Papers, threshold: float) -> Statement:
    """How well each cited paper supports its part of one sentence."""
    text = unescape(CITATION_GROUP.sub("", sentence)).strip()
    text = " ".join(CITATION.sub("", text).split())
    statement = Statement(section=section, text=text, keys=keys)
    good = [k for k in keys if resolves(k)]
    if not good:
        return statement.model_copy(update={"reason": "cites no stored paper"})
    claimed = {p.key: p for p in parts(sentence)}
    pairs = [_pair(claimed.get(k) or Part(key=k, text=text, names=[]), key_to_id[k], store, threshold)
             for k in good]
    weakest = min(pairs, key=lambda p: (p.supported, p.support))
    failed = [p for p in pairs if not p.supported]
    reason = weakest.reason if len(pairs) == 1 or not failed else "; ".join(f"{p.key}: {p.reason}" for p in failed)
    return statement.model_copy(update={"support": weakest.support, "reason": reason, "pairs": pairs,
                                        "supported": all(p.supported for p in pairs)})


def _pair(part: Part, arxiv_id: str, store: _Papers, threshold: float) -> PairSupport:
    """One paper's support for its part: verbatim, similar enough, or (as an object) named right."""
    record = store.record(arxiv_id)
    if part.object_only:
        named = any(_names_paper(name, record) for name in part.names)
        return PairSupport(key=part.key, part=part.text, support=1.0 if named else 0.0, supported=named,
                           reason="named as the object of a relation" if named
                           else "the name does not match the cited paper")
    support, reason, vetoed = _support(part.text, arxiv_id, store)
    return PairSupport(key=part.key, part=part.text, support=round(support, 3), reason=reason,
                       supported=support >= threshold and not vetoed)


def _names_paper(name: str, record: LibraryPaper | None) -> bool:
    """Whether `name` is how the paper calls itself (in its title) or its authors' names."""
    if record is None:
        return False
    own = f" {normalize(record.paper.title)} {normalize(' '.join(record.paper.authors))} "
    words = [w for w in normalize(name.replace("et al.", "")).split() if w not in ("and", "the", "authors", "of")]
    return bool(words) and all(f" {w} " in own for w in words)


def _support(text: str, arxiv_id: str, store: _Papers) -> tuple[float, str, bool]:
    """(support, reason, vetoed) of a sentence against one paper.

    `vetoed` marks a sentence that fails whatever its similarity: a quotation the paper does not
    contain, or a number the paper never states.
    """
    paper_text = store.normalized(arxiv_id)
    record = store.record(arxiv_id)
    quotes, residue = quotations(text)
    if quotes and all(f" {normalize(q)} " in paper_text for q in quotes):
        title = content_words(record.paper.title) if record else set()
        if len(content_words(residue) - title - FRAMING) <= MAX_FRAMING_WORDS:
            return 1.0, "verbatim quotation", False
    if any(f" {normalize(q)} " not in paper_text for q in quotes):
        return 0.0, "quotation not found in the paper", True
    if len(normalize(text)) > 30 and f" {normalize(text)} " in paper_text:
        return 1.0, "verbatim", False
    dated = metadata_years(text, paper_year(record.paper)) if record else set()
    numbers = [n for n in _NUMBER.findall(text) if n not in dated and f" {normalize(n)} " not in paper_text]
    words = content_words(text) - {stem(w) for w in FRAMING}
    if not numbers and 0 < len(words) <= FACT_WORDS and any(
            all(_holds(w, sentence) for w in words) for sentence in store.sentences(arxiv_id)):
        return 1.0, "stated in one sentence of the paper", False
    passages = store.library.search(text, k=4, arxiv_ids=[arxiv_id], vector=store.vectors.get(text))
    similarity = max((p.score for p in passages), default=0.0)
    found = content_words(" ".join([p.text for p in passages] + [record.paper.title if record else ""]))
    overlap = len(words & found) / len(words) if words else 0.0
    support = 0.5 * similarity + 0.5 * overlap
    reason = f"similarity {similarity:.2f}, word overlap {overlap:.2f}"
    if numbers:
        return support, f"{reason}; numbers not in the paper: {', '.join(numbers)}", True
    return support, reason, False


def _holds(word: str, sentence: set[str]) -> bool:
    """Whether a sentence has `word`, or a word sharing its stem (convolution / convolutional)."""
    return word in sentence or any(
        min(len(word), len(other)) >= 4 and (other.startswith(word) or word.startswith(other))
        for other in sentence)


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


