"""Write a small PDF holding one figure of each kind, with known content, using PyMuPDF.

Tests and the figure benchmark use it as "real extracted figures" that need no shared data: a
vector line plot (axes, ticks, tick labels, axis titles, two series, a legend), a boxes-and-arrows
diagram, a photo-like raster image, and a grid of numbers. Captions are deliberately neutral
("Results.") so a reader must judge the kind from the figure itself. Each figure comes back as a
`FigureInput` with its page, region and rendered PNG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tools.figures.base import FigureInput

PAGE = (612, 792)
PLOT_BOX = (80.0, 80.0, 530.0, 290.0)
"""Wide on purpose (and the photo square): the two render to different image-tile counts."""
DIAGRAM_BOX = (80.0, 80.0, 530.0, 260.0)
PHOTO_BOX = (150.0, 80.0, 400.0, 330.0)
TABLE_BOX = (100.0, 80.0, 480.0, 230.0)
BLUE, RED, BLACK = (0.1, 0.3, 0.9), (0.9, 0.2, 0.1), (0, 0, 0)
SERIES = {"ours": (BLUE, [0.2, 0.35, 0.5, 0.7, 0.8, 0.9]), "baseline": (RED, [0.8, 0.7, 0.6, 0.45, 0.4, 0.3])}
"""Two series over x = 0, 2, …, 10: `ours` rises from 0.2 to 0.9, `baseline` falls from 0.8 to 0.3."""
EXPECTED_KINDS = {"1": "plot", "2": "diagram", "3": "photo", "4": "table-image"}


def _plot(page) -> None:
    """Axes with ticks and labels, two polylines and a legend, inside PLOT_BOX."""
    import pymupdf

    left, bottom, right, top = 130.0, 250.0, 500.0, 100.0
    page.draw_line((left, bottom), (right, bottom), color=BLACK, width=0.8)
    page.draw_line((left, bottom), (left, top), color=BLACK, width=0.8)
    xs = [left + i * (right - left) / 10 for i in range(11)]
    for i, x in enumerate(xs[::2]):
        page.draw_line((x, bottom), (x, bottom + 4), color=BLACK, width=0.6)
        page.insert_text((x - 3, bottom + 14), str(2 * i), fontsize=8)
    for i in range(6):
        y = bottom - i * (bottom - top) / 5
        page.draw_line((left - 4, y), (left, y), color=BLACK, width=0.6)
        page.insert_text((left - 22, y + 3), f"{i * 0.2:.1f}", fontsize=8)
    page.insert_text((280, bottom + 30), "Training steps", fontsize=9)
    page.insert_text((left - 30, 200), "Accuracy", fontsize=9, rotate=90)
    for row, (name, (colour, values)) in enumerate(SERIES.items()):
        points = [(xs[2 * i], bottom - v * (bottom - top)) for i, v in enumerate(values)]
        page.draw_polyline([pymupdf.Point(p) for p in points], color=colour, width=1.2)
        y = top + 10 + row * 12
        page.draw_line((400, y), (420, y), color=colour, width=1.5)
        page.insert_text((424, y + 3), name, fontsize=8)


def _diagram(page) -> None:
    """Four labelled boxes joined by arrows, inside DIAGRAM_BOX."""
    labels = ["Images", "Encoder", "Decoder", "Masks"]
    for i, label in enumerate(labels):
        x0 = 90 + i * 110
        page.draw_rect((x0, 140, x0 + 80, 190), color=BLACK, fill=(0.85, 0.9, 1.0), width=1)
        page.insert_text((x0 + 12, 169), label, fontsize=10)
        if i < len(labels) - 1:
            page.draw_line((x0 + 80, 165), (x0 + 104, 165), color=BLACK, width=1)
            page.draw_polyline([(x0 + 104, 161), (x0 + 110, 165), (x0 + 104, 169), (x0 + 104, 161)],
                               color=BLACK, fill=BLACK, closePath=True)
    page.draw_rect((200, 215, 420, 250), color=BLACK, fill=(1.0, 0.95, 0.8), width=1)
    page.insert_text((262, 236), "Training loss", fontsize=10)
    page.draw_line((310, 190), (310, 209), color=BLACK, width=1)
    page.draw_polyline([(306, 209), (310, 215), (314, 209), (306, 209)], color=BLACK, fill=BLACK,
                       closePath=True)


def _photo(page) -> None:
    """A smooth, colourful raster image (gradients and soft blobs), inside PHOTO_BOX."""
    import pymupdf

    size = 240
    yy, xx = np.mgrid[0:size, 0:size] / size
    rgb = np.stack([0.5 + 0.5 * np.sin(6 * xx + 2 * yy), 0.5 + 0.4 * np.cos(5 * yy - 3 * xx),
                    0.4 + 0.3 * np.sin(9 * xx * yy)], axis=-1)
    rgb += np.random.default_rng(7).normal(0, 0.02, rgb.shape)
    samples = (np.clip(rgb, 0, 1) * 220 + 10).astype(np.uint8)
    pix = pymupdf.Pixmap(pymupdf.csRGB, size, size, samples.tobytes(), False)
    page.insert_image(pymupdf.Rect(PHOTO_BOX), stream=pix.tobytes("png"))


def _table(page) -> None:
    """A header row and five rows of numbers, printed as a figure, inside TABLE_BOX."""
    header = ["Model", "BLEU", "ROUGE", "F1"]
    for col, name in enumerate(header):
        page.insert_text((110 + col * 95, 100), name, fontsize=9)
    for row in range(5):
        y = 122 + row * 20
        page.insert_text((110, y), f"M{row + 1}", fontsize=9)
        for col in range(1, 4):
            page.insert_text((110 + col * 95, y), f"{20 + 7.3 * row + 3.1 * col * (row % 3):.1f}", fontsize=9)
    for col in range(4):  # the header row as shaded, adjoining cells
        page.draw_rect((105 + col * 95, 88, 200 + col * 95, 106), color=BLACK, fill=(0.9, 0.9, 0.9), width=0.5)


def build_figure_pdf(folder: Path, dpi: int = 100) -> list[FigureInput]:
    """Write `figures.pdf` with four captioned figures into `folder`; return them, rendered."""
    import pymupdf

    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "figures.pdf"
    boxes = [PLOT_BOX, DIAGRAM_BOX, PHOTO_BOX, TABLE_BOX]
    captions = ["Figure 1: Results.", "Figure 2: Our method.", "Figure 3: An example.", "Figure 4: Scores."]
    doc = pymupdf.open()
    for draw, box, caption in zip((_plot, _diagram, _photo, _table), boxes, captions):
        page = doc.new_page(width=PAGE[0], height=PAGE[1])
        draw(page)
        page.insert_textbox((box[0], box[3] + 8, box[2], box[3] + 30), caption, fontsize=9, align=1)
        page.insert_textbox((72, 420, 540, 700), "Body text of the paper. " * 40, fontsize=10)
    doc.save(pdf)
    out = []
    for number, (page, box, caption) in enumerate(zip(doc, boxes, captions), start=1):
        png = folder / f"fig{number}.png"
        page.get_pixmap(dpi=dpi, clip=pymupdf.Rect(box)).save(png)
        out.append(FigureInput(arxiv_id="", number=str(number), caption=caption, image_path=str(png),
                               pdf_path=str(pdf), page=number, bbox=box,
                               text_inside=page.get_text("text", clip=pymupdf.Rect(box)).strip()))
    doc.close()
    return out
