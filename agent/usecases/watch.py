"""Watch: the keywords the daily digest follows (add, list, remove)."""

from __future__ import annotations

from typing import Any

from agent import services as factories
from agent.digest.watch import Watch
from agent.settings import Settings


def add(settings: Settings, keyword: str, categories: list[str] | None = None, query: str = "",
        replace: bool = False) -> tuple[Watch, str]:
    """Watch a keyword (its name with spaces evened out); the watch and what happened (`added`, …)."""
    watch = Watch(name=" ".join(keyword.split()), categories=categories or [], query=query.strip())
    return factories.watchlist(settings).add(watch, replace=replace)


def watches(settings: Settings) -> list[Watch]:
    """Every watched keyword: the data dir's list, then `digest.keywords` from the config."""
    return factories.watchlist(settings).all()


def remove(settings: Settings, name: str) -> Watch:
    """Stop watching a keyword (case does not matter); the watch removed."""
    return factories.watchlist(settings).remove(name)


def record(watch: Watch) -> dict[str, Any]:
    """A watch as plain JSON (what `watch … --json` prints)."""
    return {"name": watch.name, "categories": watch.categories, "query": watch.query,
            "search_query": watch.search_query(), "added": watch.added, "source": watch.source}
