"""The core, as the TUI uses it: one object built from settings, every method blocking.

The app calls these from thread workers, never from the event loop, so the screen keeps drawing
while arXiv answers or a paper is parsed. The services (arXiv client, embedder, library) are
built once, on first use, and shared by the chat commands and the review runs (one embedder in
memory). Nothing here imports Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from agent.settings import Settings

ProgressFn = Callable[[int, int, str], None]
"""`progress(done, total, message)`, called from the worker thread."""


class BackendError(RuntimeError):
    """Something the person asked for cannot be done; the message says why and what to do."""


class Backend:
    """Search, ingest, ask, summarize, digest, the library, and review runs, over one data dir."""

    def __init__(self, settings: Settings, *, services: Any = None, session: Any = None,
                 chat_models: Callable[..., Any] | None = None) -> None:
        from agent.review.context import ReviewServices

        self.settings = settings
        self.services = services or ReviewServices(settings)
        self._session = session
        self.chat_models = chat_models or _chat_model
        """`chat_models(settings, role, allow_tools=False)`: `agent.services.chat_model` (tests pass fakes)."""
        self._lock = threading.RLock()

    @property
    def session(self) -> Any:
        """The review session (runs, gates), sharing this backend's services."""
        with self._lock:
            if self._session is None:
                from agent.runs.session import ReviewSession

                self._session = ReviewSession(self.settings, services=self.services)
            return self._session

    @property
    def library(self) -> Any:
        """The library (loading it loads the embedding model: seconds, once)."""
        return self._service("library")

    def _service(self, name: str) -> Any:
        """A shared service, built once even when two workers ask for it at the same moment."""
        with self._lock:
            return getattr(self.services, name)

    def close(self) -> None:
        """Close the checkpointer's connection."""
        if self._session is not None:
            self._session.close()

    def warm(self) -> dict[str, int]:
        """Open the library (and the embedder) ahead of the first question; its counts."""
        return self.stats()

    # -- the library -------------------------------------------------------------------------

    def papers(self) -> list[Any]:
        """Every stored paper (`LibraryPaper`, without parsed text)."""
        return self.library.list(with_text=False)

    def paper(self, arxiv_id: str) -> Any:
        """One stored paper with its parsed text, or None."""
        return self.library.get(arxiv_id)

    def remove(self, arxiv_id: str) -> bool:
        """Remove a paper and everything stored for it."""
        return self.library.remove(arxiv_id)

    def stats(self) -> dict[str, int]:
        """Papers, chunks and figures stored."""
        return self.library.stats()

    # -- chat commands -----------------------------------------------------------------------

    def search(self, topic: str, max_results: int) -> Any:
        """Search arXiv for a topic (`tools.search.topic.SearchOutcome`)."""
        from tools.http import FetchError
        from tools.search.topic import SearchRequest, search_topic

        try:
            return search_topic(self._service("arxiv"), self._service("embedder"),
                                SearchRequest(topic=topic, max_results=max_results))
        except FetchError as error:
            raise BackendError(f"arXiv search failed: {error}") from error

    def ingest(self, items: list[str], progress: ProgressFn | None = None) -> list[Any]:
        """Resolve and ingest items one by one (`agent.ingest.pipeline.IngestResult` each, in order)."""
        from agent.ingest.pipeline import resolve_items

        resolutions = resolve_items(items, self._service("arxiv"), self._service("embedder"))
        records = self._metadata(resolutions)
        results = []
        for done, resolution in enumerate(resolutions):
            if progress:
                progress(done, len(resolutions), resolution.item)
            results.append(self._ingest_one(resolution, records))
        if progress:
            progress(len(resolutions), len(resolutions), "")
        return results

    def _metadata(self, resolutions: list[Any]) -> dict[str, Any]:
        """arXiv records for every id, in one request (unknown ones are fetched with the PDF)."""
        from tools.http import FetchError

        ids = sorted({r.arxiv_id + r.version for r in resolutions if r.kind == "arxiv" and r.ok})
        try:
            return {p.arxiv_id: p for p in self._service("arxiv").fetch(ids)} if ids else {}
        except FetchError:
            return {}

    def _ingest_one(self, resolution: Any, records: dict[str, Any]) -> Any:
        from agent.ingest.pipeline import IngestResult, ingest_local_pdf, ingest_paper, ingest_url
        from tools.paper import Paper

        library = self.library
        common = dict(library=library, store=library.papers, settings=self.settings)
        if not resolution.ok:
            return IngestResult(item=resolution.item, arxiv_id=resolution.arxiv_id, status="failed",
                                error=resolution.note or "could not be resolved")
        if resolution.kind == "pdf":
            return ingest_local_pdf(Path(resolution.path), arxiv_client=self._service("arxiv"),
                                    item=resolution.item, **common)
        if resolution.kind == "url":
            return ingest_url(resolution.url, downloader=self._service("downloader"),
                              arxiv_client=self._service("arxiv"), **common)
        paper = resolution.paper or records.get(resolution.arxiv_id) or Paper(
            arxiv_id=resolution.arxiv_id, version=resolution.version, title="")
        return ingest_paper(paper, downloader=self._service("downloader"), item=resolution.item, **common)

    def ask(self, question: str, k: int = 8) -> Any:
        """Answer from the library (`agent.ask.extractive.Answer`); written by `llm.chat` when set."""
        from agent.ask.extractive import answer_question

        model = self.chat_models(self.settings, "chat") if self.chat_model_name() else None
        return answer_question(self.library, question, k, chat_model=model,
                               diversity=self.settings.memory.mmr_diversity)

    def summarize(self, arxiv_id: str) -> Any:
        """A stored paper's structured summary (`PaperSummary`); extractive without `llm.summarizer`."""
        from tools.document import ParsedPaper

        record = self.paper(arxiv_id)
        if record is None:
            raise BackendError(f"{arxiv_id} is not in the library: /ingest {arxiv_id} first")
        parsed = record.parsed or ParsedPaper(
            source=record.paper.abs_url, title=record.paper.title, authors=record.paper.authors,
            arxiv_id=record.paper.arxiv_id, version=record.paper.version, abstract=record.paper.abstract,
            warnings=["only the abstract is in the library; the summary quotes it alone"])
        return self._summary(parsed)

    def _summary(self, parsed: Any) -> Any:
        from agent.llm.errors import LLMError
        from agent.llm.prompts import PromptBook, PromptError
        from agent.summary.extract import summarize_extractive
        from agent.summary.written import SummaryError, summarize_with_model

        name = self.settings.llm.summarizer.strip()
        if not name or name.lower() in ("none", "off"):
            summary = summarize_extractive(parsed)
        else:
            try:
                model = self.chat_models(self.settings, "summarizer")
                summary = summarize_with_model(parsed, model, name, PromptBook(self.settings.llm.prompts))
            except (LLMError, PromptError, SummaryError) as error:
                raise BackendError(f"llm.summarizer = {name!r}: {error}") from error
        summary.warnings = list(parsed.warnings) + summary.warnings
        return summary

    def digest(self, keyword: str = "") -> Any:
        """Today's digest for the watched keywords (or one keyword); marks what it showed as seen."""
        from agent import services
        from agent.digest.build import DigestOptions, build_digest
        from agent.digest.watch import Watch, WatchError

        try:
            watchlist = services.watchlist(self.settings)
            watches = [watchlist.get(keyword) or Watch(name=" ".join(keyword.split()))] if keyword \
                else watchlist.all()
            seen = services.seen_state(self.settings)
        except (WatchError, ValueError) as error:
            raise BackendError(str(error)) from error
        if not watches:
            raise BackendError("no keywords watched: add one with `autoresearch watch add \"video "
                               "anomaly detection\"`, or give one: /digest KEYWORD")
        result = build_digest(services.digest_client(self.settings), watches,
                              DigestOptions(max_per_keyword=self.settings.digest.max_per_keyword), seen)
        seen.commit(result, {w.name: w.key for w in watches})
        return result

    def chat_model_name(self) -> str:
        """`llm.chat`, or empty when free text goes to `ask`."""
        name = self.settings.llm.chat.strip()
        return "" if name.lower() in ("", "none", "off") else name

    def agent_model(self) -> Any:
        """The chat model with tools allowed (the assistant's), or None without `llm.chat`."""
        return self.chat_models(self.settings, "chat", allow_tools=True) if self.chat_model_name() else None

    # -- review runs -------------------------------------------------------------------------

    def runs(self, limit: int = 50) -> list[Any]:
        """The latest runs on this data dir (`RunInfo`), newest first."""
        return self.session.runs(limit)

    def show(self, run_id: str) -> Any:
        """One run with its pending gate request and stage timings."""
        return self.session.show(run_id)

    def cancel(self, run_id: str) -> Any:
        """Cancel a run (a live one stops at its next step)."""
        return self.session.cancel(run_id)

    def start_review(self, request: Any, run_id: str | None = None) -> Iterator[Any]:
        """Start a review; its events (iterate in a worker)."""
        return self.session.start(request, run_id)

    def resume(self, run_id: str, decision: Any = None) -> Iterator[Any]:
        """Answer a gate (or pick up a stopped run); its events."""
        return self.session.resume(run_id, decision)


def _chat_model(settings: Settings, role: str, allow_tools: bool = False) -> Any:
    from agent import services

    return services.chat_model(settings, role, allow_tools=allow_tools)
