"""Item 7: a category is checked against arXiv's taxonomy before it reaches a query; query syntax
in `--category` is a usage error, never pasted into `search_query`."""

from __future__ import annotations

import json

import pytest

from evals.mirror import MirrorServer

INJECTIONS = ["cs.CV OR x", "cs.CV) OR (ti:x", 'cs.CV" OR "x', "cz.CV", "", "cs."]


@pytest.mark.parametrize("bad", INJECTIONS)
def test_item07_search_refuses_a_category_that_is_not_one(bad: str, mirror: MirrorServer, mirror_settings,
                                                          cli) -> None:
    refused = cli("search", "video anomaly detection", "--category", bad, "--no-rerank", "--json")
    assert refused.code == 2, refused.err
    assert "not an arXiv category" in refused.err
    assert mirror.api_hits() == []  # nothing was sent to arXiv


def test_item07_review_and_watch_refuse_it_too(mirror: MirrorServer, mirror_settings, cli) -> None:
    review = cli("review", "video anomaly detection", "-c", "cs.CV OR x")
    assert review.code == 2 and "not an arXiv category" in review.err
    assert json.loads(cli("runs", "list", "--json").out)["runs"] == []  # no run was created
    watch = cli("watch", "add", "video anomaly detection", "-c", "cs.CV OR x")
    assert watch.code == 2 and "not an arXiv category" in watch.err
    assert "cs.CV OR x" not in cli("watch", "list", "--json").out


def test_item07_real_categories_still_filter(mirror: MirrorServer, mirror_settings, cli) -> None:
    done = cli("search", "video anomaly detection", "-c", "cs.CV", "-c", "cond-mat.str-el", "--no-rerank", "--json")
    assert done.code == 0, done.err
    assert "(cat:cs.CV OR cat:cond-mat.str-el)" in json.loads(done.out)["query"]


def test_item07_the_query_builder_refuses_it_for_every_caller() -> None:
    from tools.search.categories import BadCategory
    from tools.search.query import with_filters

    with pytest.raises(BadCategory, match="not an arXiv category"):
        with_filters("ti:video", ["cs.CV OR x"])


def test_item07_a_task_file_category_is_checked(tmp_path, cli) -> None:
    task = tmp_path / "review.toml"
    task.write_text('topic = "video anomaly detection"\ncategories = ["cs.CV OR x"]\n')
    refused = cli("review", "--task", str(task))
    assert refused.code != 0 and "not an arXiv category" in refused.reason


def test_item07_a_review_request_from_any_front_end_refuses_it() -> None:
    """The TUI and the bot build `ReviewRequest` directly: the request itself checks categories."""
    from pydantic import ValidationError

    from agent.review.state import ReviewRequest

    with pytest.raises(ValidationError, match="not an arXiv category"):
        ReviewRequest(topic="video anomaly detection", categories=["cs.CV OR x"])
    assert ReviewRequest(topic="video anomaly detection", categories=["cs.CV"]).categories == ["cs.CV"]
