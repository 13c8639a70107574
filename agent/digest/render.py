"""Render a digest as GitHub Markdown (the DailyArXiv layout), a standalone HTML page, or JSON.

Markdown: one `## <keyword>` heading per keyword, then the table
`| **Title** | **Date** | **Abstract** | **Comment** |` with the title linked to arXiv, the
abstract folded in `<details>`, and long comments folded the same way. Everything a paper brings
(titles, abstracts, comments) is escaped so it can neither break the table nor inject HTML.
"""

from __future__ import annotations

import html
import json
from typing import Any

from agent.digest.build import Digest, DigestPaper, KeywordDigest

TABLE_HEADER = "| **Title** | **Date** | **Abstract** | **Comment** |\n| --- | --- | --- | --- |"
NEW_MARK = "🆕"
COMMENT_FOLD_CHARS = 20
"""Comments longer than this are folded (as DailyArXiv does), so the table stays narrow."""


def digest_document(digest: Digest) -> dict[str, Any]:
    """The digest as one JSON document (`{"keywords": [{"keyword", "papers": [...]}]}`)."""
    return {
        "generated": digest.generated, "since": digest.since, "language": digest.language,
        "new": digest.new_count,
        "keywords": [{"keyword": k.keyword, "query": k.query, "error": k.error, "new": k.new_count,
                      "papers": [_paper_document(p, digest.language) for p in k.papers]}
                     for k in digest.keywords],
    }


def _paper_document(paper: DigestPaper, language: str) -> dict[str, Any]:
    """A paper as JSON; a bilingual digest adds `title_<lang>` and `abstract_<lang>`."""
    document = paper.model_dump(exclude={"title_translated", "abstract_translated", "translation_error"})
    if language:
        document[f"title_{language}"] = paper.title_translated
        document[f"abstract_{language}"] = paper.abstract_translated
        if paper.translation_error:
            document["translation_error"] = paper.translation_error
    return document


# -- Markdown ---------------------------------------------------------------------------------


def render_markdown(digest: Digest) -> str:
    """The digest as GitHub-flavoured Markdown."""
    parts = ["# arXiv digest", "", _summary_line(digest), "",
             f"_{NEW_MARK} marks a paper no earlier digest showed for that keyword._"]
    for table in digest.keywords:
        parts += ["", f"## {_inline(table.keyword)}"]
        parts += _markdown_table(table, digest.language)
    return "\n".join(parts) + "\n"


def _summary_line(digest: Digest) -> str:
    line = f"Last update: {digest.generated[:10]} · {digest.new_count} new since the last digest"
    if digest.since:
        line += f" · papers submitted since {digest.since}"
    return line


def _markdown_table(table: KeywordDigest, language: str) -> list[str]:
    if table.error:
        return ["", f"> **Search failed:** {_inline(table.error)}"]
    if not table.papers:
        return ["", "_No papers._"]
    return [TABLE_HEADER] + [_markdown_row(p, language) for p in table.papers]


def _markdown_row(paper: DigestPaper, language: str) -> str:
    title = f"**[{_link_text(paper.title)}]({paper.url})**"
    if paper.new:
        title = f"{NEW_MARK} {title}"
    abstract = f"<p>{_inline(paper.abstract)}</p>"
    if language and paper.title_translated:
        title += f"<br>{_inline(paper.title_translated)}"
        abstract += f"<p>{_inline(paper.abstract_translated)}</p>"
    elif language:
        abstract += f"<p><em>{_inline(_untranslated(paper))}</em></p>"
    cells = [title, paper.published, f"<details><summary>Show</summary>{abstract}</details>",
             _comment_cell(paper.comment)]
    return "| " + " | ".join(cells) + " |"


def _comment_cell(comment: str) -> str:
    text = " ".join(comment.split())
    if len(text) <= COMMENT_FOLD_CHARS:
        return _inline(text)
    return (f"<details><summary>{_inline(_head(text))}</summary>"
            f"<p>{_inline(text)}</p></details>")


def _head(text: str) -> str:
    """The start of a long comment, cut at a word, for the folded summary."""
    cut = text[:COMMENT_FOLD_CHARS].rsplit(" ", 1)[0] if " " in text[:COMMENT_FOLD_CHARS] else text[:12]
    return cut.rstrip(",;:") + "…"


def _untranslated(paper: DigestPaper) -> str:
    return f"(translation failed: {paper.translation_error or 'no translation'})"


def _inline(text: str) -> str:
    """Escape text for a table cell: one line, no raw HTML, no cell-splitting pipe."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "&#124;")


def _link_text(text: str) -> str:
    """Escape text for a link's label (brackets would end it early)."""
    return _inline(text).replace("[", "\\[").replace("]", "\\]")


# -- HTML -------------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.45}table{border-collapse:collapse;width:100%;margin-bottom:2rem}"
    "th,td{border:1px solid #d0d7de;padding:.4rem .6rem;vertical-align:top;text-align:left}"
    "th{background:#f6f8fa}td:nth-child(2){white-space:nowrap}.new{color:#1a7f37;font-weight:600}"
    ".failed{color:#cf222e}"
)


def render_html(digest: Digest) -> str:
    """The digest as a standalone HTML page (no scripts, nothing fetched; every text escaped)."""
    body = [f"<h1>arXiv digest</h1>\n<p>{_esc(_summary_line(digest))}</p>"]
    for table in digest.keywords:
        body.append(f"<h2>{_esc(table.keyword)}</h2>")
        body.append(_html_table(table, digest.language))
    lang = _esc(digest.language) if digest.language else "en"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>arXiv digest {_esc(digest.generated[:10])}</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body data-second-language=\"{lang}\">\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _html_table(table: KeywordDigest, language: str) -> str:
    if table.error:
        return f"<p class=\"failed\">Search failed: {_esc(table.error)}</p>"
    if not table.papers:
        return "<p><em>No papers.</em></p>"
    head = "<tr><th>Title</th><th>Date</th><th>Abstract</th><th>Comment</th></tr>"
    rows = "\n".join(_html_row(p, language) for p in table.papers)
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _html_row(paper: DigestPaper, language: str) -> str:
    href = paper.url if paper.url.startswith(("https://", "http://")) else ""
    title = f"<strong><a href=\"{_esc(href)}\">{_esc(paper.title)}</a></strong>"
    if paper.new:
        title = f"<span class=\"new\">{NEW_MARK} new</span> {title}"
    abstract = f"<p>{_esc(paper.abstract)}</p>"
    if language and paper.title_translated:
        title += f"<br><span lang=\"{_esc(language)}\">{_esc(paper.title_translated)}</span>"
        abstract += f"<p lang=\"{_esc(language)}\">{_esc(paper.abstract_translated)}</p>"
    elif language:
        abstract += f"<p class=\"failed\">{_esc(_untranslated(paper))}</p>"
    comment = _esc(" ".join(paper.comment.split()))
    return (f"<tr><td>{title}</td><td>{_esc(paper.published)}</td>"
            f"<td><details><summary>Show</summary>{abstract}</details></td><td>{comment}</td></tr>")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def render(digest: Digest, fmt: str) -> str:
    """Render in `md`, `html` or `json`."""
    if fmt == "md":
        return render_markdown(digest)
    if fmt == "html":
        return render_html(digest)
    if fmt == "json":
        return json.dumps(digest_document(digest), ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r} (md, html or json)")
