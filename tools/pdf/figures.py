"""Place every caption's region, read tables, and render figures to PNG.

Tables go first (so a table next to a figure becomes an obstacle for the figure, not part of it),
then figures on their own pages, then figures whose caption sits on another page than the graphic
(a full-page figure captioned overleaf): those take the free graphics of the page before or after.
Rendered PNGs are trimmed to their ink, which also undoes images whose declared box is larger than
what the PDF shows; a blank render is reported, never saved.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from tools.document import Figure, Table
from tools.pdf.captions import Caption
from tools.pdf.graphics import page_graphics
from tools.pdf.layout import BBox, PageText, Style
from tools.pdf.regions import NEAR, PageRegions, candidate, caption_gap, find_region, orphan_region, rotated_labels
from tools.pdf.tables import read_table

INK_LEVEL = 250
"""A pixel darker than this in any channel is ink."""


class RegionFinder:
    """Caption-anchored regions for one document, with each page's graphics read once."""

    def __init__(self, doc, pages: list[PageText], style: Style, captions: list[Caption],
                 margins: tuple[float, float], deadline: float) -> None:
        self.doc = doc
        self.pages = pages
        self.style = style
        self.captions = captions
        self.margins = margins
        self.deadline = deadline
        self.warnings: list[str] = []
        self._pages: dict[int, PageRegions] = {}

    def page(self, number: int) -> PageRegions:
        """The region state of a page (1-based), reading its graphics on first use."""
        if number not in self._pages:
            found = page_graphics(self.doc[number - 1], number, self.margins)
            self.warnings.extend(found.warnings)
            on_page = [c for c in self.captions if c.page == number]
            self._pages[number] = PageRegions(self.pages[number - 1], found.items, self.style, on_page)
        return self._pages[number]

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def convention(self, kind: str, default: str) -> tuple[str, str]:
        """Where this document puts a `kind`'s content relative to its caption, by majority.

        Each caption votes for the one side that has content right next to it; styles differ
        (tables captioned above in ACL, below in CVPR and DeepSeek's report).
        """
        votes: Counter[str] = Counter()
        for caption in [c for c in self.captions if c.kind == kind][:40]:
            ctx = self.page(caption.page)
            near = [d for d in ("above", "below") if (r := candidate(ctx, caption, d, kind == "table"))
                    is not None and caption_gap(caption, r, d) <= NEAR]
            if len(near) == 1:
                votes[near[0]] += 1
        first = votes.most_common(1)[0][0] if votes and votes.most_common(1)[0][1] > votes.get(
            default, 0) else default
        return (first, "below" if first == "above" else "above")

    def tables(self) -> list[Table]:
        """Every table caption with its region and Markdown."""
        tables = []
        order = self.convention("table", "below")
        for caption in (c for c in self.captions if c.kind == "table"):
            if self.out_of_time():
                tables.append(Table(number=caption.number, caption=caption.text, page=caption.page))
                continue
            ctx = self.page(caption.page)
            region = find_region(ctx, caption, order, rules_seed=True)
            bbox, markdown = (None, "")
            if region is not None:
                bbox, markdown = read_table(self.doc[caption.page - 1], region, ctx.graphics)
                ctx.taken.append(_union(bbox, region))
                _mark_inside(ctx.text, _union(bbox, region))
            tables.append(Table(number=caption.number, caption=caption.text, page=caption.page,
                                bbox=_round(bbox) if bbox else None, markdown=markdown))
        return tables

    def figures(self) -> list[tuple[Caption, int, BBox | None]]:
        """Each figure caption with the page and region of its figure (None when not found)."""
        placed: list[tuple[Caption, int, BBox | None]] = []
        order = self.convention("figure", "above") + ("side",)
        for caption in (c for c in self.captions if c.kind == "figure"):
            if self.out_of_time():
                placed.append((caption, caption.page, None))
                continue
            ctx = self.page(caption.page)
            region = find_region(ctx, caption, order)
            if region is not None:
                ctx.taken.append(region)
                _mark_inside(ctx.text, region)
            placed.append((caption, caption.page, region))
        return [self._overleaf(item) if item[2] is None else item for item in placed]

    def _overleaf(self, item: tuple[Caption, int, BBox | None]) -> tuple[Caption, int, BBox | None]:
        """Look for a captionless figure on the page before or after the caption's page."""
        caption = item[0]
        for number in (caption.page - 1, caption.page + 1):
            if 1 <= number <= len(self.pages) and not self.out_of_time():
                ctx = self.page(number)
                region = orphan_region(ctx)
                if region is not None:
                    ctx.taken.append(region)
                    _mark_inside(ctx.text, region)
                    return caption, number, region
        return item


