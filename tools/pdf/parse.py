"""Parse a paper's PDF into a `ParsedPaper`: metadata, sections, figures, tables, references.

The one entry point is `parse_pdf`. It opens the file (trying the empty password first), reads
every page's text layer once, finds captions, places figure and table regions around them, renders
figures to PNG, splits the bibliography, and assigns the remaining text to sections in reading
order. Bad input gives a typed error (`PdfEncrypted`, `PdfBroken`) or a warning in the result
(no text layer, empty pages, a page of bitmap glyphs, the time budget running out) — never a hang.
PyMuPDF is imported here and in the `pdf_*` helpers only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from pathlib import Path
from typing import cast

from tools.document import ParsedPaper
from tools.errors import AutoresearchError
from tools.pdf.captions import find_captions
from tools.pdf.figures import RegionFinder, build_figures
from tools.pdf.front import (
    STAMP,
    arxiv_stamp,
    authors_after_title,
    find_title,
    reference_heading_block,
    reference_lines,
)
from tools.pdf.layout import PageText, Style, document_style, is_body, mark_furniture, read_page
from tools.pdf.references import parse_reference, split_entries
from tools.pdf.sections import (
    REFERENCE_TITLES,
    Heading,
    build_sections,
    headings_from_outline,
    headings_from_style,
    norm,
)

log = logging.getLogger(__name__)


class PdfError(AutoresearchError):
    """The PDF cannot be read; the message says why and what to do."""


class PdfEncrypted(PdfError):
    """The PDF needs a password we do not have (or the one given is wrong)."""


class PdfBroken(PdfError):
    """The file is not a PDF, or is too damaged to read."""


def parse_pdf(path: Path, *, figures_dir: Path | None, dpi: int = 150, password: str | None = None,
              time_budget_s: float = 120) -> ParsedPaper:
    """Read a paper's PDF; figures are rendered into `figures_dir` (none when it is None)."""
    started = time.monotonic()
    deadline = started + time_budget_s
    path = Path(path)
    data = _read(path)
    doc = open_pdf(data, path, password)
    try:
        return _parse(doc, path, data, figures_dir, dpi, deadline, time_budget_s)
    finally:
        doc.close()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PdfBroken(f"no such file: {path}") from None
    except IsADirectoryError:
        raise PdfBroken(f"{path} is a folder, not a PDF") from None
    except OSError as error:
        raise PdfBroken(f"cannot read {path}: {error.strerror or error}") from None


def open_pdf(data: bytes, path: Path, password: str | None):
    """Open PDF bytes, authenticating with the empty password, then `password`."""
    import pymupdf

    if b"%PDF" not in data[:1024]:
        kind = "an HTML page" if data[:512].lstrip().lower().startswith((b"<!doctype", b"<html")) else "not a PDF"
        raise PdfBroken(f"{path.name} is {kind} (no %PDF header)")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as error:
        raise PdfBroken(f"{path.name} is damaged beyond repair: {error}") from None
    if doc.needs_pass and not doc.authenticate(""):
        if password is None:
            doc.close()
            raise PdfEncrypted(f"{path.name} is encrypted: give its password (--password)")
        if not doc.authenticate(password):
            doc.close()
            raise PdfEncrypted(f"{path.name} is encrypted and the password given is wrong")
    if doc.page_count == 0:
        doc.close()
        raise PdfBroken(f"{path.name} has no readable pages (truncated or damaged)")
    return doc


def _parse(doc, path: Path, data: bytes, figures_dir: Path | None, dpi: int, deadline: float,
           budget: float) -> ParsedPaper:
    import pymupdf

    warnings: list[str] = []
    if doc.is_repaired:
        warnings.append("the PDF was damaged and has been repaired; pages or text may be missing")
    flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
    pages: list[PageText] = []
    for index in range(doc.page_count):
        if time.monotonic() > deadline:
            warnings.append(f"stopped reading at page {index + 1} of {doc.page_count}: "
                            f"time budget of {budget:.0f} s used up")
            break
        pages.append(_read_page(doc, index, flags, warnings))
    paper = ParsedPaper(source=str(path), sha256=hashlib.sha256(data).hexdigest(), pages=doc.page_count)
    _text_warnings(pages, warnings)
    if not any(page.blocks for page in pages):
        paper.warnings = warnings
        return paper
    mark_furniture(pages)
    style = document_style(pages)
    _front_matter(paper, doc, pages, style)
    headings = _headings(doc, pages, style, paper.title)
    captions = find_captions(pages, style)
    finder = RegionFinder(doc, pages, style, captions, _margins(pages, style), deadline)
    paper.tables = finder.tables()
    placed = finder.figures()
    paper.figures = build_figures(finder, placed, figures_dir, dpi)
    warnings.extend(finder.warnings)
    headings = [h for h in headings if h.block.role != "inside"]
    skip = {id(b) for page in pages for b in page.blocks if b.role in ("caption", "inside", "furniture")}
    refs_heading = next((h for h in headings if norm(h.title) in {norm(t) for t in REFERENCE_TITLES}), None)
    ref_lines, ref_blocks = reference_lines(pages, headings, refs_heading, skip)
    paper.references = [parse_reference(raw) for raw in split_entries(ref_lines)]
    paper.abstract, paper.sections = build_sections(pages, headings, skip | ref_blocks)
    if time.monotonic() > deadline:
        warnings.append(f"parse ran past its time budget of {budget:.0f} s; later figures may be missing")
    paper.warnings = warnings
    return paper


