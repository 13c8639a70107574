"""Turn references into works: by arXiv id or DOI (many per request), by title, by volume and page.

Each reference is tried the cheapest sure way first. An arXiv id or a DOI is looked up exactly (50
to a request; a DOI whose work has another title is refused: parsers misread DOIs). A title is
searched and the candidates scored (`tools.sources.match`); a reference whose title the parser
could not read gets one more try with the likeliest title-like stretch of its raw text. A physics
reference with no title at all ("Phys. Rev. B 80, 014524 (2009)") is found by volume, first page and
year and kept only when the journal's abbreviation fits the venue and the first author agrees.
Requests stop when the source's budget runs out (`BudgetSpent`); what was not looked up says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.document import Reference
from tools.http import FetchError
from tools.sources.base import WorkSource, arxiv_doi
from tools.sources.match import Match, best_match, surnames, title_similarity, words
from tools.text.words import FUNCTION_WORDS

_MARKER = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}\.?)\s+")
_JOURNAL = re.compile(r"(?P<journal>[A-Z][A-Za-z.:&\s]{1,60}?)\s+(?P<volume>[A-Z]?\d{1,4}),?\s+"
                      r"(?P<page>[A-Z]?\d{1,7})\s*\((?P<year>(?:1[89]|20)\d{2})\)")
_VENUE = re.compile(r"^(?:In\b|Proc\.|Proceedings|Journal\b|Trans\.|Transactions|IEEE\b|ACM\b|arXiv|CoRR\b|"
                    r"Advances in|URL|http|Technical report|PhD|Master|Springer|Elsevier|Association for)|"
                    r"\bPress\b|Conference|University", re.I)


@dataclass
class Resolved:
    """One reference and the work it was resolved to (None: not found, refused, or not tried)."""

    reference: Reference
    match: Match | None = None
    note: str = ""
    """Why there is no match: "no work fits well enough", "not looked up: budget spent", …"""


def resolve_references(references: list[Reference], source: WorkSource, threshold: float,
                       stop: tuple[type[BaseException], ...] = ()) -> list[Resolved]:
    """Resolve every reference, in order (put the ones that matter most first).

    `stop` are exception types that mean "no more requests" (a request budget); the references
    not yet tried are returned with a note, never dropped.
    """
    out = [Resolved(r) for r in references]
    try:
        _by_ids(out, source)
        for item in out:
            if item.match is None:
                _by_text(item, source, threshold)
    except stop:
        for item in out:
            if item.match is None and not item.note:
                item.note = "not looked up: the request budget ran out"
    except FetchError as error:
        for item in out:
            if item.match is None and not item.note:
                item.note = f"not looked up: {source.name} failed ({error})"
    return out


def _by_ids(items: list[Resolved], source: WorkSource) -> None:
    """Exact lookups: printed arXiv ids (as arXiv DOIs) and DOIs, many per request."""
    wanted = {}
    for item in items:
        ref = item.reference
        if ref.arxiv_id:
            wanted[id(item)] = arxiv_doi(re.sub(r"v\d+$", "", ref.arxiv_id))
        elif ref.doi:
            wanted[id(item)] = ref.doi.strip().lower().rstrip(".")
    if not wanted:
        return
    by_doi = {w.doi: w for w in source.lookup(list(wanted.values()))}
    for item in items:
        work = by_doi.get(wanted.get(id(item), ""))
        if work is None:
            continue
        ref = item.reference
        if ref.title and work.title and title_similarity(ref.title, work.title) < 0.6:
            item.note = f"the printed identifier names another work ({work.title[:60]!r})"
            continue
        via = "arXiv id in the reference" if ref.arxiv_id else "DOI in the reference"
        item.match = Match(work, 1.0, f"{via}, found on {source.name}")


def _by_text(item: Resolved, source: WorkSource, threshold: float) -> None:
    """Title search (the parsed title, then the raw text's likeliest title; a loose search when the
    strict one finds nothing), then volume and page."""
    ref = item.reference
    authors = ref.authors or _first_authors(ref)
    tried: set[str] = set()
    for title in (_trim(t) for t in [ref.title, title_guess(ref.raw)]):
        key = " ".join(words(title))
        if len([w for w in key.split() if w not in FUNCTION_WORDS]) < 2 or key in tried:
            continue
        tried.add(key)
        probe = ref.model_copy(update={"title": title, "authors": authors})
        found = source.search_title(title) or source.search_title(title, loose=True)
        item.match = best_match(probe, found, threshold, f"title matched on {source.name}")
        if item.match:
            return
    journal = journal_reference(ref.raw)
    if journal:
        item.match = _by_biblio(ref, journal, source)
        if item.match:
            return
    item.note = item.note or ("no work fits well enough" if tried or journal else "nothing to search for")


def _trim(title: str) -> str:
    """A title without a trailing year ("…, 2024", "… (2022)", "…, 2024a"), which no work's title has."""
    return re.sub(r"[,;]?\s*\(?(?:19|20)\d{2}[a-z]?\)?\s*$", "", title or "").strip()


