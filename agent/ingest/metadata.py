"""arXiv metadata for an ingest: one batched look-up beside the reading, never a stall.

Local PDFs carry their arXiv id on page one; the record (title, authors, dates, categories) comes
from arXiv. Asking per PDF costs a request each, and with arXiv unreachable each ask spent a whole
retry cycle (~40 s) before the PDF was read. Here every id a command names — given ids, ids
stamped in local PDFs, and papers stored earlier from their PDF alone — is asked for in one
batched look-up on a background thread while the PDFs are read. A PDF waits for it at most
`WAIT_S` (shared by the whole command); without a record by then it is stored with what its PDF
says, and enriched at the end of the command if the record arrives, or by a later ingest.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from agent.ingest.resolve import Resolution
from tools.http import FetchError
from tools.paper import Paper
from tools.pdf.parse import PdfError, peek_arxiv_id
from tools.search.arxiv import ArxivClient

log = logging.getLogger(__name__)
WAIT_S = 5.0
"""Longest a command's PDFs wait, in all, for the batched look-up before storing without it."""
PENDING_MAX = 50
"""Papers stored earlier without their record that one command's look-up also asks for."""


class MetadataLookup:
    """arXiv records for a list of ids, asked in one batched look-up on a background thread."""

    def __init__(self, client: ArxivClient | None, ids: list[str]) -> None:
        self.ids = list(dict.fromkeys(ids))
        self.records: dict[str, Paper] = {}
        self.error = ""
        self.started = time.monotonic()
        self._done = threading.Event()
        if client is None or not self.ids:
            self._done.set()
            return
        threading.Thread(target=self._run, args=(client,), name="metadata", daemon=True).start()

    def _run(self, client: ArxivClient) -> None:
        try:
            self.records = {p.arxiv_id: p for p in client.fetch(self.ids)}
        except FetchError as error:
            self.error = str(error)
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        """Whether the look-up has answered (or failed)."""
        return self._done.is_set()

    def get(self, arxiv_id: str, wait: bool = False) -> Paper | None:
        """The record of a (bare) id: waited for when `wait`, else only within the shared `WAIT_S`."""
        if wait:
            self._done.wait()
        else:
            self._done.wait(max(0.0, WAIT_S - (time.monotonic() - self.started)))
        return self.records.get(arxiv_id) if self.done else None


def stamped_ids(resolutions: list[Resolution], password: str | None = None) -> list[str]:
    """Every arXiv id the items name: given ids and the ids stamped in local PDFs (page one only)."""
    ids = []
    for resolution in resolutions:
        if resolution.kind == "arxiv" and resolution.ok:
            ids.append(resolution.arxiv_id + resolution.version)
        elif resolution.kind == "pdf" and resolution.ok:
            try:
                found = peek_arxiv_id(Path(resolution.path), password)
            except (PdfError, OSError):
                continue  # the ingest itself reports it
            if found:
                ids.append(found[0] + found[1])
    return ids


def pending_ids(library) -> list[str]:
    """Papers stored earlier from their PDF alone (an arXiv id but no record yet)."""
    return [r.paper.arxiv_id for r in library.list(with_text=False)
            if not r.paper.published and not r.abstract_only and not r.paper.arxiv_id.startswith("local-")
            ][:PENDING_MAX]


def start(client: ArxivClient | None, resolutions: list[Resolution], library,
          password: str | None = None) -> MetadataLookup:
    """Start the command's one look-up: the items' ids and the papers still waiting for a record."""
    return MetadataLookup(client, stamped_ids(resolutions, password) + pending_ids(library))


def enrich(library, lookup: MetadataLookup) -> list[str]:
    """Store the arrived records of papers kept so far with what their PDF said; their ids."""
    if not lookup.done or lookup.error:
        return []
    enriched = []
    for arxiv_id, record in lookup.records.items():
        stored = library.get(arxiv_id)
        if stored is None or stored.parsed is None or stored.paper.published:
            continue
        if stored.paper.version and record.version and stored.paper.version != record.version:
            record = record.model_copy(update={"version": stored.paper.version})
        library.add(record, stored.parsed)
        enriched.append(arxiv_id)
    return enriched
