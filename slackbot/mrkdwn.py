"""Text for Slack: mrkdwn escaping, citations as arXiv links, Markdown excerpts, and chunking.

Everything that comes from a paper or a person is escaped (`&`, `<`, `>`) before links are added,
so a title can never become a mention or a broken link. Citations the core writes
(`[2501.12948, §3 Method, p.4]`, `[2501.12948, Fig. 3, p.7]`) become links to the paper's
arXiv page; citations of papers that are not on arXiv (`local-…`) stay plain text.
"""

from __future__ import annotations

import re

from agent.digest.slack_message import escape as escape_line
from tools.paper import ARXIV_ID_RE

SECTION_CHARS = 2_900
"""Characters per section block (Slack allows 3,000)."""
ABS_URL = "https://arxiv.org/abs/{}"
_CITATION = re.compile(rf"\[(?:arXiv:)?{ARXIV_ID_RE.pattern}(?P<rest>(?:,[^\[\]\n]*)?)\]")
_MENTION = re.compile(r"<[@#!][^>]*>")


def escape(text: str) -> str:
    """Escape mrkdwn's three control characters, keeping line breaks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """`<url|label>` with the label made safe (a `|` or `>` inside would end it early)."""
    return f"<{url}|{escape_line(label).replace('|', '∣')}>"


def paper_link(arxiv_id: str, label: str = "") -> str:
    """A link to a paper's arXiv abstract page."""
    return link(ABS_URL.format(arxiv_id), label or arxiv_id)


def cite_links(text: str) -> str:
    """Escape `text` and turn every arXiv citation in it into a link to the paper."""
    out: list[str] = []
    end = 0
    for match in _CITATION.finditer(text):
        label = match.group("id") + (match.group("version") or "") + match.group("rest")
        out += [escape(text[end:match.start()]), "[", link(ABS_URL.format(match.group("id")), label), "]"]
        end = match.end()
    out.append(escape(text[end:]))
    return "".join(out)


def strip_mentions(text: str) -> str:
    """A message's text without user, channel and special mentions (`<@U123>`, `<!here>`)."""
    return " ".join(_MENTION.sub(" ", text).split())


def markdown_excerpt(markdown: str, limit: int = 2_400) -> str:
    """The start of a Markdown document as mrkdwn: headings bold, `[@key]` cites kept as `[key]`."""
    lines: list[str] = []
    size = 0
    for raw in markdown.splitlines():
        line = _inline(raw)
        if size + len(line) + 1 > limit:
            lines.append("…")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines).strip()


def _inline(line: str) -> str:
    heading = re.match(r"^(#{1,6})\s+(.*)$", line)
    text = escape(heading.group(2) if heading else line)
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"\[@([^\]]+)\]", lambda m: "[" + m.group(1).replace("; @", "; ").replace("@", "") + "]", text)
    text = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    return f"*{text}*" if heading and text else text


def chunks(text: str, size: int = SECTION_CHARS) -> list[str]:
    """Split text into pieces of at most `size` characters, at line breaks where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > size:  # one enormous line: cut it at a space
            cut = line[:size].rsplit(" ", 1)[0] or line[:size]
            pieces.extend([current, cut] if current else [cut])
            current, line = "", line[len(cut):]
        if len(current) + len(line) > size:
            pieces.append(current)
            current = ""
        current += line
    if current.strip():
        pieces.append(current)
    return [p.strip("\n") for p in pieces if p.strip()]
