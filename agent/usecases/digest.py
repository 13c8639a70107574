"""Digest: the newest papers for each watched keyword, with what is new marked, then marked seen.

The one path for `autoresearch digest` (printed, written or posted to Slack), the TUI's `/digest`
and the bot's `/digest`: pick the watches, search, translate when asked, deliver, and only then
remember what was shown, so a digest that fails on the way out leaves its papers new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from agent import services as factories
from agent.digest.build import Digest, DigestOptions, build_digest, translate_digest
from agent.digest.watch import Watch
from agent.llm.translation import Translator
from agent.settings import Settings
from tools.errors import AutoresearchError

WATCH_ONE = 'add one with `autoresearch watch add "Video Anomaly Detection"`'


class NoWatches(AutoresearchError):
    """No keyword is watched and none was named."""


def watches_for(settings: Settings, keywords: Sequence[str] = (), hint: str = WATCH_ONE) -> list[Watch]:
    """The named keywords (watched or not), else the whole watchlist; `NoWatches` when empty."""
    watchlist = factories.watchlist(settings)
    if keywords:
        return [watchlist.get(k) or Watch(name=" ".join(k.split())) for k in keywords]
    watches = watchlist.all()
    if not watches:
        raise NoWatches("no keywords watched", hint=hint)
    return watches


def digest(settings: Settings, keywords: Sequence[str] = (), *, options: DigestOptions | None = None,
           translate_with: Translator | None = None, deliver: Callable[[Digest], object] | None = None,
           hint: str = WATCH_ONE) -> Digest:
    """Build the digest, translate it, hand it to `deliver`, then mark its papers seen.

    If `deliver` raises, nothing is marked seen. `hint` says how to name a keyword in the front
    end asking (for the error when none is watched).
    """
    watches = watches_for(settings, keywords, hint)
    seen = factories.seen_state(settings)
    options = options or DigestOptions(max_per_keyword=settings.digest.max_per_keyword)
    result = build_digest(factories.digest_client(settings), watches, options, seen)
    if translate_with is not None:
        translate_digest(result, translate_with)
    if deliver is not None:
        deliver(result)
    seen.commit(result, {w.name: w.key for w in watches})
    return result
