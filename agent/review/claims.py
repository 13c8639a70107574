"""Split a cited sentence into what each cited paper is responsible for, so each can be checked.

"Four of the six papers evaluate on UCF-Crime [@a; @b; @c; @d]" claims the same thing of each of
the four; "ADNet [@a] uses temporal convolutions, while GIG [@b] learns from video-level labels"
claims one clause of each. A clause is cut at semicolons and at ", while/whereas/but/and"; its
citations own it, and a clause without citations belongs to the one before it (the same paper,
continued). Who is speaking ("Sultani et al.", a method's name right before its citation, counts of
papers) is framing, not claim, and is left out of the part. A citation that is the object of a
relation ("ClipRank [@b] compares against SegScore [@a]") claims only that the name is that paper's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.review.writers.markdown import CITATION, CITATION_GROUP, unescape

_CLAUSE = re.compile(r";\s+|,\s+(?=(?:while|whereas|but|and)\s)")
_MENTION = re.compile(r"(?:(?:the authors of\s+)?\*[^*]+\*|(?:[A-Z][\w'’+.\\-]*\s+){0,4}?(?:et al\.|"
                      r"and\s+[A-Z][\w'’+.\\-]*|[A-Z][\w'’+.\\-]*))\s*$")
_SUBJECT_SLOT = re.compile(r"\s*(?:(?:,|;|:|and|while|whereas|but)\s*)*(?:(?:the|their)\s+[\w\s-]{0,40}?\s*of\s*)?", re.I)
"""What may stand before a paper's name in a subject position: nothing, a list separator, or
"the experimental results of"."""
_RELATION = re.compile(r"\b(?:compares? against|builds? on|extends|cites|than|against|with|over)\s+$", re.I)
_COUNT = re.compile(r"\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|all|both)"
                    r"\s+(?:of\s+(?:the|them|these)\s+)?(?:\w+\s+)?(?:(?:reviewed\s+)?papers?|of them)|"
                    r"of\s+the\s+\w+\s+(?:reviewed\s+)?papers?|is (?:used|reported) by \w+)\b", re.I)
_SPEAKER = re.compile(r"\b(?:the (?:work|authors) of|et al\.|the authors|they|their|also|both|all)\b", re.I)
FRAMING = frozenset("""evaluate evaluates address addresses report reports build builds state states note
notes explain explains since known here title only across review reviewed section discusses differ
method methods one two three
four five six seven eight nine ten eleven twelve""".split())
"""Words the reviewer's own sentence frames add around a paper's claim."""


@dataclass
class Part:
    """What one cited paper must support in a sentence."""

    key: str
    text: str
    """The claim, framing removed (plain text, Markdown escapes undone)."""
    names: list[str]
    """How the sentence names this paper (the words right before its citation)."""
    object_only: bool = False
    """Cited only as the object of a relation: its part is its name."""


def parts(sentence: str) -> list[Part]:
    """The part of `sentence` each cited key is responsible for, in order of first citation."""
    clauses = clauses_of(sentence)
    owners: list[list[str]] = []
    for clause in clauses:
        keys = [m.group("key") for g in CITATION_GROUP.finditer(clause) for m in CITATION.finditer(g.group(0))]
        owners.append(keys or (owners[-1] if owners else []))
    first = next((o for o in owners if o), [])
    owners = [o or first for o in owners]
    found: dict[str, Part] = {}
    for clause, keys in zip(clauses, owners, strict=True):
        text, names, objects = _strip(clause)
        for key in dict.fromkeys(keys):
            part = found.setdefault(key, Part(key=key, text="", names=[], object_only=True))
            part.text = f"{part.text} {text}".strip()
            part.names += names.get(key, [])
            part.object_only = part.object_only and key in objects
    return list(found.values())


def clauses_of(sentence: str) -> list[str]:
    """The sentence cut at its clause boundaries (never inside a citation group `[@a; @b]`)."""
    groups = [g.group(0) for g in CITATION_GROUP.finditer(sentence)]
    masked = CITATION_GROUP.sub(lambda m: f"\x02{groups.index(m.group(0))}\x03", sentence)
    restored = [re.sub("\x02(\\d+)\x03", lambda m: groups[int(m.group(1))], c) for c in _CLAUSE.split(masked)]
    return [c for c in restored if c.strip()]


def _strip(clause: str) -> tuple[str, dict[str, list[str]], set[str]]:
    """(claim text, key → the names before its citation, keys cited as objects of a relation)."""
    names: dict[str, list[str]] = {}
    objects: set[str] = set()
    out, last = [], 0
    for index, group in enumerate(CITATION_GROUP.finditer(clause)):
        before = clause[last:group.start()]
        keys = [m.group("key") for m in CITATION.finditer(group.group(0))]
        # A name right before a one-paper citation names that paper; before a group of several it
        # is the claim itself ("… report AUC [@a; @b]").
        mention = _MENTION.search(before) if len(keys) == 1 else None
        if mention and not (_SUBJECT_SLOT.fullmatch(before[:mention.start()])
                            or _RELATION.search(before[:mention.start()])):
            mention = None  # a capitalized word inside a claim ("reports AP [@c]") is no name
        if mention and mention.group(0).strip():
            for key in keys:
                names.setdefault(key, []).append(unescape(mention.group(0)).strip("* "))
            if index > 0 and _RELATION.search(before[:mention.start()]):
                objects.update(keys)
            before = before[:mention.start()]
        out.append(before)
        last = group.end()
    out.append(clause[last:])
    text = unescape(" ".join(out)).replace("*", "")
    text = _SPEAKER.sub(" ", _COUNT.sub(" ", text))
    return " ".join(text.split()).strip(" ,.;:"), names, objects


def metadata_years(text: str, year: str) -> set[str]:
    """Years in `text` that the paper's metadata vouches for: its own year, or a bound it meets
    ("since 2023" said of a 2024 paper)."""
    if not year:
        return set()
    ok = {year} if re.search(rf"\b{year}\b", text) else set()
    for bound in re.finditer(r"\b(since|from|after|until|before)\s+((?:19|20)\d\d)\b", text, re.I):
        later = bound.group(1).lower() in ("since", "from", "after")
        if (year >= bound.group(2)) if later else (year <= bound.group(2)):
            ok.add(bound.group(2))
    return ok


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve"]


def number_word(n: int) -> str:
    """`four` for small counts, `14` beyond twelve."""
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def drop_citations(sentence: str, bad: set[str]) -> str:
    """`sentence` without the citations of `bad` (and the names right before a lone one), a count
    of papers it states corrected; empty when no citation would be left."""
    out = sentence
    for key in bad:
        group = next((g for g in CITATION_GROUP.finditer(out)
                      if key in [m.group("key") for m in CITATION.finditer(g.group(0))]), None)
        if group is None:
            continue
        keys = [m.group("key") for m in CITATION.finditer(group.group(0))]
        if len(keys) > 1:
            kept = "[" + "; ".join(f"@{k}" for k in keys if k != key) + "]"
            out = out[:group.start()] + kept + out[group.end():]
            out = _recount(out, len(keys), len(keys) - 1)
            continue
        mention = _MENTION.search(out[:group.start()])
        start = mention.start() if mention else group.start()
        joint = re.search(r"(?:,\s*|\s+and\s+)$", out[:start])
        out = out[:joint.start() if joint else start] + out[group.end():]
    out = re.sub(r"^[\s,;]+|\s+(?=[.,;])", "", out)
    out = re.sub(r"\s{2,}", " ", out)
    if not CITATION_GROUP.search(out):
        return ""
    return out[:1].upper() + out[1:]


def _recount(text: str, old: int, new: int) -> str:
    """Correct the count of papers a sentence states after one of its citations left it."""
    was, now = number_word(old), number_word(new)
    rules = [(rf"\bAll {was} papers\b", f"{now.capitalize()} of the {was} papers"),
             (r"\bBoth papers\b", "One of the two papers"),
             (rf"\b{was.capitalize()} of the\b", f"{now.capitalize()} of the"),
             (rf"\b{was} of the\b", f"{now} of the"), (rf"\b{was} papers\b", f"{now} papers"),
             (rf"\bby {was}\b", f"by {now}"), (rf"\bfor {was}\b", f"for {now}")]
    for pattern, replacement in rules:
        changed = re.sub(pattern, replacement, text, count=1)
        if changed != text:
            return changed
    return text