def _read_page(doc, index: int, flags: int, warnings: list[str]) -> PageText:
    try:
        return read_page(doc[index], index + 1, flags)
    except (RuntimeError, ValueError) as error:  # a damaged page: keep going with the others
        warnings.append(f"page {index + 1} could not be read: {error}")
        return PageText(number=index + 1, width=612.0, height=792.0)


def _text_warnings(pages: list[PageText], warnings: list[str]) -> None:
    empty = [p.number for p in pages if sum(len(b.text) for b in p.blocks) < 50]
    if pages and len(empty) == len(pages):
        warnings.append("no text layer: this PDF looks scanned (OCR is not run), so only its "
                        "page count is known")
    elif empty:
        listed = ", ".join(str(n) for n in empty[:10]) + (" …" if len(empty) > 10 else "")
        warnings.append(f"empty or nearly empty pages: {listed}")


def _front_matter(paper: ParsedPaper, doc, pages: list[PageText], style: Style) -> None:
    meta = doc.metadata or {}
    paper.title = find_title(pages[0], meta.get("title") or "", style.body_size)
    paper.authors = authors_after_title(pages[0], paper.title, style)
    stamp = arxiv_stamp(pages[0])
    if stamp:
        paper.arxiv_id, paper.version = stamp


def _headings(doc, pages: list[PageText], style: Style, title: str) -> list[Heading]:
    try:
        toc = doc.get_toc(simple=True)
    except (RuntimeError, ValueError):
        toc = []
    headings = headings_from_outline(pages, toc, title) or headings_from_style(pages, style)
    if not any(norm(h.title) in {norm(t) for t in REFERENCE_TITLES} for h in headings):
        block = reference_heading_block(pages)
        if block is not None:
            headings.append(Heading(block, block.text.strip(), "", 1))
    for heading in headings:
        heading.block.role = "heading"
    return headings


def _margins(pages: list[PageText], style: Style) -> tuple[float, float]:
    """The y range outside which shapes are page decoration (logos, running-header rules).

    Decoration sits above the body text and within the page's top 9%, or below the body text
    and within the bottom 9%; figures may come closer to the edge than the text does.
    """
    height = pages[0].height
    tops = [b.bbox[1] for p in pages for b in p.blocks if is_body(b, style)]
    bottoms = [b.bbox[3] for p in pages for b in p.blocks if is_body(b, style)]
    if not tops:
        return 0.0, height
    return min(min(tops) - 4.0, 0.09 * height), max(max(bottoms) + 4.0, 0.91 * height)


def peek_arxiv_id(path: Path, password: str | None = None) -> tuple[str, str] | None:
    """The arXiv (id, version) a PDF carries, from its margin stamp or else its file name.

    Cheap (reads page one's text only), so ingest can key a local PDF before parsing it.
    """
    path = Path(path)
    doc = open_pdf(_read(path), path, password)
    try:
        match = STAMP.search(cast(str, doc[0].get_text()))  # PyMuPDF types every get_text form as one union
    finally:
        doc.close()
    if match:
        return match.group("id"), match.group("v")
    named = re.search(r"(?<![\d.])(\d{4}\.\d{4,5})(v\d+)?(?![\d])", path.name)
    return (named.group(1), named.group(2) or "") if named else None


def page_count(path: Path) -> int:
    """Pages in a PDF (0 when it cannot be opened), for benchmarks and progress bars."""
    import pymupdf

    try:
        with pymupdf.open(path) as doc:
            return doc.page_count
    except (pymupdf.FileDataError, RuntimeError, ValueError):
        return 0


