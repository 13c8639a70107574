"""Citation counts for candidates: one OpenAlex request per 50 papers, a reason line each.

"cited by 1,234 (OpenAlex)" helps a person judge a candidate at the papers gate and in
`search --explain`; it changes no ranking. Papers OpenAlex does not know, or a failed request,
leave the candidates as they were.
"""

from __future__ import annotations

import logging

from tools.http import FetchError
from tools.paper import Candidate
from tools.sources.base import WorkSource, arxiv_doi

log = logging.getLogger(__name__)


def with_citation_counts(candidates: list[Candidate], source: WorkSource) -> tuple[list[Candidate], str]:
    """The candidates with OpenAlex's citation counts added, and a warning (empty when none)."""
    dois = {c.paper.arxiv_id: (arxiv_doi(c.paper.arxiv_id) if c.paper.on_arxiv else c.paper.doi)
            for c in candidates if c.paper.cited_by_count is None}
    if not any(dois.values()):
        return candidates, ""
    try:
        works = {w.doi: w for w in source.lookup([d for d in dois.values() if d])}
    except FetchError as error:
        log.warning("no citation counts: %s", error)
        return candidates, f"no citation counts from OpenAlex: {error}"
    out = []
    for candidate in candidates:
        work = works.get(dois.get(candidate.paper.arxiv_id, ""))
        if work is None:
            out.append(candidate)
            continue
        paper = candidate.paper.model_copy(update={"cited_by_count": work.cited_by_count, "openalex_id": work.id})
        reasons = [*candidate.reasons, f"cited by {work.cited_by_count:,} (OpenAlex)"]
        out.append(candidate.model_copy(update={"paper": paper, "reasons": reasons}))
    return out, ""
