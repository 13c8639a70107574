"""Which sentences may be quoted or paraphrased as a paper's own statement, and which may motivate a field.

A PDF's text holds more than the authors' prose: running headers and footers ("KDD ’22, August
14–18, 2022, Washington, DC, USA"), page numbers, the arXiv margin stamp, figure and table captions,
table cells, equations, reference-list entries and affiliations. The parser drops most of them, but
one that slips through and is quoted reads as nonsense attributed to the authors. Every writer runs
each candidate sentence through `statement_problem` (or `is_clean_statement`) before using it.

`motivation_problem` is stricter, for the sentences that open a survey: they must say what the
field's problem is or why it matters, not describe one paper's work or evaluation protocol
("Keeping with past work, we report macro F1 scores …").

The rules are textual and conservative: a sentence that fails one is dropped, never rewritten.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tools.text.words import FUNCTION_WORDS, stem

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*%?")
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("arXiv stamp", re.compile(r"arXiv:\s*\d{4}\.\d{4,5}(?:v\d+)?\s*\[[\w.\-]+\]|\[[a-z\-]+(?:\.[A-Z]{2})?\]"
                               r"\s+\d{1,2}\s+" + _MONTHS + r"\s+\d{4}")),
    ("reference-list entry", re.compile(
        r"^\s*\[\d+\]|\bIn Proceedings\b|\bIn Advances in\b|\bAdvances in Neural Information|"
        r"\barXiv preprint\b|\bpp\.\s*\d|\bvol\.\s*\d|\bdoi:\s*\S|\b[A-Z][a-z]+,\s+[A-Z]\.(?:\s?[A-Z]\.)?,\s|"
        r"\bet al\.\s*\(?(?:19|20)\d\d[a-z]?\)?\.\s+[A-Z]|\b(?:19|20)\d\d[a-z]?\.\s+[A-Z][^.]{8,}\.\s+"
        r"(?:In|arXiv|CoRR|Journal|Trans)\b")),
    ("running header or footer", re.compile(
        r"\b[A-Z]{2,}\s*['’]\s?\d{2}\b|"  # case-blind below: "KDD ’22", "Interspeech '21" + _MONTHS + r"\s+\d{1,2}\s*[–-]\s*\d{1,2},\s*\d{4}|"
        r"\bProceedings of\b|Published as a (?:conference|workshop) paper|\bUnder review\b|"
        r"\bPreprint\b|©|\bCopyright\b|Permission to make digital|ACM Reference Format|\bISBN\b|"
        r"\bISSN\b|Licensed under|\bPage \d+ of \d+\b|https?://doi\.org/", re.IGNORECASE)),
    ("caption", re.compile(r"^\s*(?:Figure|Fig\.|Table|Tab\.|Algorithm|Listing)\s*\d+[a-z]?\s*[:.|]|"
                           r"(?:^|[.!?]\s+|\s)(?:Figure|Fig\.|Table)\s+\d+[a-z]?\s*:\s", re.IGNORECASE)),
    ("affiliation", re.compile(r"\S+@\S+\.\w+|\b(?:University|Institute|Department|Laboratory|"
                               r"Laboratories|School|College|Academy)\s+(?:of|for)\s+[A-Z]")),
]
_MATH = re.compile(r"[=∑∏∫∈∉∀∃≤≥≈≠→←⇒⇔∂∇√∞⊂⊆∪∩×·]|\\[a-z]+|\b(?:arg\s?max|arg\s?min|s\.t\.)\b")
_PROTOCOL = re.compile(
    r"\b(?:report(?:s|ed|ing)?|evaluat\w*|metrics?|F1|accuracy|AUC|mAP|BLEU|ROUGE|scores?|"
    r"baselines?|(?:train(?:ing)?|dev(?:elopment)?|validation|test)[- ](?:set|split)s?|splits?|"
    r"hyper-?parameters?|ablations?|experiments?|experimental|implementation|we (?:use|follow|adopt)|"
    r"(?:following|keeping with|as in|consistent with) (?:past|prior|previous|earlier) work)\b",
    re.IGNORECASE)
_PAPER_SELF = re.compile(r"\b(?:we|our|ours|us|this (?:paper|work|study|article|survey|thesis)|"
                         r"in this (?:paper|work)|the authors|proposed)\b", re.IGNORECASE)
_WHY = re.compile(
    r"\b(?:challeng\w*|important|importance|crucial|critical|essential|fundamental|key|vital|"
    r"problem\w*|tasks?|difficult\w*|hard|widely|growing|increasing\w*|emerg\w*|attention|"
    r"applications?|demand\w*|need\w*|remains?|open|limit\w*|costly|expensive|practical|real-world|"
    r"aims?|goal|enable\w*|allow\w*|rely|relies|central|popular|ubiquitous|interest)\b", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    """Words and numbers, in order."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=1 << 16)
