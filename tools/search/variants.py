"""The ways papers write a topic: its phrases, their spellings, acronyms and expansions.

A topic such as "continual learning with pre-trained models" names two things, each a phrase that
titles use with all of its inner words ("pre-trained models", never "pre models"). Papers spell
them several ways — "pretrained models", "pre-trained model" — and abbreviate them ("PTMs",
"LLMs" for "large language models"), or spell out an acronym the topic uses ("OCR" → "optical
character recognition"). arXiv's index splits hyphens and stems plurals, but not everywhere, and
"pretrained" is one word where "pre-trained" is two, so every form goes into one query (`any_of`):
a single request asks for all of them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from tools.text.keyphrases import content_runs, normalise
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS, GENERIC_WORDS

_BREAK = FUNCTION_WORDS | DOCUMENT_WORDS | {"using", "towards"}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9]+)*")
PREFIXES = frozenset("multi pre post self semi non co cross inter intra sub super meta hyper micro "
                     "macro re un bi anti auto fine real".split())
"""First parts of hyphenated words also written closed ("pre-trained" → "pretrained")."""
OPEN_PREFIXES = ("multi", "self", "semi", "non", "cross")
"""Prefixes of closed words also written hyphenated ("multilingual" → "multi-lingual"); longer
lists split words that only look prefixed ("predictive", "understanding")."""
MAX_FORMS = 24
"""Terms in one phrasings query (arXiv answers long queries, but each term costs it work)."""


def facets(topic: str) -> list[str]:
    """The topic's phrases as typed, split at function words: "membership inference attacks in
    federated learning" → ["membership inference attacks", "federated learning"]."""
    out: list[str] = []
    current: list[str] = []
    for token in _TOKEN.findall(topic):
        if token.lower() in _BREAK:
            if current:
                out.append(" ".join(current))
            current = []
        else:
            current.append(token)
    if current:
        out.append(" ".join(current))
    return list(dict.fromkeys(out))


def joined_spans(topic: str, joiners: frozenset[str] = frozenset({"of", "and", "from", "on"}),
                 longest: int = 5) -> list[str]:
    """Two neighbouring phrases with the short word between them, as papers name things: "internet
    of intelligence", "logic and accuracy testing", "learning from noisy labels" (≤ `longest` words)."""
    tokens = _TOKEN.findall(topic)
    out = []
    for i, token in enumerate(tokens):
        if token.lower() not in joiners or i == 0:
            continue
        left = _run(tokens[:i][::-1])[::-1]
        right = _run(tokens[i + 1:])
        if left and right and len(left) + 1 + len(right) <= longest:
            out.append(" ".join([*left, token, *right]))
    return out


def _run(tokens: list[str]) -> list[str]:
    """The content words at the start of `tokens`, up to the first function word."""
    out = []
    for token in tokens:
        if token.lower() in _BREAK:
            break
        out.append(token)
    return out


