"""Drive `autoresearch tui` in a real terminal (tmux): type, switch screens, quit; capture each screen.

Pilot tests run the app headless; this runs the real command in a real pseudo-terminal at 80x24,
through the real key encoding (F-keys, ctrl, tab), against the arXiv mirror on 127.0.0.1.

    python -m evals.tui_tmux            # prints every capture
    python -m evals.tui_tmux --width 120 --height 40

`tests/tui/test_tui_tmux.py` runs the same scenario and checks the captures (skipped without tmux).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from evals.mirror import SEED_CORPUS, Corpus, MirrorServer
from tools.errors import AutoresearchError

REPO = Path(__file__).resolve().parents[1]


class TmuxError(AutoresearchError, RuntimeError):
    """tmux is missing, or the app never showed what it should."""


@dataclass
class Capture:
    """The screen after a step, and when it showed (seconds since the command started)."""

    step: str
    text: str
    seconds: float = 0.0


class TmuxApp:
    """`autoresearch tui` in a detached tmux session."""

    def __init__(self, home: Path, env: dict[str, str], width: int = 80, height: int = 24) -> None:
        if shutil.which("tmux") is None:
            raise TmuxError("tmux is not installed (apt-get install tmux)")
        self.name = f"autoresearch-{uuid.uuid4().hex[:8]}"
        self.started = 0.0
        self.home, self.env, self.size = home, env, (width, height)

    def __enter__(self) -> TmuxApp:
        self.started = time.monotonic()
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        command = (f"cd {shlex.quote(str(REPO))} && env {exports} TERM=xterm-256color "
                   f"{shlex.quote(sys.executable)} -m agent --home {shlex.quote(str(self.home))} tui")
        subprocess.run(["tmux", "new-session", "-d", "-s", self.name, "-x", str(self.size[0]),
                        "-y", str(self.size[1]), command], check=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.alive():
            subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)

    def alive(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True,
                              check=False).returncode == 0

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (`F2`, `C-q`, `Tab`, `Enter`) or, with `literal`, text as typed."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def screen(self) -> str:
        out = subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True,
                             check=False)
        return out.stdout

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        """Poll the screen until `text` shows (the app is real: it takes what time it takes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            if not self.alive():
                raise TmuxError(f"the app exited before showing {text!r}")
            time.sleep(0.1)
        raise TmuxError(f"{text!r} did not show within {timeout:.0f} s; the screen was:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 30.0) -> str:
        """Poll until `text` is no longer on the screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text not in shown:
                return shown
            time.sleep(0.1)
        raise TmuxError(f"{text!r} still showed after {timeout:.0f} s; the screen was:\n{self.screen()}")

    def wait_closed(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.alive():
            raise TmuxError(f"the app did not quit; the screen was:\n{self.screen()}")


def scenario(app: TmuxApp, topic: str) -> list[Capture]:
    """Start, complete a command, search, visit every mode and the help, quit."""
    shots = [Capture("start", app.wait_for("Ask your library"), time.monotonic() - app.started)]
    shots.append(Capture("library open", app.wait_for("0 papers"), time.monotonic() - app.started))
    app.keys("/se", literal=True)
    shots.append(Capture("typed /se", app.wait_for("ranked by meaning")))  # the completion list
    app.keys("Tab")
    app.wait_gone("ranked by meaning")  # tab took the command and closed the list
    app.keys(topic, literal=True)
    app.keys("Enter")
    shots.append(Capture(f"/search {topic}", app.wait_for("papers for")))
    app.keys("F3")
    shots.append(Capture("F3 runs", app.wait_for("No run selected")))
    app.keys("F4")
    shots.append(Capture("F4 library", app.wait_for("sort:")))
    app.keys("F1")
    shots.append(Capture("F1 help", app.wait_for("Keys and commands")))
    app.keys("Escape")
    app.keys("F2")
    app.wait_for("Ask your library")
    app.keys("C-q")
    app.wait_closed()
    return shots


def run(width: int = 80, height: int = 24) -> list[Capture]:
    """The scenario against a fresh mirror and data dir."""
    with MirrorServer(Corpus.load(SEED_CORPUS)) as mirror, tempfile.TemporaryDirectory() as home:
        env = {"AUTORESEARCH_ARXIV__API_URL": mirror.api_url,
               "AUTORESEARCH_OPENALEX__ENABLED": "false", "AUTORESEARCH_ARXIV__PDF_URL": mirror.pdf_url,
               "AUTORESEARCH_ARXIV__MIN_INTERVAL_S": "0.05", "AUTORESEARCH_CONFIG": f"{home}/none.toml",
               "HF_HUB_OFFLINE": "1", "PATH": os.environ.get("PATH", "")}
        with TmuxApp(Path(home), env, width, height) as app:
            return scenario(app, "video anomaly detection")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=80)
    parser.add_argument("--height", type=int, default=24)
    args = parser.parse_args(argv)
    try:
        shots = run(args.width, args.height)
    except TmuxError as error:
        print(f"tui_tmux: {error}", file=sys.stderr)
        return 1
    for shot in shots:
        print(f"── {shot.step} " + "─" * max(0, args.width - len(shot.step) - 4))
        print(shot.text.rstrip("\n"))
    print(f"first screen {shots[0].seconds:.2f} s after the command started; "
          f"library open (embedder loaded) {shots[1].seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
