"""Section headings and the paragraphs under them, from the PDF outline or from typography.

When the PDF carries an outline (LaTeX's hyperref writes one), it is the truth about headings and
their levels; each entry is matched to its heading line on the page to learn the printed number
and where the section starts. Without one, a heading is a short block set larger or bold (or in
capitals) that is numbered (`3`, `3.2`, `IV.`, `A.1`) or has a conventional name (Introduction,
References, …); numbering depth gives the level, font size ranks the unnumbered ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.document import Paragraph, Section
from tools.pdf.layout import Block, PageText, Style, is_body, join_lines, reading_order

NUMBERED = re.compile(r"^(?P<number>[1-9]\d?(?:\.\d{1,2})*|[A-Z](?:\.\d{1,2})+|[A-Z]|[IVX]+)\.?\s+"
                      r"(?P<title>[A-Z\[(“\"].{1,150})$")
KNOWN = {"abstract", "introduction", "related work", "background", "conclusion", "conclusions",
         "discussion", "references", "bibliography", "acknowledgments", "acknowledgements",
         "acknowledgment", "acknowledgement", "appendix", "appendices", "limitations",
         "experiments", "results", "evaluation", "future work", "conclusion and future work",
         "supplementary material", "ethics statement", "broader impact"}
REFERENCE_TITLES = {"references", "bibliography", "literature cited", "reference"}


@dataclass
class Heading:
    """A section heading found on a page."""

    block: Block
    title: str
    number: str
    level: int


def norm(text: str) -> str:
    """Lower-case letters and digits only, for matching outline titles to printed lines."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def headings_from_outline(pages: list[PageText], toc: list, paper_title: str) -> list[Heading]:
    """Match the outline's entries to heading blocks; [] when the outline is unusable."""
    entries = [(lvl, title.strip(), page) for lvl, title, page, *_ in toc if title.strip() and page >= 1]
    if entries and norm(entries[0][1]) == norm(paper_title) and len(entries) > 1:
        entries = entries[1:]  # the paper's own title as the outline's root
    if len(entries) < 2:
        return []
    top = min(lvl for lvl, _, _ in entries)
    found: list[Heading] = []
    for lvl, title, page_number in entries:
        block = _match(pages, page_number, title, {h.block.page * 10000 + id(h.block) for h in found})
        if block is None:
            continue
        own = NUMBERED.match(title)  # outlines often carry the number: "II Methods"
        if own:
            number, title = own.group("number"), own.group("title").strip()
        else:
            number = _printed_number(block.text, title)
        found.append(Heading(block, title, number, lvl - top + 1))
    return found if len(found) >= max(2, len(entries) // 2) else []


def _match(pages: list[PageText], page_number: int, title: str, used: set[int]) -> Block | None:
    want = norm(title)
    for number in (page_number, page_number + 1, page_number - 1):
        if not 1 <= number <= len(pages) or not want:
            continue
        for block in reading_order(pages[number - 1]):
            if block.role in ("caption", "furniture") or len(block.lines) > 4:
                continue
            have = norm(block.text)
            if not have or block.page * 10000 + id(block) in used:
                continue
            if (have.endswith(want) and len(have) - len(want) <= 8) or \
                    (want.startswith(have) and len(have) >= 0.5 * len(want)):
                return block
    return None


def _printed_number(text: str, title: str) -> str:
    match = NUMBERED.match(text.strip())
    if match and norm(match.group("title")).startswith(norm(title)[:8]):
        return match.group("number")
    return ""


def headings_from_style(pages: list[PageText], style: Style) -> list[Heading]:
    """Headings found by typography and numbering."""
    candidates: list[tuple[Block, str, str]] = []
    for page in pages:
        for block in reading_order(page):
            parsed = _heading_text(block, style)
            if parsed:
                candidates.append((block, *parsed))
    roman = any(re.fullmatch(r"[IVX]+", number) for _, _, number in candidates)
    sizes = sorted({round(b.size) for b, _, number in candidates if not number}, reverse=True)
    out = []
    for block, title, number in candidates:
        out.append(Heading(block, title, number, _level(number, roman, sizes, block)))
    return out


def _heading_text(block: Block, style: Style) -> tuple[str, str] | None:
    if block.role in ("caption", "furniture", "inside") or len(block.lines) > 3:
        return None
    text = block.text.strip()
    if len(text) > 150 or len(text) < 3 or text.endswith((",", ";")):
        return None
    styled = block.size >= style.body_size + 0.9 or all(line.bold for line in block.lines) \
        or (text.isupper() and len(text) > 4)
    if not styled or is_body(block, style) and not all(line.bold for line in block.lines):
        return None
    match = NUMBERED.match(text)
    if match and not text.endswith(".") and _plausible(match.group("title")):
        return match.group("title").strip(), match.group("number")
    if text.lower().strip(" .:") in KNOWN:
        return text.strip(" .:"), ""
    return None


def _plausible(title: str) -> bool:
    """A heading's words, not a table row or an equation (`V P =`, `110 M - 0.8 M`)."""
    letters = sum(c.isalpha() for c in title)
    return (len(title.split()) <= 16 and letters >= 0.6 * len(title.replace(" ", ""))
            and re.search(r"[A-Za-z]{3,}", title) is not None and not re.search(r"[=+<>]", title))


def _level(number: str, roman: bool, sizes: list[int], block: Block) -> int:
    if re.fullmatch(r"[IVX]+", number):
        return 1
    if re.fullmatch(r"[A-Z]", number):
        return 2 if roman else 1
    if number:
        return min(number.count(".") + 1, 4)
    return min(sizes.index(round(block.size)) + 1, 3) if round(block.size) in sizes else 1


def build_sections(pages: list[PageText], headings: list[Heading], skip: set[int]
                   ) -> tuple[str, list[Section]]:
    """The abstract and the sections, with their paragraphs in reading order.

    `skip`: ids of blocks that are not running text (captions, figure and table contents,
    running headers). Text before the first heading is front matter; it becomes the abstract
    when the paper has an "Abstract" heading or paragraph.
    """
    by_block = {id(h.block): h for h in headings}
    sections: list[Section] = []
    front: list[Paragraph] = []
    abstract: list[str] = []
    current: Section | None = None
    for page in pages:
        for block in reading_order(page):
            heading = by_block.get(id(block))
            if heading is not None:
                current = Section(title=heading.title, level=heading.level, number=heading.number,
                                  page=page.number)
                sections.append(current)
                continue
            if id(block) in skip:
                continue
            target = current.paragraphs if current else front
            _append(target, block)
    for section in list(sections):
        if norm(section.title) == "abstract":
            abstract = [p.text for p in section.paragraphs]
            sections.remove(section)
    if not abstract:
        abstract = _front_abstract(front, sections[0] if sections else None)
    if not sections and front:  # no headings at all: keep the text rather than lose it
        rest = [p for p in front if p.text not in abstract]
        sections = [Section(title="Text", level=1, page=rest[0].page, paragraphs=rest)] if rest else []
    return " ".join(abstract).strip(), sections


def _append(paragraphs: list[Paragraph], block: Block) -> None:
    """Add a block as a paragraph, joining it to the previous one when a sentence runs on."""
    text = block.text
    if not text:
        return
    previous = paragraphs[-1] if paragraphs else None
    if previous and previous.text[-1:] not in ".!?:" and text[:1].islower():
        previous.text = join_lines([previous.text, text])
        return
    paragraphs.append(Paragraph(text=text, page=block.page))


def _front_abstract(front: list[Paragraph], first: Section | None) -> list[str]:
    """The abstract when it has no heading of its own.

    The paragraph that starts with "Abstract", else (when the paper's first section is its
    introduction) the longest paragraph of page one's front matter.
    """
    for i, paragraph in enumerate(front):
        match = re.match(r"^\s*abstract\s*[.:—–-]?\s*", paragraph.text, flags=re.I)
        if match:
            rest = paragraph.text[match.end():].strip()
            return [rest] if rest else [p.text for p in front[i + 1:i + 2]]
    opening = first is not None and (first.number in ("1", "I") or norm(first.title) == "introduction")
    candidates = [p for p in front if p.page == 1 and len(p.text) >= 300]
    return [max(candidates, key=lambda p: len(p.text)).text] if opening and candidates else []