def _by_biblio(ref: Reference, journal: dict[str, str], source: WorkSource) -> Match | None:
    """A work with this volume, page and year, whose venue fits the abbreviation and authors agree."""
    cited = surnames(_first_authors(ref))
    for work in source.search_biblio(journal["volume"], journal["page"], journal["year"]):
        venue_fits = abbreviates(journal["journal"], work.venue)
        if venue_fits and cited and cited & surnames(work.authors[:3] or []):
            return Match(work, 0.95, f"journal, volume and page matched on {source.name} "
                                     f"({journal['journal'].strip()} {journal['volume']}, {journal['page']})")
    return None


def _first_authors(ref: Reference) -> list[str]:
    if ref.authors:
        return ref.authors[:1]
    head = _MARKER.sub("", ref.raw).split(",")[0]
    return [re.sub(r"\band\b.*", "", head).strip()]


def journal_reference(raw: str) -> dict[str, str] | None:
    """Journal, volume, first page and year of "Phys. Rev. B 80, 014524 (2009)"-style references."""
    found = _JOURNAL.search(_MARKER.sub("", raw))
    if not found:
        return None
    parts = found.groupdict()
    parts["journal"] = re.sub(r"^.*?,\s*(?=[A-Z])", "", parts["journal"]).strip()
    return parts


def abbreviates(abbreviation: str, name: str) -> bool:
    """Whether `Phys. Rev. B` abbreviates `Physical Review B` (each word a prefix, in order)."""
    short = [w for w in words(abbreviation) if w not in {"and", "of", "the"}]
    full = words(name)
    position = 0
    for word in short:
        while position < len(full) and not full[position].startswith(word):
            position += 1
        if position == len(full):
            return False
        position += 1
    return bool(short)


def title_guess(raw: str) -> str:
    """The stretch of a raw reference most likely to be its title (empty when none looks like one)."""
    text = _MARKER.sub("", raw)
    pieces = re.split(r"(?<=[a-z0-9)\]])\.\s+|,\s+(?=[A-Z])|\s+[“”\"]|[“”\"]\s*", text)
    scored = [(len(p.split()), p.strip(" .,")) for p in pieces if _title_like(p)]
    return max(scored)[1] if scored else ""


def _title_like(piece: str) -> bool:
    """At least three words, no venue, no page numbers, not an author list."""
    tokens = piece.split()
    if len(tokens) < 3 or _VENUE.search(piece) or re.search(r"\d{3,}", piece) or tokens[0] == "and" or ", and " in piece:
        return False
    initials = sum(1 for t in tokens if re.fullmatch(r"[A-Z]\.(?:-?[A-Z]\.)*", t))
    return initials == 0 or initials < 2 and len(tokens) > 4
