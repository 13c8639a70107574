"""How command results look in the chat: search hits, an ingest's progress and outcome, a digest."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from tui.widgets.chat_log import search_table

STATUS_STYLE = {"ingested": "green", "abstract_only": "yellow", "title_only": "yellow", "failed": "red"}


class SearchResults(Static):
    """A search's ranked papers."""

    def __init__(self, topic: str, outcome) -> None:
        super().__init__(search_table(outcome.results), classes="results")
        self.results = outcome.results
        self.border_title = f"{len(outcome.results)} papers for “{topic}”"
        cached = " · cached" if outcome.requests == 0 else ""
        self.border_subtitle = f"arXiv{cached}"


class IngestCard(Vertical):
    """An ingest as it happens: a bar and the current item, then one line per paper."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(classes="ingest-card")
        self.items = items
        self.border_title = f"ingest {len(items)} item{'s' if len(items) != 1 else ''}"

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=len(self.items), show_eta=False, id="ingest-bar")
        yield Static("resolving …", id="ingest-now")

    def progress(self, done: int, total: int, item: str) -> None:
        """Called (through the app) from the ingest worker."""
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one("#ingest-now", Static).update(f"reading {escape(item)}" if item else "storing …")

    def finish(self, results: list) -> None:
        """Replace the bar with the outcome of each item."""
        self.query_one(ProgressBar).display = False
        ok = sum(r.ok for r in results)
        self.border_title = f"ingested {ok} of {len(results)} in full"
        table = Table(box=None, show_edge=False, pad_edge=False, expand=True, show_header=False)
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("what", ratio=1, overflow="ellipsis", no_wrap=True)
        for r in results:
            what = r.title or r.item
            if r.ok:
                what = f"{what}  [dim]{r.pages} pages, {r.figures} figures, {r.chunks} chunks[/]"
            elif r.error:
                what = f"{escape(what)}  [dim]{escape(r.error)}[/]"
            table.add_row(r.arxiv_id or r.item, f"[{STATUS_STYLE[r.status]}]{r.status}[/]", what)
        self.query_one("#ingest-now", Static).update(table)
        self.set_class(ok == 0, "-failed")


def digest_markdown(digest) -> str:
    """The digest as terminal-friendly Markdown: per keyword, the papers as a list (new ones marked)."""
    lines = [f"**{digest.new_count} new** since the last digest · {digest.generated[:10]}"]
    for table in digest.keywords:
        lines += ["", f"### {table.keyword} ({table.new_count} new)"]
        if table.error:
            lines.append(f"_search failed: {table.error}_")
        for paper in table.papers[:20]:
            mark = "**new** " if paper.new else ""
            lines.append(f"- {mark}[{paper.title}]({paper.url}) · {paper.published} · `{paper.arxiv_id}`")
        if len(table.papers) > 20:
            lines.append(f"- … and {len(table.papers) - 20} more (`autoresearch digest` shows all)")
    return "\n".join(lines)
