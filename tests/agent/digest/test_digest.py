"""The digest over the arXiv mirror: one request per keyword, newest first, new marked once."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from markdown_it import MarkdownIt

from agent import services
from agent.digest.build import DigestOptions, build_digest, parse_since
from agent.digest.render import TABLE_HEADER, render_markdown
from agent.digest.watch import Watch
from agent.settings import Settings
from evals.mirror import SEED_CORPUS, Fault, MirrorServer

KEYWORDS = ["Video Anomaly Detection", "Video Understanding"]
ROW_RE = re.compile(r"^\| (?P<new>🆕 )?\*\*\[(?P<title>.+?)\]\((?P<url>https://arxiv\.org/abs/[^)\s]+)\)\*\* "
                    r"\| (?P<date>\d{4}-\d{2}-\d{2}) \| <details><summary>Show</summary><p>(?P<abstract>.+?)</p>"
                    r"</details> \| (?P<comment>.*) \|$")


def _seed() -> dict[str, dict]:
    return {row["arxiv_id"]: row for row in map(json.loads, SEED_CORPUS.read_text().splitlines())}


def _digest(settings: Settings, **options):
    watches = [Watch(name=k) for k in KEYWORDS]
    seen = services.seen_state(settings)
    result = build_digest(services.digest_client(settings), watches, DigestOptions(**options), seen)
    seen.commit(result, {w.name: w.key for w in watches})
    return result


def test_two_keywords_render_in_the_seed_layout(mirror_settings: Settings, mirror: MirrorServer) -> None:
    result = _digest(mirror_settings)
    markdown = render_markdown(result)
    seed = _seed()
    assert len(mirror.api_hits()) == 2  # one search per keyword
    for keyword in KEYWORDS:
        block = markdown.split(f"\n## {keyword}\n", 1)[1].split("\n## ", 1)[0]
        assert block.startswith(TABLE_HEADER + "\n")
        rows = [ROW_RE.match(line) for line in block.strip().splitlines()[2:]]
        assert rows and all(rows), block[:500]
        dates = [r["date"] for r in rows]
        assert dates == sorted(dates, reverse=True)  # newest first
        for row in rows:
            arxiv_id = re.sub(r"v\d+$", "", row["url"].rsplit("/", 1)[1])
            record = seed[arxiv_id]
            assert keyword.lower() in (record["title"] + " " + record["abstract"]).lower()
            assert row["title"].replace("\\[", "[").replace("\\]", "]") == " ".join(record["title"].split())
            assert row["new"]  # the first digest has seen nothing yet
    assert result.new_count == sum(len(k.papers) for k in result.keywords) > 20


def test_markdown_renders_as_one_table_per_keyword_with_folded_abstracts(mirror_settings: Settings) -> None:
    html = MarkdownIt("gfm-like", {"html": True}).render(render_markdown(_digest(mirror_settings)))
    assert html.count("<table>") == 2
    assert re.findall(r"<h2>(.*?)</h2>", html) == KEYWORDS
    assert re.findall(r"<th>(.*?)</th>", html)[:4] == ["<strong>Title</strong>", "<strong>Date</strong>",
                                                       "<strong>Abstract</strong>", "<strong>Comment</strong>"]
    rows = html.count("<tr>") - 2
    assert rows == html.count("<details><summary>Show</summary>") > 20


def test_a_second_digest_the_same_day_shows_nothing_new_and_a_new_paper_shows_up(
        mirror_settings: Settings, mirror: MirrorServer) -> None:
    first = _digest(mirror_settings)
    second = _digest(mirror_settings)
    assert second.new_count == 0
    assert [p.arxiv_id for k in second.keywords for p in k.papers] == \
        [p.arxiv_id for k in first.keywords for p in k.papers]
    assert len(mirror.api_hits()) == 2  # the second digest was answered from the cache
    today = datetime.now(UTC).date().isoformat()
    mirror.corpus.add({"arxiv_id": "2611.01234", "version": "v1", "published": today,
                       "title": "Prompted Video Anomaly Detection in the Wild",
                       "abstract": "We study video anomaly detection with prompts.", "comment": "9 pages"})
    third = _digest(mirror_settings, refresh=True)
    anomaly = third.keywords[0]
    assert [(p.arxiv_id, p.new) for p in anomaly.papers[:2]] == [("2611.01234", True), (anomaly.papers[1].arxiv_id, False)]
    assert third.new_count == 1
    assert _digest(mirror_settings, refresh=True).new_count == 0


def test_since_and_the_cap_keep_the_newest(mirror_settings: Settings, mirror: MirrorServer) -> None:
    result = _digest(mirror_settings, since=date(2025, 3, 1), max_per_keyword=3)
    for table in result.keywords:
        assert 0 < len(table.papers) <= 3
        assert all(p.published >= "2025-03-01" for p in table.papers)
    assert "submittedDate:[202503010000 TO" in mirror.api_hits()[0].params["search_query"]
    assert mirror.api_hits()[0].params["sortBy"] == "submittedDate"


def test_new_only_keeps_unseen_papers(mirror_settings: Settings) -> None:
    _digest(mirror_settings, max_per_keyword=2)
    later = _digest(mirror_settings, max_per_keyword=5, new_only=True)
    assert all(p.new for k in later.keywords for p in k.papers)
    assert [len(k.papers) for k in later.keywords] == [3, 3]


def test_one_failing_keyword_does_not_sink_the_others(mirror_settings: Settings, mirror: MirrorServer) -> None:
    mirror.faults.append(Fault(status=400, body=b"<html><body>Bad request</body></html>", content_type="text/html"))
    result = _digest(mirror_settings)
    failed, ok = result.keywords
    assert failed.error and "HTML" in failed.error and not failed.papers
    assert ok.papers and not ok.error
    assert result.problems() == [f"{failed.keyword}: {failed.error}"]
    assert "> **Search failed:**" in render_markdown(result)
    # the failed keyword's papers were not recorded: they are new next time
    assert all(p.new for p in _digest(mirror_settings).keywords[0].papers)


def test_parse_since() -> None:
    now = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert parse_since("1d", now) == date(2026, 3, 9)
    assert parse_since("12h", now) == date(2026, 3, 9)
    assert parse_since("2w", now) == date(2026, 2, 24)
    assert parse_since("2025-01-17", now) == date(2025, 1, 17)
    assert parse_since(None) is None and parse_since("all") is None
    with pytest.raises(ValueError, match="1d, 12h, 2w or YYYY-MM-DD"):
        parse_since("yesterday")


def test_an_unreadable_state_is_an_error_not_a_reset(mirror_settings: Settings) -> None:
    (mirror_settings.data_dir / "digest_state.json").write_text("{not json")
    with pytest.raises(ValueError, match="unreadable"):
        services.seen_state(mirror_settings)
