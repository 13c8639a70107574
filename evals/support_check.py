"""An independent check of a review's citations: does each cited paper support its part of a sentence?

Written apart from `agent.review.verify` on purpose (it shares no code with it), so the eval does
not grade the verifier with its own answers. For every citing sentence of review.md it finds the
part each cited paper is responsible for (the clause its citation sits in; a clause without a
citation belongs to the one before it), drops the words that only say who is speaking (the names
right before a citation group, author names, "et al.", counts of papers), and looks for the best
passage of that paper: a window of two consecutive sentences of its stored text (title, abstract,
body, captions), scored by MiniLM cosine similarity and by the share of the part's content words
the passage holds. A pair is supported when that blend reaches the bar and every number and every
name-like term (an acronym, a word with inner capitals or digits) of the part occurs in the paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from memory.records import LibraryPaper
from tools.citations import paper_year
from tools.text.words import FUNCTION_WORDS, stem

BAR = 0.55
"""The blend of similarity and word overlap at or above which a pair counts as supported."""

_GROUP = re.compile(r"\[(?P<body>[^\[\]]*@[^\[\]]*)\]")
_KEY = re.compile(r"@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?)")
_CLAUSE = re.compile(r";\s+|,\s+(?=(?:while|whereas|but|and)\s)|\s+(?=(?:while|whereas)\s)")
_MENTION = re.compile(r"((?:the authors of\s+)?\*[^*]+\*\s+|(?:(?:[A-Z][\w'’+.-]*|and|&|et al\.?)\s+){1,6})$")
_SLOT = (r"\s*(?:(?:,|;|:|and|while|whereas|but|compares? against|builds? on|extends|cites|than)\s*)*"
         r"(?:(?:the|their)\s+[\w\s-]{0,40}?\s*of\s*)?")
"""Where a name stands as the subject or object of a clause (not inside its claim)."""
_SPEAKER = re.compile(r"\b(?:et al\.?|the authors?|their|they)\b", re.I)
_COUNT = re.compile(r"\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"\d+|all|both|most|several|many|half)\s+(?:of\s+(?:the|these)\s+)?"
                    r"(?:\w+\s+)?(?:papers?|works?|studies|methods)|of\s+the\s+\w+\s+papers?)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-+][A-Za-z0-9]+)*|\d+(?:\.\d+)?")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
_NAMED = re.compile(r"\b(?:[A-Za-z]*[a-z][A-Z][\w-]*|[A-Z]{2,}[\w-]*|[A-Za-z]+-?\d[\w-]*)\b")
_FRAMING = frozenset("""paper papers work works study studies method methods approach approaches
reviewed review evaluate evaluates evaluated report reports reported also since later earlier
year years among theme section address addresses build builds note notes state states explain
explains describe describes known here only title titled differ two three four five six seven eight
nine ten eleven twelve""".split())
"""The reviewer's own words around a claim (who says what), not part of what the paper must hold."""


@dataclass
class PairResult:
    """One (sentence, cited paper) pair as this checker sees it."""

    key: str
    part: str
    score: float
    supported: bool
    reason: str


def sentence_parts(sentence: str) -> dict[str, str]:
    """Each cited key → the text of the clause(s) it is responsible for."""
    groups = _GROUP.findall(sentence) and [g.group(0) for g in _GROUP.finditer(sentence)]
    masked = _GROUP.sub(lambda m: "\x02" * (1 + groups.index(m.group(0))), sentence)
    pieces = [re.sub("\x02+", lambda m: groups[len(m.group(0)) - 1], c) for c in _CLAUSE.split(masked)]
    clauses = [c for c in pieces if c.strip()]
    owners: list[list[str]] = []
    for clause in clauses:
        keys = [k for g in _GROUP.finditer(clause) for k in _KEY.findall(g.group("body"))]
        owners.append(keys or (owners[-1] if owners else []))
    if owners and not owners[0]:
        first = next((o for o in owners if o), [])
        owners = [o or first for o in owners]
    parts: dict[str, list[str]] = {}
    for clause, keys in zip(clauses, owners, strict=True):
        for key in dict.fromkeys(keys):
            parts.setdefault(key, []).append(_for_key(clause, key))
    return {k: " ".join(v) for k, v in parts.items()}


def _for_key(clause: str, key: str) -> str:
    """The clause as a claim about `key`: citation groups and the names before them removed."""
    out, last = [], 0
    for group in _GROUP.finditer(clause):
        before = clause[last:group.start()]
        single = len(_KEY.findall(group.group("body"))) == 1  # else the words before are the claim
        found = _MENTION.search(before + " ") if single else None
        named = found and re.fullmatch(_SLOT, before[:found.start()], re.I)
        out.append(before[:found.start()] if named else before)
        last = group.end()
    out.append(clause[last:])
    text = " ".join(out)
    text = _COUNT.sub(" ", _SPEAKER.sub(" ", text))
    return " ".join(text.replace("“", "").replace("”", "").replace("*", "").split())


