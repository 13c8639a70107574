"""Find caption-anchored figure regions with plain PyMuPDF, for the figure evals.

The project's parser (`tools.pdf.parse_pdf`) is the real way to get figures; this is the eval's own
small stand-in, used when the parser is not available, so the figure-kind eval can run on the shared
PDFs either way. A figure is the drawings and images in the caption's column between the caption and
the nearest body-text block above it (or below it, when nothing is above).
"""

from __future__ import annotations

import re
from pathlib import Path

from tools.figures.base import FigureInput

CAPTION_RE = re.compile(r"^\s*(?:Figure|Fig\.|FIG\.)\s*([A-Z]?\d+)\s*[.:|]", re.IGNORECASE)
BODY_MIN_CHARS = 120
"""A text block at least this long, spanning most of the column, is body text, not a label."""


def _column(page_rect, caption) -> tuple[float, float]:
    """The horizontal span a caption's figure lives in: the page, or the caption's half."""
    width = page_rect.width
    if caption.width > 0.55 * width:
        return 0.0, width
    return (0.0, width / 2 + 5) if (caption.x0 + caption.x1) / 2 < width / 2 else (width / 2 - 5, width)


def _graphics(page) -> list:
    """Drawing and image rectangles on a page, without page-sized backgrounds."""
    import pymupdf

    area = page.rect.width * page.rect.height
    rects = [pymupdf.Rect(d["rect"]) for d in page.get_drawings()]
    rects += [pymupdf.Rect(i["bbox"]) for i in page.get_image_info()]
    return [r for r in rects if 0 < r.width * r.height < 0.8 * area or r.width * r.height == 0]


def _region(page, caption, blocks) -> tuple[float, float, float, float] | None:
    """Union of the graphics above (else below) the caption, up to the nearest body text."""
    import pymupdf

    left, right = _column(page.rect, caption)
    body = [pymupdf.Rect(b[:4]) for b in blocks if len(b[4]) >= BODY_MIN_CHARS
            and b[2] - b[0] > 0.6 * (right - left) and b[0] >= left - 5 and b[2] <= right + 5]
    graphics = [g for g in _graphics(page) if g.x0 >= left - 5 and g.x1 <= right + 5]
    top = max([r.y1 for r in body if r.y1 <= caption.y0 + 1] + [page.rect.y0 + 30])
    above = [g for g in graphics if g.y0 >= top - 1 and g.y1 <= caption.y0 + 2]
    if not above:
        bottom = min([r.y0 for r in body if r.y0 >= caption.y1 - 1] + [page.rect.y1 - 30])
        above = [g for g in graphics if g.y0 >= caption.y1 - 2 and g.y1 <= bottom + 1]
    if not above:
        return None
    union = pymupdf.Rect(above[0])
    for rect in above[1:]:
        union |= rect
    for block in blocks:  # labels around the drawing (axis titles, tick numbers)
        label = pymupdf.Rect(block[:4])
        if label.intersects(union + (-12, -12, 12, 12)) and len(block[4]) < BODY_MIN_CHARS:
            union |= label
    return tuple(round(v, 2) for v in union & page.rect)


def find_figures(pdf_path: Path, figures_dir: Path, dpi: int = 110) -> list[FigureInput]:
    """Every captioned figure in a PDF, its region rendered to a PNG in `figures_dir`."""
    import pymupdf

    figures_dir.mkdir(parents=True, exist_ok=True)
    out: list[FigureInput] = []
    with pymupdf.open(pdf_path) as doc:
        for page in doc:
            blocks = [b for b in page.get_text("blocks") if b[6] == 0]
            for block in blocks:
                match = CAPTION_RE.match(block[4])
                if not match or any(f.number == match.group(1) for f in out):
                    continue
                caption = pymupdf.Rect(block[:4])
                bbox = _region(page, caption, [b for b in blocks if b is not block])
                if bbox is None:
                    continue
                png = figures_dir / f"{pdf_path.stem}_fig{match.group(1)}.png"
                page.get_pixmap(dpi=dpi, clip=pymupdf.Rect(bbox)).save(png)
                out.append(FigureInput(number=match.group(1), caption=" ".join(block[4].split()),
                                       image_path=str(png), pdf_path=str(pdf_path),
                                       page=page.number + 1, bbox=bbox,
                                       text_inside=page.get_text("text", clip=bbox).strip()))
    return out
