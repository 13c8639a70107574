"""Read a request in plain words: the topic phrase to search for and any limit on dates.

People ask for literature the way they would ask a librarian: "Please help me research the
academic advancements in radar data representations for autonomous driving, only papers before
April 2025". Searching every word of that finds papers about "help" and "April". This module
takes the request apart, with no model: the date limits ("before April 2025", "prior to October
2022", "since 2020", "between 2019 and 2021", "no later than June 2023"), the acronyms it defines
("Continual Learning (CL)"), and the topic phrase (what follows the request's verb, with the
framing — "the academic field of", "the application of", "in the field of" — and the
requirements clauses cut away). A short topic passes through as typed. Pure text in, a
`ParsedRequest` out, so `search` and `review` read requests the same way and show what they took.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tools.search.query import is_raw_query
from tools.text.words import DOCUMENT_WORDS, FUNCTION_WORDS, GENERIC_WORDS, REQUEST_WORDS

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WHEN = (rf"(?:(?:{_MONTH})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}}|\d{{4}}-\d{{2}}(?:-\d{{2}})?"
         r"|(?:the\s+(?:end|start|beginning)\s+of\s+)?\d{4})")
_PAPERS = r"(?:\b(?:(?:only|all)\s+)?(?:(?:referenced|cited|relevant)\s+)?(?:papers|works|studies|articles)\s+)?"
_PUBLISHED = r"(?:(?:were|are|be|have\s+been|was)\s+)?(?:(?:published|released|submitted|written|appeared)\s+)?"
_UPTO = r"(?:before|prior\s+to|earlier\s+than|until|till|up\s+to|no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|by)"
_FROM = r"(?:since|after|from|later\s+than|on\s+or\s+after|starting\s+(?:from|in))"
_LEAD = rf"{_PAPERS}{_PUBLISHED}"
_BETWEEN = re.compile(rf"{_LEAD}(?:between|from)\s+(?P<a>{_WHEN})\s+(?:and|to|until|through)\s+(?P<b>{_WHEN})", re.I)
_LIMIT = re.compile(rf"{_LEAD}(?P<op>{_UPTO}|{_FROM})\s+(?P<when>{_WHEN})\b", re.I)
_RECENT = re.compile(rf"{_LEAD}(?:in|from|over|during|within)\s+the\s+(?:last|past)\s+(?P<n>\d+|two|three|four|five|ten)\s+years", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}

_REQUIREMENT = re.compile(
    r"[,;]?\s*(?:and\s+)?(?:please\s+)?(?:ensur\w*|with\s+the\s+requirement|with\s+(?:all|specific)\s+\w+"
    r"|referring\s+only|refer\s+only|(?:and\s+)?only\s+(?:refer|cite|use|include|consider)|requiring"
    r"|based\s+on\s+papers|making\s+sure)\b[^.\n]*", re.I)
_CLAUSE_END = re.compile(
    r"[.;:?!\n]|,\s*(?:with|which|where|especially|particularly|focusing|including|and\s+(?:i|we|it|please)\b)"
    r"|\s+and\s+(?:require|need|want|would|hope|request|seek)\w*\b|\s+with\s+a\s+(?:\w+\s+)?focus\b"
    r"|\s+(?:specifically|for\s+me)\b", re.I)
_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,120})[\"“”]")
_DEFINED = re.compile(r"\b((?:[A-Za-z][\w-]*\s+){0,5}[A-Za-z][\w-]*)\s+\(([A-Z][A-Za-z0-9&]{1,9})\)")
_PAREN = re.compile(r"\s*\([^)]*\)")
_CUE = re.compile(r"\b(?:research\w*|review\w*|surveys?|stud(?:y|ies|ying)|investigat\w*|report|literature"
                  r"|explor\w*|summar\w*|compil\w*|look\w*\s+into|learn\w*\s+about|papers?\s+on)\b", re.I)
_FIELD_OF = re.compile(r"\b(?:in|within)\s+the\s+(?:\w+\s+)?(?:field|area|domain|context)\s+of\s+", re.I)
_X_DOMAIN = re.compile(r"\b(in|within)\s+the\s+([\w-]+(?:\s+[\w-]+)?)\s+(?:domain|field|area)\b", re.I)
_FRAMING = FUNCTION_WORDS | DOCUMENT_WORDS | REQUEST_WORDS
"""Words a short topic may start with that frame it ("papers on …"): never part of its subject."""
_FILLER = _FRAMING | GENERIC_WORDS
_STARTERS = {"on", "of", "in", "into", "about", "regarding", "for", "to", "using", "concerning",
             "around", "that", "how", "and", "the", "a", "an"}
SHORT = 8
"""A request of at most this many words with no sentence in it is taken as the topic itself."""


@dataclass
class ParsedRequest:
    """What was taken from a request: the topic to search, date limits, acronyms it defines."""

    text: str
    topic: str
    since: date | None = None
    until: date | None = None
    acronyms: dict[str, str] = field(default_factory=dict)
    """Acronym → the words it stands for, as the request defines them ("CL": "continual learning")."""
    taken: list[str] = field(default_factory=list)
    """In words, each thing read from the request, for `--explain` and `--json`."""

    def as_dict(self) -> dict:
        """The JSON form shown by `search --json` and kept in a review's report."""
        return {"text": self.text, "topic": self.topic, "since": _iso(self.since),
                "until": _iso(self.until), "acronyms": self.acronyms, "taken": self.taken}


