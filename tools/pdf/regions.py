"""Find the region a caption belongs to: the graphics and labels between it and the body text.

For a caption, the search area is its column (the whole width when the caption crosses the page's
middle, shared fairly with a caption side by side), from the caption up (or down) to the nearest
obstacle: body text, a heading, another caption, a region already taken, or the page edge. The
graphics in that area seed the region; rules and labels touching the seeds join it; the result is
clipped to the area, so an image whose declared box overshoots its visible clip cannot swallow the
caption or the text around it. Subfigure captions ("(b) …") are not body text, so they never cut
a figure in half.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.pdf.captions import Caption
from tools.pdf.graphics import Graphic
from tools.pdf.layout import BBox, Block, PageText, Style, is_body, union

LABEL_GAP = 8.0
"""Labels (axis ticks, legends, subcaptions) join a region when this close to it."""
TEXT_CHAIN_GAP = 14.0
NEAR = 24.0
"""A region this close to its caption belongs to it, whatever the preferred direction."""
"""A text-only region grows from its caption through blocks this close to each other."""


@dataclass
class PageRegions:
    """Everything region finding needs to know about one page."""

    text: PageText
    graphics: list[Graphic]
    style: Style
    captions: list[Caption]
    taken: list[BBox] = field(default_factory=list)
    """Regions already given to a caption."""
    used: set[int] = field(default_factory=set)
    """Indices of graphics already in a region."""

    def obstacles(self, own: Caption) -> list[BBox]:
        """Boxes a region may not cross: body text, headings, other captions, taken regions."""
        boxes = [b.bbox for b in self.text.blocks
                 if b is not own.block and (b.role in ("caption", "heading") or is_body(b, self.style))]
        return boxes + self.taken


def find_region(ctx: PageRegions, caption: Caption, order: tuple[str, ...],
                rules_seed: bool = False) -> BBox | None:
    """The caption's region on its own page, trying the directions in `order`; marks it taken.

    A region that touches its caption beats one further away in the preferred direction (a
    table captioned below in a paper whose tables are mostly captioned above).
    """
    found = [(d, candidate(ctx, caption, d, rules_seed)) for d in order]
    found = [(d, r) for d, r in found if r is not None]
    if not found:
        return None
    close = [(d, r) for d, r in found if d != "side" and caption_gap(caption, r, d) <= NEAR]
    _, region = close[0] if close and caption_gap(caption, found[0][1], found[0][0]) > NEAR else found[0]
    ctx.used.update(i for i, g in enumerate(ctx.graphics) if _inside(g.bbox, region))
    return region


def candidate(ctx: PageRegions, caption: Caption, direction: str, rules_seed: bool = False) -> BBox | None:
    """The region in one direction from the caption, without marking anything taken."""
    area = search_area(ctx, caption, direction)
    return None if area is None else grow(ctx, area, caption, direction, rules_seed)


def caption_gap(caption: Caption, region: BBox, direction: str) -> float:
    """Distance between a caption and a region found above or below it."""
    if direction == "above":
        return caption.bbox[1] - region[3]
    if direction == "below":
        return region[1] - caption.bbox[3]
    return 0.0


def column_span(ctx: PageRegions, caption: Caption) -> tuple[float, float]:
    """The caption's horizontal span: its column, or the page, minus captions beside it."""
    width = ctx.text.width
    mid = width / 2
    x0, y0, x1, y1 = caption.bbox
    if not ctx.style.two_columns and x0 < mid < x1:
        left, right = 0.0, width
    elif x0 < mid - 10 and x1 > mid + 10:
        left, right = 0.0, width
    else:
        left, right = (0.0, mid) if (x0 + x1) / 2 < mid else (mid, width)
    for other in ctx.captions:
        ox0, oy0, ox1, oy1 = other.bbox
        if other is caption or min(y1, oy1) - max(y0, oy0) <= 0:
            continue
        if ox1 <= x0:
            left = max(left, (ox1 + x0) / 2)
        elif ox0 >= x1:
            right = min(right, (x1 + ox0) / 2)
    return left, right


def search_area(ctx: PageRegions, caption: Caption, direction: str) -> BBox | None:
    """The empty-of-body-text area above, below or beside a caption."""
    x0, y0, x1, y1 = caption.bbox
    if direction == "side":
        return _side_area(ctx, caption)
    left, right = column_span(ctx, caption)
    blocking = [b for b in ctx.obstacles(caption) if _overlap(b[0], b[2], left, right) > 0.3 * min(
        b[2] - b[0], right - left)]
    if direction == "above":
        top = max([b[3] for b in blocking if b[3] <= y0 + 1 and b[1] < y0 - 1], default=0.0)
        area = (left, top, right, y0)
    else:
        bottom = min([b[1] for b in blocking if b[1] >= y1 - 1 and b[3] > y1 + 1], default=ctx.text.height)
        area = (left, y1, right, bottom)
    return area if area[3] - area[1] > 8 else None


