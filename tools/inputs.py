"""What a person typed, checked once for every front end, before any work starts.

An empty topic, a file where a folder should be, a folder where a file should be, an output that
cannot be written or would overwrite earlier work: each is a `BadInput` with one line saying what
is wrong (a `tools.errors.BadUsage`: the CLI exits 2; the TUI and the bot show the line). Checking up front means a review
never runs for an hour to fail at its export, and an unset shell variable (`runs approve ""`)
never matches every run.
"""

from __future__ import annotations

import os
from pathlib import Path

from tools.errors import BadUsage


class BadInput(BadUsage):
    """What was typed is wrong (an argument, an option, a path); nothing was done (exit 2)."""


def nonblank(value: str | None, what: str) -> str:
    """`value` stripped; `BadInput` when it is empty or only spaces."""
    text = (value or "").strip()
    if not text:
        raise BadInput(f"{what} is empty")
    return text


def check_output_file(path: Path, option: str) -> Path:
    """A file we may write (created or replaced): not a folder, in a folder we can write to."""
    path = path.expanduser()
    if path.is_dir():
        raise BadInput(f"{option} {path} is a folder; give a file name")
    _check_writable_folder(path.parent, option, path)
    if path.exists() and not os.access(path, os.W_OK):
        raise BadInput(f"{option} {path} exists and cannot be written (permissions)")
    return path


def check_output_dir(path: Path, option: str, *, keep: str = "", force: bool = False) -> Path:
    """A folder we may write into: not a file, writable, and (unless `force`) not holding `keep`,
    an earlier result that writing here would overwrite."""
    path = path.expanduser()
    if path.exists() and not path.is_dir():
        raise BadInput(f"{option} {path} is a file, not a folder")
    _check_writable_folder(path, option, path)
    if keep and not force and (path / keep).exists():
        raise BadInput(f"{option} {path} already holds {keep} from an earlier run: pass --force to "
                       "overwrite it, or choose another folder")
    return path


def _check_writable_folder(folder: Path, option: str, target: Path) -> None:
    """The nearest existing folder on the way to `folder` must be a writable folder."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise BadInput(f"{option} {target}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise BadInput(f"{option} {target}: cannot write in {probe} (permissions)")


def pdfs_in(folder: Path, recursive: bool) -> list[Path]:
    """The PDFs in a folder (and, with `recursive`, its subfolders), by path.

    Without `recursive` a folder is refused: `ingest adir` is more often a slip than a wish to
    read a whole tree, and saying so costs nothing.
    """
    if not recursive:
        raise BadInput(f"{folder} is a folder: pass --recursive to ingest the PDFs in it")
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    if not found:
        raise BadInput(f"no PDF files in the folder {folder}")
    return found
