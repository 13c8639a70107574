"""Measure what a PDF holds inside a figure's region: vector paths, raster images and words.

The CPU reader decides a figure's kind and writes its description from these measurements, so
everything it says can be traced to the page: a line plot is long axis lines, tick marks and
numbers laid out along them; a diagram is boxes, arrows and labels; a photo is a colourful raster
image. pymupdf is imported inside the function (importing the core stays light).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.document import BBox

TICK_MAX = 6.0
"""A stroke at most this long (points), perpendicular to an axis and touching it, is a tick mark."""
AXIS_MIN = 0.35
"""An axis line spans at least this fraction of the region's width (or height)."""


class Word(BaseModel):
    """One word inside the region, with its box (PDF points, origin top-left)."""

    text: str
    bbox: BBox
    vertical: bool = False
    """Written bottom-to-top or top-to-bottom (a rotated y-axis label)."""

    @property
    def cx(self) -> float:
        """Horizontal centre."""
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        """Vertical centre."""
        return (self.bbox[1] + self.bbox[3]) / 2


class Segment(BaseModel):
    """A straight stroke, for axes and ticks."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        """Flat within half a point."""
        return abs(self.y1 - self.y0) < 0.5 and abs(self.x1 - self.x0) >= 0.5

    @property
    def vertical(self) -> bool:
        """Upright within half a point."""
        return abs(self.x1 - self.x0) < 0.5 and abs(self.y1 - self.y0) >= 0.5

    @property
    def length(self) -> float:
        """Euclidean length."""
        return ((self.x1 - self.x0) ** 2 + (self.y1 - self.y0) ** 2) ** 0.5


class Series(BaseModel):
    """A stroked polyline or curve with several points: a data series, in page coordinates."""

    colour: str
    points: list[tuple[float, float]]


class RegionFacts(BaseModel):
    """What the region is made of."""

    width: float = 0.0
    height: float = 0.0
    paths: int = 0
    """Vector paths drawn inside the region."""
    filled_shapes: int = 0
    boxes: int = 0
    """Rectangles (or rounded ones) big enough to hold a label, small enough not to be a frame."""
    arrowheads: int = 0
    """Small filled triangles."""
    segments: list[Segment] = Field(default_factory=list)
    series: list[Series] = Field(default_factory=list)
    filled_rects: list[BBox] = Field(default_factory=list)
    box_rects: list[BBox] = Field(default_factory=list)
    """The rectangles counted in `boxes`."""
    keys: list[Series] = Field(default_factory=list)
    """Short horizontal coloured strokes or small coloured patches: legend keys."""
    stroke_colours: list[str] = Field(default_factory=list)
    """Distinct non-grey stroke and fill colours, as hex."""
    raster_fraction: float = 0.0
    """Share of the region covered by embedded raster images."""
    words: list[Word] = Field(default_factory=list)
    measured: bool = True
    """False when the PDF could not be read: only the picture (taken as raster) and given words."""

    @property
    def long_horizontal(self) -> list[Segment]:
        """Horizontal strokes spanning a good part of the region: x axes, frames, grid lines."""
        return [s for s in self.segments if s.horizontal and s.length >= AXIS_MIN * self.width]

    @property
    def long_vertical(self) -> list[Segment]:
        """Vertical strokes spanning a good part of the region: y axes, frames, grid lines."""
        return [s for s in self.segments if s.vertical and s.length >= AXIS_MIN * self.height]

    @property
    def bars(self) -> int:
        """Filled rectangles of different lengths on a shared baseline (or shared left edge)."""
        best = 0
        for base, far in ((3, 1), (0, 2)):  # vertical bars: bottoms agree; horizontal: lefts agree
            groups: dict[int, set[int]] = {}
            counts: dict[int, int] = {}
            for box in self.filled_rects:
                if box[2] - box[0] >= 1 and box[3] - box[1] >= 1:
                    groups.setdefault(round(box[base]), set()).add(round(box[far]))
                    counts[round(box[base])] = counts.get(round(box[base]), 0) + 1
            best = max([best] + [counts[k] for k, lengths in groups.items() if len(lengths) >= 3])
        return best if best >= 3 else 0

    @property
    def cells(self) -> int:
        """Boxes that adjoin another box edge to edge at the same height or width: table cells."""
        def adjoin(a: BBox, b: BBox) -> bool:
            row = abs(a[1] - b[1]) <= 1 and abs(a[3] - b[3]) <= 1 and abs(a[2] - b[0]) <= 1
            column = abs(a[0] - b[0]) <= 1 and abs(a[2] - b[2]) <= 1 and abs(a[3] - b[1]) <= 1
            return row or column

        rects = self.box_rects
        return sum(any(adjoin(a, b) or adjoin(b, a) for b in rects if b is not a) for a in rects)

    @property
    def ticks(self) -> int:
        """Tick marks on ticked axes (see `ticked_axes`)."""
        return sum(self.ticked_axes)

    @property
    def ticked_axes(self) -> list[int]:
        """For each long line carrying 3+ evenly spaced short perpendicular strokes: their count."""
        short = [s for s in self.segments if s.length <= TICK_MAX]
        out = []
        for axis in self.long_horizontal + self.long_vertical:
            if axis.horizontal:
                spots = sorted({round(t.x0, 1) for t in short if t.vertical and _touches(t, axis)})
            else:
                spots = sorted({round(t.y0, 1) for t in short if t.horizontal and _touches(t, axis)})
            if len(spots) >= 3 and _even(spots):
                out.append(len(spots))
        return out


def _even(spots: list[float]) -> bool:
    """Positions spaced (nearly) evenly, as ticks are; minor ticks may halve the spacing."""
    gaps = [b - a for a, b in zip(spots, spots[1:]) if b - a > 0.5]
    if len(gaps) < 2:
        return False
    smallest = min(gaps)
    return all(abs(g / smallest - round(g / smallest)) < 0.15 for g in gaps)


def _touches(tick: Segment, axis: Segment) -> bool:
    """True when a tick's end lies on the axis line (within a point)."""
    ends = ((tick.x0, tick.y0), (tick.x1, tick.y1))
    if axis.horizontal:
        lo, hi = sorted((axis.x0, axis.x1))
        return any(abs(y - axis.y0) <= 1 and lo - 1 <= x <= hi + 1 for x, y in ends)
    lo, hi = sorted((axis.y0, axis.y1))
    return any(abs(x - axis.x0) <= 1 and lo - 1 <= y <= hi + 1 for x, y in ends)


