"""Render a review's Pandoc Markdown as a LaTeX document that compiles with pdflatex + BibTeX.

Only the Markdown the writers and the verifier produce is understood (headings, paragraphs,
emphasis, lists, citations, links, images with captions, pipe tables, fenced divs); it is rendered
without pandoc so `--format latex` works wherever Python does. Every piece of text goes through
`escape_latex`, which also turns non-ASCII characters into LaTeX macros.
"""

from __future__ import annotations

import re

from agent.review.writers.markdown import CITATION, CITATION_GROUP, heading_text, unescape
from tools.citations import escape_latex

# The default OT1 encoding keeps pdflatex on the Type 1 Computer Modern fonts every TeX install
# has (T1 would need cm-super or lmodern, or bitmap fonts generated on the fly).
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[utf8]{inputenc}
\usepackage{textcomp}
\usepackage{amsmath,amssymb}
\usepackage[margin=2.2cm]{geometry}
\usepackage{graphicx}
\usepackage{array}
\usepackage{longtable}
\usepackage{booktabs}
\usepackage[numbers,sort]{natbib}
\usepackage{url}
\usepackage[hidelinks]{hyperref}
\setlength{\emergencystretch}{3em}
"""

_INLINE = re.compile(
    r"(?P<cite>" + CITATION_GROUP.pattern + r")"
    r"|(?P<intext>" + CITATION.pattern.replace("(?P<key>", "(?P<ikey>") + r")"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\\*])\*(?P<em>[^*\s](?:.*?[^*\s\\])?)\*(?!\*)"
    r"|`(?P<code>[^`]+)`"
    r"|<(?P<url>https?://[^>\s]+)>"
    r"|\[(?P<ltext>[^\]]+)\]\((?P<lurl>[^)\s]+)\)"
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"^!\[(?P<caption>.*)\]\((?P<path>[^)\s]+)\)(?:\{[^}]*\})?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:(?P<bullet>[-*+])|(?P<number>\d+)[.)])\s+(?P<text>.*)$")


def inline(markdown: str) -> str:
    """One line of inline Markdown as LaTeX."""
    out: list[str] = []
    position = 0
    for match in _INLINE.finditer(markdown):
        out.append(escape_latex(markdown[position:match.start()]))
        out.append(_inline_token(match))
        position = match.end()
    out.append(escape_latex(markdown[position:]))
    return "".join(out)


def _inline_token(match: re.Match) -> str:
    if match.group("cite") is not None:
        keys = [m.group("key") for m in CITATION.finditer(match.group("cite"))]
        return r"\citep{" + ",".join(keys) + "}"
    if match.group("intext") is not None:
        return r"\citet{" + match.group("ikey") + "}"
    if match.group("bold") is not None:
        return r"\textbf{" + inline(match.group("bold")) + "}"
    if match.group("em") is not None:
        return r"\emph{" + inline(match.group("em")) + "}"
    if match.group("code") is not None:
        return r"\texttt{" + escape_latex(match.group("code")) + "}"
    if match.group("url") is not None:
        return r"\url{" + _url(match.group("url")) + "}"
    if match.group("lurl") is not None:
        return r"\href{" + _url(match.group("lurl")) + "}{" + inline(match.group("ltext")) + "}"
    return escape_latex(match.group("escaped"))


def _url(url: str) -> str:
    """A URL safe inside \\url / \\href (those take most characters verbatim, but not these)."""
    return re.sub(r"([%#{}\\])", r"\\\1", url)


def markdown_to_latex(markdown: str, title: str, bibliography: str = "references") -> str:
    """A complete LaTeX document for the review."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        if block.startswith(": ") and blocks and blocks[-1].lstrip().startswith("|"):
            blocks[-1] += "\n" + block  # a table's caption paragraph belongs to the table
        else:
            blocks.append(block.strip())
    body = [_block(block, bibliography) for block in blocks]
    head = f"\n\\title{{{inline(title)}}}\n\\date{{}}\n\n\\begin{{document}}\n\\maketitle\n\n"
    return PREAMBLE + head + "\n\n".join(b for b in body if b) + "\n\n\\end{document}\n"


def _block(block: str, bibliography: str) -> str:
    """One Markdown block (separated by blank lines) as LaTeX."""
    lines = block.splitlines()
    if not lines:
        return ""
    title = heading_text(lines[0])
    if title is not None:
        level = len(lines[0]) - len(lines[0].lstrip("#"))
        if title.strip().lower() == "references":
            return ""  # \bibliography below prints its own heading
        command = {1: "section", 2: "subsection"}.get(level, "subsubsection")
        rest = _block("\n".join(lines[1:]), bibliography) if len(lines) > 1 else ""
        return f"\\{command}{{{inline(title)}}}" + (f"\n{rest}" if rest else "")
    if lines[0].startswith(":::"):
        if "{#refs}" in lines[0]:
            return f"\\bibliographystyle{{plainnat}}\n\\bibliography{{{bibliography}}}"
        return ""
    if lines[0].lstrip().startswith("|"):
        return _table(lines)
    if image := _IMAGE.match(lines[0]):
        return _figure(image)
    if _LIST_ITEM.match(lines[0]):
        return _list(lines)
    if lines[0].startswith(": "):
        return ""  # a table caption that got separated from its table: the table carries it
    return inline(" ".join(line.strip() for line in lines))


def _figure(match: re.Match) -> str:
    return ("\\begin{figure}[htbp]\n\\centering\n"
            f"\\includegraphics[width=0.9\\linewidth,height=0.4\\textheight,keepaspectratio]{{{match.group('path')}}}\n"
            f"\\caption{{{inline(match.group('caption'))}}}\n\\end{{figure}}")


def _list(lines: list[str]) -> str:
    items: list[str] = []
    first = _LIST_ITEM.match(lines[0])  # the caller saw it match
    numbered = bool(first and first.group("number"))
    for line in lines:
        found = _LIST_ITEM.match(line)
        if found:
            items.append(found.group("text"))
        elif items:
            items[-1] += " " + line.strip()
    env = "enumerate" if numbered else "itemize"
    body = "\n".join(f"\\item {inline(i)}" for i in items)
    return f"\\begin{{{env}}}\n{body}\n\\end{{{env}}}"


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def _table(lines: list[str]) -> str:
    """A pipe table (and its `: caption` line) as a longtable of wrapping columns."""
    caption = next((unescape(line[2:]) for line in lines if line.startswith(": ")), "")
    rows = [_cells(line) for line in lines if line.lstrip().startswith("|")]
    rows = [r for r in rows if not all(re.fullmatch(r":?-{3,}:?", c) for c in r if c)]
    if not rows:
        return ""
    header, body = rows[0], rows[1:]
    width = 0.98 / len(header)
    spec = "".join(f">{{\\raggedright\\arraybackslash}}p{{{width:.3f}\\linewidth}}" for _ in header)
    head = " & ".join(f"\\textbf{{{inline(c)}}}" for c in header) + r" \\"
    out = [r"{\footnotesize", r"\setlength{\tabcolsep}{3pt}", f"\\begin{{longtable}}{{{spec}}}"]
    if caption:
        out.append(f"\\caption{{{inline(caption)}}}\\\\")
    out += [r"\toprule", head, r"\midrule", r"\endhead"]
    for row in body:
        cells = (row + [""] * len(header))[: len(header)]
        out.append(" & ".join(inline(c) for c in cells) + r" \\")
    out += [r"\bottomrule", r"\end{longtable}", "}"]
    return "\n".join(out)
