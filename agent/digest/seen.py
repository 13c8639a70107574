"""What earlier digests showed, so a paper is marked new only once per keyword.

The state is committed only after a digest was delivered (written, printed or posted): a digest
that fails on the way out leaves its papers new for the next run. Commits merge with whatever is
on disk under a file lock, so two digests running at once lose nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock

from tools.errors import AutoresearchError
from tools.files import write_atomic

if TYPE_CHECKING:
    from agent.digest.build import Digest

STATE_FILE = "digest_state.json"


class DigestStateError(AutoresearchError, ValueError):
    """The file of what earlier digests showed cannot be read."""


class SeenState:
    """Per keyword, the arXiv ids already shown and the day each was first shown."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(str(path.with_suffix(".lock")))
        self._snapshot = self._read()

    def seen(self, keyword_key: str) -> set[str]:
        """Ids shown for a keyword by earlier digests (as of when this state was opened)."""
        return set(self._snapshot.get(keyword_key, {}))

    def commit(self, digest: Digest, keys: dict[str, str]) -> int:
        """Record every paper of the digest as shown; returns how many were not recorded before.

        `keys` maps a keyword as printed to its watch key. Keywords whose search failed are
        skipped, so their papers stay new.
        """
        day = digest.generated[:10]
        added = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            state = self._read()
            for table in digest.keywords:
                if table.error:
                    continue
                shown = state.setdefault(keys.get(table.keyword, table.keyword), {})
                for paper in table.papers:
                    if paper.arxiv_id not in shown:
                        shown[paper.arxiv_id] = day
                        added += 1
            write_atomic(self.path, json.dumps({"version": 1, "seen": state}, indent=1))
        self._snapshot = state
        return added

    def _read(self) -> dict[str, dict[str, str]]:
        """The state on disk; an unreadable file is an error, never a silent reset."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        try:
            document = json.loads(text)
            seen = document["seen"]
            if not isinstance(seen, dict):
                raise TypeError("seen is not an object")
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise DigestStateError(f"the digest state {self.path} is unreadable ({error}); "
                             "fix or delete it (every paper will then be new once)") from None
        return {str(k): dict(v) for k, v in seen.items()}
