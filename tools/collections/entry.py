"""One item of a person's collection, whatever format it came from."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from tools.document import Reference
from tools.errors import AutoresearchError
from tools.paper import ARXIV_ID_RE

_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s]*|arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.)"
                            r"(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})", re.I)
_DOI_IN_TEXT = re.compile(r"(?:doi\.org/|doi:\s*)(?P<doi>10\.\d{4,9}/\S+)", re.I)


class CollectionError(AutoresearchError, ValueError):
    """A collection that cannot be read; the message names the file and the problem."""


class Entry(BaseModel):
    """What a reference manager knows about one item."""

    key: str = ""
    """The item's key in its collection (BibTeX key, RIS ID, CSL id, Zotero key)."""
    type: str = ""
    title: str = ""
    authors: list[str] = Field(default_factory=list)
    """`First Last` names, in order."""
    year: str = ""
    doi: str = ""
    arxiv_id: str = ""
    url: str = ""
    venue: str = ""
    volume: str = ""
    pages: str = ""
    abstract: str = ""
    origin: str = ""
    """Where it came from: `refs.bib`, `zotero.sqlite: Reading list`, …"""

    def to_reference(self) -> Reference:
        """The entry as a reference, for `tools.sources.resolve`."""
        raw = ". ".join(p for p in [", ".join(self.authors), self.year, self.title, self.venue,
                                    " ".join(p for p in [self.volume, self.pages] if p)] if p)
        return Reference(raw=raw, title=self.title, authors=self.authors, year=self.year,
                         arxiv_id=self.arxiv_id, doi=self.doi)


def find_arxiv_id(*texts: str) -> str:
    """An arXiv id named in any of the texts (`arXiv:1607.06450`, an arxiv.org URL, an arXiv DOI)."""
    for text in texts:
        found = _ARXIV_IN_TEXT.search(text or "")
        if found and ARXIV_ID_RE.fullmatch(found.group("id")):
            return found.group("id")
    return ""


def find_doi(*texts: str) -> str:
    """A DOI named in any of the texts (a bare `10.…` value or a doi.org URL), lower-cased."""
    for text in texts:
        text = (text or "").strip()
        if re.match(r"^10\.\d{4,9}/\S+$", text):
            return text.lower()
        found = _DOI_IN_TEXT.search(text)
        if found:
            return found.group("doi").rstrip(".,;").lower()
    return ""


def first_last(name: str) -> str:
    """`Abadi, Martín` → `Martín Abadi`; `Martín Abadi` stays."""
    name = re.sub(r"\s+", " ", name).strip()
    if "," in name:
        last, _, first = name.partition(",")
        return f"{first.strip()} {last.strip()}".strip()
    return name


def year_of(text: str) -> str:
    """The first plausible year in a date string (`2014//`, `2012-04-06`, `June 2017`)."""
    found = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)", text or "")
    return found.group(1) if found else ""