def is_acronym(word: str) -> bool:
    """"OCR", "LLMs", "GeoAI", "BERT4Rec": two or more capitals, not a capitalised word."""
    letters = [c for c in word.removesuffix("s") if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 and capitals * 2 >= len(letters)


def initials(phrase: str) -> str:
    """The acronym a phrase of three or more words would have ("large language models" → "LLM";
    hyphenated parts count: "cyber-physical systems" → "CPS"), or empty."""
    parts = [p for w in normalise(phrase.replace("-", " ")).split() for p in [w] if p]
    if len(parts) < 3 or any(p.isdigit() for p in parts):
        return ""
    return "".join(p[0] for p in parts).upper()


def spellings(phrase: str) -> list[str]:
    """The phrase and its other spellings: hyphens closed or opened, the last word's number."""
    words = phrase.split()
    forms = [phrase]
    joined = [w.replace("-", "") if _prefixed(w) else w for w in words]
    split = [_open(w) for w in words]
    forms += [" ".join(joined), " ".join(split)]
    for form in list(forms):
        *head, last = form.split()
        forms += [" ".join([*head, other]) for other in number_forms(last)]
    return list(dict.fromkeys(normalise_keep(f) for f in forms if f))


def number_forms(word: str) -> list[str]:
    """The singular or plural of a noun, crudely ("twins" ↔ "twin", "policies" ↔ "policy")."""
    lower = word.lower()
    if "-" in word or any(c.isdigit() for c in word) or lower.endswith("ing"):
        return []
    if is_acronym(word):
        return [word[:-1]] if word.endswith("s") else [word + "s"]
    if lower.endswith("ies") and len(lower) > 4:
        return [word[:-3] + "y"]
    if lower.endswith(("ches", "shes", "xes", "sses")):
        return [word[:-2]]
    if lower.endswith(("ch", "sh", "x")):
        return [word + "es"]
    if lower.endswith("ss") or lower.endswith("us") or lower.endswith("is"):
        return []
    if lower.endswith("s") and len(lower) > 3:
        return [word[:-1]]
    if lower.endswith("y") and len(lower) > 3 and lower[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    if lower[-1:].isalpha() and len(lower) > 3:
        return [word + "s"]
    return []


def normalise_keep(phrase: str) -> str:
    """Lower-case with single spaces, keeping hyphens (arXiv's index splits them itself)."""
    return " ".join(phrase.lower().replace("’", "'").split())


def acronym_expansions(acronym: str, texts: Iterable[str]) -> list[str]:
    """Phrases in `texts` whose initials spell `acronym` ("OCR" → "optical character recognition"),
    most frequent first; "(OCR)" definitions are found the same way, as the words before them."""
    letters = [c.lower() for c in acronym if c.isalpha() and (c.isupper() or c.isdigit())]
    if len(letters) < 2:
        return []
    found: Counter[str] = Counter()
    for text in texts:
        for run in content_runs(text):
            parts = [p for w in run for p in w.split("-")]
            for i in range(len(parts) - len(letters) + 1):
                window = parts[i:i + len(letters)]
                if [p[0] for p in window] == letters and all(len(p) > 2 for p in window):
                    found[" ".join(window)] += 1
    return [phrase for phrase, _ in found.most_common(2)]


def phrasings(topic: str, acronyms: dict[str, str] | None = None,
              texts: Iterable[str] = ()) -> list[str]:
    """Every form of the topic's phrases worth one query: each multi-word phrase in its spellings
    and its sub-phrases, acronyms and what they stand for (from the request's own definitions,
    or read from `texts`, the first results), and single words that look like names (DevOps)."""
    parts = facets(topic)
    multi = [p for p in parts if len(p.split()) > 1]
    texts = list(texts)
    forms: list[str] = joined_spans(topic)
    for part in parts:
        words = part.split()
        if len(words) == 1:
            if is_acronym(part) or _named(part) or not (multi or forms):
                plural = [] if _named(part) else number_forms(part)
                forms += [part, *plural] if part.lower() not in GENERIC_WORDS else []
                forms += _expansions(part, acronyms or {}, texts)
            continue
        forms += spellings(part)
        forms += [s for s in _sub_phrases(words) if s.lower() not in GENERIC_WORDS]
        short = initials(part)
        if short and _used(short, texts):
            forms += [short, short + "s"]
    for short, long in (acronyms or {}).items():
        if set(normalise(long).split()) & set(normalise(topic).split()):
            forms += [short, long]
    return list(dict.fromkeys(normalise_keep(f) for f in forms))[:MAX_FORMS]


def any_of(forms: Iterable[str]) -> str:
    """One arXiv query for any of the forms, each in title or abstract, phrases quoted."""
    terms = []
    for form in forms:
        words = re.findall(r"[A-Za-z0-9]+", form)
        if not words:
            continue
        term = f'"{" ".join(words)}"' if len(words) > 1 else words[0]
        terms += [f"ti:{term}", f"abs:{term}"]
    return "(" + " OR ".join(terms) + ")" if terms else ""


def _sub_phrases(words: list[str]) -> list[str]:
    """A long phrase without its first or last word ("satellite image time series" of
    "satellite image time series classification"), trimmed of function words."""
    if len(words) < 3:
        return []
    out = []
    for part in (words[1:], words[:-1]):
        while part and part[0].lower() in _BREAK | GENERIC_WORDS:
            part = part[1:]
        while part and part[-1].lower() in _BREAK | GENERIC_WORDS:
            part = part[:-1]
        if len(part) >= 2:
            out.append(" ".join(part))
    return out


def _expansions(word: str, acronyms: dict[str, str], texts: list[str]) -> list[str]:
    if word in acronyms:
        return [acronyms[word]]
    return acronym_expansions(word, texts) if is_acronym(word) else []


def _used(acronym: str, texts: list[str], least: int = 2) -> bool:
    """Whether at least `least` of the texts use the acronym as a word (LLM, LLMs)."""
    pattern = re.compile(rf"\b{re.escape(acronym)}s?\b")
    return sum(1 for t in texts if pattern.search(t)) >= least


def _prefixed(word: str) -> bool:
    parts = word.split("-")
    return len(parts) == 2 and parts[0].lower() in PREFIXES


def _open(word: str) -> str:
    """"multilingual" → "multi-lingual": a closed word with a known prefix, hyphenated."""
    lower = word.lower()
    for prefix in OPEN_PREFIXES:
        if lower.startswith(prefix) and len(lower) - len(prefix) >= 4 and "-" not in lower:
            return f"{word[:len(prefix)]}-{word[len(prefix):]}"
    return word


def _named(word: str) -> bool:
    """A single word that reads like a name: "DevOps", "BERT4Rec", "blockchain"-like rarities
    are kept by the caller only when the topic has no phrase."""
    return any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
