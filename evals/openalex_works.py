"""Work objects in OpenAlex's layout, for the local OpenAlex server (`evals/openalex_server.py`).

`make_work` writes a work with the keys, nesting and value types of the recorded real response in
`evals/datasets/openalex/peneira_works_search_page1.json` (a test keeps them equal). Works made
here get ids `W9…`: real OpenAlex ids are below W5000000000 today, so none pretends to be a real
work. `arxiv_works` turns arXiv-style records (the seed corpus, ReportBench's corpus) into works
the way OpenAlex lists arXiv preprints: DOI `10.48550/arxiv.<id>`, source "arXiv (Cornell
University)", a landing page and a PDF on arxiv.org.
"""

from __future__ import annotations

import hashlib
import re

ARXIV_SOURCE = {"id": "https://openalex.org/S4306400194", "display_name": "arXiv (Cornell University)",
                "issn_l": None, "issn": None, "is_oa": True, "is_in_doaj": False,
                "host_organization": "https://openalex.org/I205783295",
                "host_organization_name": "Cornell University",
                "host_organization_lineage": ["https://openalex.org/I205783295"],
                "host_organization_lineage_names": ["Cornell University"], "type": "repository"}


def work_id(seed: str) -> str:
    """A stable made-up OpenAlex id (`W9…`) for `seed`."""
    return f"W9{int(hashlib.sha256(seed.encode()).hexdigest()[:12], 16) % 10**9:09d}"


def make_work(*, seed: str, title: str, authors: list[str], year: int | None, date: str = "",
              doi: str = "", venue: str = "", volume: str = "", first_page: str = "",
              cited_by_count: int = 0, references: list[str] | None = None, abstract: str = "",
              pdf_url: str = "", arxiv_id: str = "", kind: str = "article") -> dict:
    """One work object in OpenAlex's layout."""
    ident = f"https://openalex.org/{work_id(seed)}"
    doi_url = f"https://doi.org/{doi}" if doi else None
    source = _source(venue, arxiv_id)
    landing = f"http://arxiv.org/abs/{arxiv_id}" if arxiv_id else doi_url
    pdf = f"http://arxiv.org/pdf/{arxiv_id}" if arxiv_id else (pdf_url or None)
    location = {"is_oa": bool(pdf), "landing_page_url": landing, "pdf_url": pdf, "source": source,
                "license": None, "license_id": None, "version": "submittedVersion" if arxiv_id else "publishedVersion",
                "is_accepted": not arxiv_id, "is_published": not arxiv_id}
    return {
        "id": ident, "doi": doi_url, "title": title, "display_name": title,
        "publication_year": year, "publication_date": date or (f"{year}-01-01" if year else None),
        "ids": {"openalex": ident, **({"doi": doi_url} if doi_url else {})}, "language": "en",
        "primary_location": location, "type": kind, "type_crossref": "journal-article",
        "indexed_in": ["arxiv"] if arxiv_id else ["crossref"],
        "open_access": {"is_oa": bool(pdf), "oa_status": "green" if pdf else "closed", "oa_url": pdf,
                        "any_repository_has_fulltext": bool(arxiv_id)},
        "authorships": [_authorship(name, i, len(authors)) for i, name in enumerate(authors)],
        "cited_by_count": cited_by_count,
        "biblio": {"volume": volume or None, "issue": None, "first_page": first_page or None, "last_page": None},
        "is_retracted": False, "is_paratext": False, "locations_count": 1, "locations": [location],
        "best_oa_location": location if pdf else None,
        "referenced_works_count": len(references or []),
        "referenced_works": [f"https://openalex.org/{r}" for r in references or []], "related_works": [],
        "abstract_inverted_index": inverted_index(abstract) if abstract else None,
        "cited_by_api_url": f"https://api.openalex.org/works?filter=cites:{work_id(seed)}",
        "counts_by_year": [], "updated_date": "2026-01-01T00:00:00.000000", "created_date": "2026-01-01",
    }


def arxiv_works(records: list[dict]) -> list[dict]:
    """Works for arXiv-style records (`arxiv_id`, `title`, `authors`, `published`, `abstract`)."""
    out = []
    for record in records:
        arxiv_id = record["arxiv_id"]
        synthetic = not record.get("real_id", True)
        published = record.get("published") or ""
        year = int(published[:4]) if published[:4].isdigit() else None
        out.append(make_work(
            seed=f"arxiv:{arxiv_id}", title=record["title"], authors=record.get("authors") or [], year=year,
            date=published[:10], doi="" if synthetic else f"10.48550/arxiv.{arxiv_id}",
            abstract=record.get("abstract", ""), arxiv_id="" if synthetic else arxiv_id,
            cited_by_count=int(record.get("cited_by_count", 0)), kind="preprint" if not synthetic else "article"))
    return out


def inverted_index(text: str) -> dict[str, list[int]]:
    """An abstract as OpenAlex stores it: each word with the positions it occurs at."""
    index: dict[str, list[int]] = {}
    for position, word in enumerate(text.split()):
        index.setdefault(word, []).append(position)
    return index


def _source(venue: str, arxiv_id: str) -> dict | None:
    if arxiv_id:
        return ARXIV_SOURCE
    if not venue:
        return None
    return {"id": f"https://openalex.org/S9{int(hashlib.sha256(venue.encode()).hexdigest()[:8], 16) % 10**8:08d}",
            "display_name": venue, "issn_l": None, "issn": None, "is_oa": False, "is_in_doaj": False,
            "host_organization": None, "host_organization_name": None, "host_organization_lineage": [],
            "host_organization_lineage_names": [], "type": "journal"}


def _authorship(name: str, index: int, total: int) -> dict:
    position = "first" if index == 0 else "last" if index == total - 1 else "middle"
    slug = re.sub(r"\W+", "", name.lower())
    return {"author_position": position,
            "author": {"id": f"https://openalex.org/A9{int(hashlib.sha256(slug.encode()).hexdigest()[:9], 16) % 10**9:09d}",
                       "display_name": name, "orcid": None},
            "institutions": [], "countries": [], "is_corresponding": index == 0, "raw_author_name": name,
            "raw_affiliation_strings": []}