def words(text: str) -> set[str]:
    """Content words, stemmed (function words and the review's own framing words dropped)."""
    return {stem(w.lower()) for w in _WORD.findall(text)
            if w.lower() not in FUNCTION_WORDS and w.lower() not in _FRAMING and not w.isdigit()}


def _prefixed(found: set[str]) -> tuple[set[str], set[str]]:
    """A passage's words, and every prefix of four letters or more of them."""
    return found, {w[:i] for w in found for i in range(4, len(w) + 1)}


def _matches(word: str, have: tuple[set[str], set[str]]) -> bool:
    """The passage has the word, a longer word it begins, or a shorter word that begins it
    (convolution / convolutional; anomaly / anomal)."""
    found, prefixes = have
    return word in found or word in prefixes or any(word[:i] in found for i in range(4, len(word)))


def _named_in(name: str, flat: str) -> bool:
    """Whether the paper writes the name, in the singular or the plural (LLM / LLMs)."""
    word = _flat(name).strip()
    forms = {word, word + "s", word[:-1] if word.endswith("s") else word}
    return any(f" {form} " in flat for form in forms)


def _flat(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def paper_passages(record: LibraryPaper) -> list[str]:
    """Windows of two consecutive sentences over the paper's stored text."""
    blocks = [record.paper.title, record.paper.abstract, record.paper.comment]
    if record.parsed:
        blocks += [record.parsed.abstract]
        blocks += [p.text for s in record.parsed.sections for p in s.paragraphs]
        blocks += [f.caption for f in record.parsed.figures] + [t.caption for t in record.parsed.tables]
    sentences: list[str] = []
    for block in blocks:
        if block:
            sentences += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", " ".join(block.split())) if s]
    if len(sentences) < 2:
        return sentences
    return [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]


def _dated(part: str, number: str, record: LibraryPaper) -> bool:
    """Whether `number` is a year the paper's metadata vouches for (its own year, or "since Y")."""
    published = paper_year(record.paper)
    if not re.fullmatch(r"(?:19|20)\d\d", number) or not published.isdigit():
        return False
    if number == published:
        return True
    if re.search(rf"\b(?:since|from|after)\s+{number}\b", part, re.I):
        return published >= number
    if re.search(rf"\b(?:until|before|up to)\s+{number}\b", part, re.I):
        return published <= number
    return False


class SupportChecker:
    """Scores (part, paper) pairs against the paper's passages; passages embedded once per paper."""

    def __init__(self, embedder, records: dict[str, LibraryPaper], bar: float = BAR) -> None:
        self.embedder = embedder
        self.records = records
        self.bar = bar
        self._cache: dict[str, tuple[list[str], np.ndarray, list[set[str]], str]] = {}

    def _paper(self, arxiv_id: str):
        if arxiv_id not in self._cache:
            record = self.records[arxiv_id]
            passages = paper_passages(record) or [record.paper.title]
            vectors = np.asarray(self.embedder.embed(passages), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
            tables = " ".join(t.markdown for t in record.parsed.tables) if record.parsed else ""
            flat = _flat(" ".join(passages) + " " + tables)
            self._cache[arxiv_id] = (passages, vectors, [_prefixed(words(p)) for p in passages], flat)
        return self._cache[arxiv_id]

    def check(self, part: str, arxiv_id: str, key: str = "") -> PairResult:
        """Whether `arxiv_id` supports `part`: best passage by similarity and overlap, plus vetoes."""
        passages, vectors, passage_words, flat = self._paper(arxiv_id)
        wanted = words(part)
        vector = np.asarray(self.embedder.embed([part]), dtype=np.float32)[0]
        vector /= np.linalg.norm(vector) + 1e-9
        cosines = vectors @ vector
        overlaps = np.asarray([sum(_matches(w, have) for w in wanted) / len(wanted) if wanted else 0.0
                               for have in passage_words])
        blend = 0.5 * cosines + 0.5 * overlaps
        best = int(np.argmax(blend))
        score = float(blend[best])
        numbers = [n for n in _NUMBER.findall(part) if not _dated(part, n, self.records[arxiv_id])]
        missing = [n for n in numbers if f" {n.replace('.', ' ')} " not in flat]
        missing += [t for t in _NAMED.findall(part) if not _named_in(t, flat)]
        supported = score >= self.bar and not missing
        reason = f"cosine {cosines[best]:.2f}, overlap {overlaps[best]:.2f}"
        if missing:
            reason += "; not in the paper: " + ", ".join(dict.fromkeys(missing))
        return PairResult(key=key, part=part, score=round(score, 3), supported=supported, reason=reason)