def _hex(colour) -> str:
    """An RGB tuple in 0..1 as `#rrggbb`; empty for none."""
    if not colour or len(colour) < 3:
        return ""
    return "#" + "".join(f"{round(c * 255):02x}" for c in colour[:3])


def _grey(colour: str) -> bool:
    """Black, white and greys carry no series identity."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return max(r, g, b) - min(r, g, b) < 24


def _add_path(facts: RegionFacts, path: dict, area: float, colours: set[str]) -> None:
    """Fold one PyMuPDF drawing into the facts."""
    items = path.get("items", [])
    rect = path["rect"]
    for colour in (_hex(path.get("color")), _hex(path.get("fill"))):
        if colour and not _grey(colour):
            colours.add(colour)
    if path.get("fill") is not None:
        facts.filled_shapes += 1
        lines = [i for i in items if i[0] == "l"]
        if len(items) in (3, 4) and len(lines) >= 3 and rect.width * rect.height < 60:
            facts.arrowheads += 1
    box_area = rect.width * rect.height
    rectangular = (len(items) == 1 and items[0][0] == "re") or _closed_rectangle(items)
    if path.get("fill") is not None and rectangular and box_area < 0.5 * area:
        facts.filled_rects.append((rect.x0, rect.y0, rect.x1, rect.y1))
    if any(i[0] in ("re", "qu") for i in items) or _closed_rectangle(items):
        if 0.002 * area <= box_area <= 0.25 * area and min(rect.width, rect.height) >= 6:
            facts.boxes += 1
            facts.box_rects.append((rect.x0, rect.y0, rect.x1, rect.y1))
    for item in items:
        if item[0] == "l":
            p, q = item[1], item[2]
            facts.segments.append(Segment(x0=p.x, y0=p.y, x1=q.x, y1=q.y))
    stroke = _hex(path.get("color"))
    points = _points(items)
    if path.get("type", "") in ("s", "fs") and len(points) >= 5 and stroke and not _axis_like(points):
        facts.series.append(Series(colour=stroke, points=points))
    key = _legend_key(path, rect, points)
    if key is not None:
        facts.keys.append(key)


def _legend_key(path: dict, rect, points: list[tuple[float, float]]) -> Series | None:
    """A legend key: a short flat coloured stroke, or a small coloured patch."""
    stroke, fill = _hex(path.get("color")), _hex(path.get("fill"))
    if stroke and path.get("fill") is None and rect.height < 1 and 5 <= rect.width <= 40:
        return Series(colour=stroke, points=points or [(rect.x0, rect.y0), (rect.x1, rect.y1)])
    if fill and fill != "#ffffff" and 3 <= rect.width <= 30 and 3 <= rect.height <= 14:
        return Series(colour=fill, points=[(rect.x0, (rect.y0 + rect.y1) / 2), (rect.x1, (rect.y0 + rect.y1) / 2)])
    return None


def _closed_rectangle(items: list) -> bool:
    """Four axis-aligned lines making a loop (how many tools draw boxes)."""
    if len(items) != 4 or any(i[0] != "l" for i in items):
        return False
    return all(abs(i[1].x - i[2].x) < 0.5 or abs(i[1].y - i[2].y) < 0.5 for i in items)


def _points(items: list) -> list[tuple[float, float]]:
    """The vertices of a path made of lines and curves, in drawing order."""
    points: list[tuple[float, float]] = []
    for item in items:
        if item[0] in ("l", "c"):
            for point in (item[1], item[-1]):
                if not points or points[-1] != (point.x, point.y):
                    points.append((point.x, point.y))
    return points


def _axis_like(points: list[tuple[float, float]]) -> bool:
    """A path whose every step is horizontal or vertical (frames, grids, boxes), not data."""
    steps = zip(points, points[1:])
    return all(abs(a[0] - b[0]) < 0.5 or abs(a[1] - b[1]) < 0.5 for a, b in steps)


def measure_region(pdf_path: str, page_number: int, bbox: BBox) -> RegionFacts:
    """Measure the region `bbox` of 1-based `page_number` in `pdf_path`."""
    import pymupdf

    with pymupdf.open(pdf_path) as doc:
        page = doc[page_number - 1]
        clip = pymupdf.Rect(bbox) & page.rect
        facts = RegionFacts(width=clip.width, height=clip.height)
        area = max(clip.width * clip.height, 1.0)
        colours: set[str] = set()
        for path in page.get_drawings():
            if _inside(pymupdf.Rect(path["rect"]), clip, area):
                facts.paths += 1
                _add_path(facts, path, area, colours)
        images = [pymupdf.Rect(i["bbox"]) & clip for i in page.get_image_info()]
        facts.raster_fraction = min(1.0, sum(r.width * r.height for r in images if not r.is_empty) / area)
        facts.stroke_colours = sorted(colours)
        facts.words = _words(page, clip)
    return facts


def _inside(rect, clip, area: float) -> bool:
    """Mostly inside the clip, and not a background covering all of it (lines have no area)."""
    grown = rect + (-0.5, -0.5, 0.5, 0.5)
    overlap = grown & clip
    if overlap.is_empty or rect.width * rect.height >= 0.95 * area:
        return False
    return overlap.width * overlap.height >= 0.5 * grown.width * grown.height


def _words(page, clip) -> list[Word]:
    """The words inside the clip, marking those on rotated lines (a y-axis title).

    The text dict is asked without images: by default PyMuPDF copies every image's bytes into it,
    which made reading a figure region twenty times slower for the same words.
    """
    import pymupdf

    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
    rotated = [line["bbox"] for block in page.get_text("dict", clip=clip, flags=flags)["blocks"]
               for line in block.get("lines", []) if abs(line["dir"][0]) < 0.5]
    out: list[Word] = []
    for x0, y0, x1, y1, text, *_ in page.get_text("words", clip=clip):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        vertical = any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in rotated)
        out.append(Word(text=text, bbox=(x0, y0, x1, y1), vertical=vertical))
    return out
