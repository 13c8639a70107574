"""Read an OpenAlex work object (its JSON, as the API sends it) into a `Work`.

OpenAlex fills fields unevenly: `title` may be null, `primary_location.source` may be null, a
DOI comes as a URL, the abstract comes as an inverted index (word → positions), and the arXiv
version of a published paper shows up only among its `locations`. Everything missing stays empty.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tools.paper import ARXIV_ID_RE
from tools.sources.base import Work, arxiv_id_of_doi

_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>[^\s?#]+?)(?:\.pdf)?/?$", re.I)
_TAGS = re.compile(r"<[^>]+>")


def parse_work(data: dict[str, Any]) -> Work | None:
    """The work, or None when it has no id (an unusable record)."""
    work_id = short_id(data.get("id") or "")
    if not work_id:
        return None
    doi = bare_doi(data.get("doi") or (data.get("ids") or {}).get("doi") or "")
    primary = data.get("primary_location") or {}
    source = primary.get("source") or {}
    biblio = data.get("biblio") or {}
    year = data.get("publication_year")
    return Work(
        id=work_id, title=clean_title(data.get("title") or data.get("display_name") or ""),
        authors=[name for name in (_author(a) for a in data.get("authorships") or []) if name],
        year=year if isinstance(year, int) else None, published=data.get("publication_date") or "",
        doi=doi, arxiv_id=arxiv_id_of_doi(doi) or _arxiv_location(data), venue=source.get("display_name") or "",
        volume=str(biblio.get("volume") or ""), first_page=str(biblio.get("first_page") or ""),
        type=data.get("type") or "", cited_by_count=int(data.get("cited_by_count") or 0),
        referenced_works=[short_id(w) for w in data.get("referenced_works") or [] if isinstance(w, str)],
        oa_pdf_url=_pdf_url(data), abstract=abstract_text(data.get("abstract_inverted_index")))


def short_id(url: str) -> str:
    """`https://openalex.org/W2741809807` → `W2741809807`."""
    return url.rstrip("/").rsplit("/", 1)[-1] if isinstance(url, str) else ""


def bare_doi(doi: str) -> str:
    """`https://doi.org/10.7717/PeerJ.4375` → `10.7717/peerj.4375`."""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I).lower()


def clean_title(title: str) -> str:
    """A title without markup (`Denoising <i>Diffusion</i>`) or runs of white space."""
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub("", title))).strip()


def abstract_text(index: Any) -> str:
    """Rebuild an abstract from OpenAlex's inverted index (word → positions)."""
    if not isinstance(index, dict) or not index:
        return ""
    placed = {pos: word for word, positions in index.items() for pos in positions if isinstance(pos, int)}
    return " ".join(placed[pos] for pos in sorted(placed))


def _author(authorship: dict[str, Any]) -> str:
    author = authorship.get("author") or {}
    return (author.get("display_name") or authorship.get("raw_author_name") or "").strip()


def _arxiv_location(data: dict[str, Any]) -> str:
    """The arXiv id of an arXiv location (a published paper's preprint), if any."""
    for location in data.get("locations") or []:
        for key in ("landing_page_url", "pdf_url"):
            found = _ARXIV_URL.search((location or {}).get(key) or "")
            match = ARXIV_ID_RE.fullmatch(found.group("id")) if found else None
            if match:
                return match.group("id")
    return ""


def _pdf_url(data: dict[str, Any]) -> str:
    """The best open-access PDF: the best OA location's PDF, else the OA URL when it is a PDF."""
    best = (data.get("best_oa_location") or {}).get("pdf_url") or ""
    if best:
        return best
    oa_url = (data.get("open_access") or {}).get("oa_url") or ""
    return oa_url if oa_url.lower().endswith(".pdf") else ""
