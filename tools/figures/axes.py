"""Read a plot's axes, legend and series from the words and paths inside its region.

Tick labels are numbers laid out in a row (x) or a column (y) whose values grow evenly with their
position; that linear relation is what tells an axis from a table column, and it maps page
coordinates back to data values, so a series' trend is reported in the plot's own units.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, Field

from tools.figures.region import RegionFacts, Series, Word

_NUMBER = re.compile(r"^\(?([-+\u2212\u2013]?)(\d+(?:[.,]\d+)?|\.\d+)(%?)\)?[,;]?$")
MIN_TICKS = 3
LINEARITY = 0.98
"""Least |correlation| between tick positions and values for a row or column to be an axis."""


def number(text: str) -> float | None:
    """The number a tick label or cell prints (`0.5`, `−2`, `25%`), else None."""
    match = _NUMBER.match(text.strip())
    if not match:
        return None
    sign, digits, _ = match.groups()
    if "," in digits and "." not in digits and len(digits.split(",")[-1]) == 3:
        digits = digits.replace(",", "")  # a thousands separator: 1,000
    value = float(digits.replace(",", "."))
    return -value if sign else value


class Scale(BaseModel):
    """One axis: its tick labels (value and page position) and its title."""

    axis: str
    values: list[float]
    positions: list[float]
    edge: float
    """Where the tick labels sit across the axis (their row's bottom, or their column's left)."""
    title: str = ""

    def to_value(self, position: float) -> float:
        """Map a page coordinate to a data value by the least-squares line through the ticks."""
        n = len(self.values)
        mp, mv = sum(self.positions) / n, sum(self.values) / n
        var = sum((p - mp) ** 2 for p in self.positions) or 1.0
        slope = sum((p - mp) * (v - mv) for p, v in zip(self.positions, self.values)) / var
        return mv + slope * (position - mp)

    @property
    def step(self) -> float:
        """The smallest spacing between tick values."""
        ordered = sorted(self.values)
        return min(b - a for a, b in zip(ordered, ordered[1:]))

    def fmt(self, value: float) -> str:
        """A value on this axis, as precise as its ticks."""
        return _fmt(value, self.step)

    def label(self) -> str:
        """`x: Steps (0–8000)`."""
        span = f"{_fmt(min(self.values))}–{_fmt(max(self.values))}"
        return f"{self.axis}: {self.title} ({span})" if self.title else f"{self.axis}: ({span})"


class PlotReading(BaseModel):
    """What could be read of a plot."""

    x: Scale | None = None
    y: Scale | None = None
    legend: list[str] = Field(default_factory=list)
    trends: list[str] = Field(default_factory=list)


def _fmt(value: float, step: float = 0.0) -> str:
    """A value to the precision its axis's tick spacing supports (one digit finer than a step)."""
    if step > 0:
        decimals = max(0, 1 - math.floor(math.log10(step)))
        return f"{round(value, decimals):.{decimals}f}"
    return f"{value:.4g}" if abs(value) < 1e5 else f"{value:.3g}"


def _linear(positions: list[float], values: list[float]) -> bool:
    """Values strictly monotonic in position and close to a straight line."""
    pairs = sorted(zip(positions, values))
    steps = [b[1] - a[1] for a, b in zip(pairs, pairs[1:])]
    if not (all(s > 0 for s in steps) or all(s < 0 for s in steps)):
        return False
    n = len(pairs)
    mp, mv = sum(positions) / n, sum(values) / n
    cov = sum((p - mp) * (v - mv) for p, v in zip(positions, values))
    sp = sum((p - mp) ** 2 for p in positions) ** 0.5
    sv = sum((v - mv) ** 2 for v in values) ** 0.5
    return sp > 0 and sv > 0 and abs(cov / (sp * sv)) >= LINEARITY


def _groups(words: list[Word], key, tolerance: float) -> list[list[Word]]:
    """Cluster words whose `key` agrees within `tolerance`."""
    groups: list[list[Word]] = []
    for word in sorted(words, key=key):
        if groups and abs(key(word) - key(groups[-1][-1])) <= tolerance:
            groups[-1].append(word)
        else:
            groups.append([word])
    return [g for g in groups if len(g) >= MIN_TICKS]


def tick_scales(words: list[Word]) -> tuple[Scale | None, Scale | None]:
    """The x axis (lowest linear numeric row) and y axis (leftmost linear numeric column)."""
    numeric = [w for w in words if not w.vertical and number(w.text) is not None]
    rows = []
    for group in _groups(numeric, lambda w: w.cy, 2.0):
        values = [v for w in group if (v := number(w.text)) is not None]  # every one is, in `numeric`
        xs = [w.cx for w in group]
        if len(set(values)) == len(values) and _linear(xs, values):
            rows.append(Scale(axis="x", values=values, positions=xs, edge=max(w.bbox[3] for w in group)))
    columns = []
    for key in (lambda w: w.bbox[2], lambda w: w.cx):
        for group in _groups(numeric, key, 3.0):
            values = [v for w in group if (v := number(w.text)) is not None]
            ys = [w.cy for w in group]
            if len(set(values)) == len(values) and _linear(ys, values):
                columns.append(Scale(axis="y", values=values, positions=ys, edge=min(w.bbox[0] for w in group)))
    x = max(rows, key=lambda s: s.edge, default=None)
    y = min(columns, key=lambda s: s.edge, default=None)
    return x, y