def statement_problem(text: str, *, title: str = "") -> str:
    """Why `text` may not stand as a paper's statement (`` when it may).

    `title` (the paper's own title) catches a running header that repeats it. Remembered: a
    review's writers and its checker ask about the same sentences again and again.
    """
    text = " ".join(text.split())
    words = tokens(text)
    if len(words) < 4:
        return "too short to be a statement"
    for reason, pattern in _RULES:
        if pattern.search(text):
            return reason
    if title and _repeats_title(text, title):
        return "running header or footer"
    if re.match(r"^\d{1,3}\s+[A-Z]", text) or re.search(r"[.!?]\s+\d{1,3}$", text):
        return "page number"
    if len(_MATH.findall(text)) >= 2 or (_MATH.search(text) and _function_share(words) < 0.2):
        return "equation"
    return _table_problem(words)


def is_clean_statement(text: str, *, title: str = "") -> bool:
    """Whether `text` reads as the authors' own prose (see `statement_problem`)."""
    return not statement_problem(text, title=title)


def motivation_problem(text: str, *, topic: str = "", title: str = "") -> str:
    """Why `text` cannot motivate the field in a survey's introduction (`` when it can).

    It must be clean, about the field rather than one paper ("we", "our", "this paper"), free of
    evaluation protocol (metrics, splits, "following past work"), and say what the problem is or
    why it matters: a cue word of that ("challenging", "important", "applications") or the topic's
    own words.
    """
    problem = statement_problem(text, title=title)
    if problem:
        return problem
    if _PAPER_SELF.search(text):
        return "about one paper, not the field"
    if _PROTOCOL.search(text) or re.search(r"\d+(?:\.\d+)?\s*%|\b\d+\.\d+\b", text):
        return "evaluation protocol or results, not the field"
    topic_stems = {stem(w.lower()) for w in tokens(topic) if w.lower() not in FUNCTION_WORDS}
    own = {stem(w.lower()) for w in tokens(text)}
    if not _WHY.search(text) and not (topic_stems and topic_stems & own):
        return "says neither what the problem is nor why it matters"
    return ""


def is_motivation(text: str, *, topic: str = "", title: str = "") -> bool:
    """Whether `text` can open a survey on `topic` (see `motivation_problem`)."""
    return not motivation_problem(text, topic=topic, title=title)


def _function_share(words: list[str]) -> float:
    return sum(1 for w in words if w.lower() in FUNCTION_WORDS) / max(1, len(words))


def _table_problem(words: list[str]) -> str:
    """Table cells run together: numbers in a row, few function words, most words capitalised."""
    numbers = sum(1 for w in words if w[0].isdigit())
    if numbers >= 3 and numbers >= 0.3 * len(words):
        return "table"
    if len(words) >= 6 and _function_share(words) < 0.08:
        return "table"
    capitalised = sum(1 for w in words[1:] if w[0].isupper())
    if len(words) >= 6 and capitalised >= 0.7 * (len(words) - 1):
        return "table"
    return ""


def _repeats_title(text: str, title: str) -> bool:
    """The paper's title inside a longer sentence: a running header glued to the prose."""
    flat = " ".join(w.lower() for w in tokens(title))
    return len(flat.split()) >= 4 and flat in " ".join(w.lower() for w in tokens(text)) \
        and len(tokens(text)) > len(tokens(title)) + 2
