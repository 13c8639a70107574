"""Digest rendering: the DailyArXiv Markdown layout, bilingual rows, a safe HTML page, the JSON contract."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from agent.digest.build import Digest, DigestPaper, KeywordDigest
from agent.digest.render import TABLE_HEADER, digest_document, render, render_html, render_markdown
from evals.mirror import SEED_CORPUS

HOSTILE = DigestPaper(arxiv_id="2501.00002", version="v2", title="A | B [test] <script>alert(1)</script>",
                      published="2025-01-02", abstract="Uses $x<y$ & a|b\nover  lines.",
                      comment="Accepted to the Conference on Hostile Inputs 2025", url="https://arxiv.org/abs/2501.00002v2",
                      new=True)


def _bilingual_digest() -> Digest:
    """A digest of the seed rows that carry a Chinese title and abstract."""
    rows = [r for r in map(json.loads, SEED_CORPUS.read_text().splitlines()) if r.get("title_zh")][:3]
    papers = [DigestPaper(arxiv_id=r["arxiv_id"], title=r["title"], published="2024-12-01",
                          abstract=r["abstract"], url=f"https://arxiv.org/abs/{r['arxiv_id']}",
                          title_translated=r["title_zh"], abstract_translated=r["abstract_zh"]) for r in rows]
    return Digest(generated="2026-11-22T06:00:00+00:00", language="zh",
                  keywords=[KeywordDigest(keyword="Mixed", papers=papers)])


def test_hostile_text_cannot_break_the_table_or_inject_html() -> None:
    digest = Digest(generated="2026-11-22T06:00:00+00:00", keywords=[KeywordDigest(keyword="K <b>", papers=[HOSTILE])])
    markdown = render_markdown(digest)
    row = markdown.strip().splitlines()[-1]
    assert row.count(" | ") == 3  # four cells, whatever the title holds
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    assert "$x&lt;y$ &amp; a&#124;b over lines." in row
    assert "## K &lt;b&gt;" in markdown
    html = MarkdownIt("gfm-like", {"html": True}).render(markdown)
    assert "<script>" not in html and html.count("<td>") == 4
    # a long comment folds, a short one stays inline
    assert "<details><summary>Accepted to the…</summary><p>Accepted to the Conference" in row
    short = HOSTILE.model_copy(update={"comment": "8 pages, 5 figures"})
    short_row = render_markdown(Digest(generated="2026-11-22", keywords=[KeywordDigest(keyword="K", papers=[short])]))
    assert short_row.strip().endswith("| 8 pages, 5 figures |")


def test_bilingual_rows_put_both_languages_side_by_side() -> None:
    digest = _bilingual_digest()
    markdown = render_markdown(digest)
    first = digest.keywords[0].papers[0]
    assert TABLE_HEADER in markdown
    assert f"**<br>{first.title_translated}" in markdown
    assert f"<p>{first.abstract_translated[:30]}" in markdown
    document = digest_document(digest)
    paper = document["keywords"][0]["papers"][0]
    assert paper["title_zh"] == first.title_translated and paper["abstract_zh"] == first.abstract_translated
    assert {"arxiv_id", "title", "published", "new"} <= set(paper)


def test_a_failed_translation_shows_in_the_row_and_the_json() -> None:
    digest = _bilingual_digest()
    paper = digest.keywords[0].papers[0]
    paper.title_translated = paper.abstract_translated = ""
    paper.translation_error = "the translator model returned nothing"
    assert "(translation failed: the translator model returned nothing)" in render_markdown(digest)
    assert digest_document(digest)["keywords"][0]["papers"][0]["translation_error"]
    assert digest.problems() == ["Mixed: " + paper.arxiv_id + ": the translator model returned nothing"]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_a_standalone_escaped_page_with_the_same_content() -> None:
    digest = _bilingual_digest()
    digest.keywords.append(KeywordDigest(keyword="Hostile", papers=[HOSTILE]))
    page = render_html(digest)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    collector = _Collector()
    collector.feed(page)
    assert "script" not in collector.tags and "link" not in collector.tags and "img" not in collector.tags
    text = " ".join(collector.text)
    assert HOSTILE.title in text  # escaped in the source, intact once parsed
    for paper in digest.keywords[0].papers:
        assert paper.title in text and paper.title_translated in text
    assert collector.tags.count("table") == 2 and collector.tags.count("details") == 4
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["Mixed", "Hostile"]


def test_render_json_matches_the_contract() -> None:
    document = json.loads(render(_bilingual_digest(), "json"))
    assert set(document["keywords"][0]) >= {"keyword", "papers"}
    assert all({"arxiv_id", "title", "published", "new"} <= set(p) for p in document["keywords"][0]["papers"])
