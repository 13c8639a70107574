"""Watchlists: added, listed and removed through the CLI; stored atomically in the data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli.app import main
from agent.digest.watch import Watch, WatchError, WatchList


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_add_list_remove_through_the_cli(capsys: pytest.CaptureFixture[str], isolated_env: Path) -> None:
    code, added = _json(capsys, "watch", "add", "Video  Anomaly Detection", "--category", "cs.CV", "--json")
    assert code == 0 and added["outcome"] == "added"
    assert added["watch"]["search_query"] == \
        '(ti:"Video Anomaly Detection" OR abs:"Video Anomaly Detection") AND (cat:cs.CV)'
    assert _json(capsys, "watch", "add", "Talking heads", "--query", "ti:talking AND ti:head", "--json")[0] == 0
    code, listed = _json(capsys, "watch", "list", "--json")
    assert [w["name"] for w in listed["watches"]] == ["Video Anomaly Detection", "Talking heads"]
    assert listed["watches"][1]["search_query"] == "(ti:talking AND ti:head)"
    stored = json.loads((isolated_env / "watchlist.json").read_text())
    assert [w["name"] for w in stored["watches"]] == ["Video Anomaly Detection", "Talking heads"]
    code, removed = _json(capsys, "watch", "remove", "video anomaly detection", "--json")
    assert code == 0 and removed["watch"]["name"] == "Video Anomaly Detection"
    assert [w["name"] for w in _json(capsys, "watch", "list", "--json")[1]["watches"]] == ["Talking heads"]


def test_duplicates_are_idempotent_and_changes_need_replace(capsys: pytest.CaptureFixture[str]) -> None:
    assert _json(capsys, "watch", "add", "Video Understanding", "--json")[1]["outcome"] == "added"
    assert _json(capsys, "watch", "add", "video understanding", "--json")[1]["outcome"] == "unchanged"
    code = main(["watch", "add", "Video Understanding", "-c", "cs.CV"])
    assert code == 1 and "--replace" in capsys.readouterr().err
    code, replaced = _json(capsys, "watch", "add", "Video Understanding", "-c", "cs.CV", "--replace", "--json")
    assert replaced["outcome"] == "replaced" and replaced["watch"]["categories"] == ["cs.CV"]


def test_removing_an_unknown_keyword_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["watch", "remove", "Nothing"]) == 1
    assert "is not watched" in capsys.readouterr().err


def test_config_keywords_are_listed_read_only(tmp_path: Path) -> None:
    watches = WatchList(tmp_path / "watchlist.json", declared=["Vision Language Model", "video understanding"])
    watches.add(Watch(name="Video Understanding"))
    assert [(w.name, w.source) for w in watches.all()] == [("Video Understanding", "watchlist"),
                                                          ("Vision Language Model", "config")]
    with pytest.raises(WatchError, match="config file"):
        watches.remove("Vision Language Model")


def test_an_unreadable_watchlist_is_an_error_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.json"
    path.write_text("{broken")
    with pytest.raises(WatchError, match="unreadable"):
        WatchList(path).add(Watch(name="X"))
    assert path.read_text() == "{broken"


def test_keywords_in_arxiv_syntax_are_sent_as_written() -> None:
    assert Watch(name='ti:"video anomaly" AND cat:cs.CV').search_query() == '(ti:"video anomaly" AND cat:cs.CV)'
    assert Watch(name="a OR b", query="").search_query() == "(a OR b)"
