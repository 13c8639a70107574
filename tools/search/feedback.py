"""Learn a field's own vocabulary from the best results so far (pseudo-relevance feedback).

A survey of "membership inference attacks in federated learning" also cites papers on gradient
leakage, secure aggregation and differential privacy that use none of the topic's words. The
papers that rank best after a first query do use them, more often than the rest of the pool:
those words (Lavrenko & Croft's relevance models, as in RM3), the key phrases they form and the
authors who wrote several of the best papers are the field's vocabulary. The next query asks for
the topic's words or these; the final ranking moves the topic's vector towards the centre of the
best papers (Rocchio, 1971) and counts the field's words beside the topic's. No model is needed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tools.paper import Paper
from tools.search.ranking import paper_text
from tools.text.keyphrases import content_runs, stems

READ = 30
"""Best papers read for the field's words and phrases."""
CENTRE = 10
"""Best papers whose mean vector joins the topic's (Rocchio)."""
WORDS = 8
"""Field words learned per round."""
LEAST = 2
"""A word, phrase or author must come up in at least this many of the best papers."""


@dataclass
class Feedback:
    """What the best results say about the field."""

    words: list[str] = field(default_factory=list)
    """Words the best papers use far more than the rest of the pool, best first."""
    phrases: list[str] = field(default_factory=list)
    """Their key phrases (two or three words), best first."""
    authors: list[str] = field(default_factory=list)
    """Authors of several of the best papers."""
    centre: np.ndarray | None = None
    """Unit mean vector of the best papers."""

    def describe(self) -> str:
        """"the field's words privacy, leakage, … (from the 30 best results)"."""
        return f"the field's own words {', '.join(self.words)} (read in the {READ} best results)"


def learn(topic: str, ranked: Sequence[Paper], vectors: np.ndarray | None = None,
          known: Iterable[str] = (), words: int = WORDS) -> Feedback:
    """The field's vocabulary in `ranked` (best first): words, phrases, authors, centre.

    `known` words (the topic's, those already asked) are not learned again; `vectors` are the
    papers' embeddings, row for row, for the centre.
    """
    top, rest = list(ranked[:READ]), list(ranked[READ:])
    skip = set(stems(topic)) | {s for word in known for s in stems(word)}
    centre = None
    if vectors is not None and len(vectors):
        mean = vectors[:CENTRE].mean(axis=0)
        centre = mean / (np.linalg.norm(mean) or 1.0)
    return Feedback(words=contrast(_grams(top, 1), _grams(rest, 1), skip)[:words],
                    phrases=contrast(_grams(top, 2) + _grams(top, 3), _grams(rest, 2) + _grams(rest, 3),
                                     skip, whole=True)[:words],
                    authors=shared_authors(top), centre=centre)


def contrast(top: list[set[str]], rest: list[set[str]], skip: set[str],
             whole: bool = False) -> list[str]:
    """Terms used by at least `LEAST` of the best papers, ranked by a²/(a+b): a papers among the
    best use it, b among the rest. A term made only of `skip` stems (or, for words, any of them)
    says nothing new."""
    ahead = Counter(t for terms in top for t in terms)
    behind = Counter(t for terms in rest for t in terms)
    scored = []
    for term, a in ahead.items():
        own = set(stems(term))
        if a < LEAST or not own or (own <= skip if whole else own & skip):
            continue
        if not whole and (len(term) < 3 or term.isdigit()):
            continue
        scored.append((a * a / (a + behind[term]), term))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [term for _, term in scored]


def shared_authors(papers: Sequence[Paper], least: int = LEAST, most: int = 4) -> list[str]:
    """Authors of at least `least` of the papers, most prolific first."""
    counts = Counter(a for p in papers for a in dict.fromkeys(p.authors))
    return [a for a, n in counts.most_common() if n >= least][:most]


def _grams(papers: Sequence[Paper], size: int) -> list[set[str]]:
    """Per paper, its n-grams of content words (hyphenated words stay one word)."""
    out = []
    for paper in papers:
        grams: set[str] = set()
        for run in content_runs(paper_text(paper)):
            grams.update(" ".join(run[i:i + size]) for i in range(len(run) - size + 1))
        out.append(grams)
    return out