def build_figures(finder: RegionFinder, placed: list[tuple[Caption, int, BBox | None]],
                  figures_dir: Path | None, dpi: int) -> list[Figure]:
    """`Figure` records, with PNGs rendered into `figures_dir` when one is given."""
    figures = []
    for caption, page_number, region in placed:
        if region is None:
            finder.warnings.append(f"figure {caption.number} (page {caption.page}): caption found "
                                   "but no figure region")
            figures.append(Figure(number=caption.number, caption=caption.text, page=caption.page,
                                  bbox=(0.0, 0.0, 0.0, 0.0)))
            continue
        page = finder.page(page_number)
        vector = not any(g.kind == "image" and _overlaps(g.bbox, region) for g in page.graphics)
        image_path = ""
        if figures_dir is not None and not finder.out_of_time():
            target = figures_dir / f"figure-{_slug(caption.number)}.png"
            rendered = render_png(finder.doc[page_number - 1], region, dpi, target)
            if rendered is None:
                finder.warnings.append(f"figure {caption.number}: its region renders blank")
            else:
                region, image_path = rendered, str(target)
        figures.append(Figure(number=caption.number, caption=caption.text, page=page_number,
                              bbox=_round(region), image_path=image_path, vector=vector,
                              text_inside=_text_inside(page.text, region)))
    return figures


def render_png(page, region: BBox, dpi: int, target: Path) -> BBox | None:
    """Render a region to PNG trimmed to its ink; the trimmed region, or None when blank."""
    import pymupdf

    clip = pymupdf.Rect(region) & page.rect
    pix = page.get_pixmap(dpi=dpi, clip=clip, alpha=False, colorspace=pymupdf.csRGB)
    pixels = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    ink: np.ndarray = np.asarray((pixels[:, :, :3] < INK_LEVEL).any(axis=2))  # numpy types it "bool or array"
    if ink.sum() < max(12, ink.size // 5000) or pixels.std() < 2:
        return None
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    pad = 2
    r0, r1 = max(0, int(rows[0]) - pad), min(pix.height, int(rows[-1]) + 1 + pad)
    c0, c1 = max(0, int(cols[0]) - pad), min(pix.width, int(cols[-1]) + 1 + pad)
    if (r1 - r0) * (c1 - c0) < 0.95 * pix.height * pix.width:
        crop = np.ascontiguousarray(pixels[r0:r1, c0:c1, :3])
        pix = pymupdf.Pixmap(pymupdf.csRGB, int(c1 - c0), int(r1 - r0), crop.tobytes(), 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    pix.save(str(target))
    scale = 72.0 / dpi
    return (clip.x0 + c0 * scale, clip.y0 + r0 * scale, clip.x0 + c1 * scale, clip.y0 + r1 * scale)


def _mark_inside(text: PageText, region: BBox) -> None:
    for block in text.blocks:
        if block.role in ("", "heading") and _center_in(block.bbox, region):
            block.role = "inside"


def _text_inside(text: PageText, region: BBox) -> str:
    words = [b.text for b in text.blocks + rotated_labels(text)
             if b.role != "caption" and _center_in(b.bbox, region)]
    return " ".join(words)[:2000]


def _center_in(box: BBox, region: BBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - 1 <= cx <= region[2] + 1 and region[1] - 1 <= cy <= region[3] + 1


def _overlaps(a: BBox, b: BBox) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _round(box: BBox) -> BBox:
    x0, y0, x1, y1 = box
    return round(float(x0), 2), round(float(y0), 2), round(float(x1), 2), round(float(y1), 2)


def _slug(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", number)