def parse_request(text: str, today: date | None = None) -> ParsedRequest:
    """Split a request into its topic phrase, date limits and defined acronyms."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if is_raw_query(text):
        return ParsedRequest(text=text, topic=text)
    since, until, taken = date_limits(text, today or date.today())
    rest = without_dates(_REQUIREMENT.sub("", text))
    acronyms = {short: expansion for long, short in _DEFINED.findall(rest)
                if (expansion := _long_form(long, short))}
    topic = topic_phrase(rest)
    out = ParsedRequest(text=text, topic=topic or text, since=since, until=until,
                        acronyms=acronyms, taken=[])
    if out.topic != text:
        out.taken.append(f"topic {out.topic!r}")
    out.taken += taken + [f"acronym {s} = {lf!r}" for s, lf in acronyms.items()]
    return out


def date_limits(text: str, today: date) -> tuple[date | None, date | None, list[str]]:
    """The date limits of a request and what was read, in words."""
    since = until = None
    taken: list[str] = []
    for match in _BETWEEN.finditer(text):
        since, until = _first_day(match["a"]), _last_day(match["b"])
        taken.append(f"submitted {since} to {until} (from {match[0].strip()!r})")
    text = _BETWEEN.sub(" ", text)
    for match in _LIMIT.finditer(text):
        when, op = match["when"], " ".join(match["op"].lower().split())
        if op in ("before", "prior to", "earlier than"):
            until = _first_day(when) - timedelta(days=1)
            taken.append(f"submitted until {until} (from {match[0].strip()!r})")
        elif op in ("after", "later than"):
            since = _last_day(when) + timedelta(days=1)
            taken.append(f"submitted since {since} (from {match[0].strip()!r})")
        elif re.match(_FROM, op):
            since = _first_day(when)
            taken.append(f"submitted since {since} (from {match[0].strip()!r})")
        else:
            until = _last_day(when)
            taken.append(f"submitted until {until} (from {match[0].strip()!r})")
    for match in _RECENT.finditer(text):
        years = _NUMBERS.get(match["n"].lower()) or int(match["n"])
        since = date(today.year - years, today.month, 1)
        taken.append(f"submitted since {since} (from {match[0].strip()!r})")
    return since, until, taken


def without_dates(text: str) -> str:
    """The request with its date limits cut out."""
    return _RECENT.sub(" ", _LIMIT.sub(" ", _BETWEEN.sub(" ", text)))


def topic_phrase(text: str) -> str:
    """The subject of a request: a short topic as typed, else the words after its request verb."""
    words = text.split()
    if len(words) <= SHORT and not re.search(r"[.?!]\s+\S", text):
        return _tidy(_strip_filler(text, _FRAMING))
    sentence = next((s for s in re.split(r"(?<=[.?!:])\s+|\n+", text) if _CUE.search(s)), text)
    quoted = _QUOTED.search(sentence)
    if quoted:
        return _tidy(quoted[1] + " " + _continuation(sentence[quoted.end():]))
    cue = _CUE.search(sentence)
    after = sentence[cue.end():] if cue else sentence
    return _tidy(_strip_filler(_CLAUSE_END.split(after, maxsplit=1)[0]))


def _continuation(tail: str) -> str:
    """What qualifies a quoted phrase: ' of electronic voting systems' after "L&A testing"."""
    tail = _X_DOMAIN.sub(r"\1 \2", _FIELD_OF.sub("in ", _CLAUSE_END.split(tail, maxsplit=1)[0]))
    match = re.match(r"\s*(?:[\w-]+\s+)?(?:of|for|in|on)\s+.*", tail)
    return match[0] if match else ""


def _strip_filler(text: str, filler: frozenset[str] = _FILLER) -> str:
    """Drop framing words up to the last preposition before the subject, repeatedly."""
    text = _X_DOMAIN.sub(r"\1 \2", _FIELD_OF.sub("in ", text))
    words = text.split()
    while words:
        cut = 0
        for i, word in enumerate(words):
            bare = word.lower().strip(",'\"“”")
            if bare not in filler and bare not in _STARTERS:
                break
            if bare in _STARTERS:
                cut = i + 1
        if not cut:
            break
        words = words[cut:]
    return " ".join(words)


def _tidy(phrase: str) -> str:
    """Without parentheses, quotes, trailing punctuation or a dangling function word."""
    phrase = _PAREN.sub("", phrase)
    phrase = re.sub(r"[\"“”]", "", phrase).strip(" ,.;:!?")
    words = phrase.split()
    while words and words[-1].lower() in FUNCTION_WORDS | REQUEST_WORDS:
        words.pop()
    while words and words[0].lower() in FUNCTION_WORDS:
        words.pop(0)
    return " ".join(words)


def _long_form(long: str, short: str) -> str:
    """The last words of `long` whose initials (hyphenated parts count) spell the capitals of
    `short` — "Cyber-Physical Systems" for CPS — or empty when they do not."""
    capitals = [c.lower() for c in short if c.isupper()]
    words = long.split()
    for n in range(1, len(words) + 1):
        parts = [p for w in words[-n:] for p in w.split("-") if p]
        if len(parts) >= len(capitals):
            fits = len(capitals) >= 2 and [p[:1].lower() for p in parts] == capitals
            return " ".join(words[-n:]).lower() if fits else ""
    return ""


def _year_month(when: str) -> tuple[int, int | None, int | None]:
    """(year, month or None, day or None) of a date as written."""
    iso = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", when.strip())
    if iso:
        return int(iso[1]), int(iso[2]), int(iso[3]) if iso[3] else None
    year = int(re.findall(r"\d{4}", when)[-1])
    month = next((MONTHS[w] for w in re.findall(r"[a-z]+", when.lower()) if w in MONTHS), None)
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b,?\s+\d{4}", when)
    if re.search(r"\bend\s+of\b", when, re.I):
        return year, 12, 31
    return year, month, int(day[1]) if day and month else None


def _first_day(when: str) -> date:
    year, month, day = _year_month(when)
    return date(year, month or 1, day or 1)


def _last_day(when: str) -> date:
    year, month, day = _year_month(when)
    month = month or 12
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