def _title_words(words: list[Word], x: Scale | None, y: Scale | None) -> tuple[str, str]:
    """Axis titles: the words just below the x tick labels; rotated words left of the y ticks."""
    plain = [w for w in words if number(w.text) is None]
    x_title = ""
    if x is not None:
        lo, hi = min(x.positions) - 40, max(x.positions) + 40
        below = [w for w in plain if not w.vertical and x.edge < w.cy <= x.edge + 30 and lo <= w.cx <= hi]
        x_title = " ".join(w.text for w in sorted(below, key=lambda w: w.cx))
    y_title = ""
    if y is not None:
        top, bottom = min(y.positions) - 40, max(y.positions) + 40
        left = [w for w in plain if w.cx < y.edge and top <= w.cy <= bottom]
        above = [w for w in plain if min(y.positions) - 25 <= w.cy < min(y.positions) - 3
                 and w.bbox[0] <= y.edge + 25 and not w.vertical]
        rotated = [w for w in left if w.vertical] or left or above
        y_title = " ".join(w.text for w in sorted(rotated, key=lambda w: (-w.cy if w.vertical else w.cx)))
    return x_title, y_title


def legend_entries(facts: RegionFacts) -> dict[str, str]:
    """Legend labels keyed by colour: words just right of a short coloured key stroke."""
    out: dict[str, str] = {}
    for key in facts.keys:
        x1 = max(p[0] for p in key.points)
        cy = sum(p[1] for p in key.points) / len(key.points)
        line = sorted((w for w in facts.words if abs(w.cy - cy) <= 3 and w.bbox[0] >= x1 - 1), key=lambda w: w.bbox[0])
        words, edge = [], x1
        for word in line:
            if word.bbox[0] - edge > (20 if not words else 8):
                break
            words.append(word.text)
            edge = word.bbox[2]
        if words and key.colour not in out:
            out[key.colour] = " ".join(words)
    return out


def _trend(series: Series, name: str, x: Scale | None, y: Scale | None) -> str:
    """One series' direction, in data units when the axes could be read."""
    first, last = min(series.points), max(series.points)
    if y is None:
        rise = first[1] - last[1]  # page y grows downwards
        span = (max(p[1] for p in series.points) - min(p[1] for p in series.points)) or 1.0
        word = "rises" if rise > 0.1 * span else "falls" if -rise > 0.1 * span else "stays level"
        return f"{name} {word} from left to right"
    start, end = y.to_value(first[1]), y.to_value(last[1])
    peak = max(y.to_value(p[1]) for p in series.points)
    word = "rises" if end > start else "falls" if end < start else "stays at"
    where = f" as x goes from {x.fmt(x.to_value(first[0]))} to {x.fmt(x.to_value(last[0]))}" if x else ""
    return f"{name} {word} from {y.fmt(start)} to {y.fmt(end)}{where} (peak {y.fmt(peak)})"


def _extent(series: Series) -> float:
    """How far a series runs left to right (data lines span the plot; hatching does not)."""
    xs = [p[0] for p in series.points]
    return max(xs) - min(xs)


def bar_values(facts: RegionFacts) -> list[float]:
    """Numbers printed just above (or at the end of) a bar: the values a bar chart states."""
    values = []
    for word in facts.words:
        value = number(word.text)
        if value is None:
            continue
        for x0, y0, x1, _ in facts.filled_rects:
            if x0 - 3 <= word.cx <= x1 + 3 and 0 <= y0 - word.bbox[3] <= 6:
                values.append(value)
                break
    return values


def read_plot(facts: RegionFacts) -> PlotReading:
    """Axes, legend and per-series trends, as far as the PDF holds them."""
    x, y = tick_scales(facts.words)
    x_title, y_title = _title_words(facts.words, x, y)
    if x is not None:
        x.title = x_title
    if y is not None:
        y.title = y_title
    names = legend_entries(facts)
    reading = PlotReading(x=x, y=y, legend=list(names.values()))
    printed = bar_values(facts) if facts.bars else []
    if printed:
        reading.trends.append(f"values printed on {len(printed)} bars range from {min(printed):g} "
                              f"to {max(printed):g}")
    data = [s for s in facts.series if _extent(s) >= 0.3 * max(facts.width, 1.0)]
    for index, series in enumerate(data[:8], start=1):
        name = names.get(series.colour, f"series {index} ({series.colour})")
        reading.trends.append(_trend(series, name, x, y))
    return reading
