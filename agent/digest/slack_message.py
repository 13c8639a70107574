"""Lay a digest out as Slack messages: a short overview, then the papers in Block Kit chunks.

Slack's limits shape it: at most 50 blocks a message, 3,000 characters a section, 150 a header.
The overview goes to the channel and the papers to its thread, so a 100-paper morning does not
flood the channel. Text from papers is escaped for mrkdwn (`&`, `<`, `>`), so a title can never
turn into a mention or a broken link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the digest builder (arXiv, translation) loads with a digest
    from agent.digest.build import Digest, DigestPaper, KeywordDigest


MAX_BLOCKS = 40
"""Blocks per message (Slack allows 50; headroom for a context line)."""
MAX_CHARS = 10_000
"""Characters of block text per message, well under what Slack renders in one message."""
SECTION_CHARS = 2_900
HEADER_CHARS = 150
ABSTRACT_CHARS = 300
"""Abstracts are cut to an excerpt in Slack; the link leads to the full paper."""

Block = dict[str, Any]


def escape(text: str) -> str:
    """Escape text for Slack mrkdwn (the three characters Slack asks to escape)."""
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def overview(digest: Digest) -> tuple[str, list[Block]]:
    """The channel message: counts per keyword (fallback text, blocks)."""
    day = digest.generated[:10]
    text = f"arXiv digest {day}: {digest.new_count} new"
    lines = []
    for table in digest.keywords:
        if table.error:
            lines.append(f"• *{escape(table.keyword)}*: search failed ({escape(table.error)[:200]})")
        else:
            lines.append(f"• *{escape(table.keyword)}*: {len(table.papers)} papers, {table.new_count} new")
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"arXiv digest {day}"[:HEADER_CHARS]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": ("\n".join(lines) or "No keywords.")[:SECTION_CHARS]}},
    ]
    return text, blocks


def paper_messages(digest: Digest) -> list[tuple[str, list[Block]]]:
    """The thread messages: every keyword's papers, chunked under Slack's limits."""
    messages: list[tuple[str, list[Block]]] = []
    blocks: list[Block] = []
    size = 0
    for table in digest.keywords:
        for block in _keyword_blocks(table, digest.language):
            length = _length(block)
            if blocks and (len(blocks) >= MAX_BLOCKS or size + length > MAX_CHARS):
                messages.append((_fallback(blocks), blocks))
                blocks, size = [], 0
            blocks.append(block)
            size += length
    if blocks:
        messages.append((_fallback(blocks), blocks))
    return messages


def _keyword_blocks(table: KeywordDigest, language: str) -> list[Block]:
    header: Block = {"type": "header", "text": {"type": "plain_text", "text": table.keyword[:HEADER_CHARS]}}
    if table.error:
        return [header, _section(f"Search failed: {escape(table.error)}")]
    if not table.papers:
        return [header, _section("_No papers._")]
    return [header] + [_section(_paper_text(p, language)) for p in table.papers]


def _paper_text(paper: DigestPaper, language: str) -> str:
    title = escape(paper.title).replace("|", "∣")
    lines = [f"{':new: ' if paper.new else ''}*<{paper.url}|{title}>* · {paper.published}"]
    if language and paper.title_translated:
        lines.append(escape(paper.title_translated))
    lines.append("> " + _excerpt(escape(paper.abstract)))
    if language and paper.abstract_translated:
        lines.append("> " + _excerpt(escape(paper.abstract_translated)))
    elif language:
        lines.append(f"_(translation failed: {escape(paper.translation_error)[:200]})_")
    if paper.comment:
        lines.append(f"_{escape(paper.comment)[:300]}_")
    return "\n".join(lines)


def _excerpt(text: str) -> str:
    if len(text) <= ABSTRACT_CHARS:
        return text
    cut = text[:ABSTRACT_CHARS]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_CHARS]}}


def _length(block: Block) -> int:
    return len(block.get("text", {}).get("text", ""))


def _fallback(blocks: list[Block]) -> str:
    """Notification text for a chunk: the keywords it covers."""
    names = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    return "arXiv digest: " + (", ".join(names) if names else "continued")
