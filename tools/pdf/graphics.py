"""The graphics on a page that can make up a figure: raster images and vector drawings.

What is dropped, because it trips caption-anchored regions up: tiny images (glyphs drawn as
bitmaps, icons), invisible paths (white or unfilled and unstroked, often a full-page rectangle
behind everything), anything covering most of the page, and shapes in the page margins (logos,
running-header rules). Thin horizontal or vertical lines are kept but marked as rules: a table's
booktabs lines or a footnote separator may join a figure, never start one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.pdf.layout import BBox

MIN_IMAGE_SIDE = 12.0
MIN_IMAGE_AREA = 400.0
MAX_PAGE_COVER = 0.6
RULE_THICKNESS = 2.0
GLYPH_PAGE_IMAGES = 300
"""More images than this on one page: a page of bitmap glyphs; only large images count."""


@dataclass
class Graphic:
    """One image or path, with its box clipped to the page."""

    bbox: BBox
    kind: str
    """`image`, `drawing` or `rule`."""


@dataclass
class PageGraphics:
    """What `page_graphics` found, and what it had to say about it."""

    items: list[Graphic]
    warnings: list[str]


def page_graphics(page, number: int, margins: tuple[float, float]) -> PageGraphics:
    """Images and drawings on a page worth anchoring a figure on.

    `margins`: (top, bottom) y of the text area; shapes wholly outside it are page decoration.
    """
    width, height = page.rect.width, page.rect.height
    items: list[Graphic] = []
    warnings: list[str] = []
    images = page.get_image_info()
    min_side, min_area = MIN_IMAGE_SIDE, MIN_IMAGE_AREA
    if len(images) > GLYPH_PAGE_IMAGES:
        warnings.append(f"page {number} draws {len(images)} images (bitmap glyphs?); "
                        "only large ones were considered")
        min_side, min_area = 48.0, 5000.0
    for info in images:
        box = _clip(info["bbox"], width, height)
        if box and min(_w(box), _h(box)) >= min_side and _w(box) * _h(box) >= min_area:
            if _w(box) * _h(box) < MAX_PAGE_COVER * width * height or len(images) == 1:
                items.append(Graphic(box, "image"))
    for path, clip in _clipped_paths(page):
        graphic = _drawing(path, clip, width, height)
        if graphic and not (graphic.bbox[3] < margins[0] or graphic.bbox[1] > margins[1]):
            items.append(graphic)
    return PageGraphics(items, warnings)


def _clipped_paths(page):
    """Each path with the clip in force where it is drawn (hatches and plots overshoot theirs)."""
    stack: dict[int, BBox | None] = {}
    for item in page.get_cdrawings(extended=True):
        level = item.get("level", 0)
        for deeper in [k for k in stack if k >= level]:
            del stack[deeper]
        kind = item.get("type")
        if kind == "clip":
            stack[level] = tuple(item["scissor"])
        elif kind == "group":
            stack[level] = None
        else:
            clip = None
            for box in (b for b in stack.values() if b is not None):
                clip = box if clip is None else _intersection(clip, box)
            yield item, clip


def _intersection(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _path_box(path: dict) -> tuple[float, float, float, float]:
    """The box around a path's points (PyMuPDF's `rect` can miss subpaths after a move)."""
    xs: list[float] = []
    ys: list[float] = []
    for item in path.get("items", ()):
        for part in item[1:]:
            if isinstance(part, tuple) and len(part) == 2:
                xs.append(part[0])
                ys.append(part[1])
            elif isinstance(part, tuple) and len(part) == 4 and item[0] == "re":
                xs.extend((part[0], part[2]))
                ys.extend((part[1], part[3]))
            elif isinstance(part, tuple) and len(part) == 4:  # a quad: four points
                for point in part:
                    xs.append(point[0])
                    ys.append(point[1])
    if not xs:
        return tuple(path["rect"])
    return min(xs), min(ys), max(xs), max(ys)


def _drawing(path: dict, clip: BBox | None, width: float, height: float) -> Graphic | None:
    box = _clip(_path_box(path), width, height, pad=0.5)
    if box is not None and clip is not None:
        box = _intersection(box, clip)
        box = box if box[2] > box[0] and box[3] > box[1] else None
    if box is None or _invisible(path):
        return None
    if _w(box) * _h(box) > MAX_PAGE_COVER * width * height:
        return None
    thin = min(_w(box), _h(box)) <= RULE_THICKNESS
    return Graphic(box, "rule" if thin else "drawing")


def _invisible(path: dict) -> bool:
    stroked = path.get("color") is not None and "s" in path.get("type", "") \
        and (path.get("stroke_opacity") or 1.0) > 0.05
    fill = path.get("fill")
    filled = fill is not None and "f" in path.get("type", "") and (path.get("fill_opacity") or 1.0) > 0.05
    if filled and stroked is False and fill is not None and min(fill) > 0.98:
        return True  # white on white
    return not (stroked or filled)


def _clip(rect, width: float, height: float, pad: float = 0.0) -> BBox | None:
    x0, y0, x1, y1 = (float(v) for v in rect)
    x0, x1 = min(x0, x1) - pad, max(x0, x1) + pad
    y0, y1 = min(y0, y1) - pad, max(y0, y1) + pad
    box = (max(0.0, x0), max(0.0, y0), min(width, x1), min(height, y1))
    return box if box[2] > box[0] and box[3] > box[1] else None


def _w(box: BBox) -> float:
    return box[2] - box[0]


def _h(box: BBox) -> float:
    return box[3] - box[1]