def _side_area(ctx: PageRegions, caption: Caption) -> BBox | None:
    """The area left or right of a narrow side caption, whichever holds free graphics."""
    x0, y0, x1, y1 = caption.bbox
    for side in ((0.0, x0 - 2), (x1 + 2, ctx.text.width)):
        if side[1] - side[0] < 40:
            continue
        free = [g for i, g in enumerate(ctx.graphics) if i not in ctx.used and g.kind != "rule"
                and g.bbox[0] >= side[0] - 2 and g.bbox[2] <= side[1] + 2
                and min(g.bbox[3], y1 + 40) - max(g.bbox[1], y0 - 40) > 0]
        if free:
            box = union([g.bbox for g in free])
            return (side[0], min(box[1], y0), side[1], max(box[3], y1))
    return None


def grow(ctx: PageRegions, area: BBox, caption: Caption, direction: str, rules_seed: bool) -> BBox | None:
    """Seed a region with the area's graphics, add touching rules and labels, clip it to the area."""
    kinds = ("image", "drawing", "rule") if rules_seed else ("image", "drawing")
    seeds = [i for i, g in enumerate(ctx.graphics)
             if i not in ctx.used and g.kind in kinds and (_inside(g.bbox, area) or _covers(g, area))]
    texts = [b for b in ctx.text.blocks + rotated_labels(ctx.text)
             if b.role not in ("caption", "heading", "furniture") and not is_body(b, ctx.style)
             and _inside(b.bbox, area)]
    if seeds:
        region = union([ctx.graphics[i].bbox for i in seeds])
    elif texts and direction != "side":
        region = _text_chain(texts, caption, direction)
        if region is None:
            return None
    else:
        return None
    region = _absorb(ctx, region, area, texts)
    region = _clip(region, area)
    if region[2] - region[0] < 15 or region[3] - region[1] < 10:
        return None
    return region


def rotated_labels(text: PageText) -> list[Block]:
    """Vertical text (y-axis labels) as label blocks; never the arXiv stamp in the margin."""
    return [Block([line], text.number) for line in text.rotated if "arxiv:" not in line.text.lower()]


def _absorb(ctx: PageRegions, region: BBox, area: BBox, texts: list[Block]) -> BBox:
    """Add rules and label text touching the region, until nothing more joins."""
    rules = [g.bbox for i, g in enumerate(ctx.graphics) if i not in ctx.used and _inside(g.bbox, area)]
    candidates = rules + [b.bbox for b in texts]
    joined: set[int] = set()
    changed = True
    while changed:
        changed = False
        for i, box in enumerate(candidates):
            if i not in joined and _near(box, region, LABEL_GAP):
                region = union([region, box])
                joined.add(i)
                changed = True
    return region


def _text_chain(texts: list[Block], caption: Caption, direction: str) -> BBox | None:
    """A region of text blocks reaching from the caption edge outwards (a text-only figure)."""
    edge = caption.bbox[1] if direction == "above" else caption.bbox[3]
    pool = sorted(texts, key=lambda b: abs((b.bbox[3] if direction == "above" else b.bbox[1]) - edge))
    region: BBox | None = None
    reach = (caption.bbox[0], edge, caption.bbox[2], edge)
    for block in pool:
        target = region or reach
        if _near(block.bbox, target, TEXT_CHAIN_GAP if region else 2 * TEXT_CHAIN_GAP):
            region = union([region, block.bbox]) if region else block.bbox
    return region


def _inside(box: BBox, area: BBox) -> bool:
    """Whether most of `box` (or its centre) lies in `area`."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    if area[0] <= cx <= area[2] and area[1] <= cy <= area[3]:
        return True
    inter = _overlap(box[0], box[2], area[0], area[2]) * _overlap(box[1], box[3], area[1], area[3])
    size = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    return inter / size >= 0.5


def _covers(graphic: Graphic, area: BBox) -> bool:
    """An image filling much of the area though its declared box is larger (clipped when drawn)."""
    if graphic.kind != "image":
        return False
    box = graphic.bbox
    inter = _overlap(box[0], box[2], area[0], area[2]) * _overlap(box[1], box[3], area[1], area[3])
    return inter >= 0.3 * (area[2] - area[0]) * (area[3] - area[1])


def _near(box: BBox, region: BBox, gap: float) -> bool:
    dx = max(region[0] - box[2], box[0] - region[2], 0.0)
    dy = max(region[1] - box[3], box[1] - region[3], 0.0)
    return dx <= gap and dy <= gap


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _clip(box: BBox, area: BBox) -> BBox:
    return (max(box[0], area[0]), max(box[1], area[1]), min(box[2], area[2]), min(box[3], area[3]))


def orphan_region(ctx: PageRegions) -> BBox | None:
    """Free graphics on a page with no caption of their own (a figure whose caption is elsewhere)."""
    free = [g.bbox for i, g in enumerate(ctx.graphics) if i not in ctx.used and g.kind != "rule"]
    if not free:
        return None
    region = union(free)
    page_area = ctx.text.width * ctx.text.height
    if (region[2] - region[0]) * (region[3] - region[1]) < 0.1 * page_area:
        return None
    ctx.used.update(i for i, g in enumerate(ctx.graphics) if _inside(g.bbox, region))
    return region
