"""Small PDFs built with PyMuPDF that exercise the parser, for tests and offline demos.

`paper()` is a three-page two-column arXiv-style paper: an arXiv margin stamp, an abstract,
numbered sections, a vector plot with axes and tick labels (Figure 1), a raster image (Figure 2),
a booktabs table (Table 1), sentences that mention figures without being captions, and a numbered
bibliography with arXiv ids and DOIs. `tricky()` holds the traps figure regions fall into: an
invisible full-page rectangle, subfigure captions, a tiny "Figure 3." inside a drawn screenshot,
an image whose declared box overshoots its clip, and a full-page figure captioned overleaf. The
rest are bad inputs: encrypted, truncated, scanned (no text layer), empty pages, a page of 1,000
bitmap glyphs. Nothing here is copied from a real paper.
"""

from __future__ import annotations

import re
from pathlib import Path

W, H = 612.0, 792.0
LEFT = (54.0, 298.0)
RIGHT = (314.0, 558.0)
WORDS = ("sparse attention lets a transformer read long documents at a fraction of the cost "
         "of dense attention while keeping the accuracy of the full model on every benchmark "
         "we tried including retrieval summarisation and question answering over books").split()
REFERENCES = [
    "[1] A. Vaswani, N. Shazeer, and N. Parmar. Attention is all you need. In Advances in Neural "
    "Information Processing Systems, pages 5998-6008, 2017.",
    "[2] I. Beltagy, M. E. Peters, and A. Cohan. Longformer: The long-document transformer. "
    "arXiv preprint arXiv:2004.05150, 2020.",
    "[3] M. Zaheer, G. Guruganesh, and A. Dubey. Big bird: Transformers for longer sequences. "
    "In NeurIPS, 2020. doi: 10.48550/arXiv.2007.14062.",
    "[4] R. Child, S. Gray, A. Radford, and I. Sutskever. Generating long sequences with sparse "
    "transformers. arXiv preprint arXiv:1904.10509, 2019.",
    "[5] Y. Tay, M. Dehghani, D. Bahri, and D. Metzler. Efficient transformers: A survey. ACM "
    "Computing Surveys, 55(6):1-28, 2022. doi: 10.1145/3530811.",
    "[6] N. Kitaev, L. Kaiser, and A. Levskaya. Reformer: The efficient transformer. In "
    "International Conference on Learning Representations, 2020.",
]


def text(n: int, start: int = 0) -> str:
    """`n` words of filler prose, ending with a full stop."""
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(n)).capitalize() + "."


def _para(page, col: tuple[float, float], y: float, words: int, start: int = 0, size: float = 10) -> float:
    """A paragraph in a column from `y`; returns the y below it."""
    lines = max(1, round(words * 5.6 * size * 0.5 / (col[1] - col[0])) + 1)
    rect = (col[0], y, col[1], y + lines * size * 1.25 + 6)
    spare = page.insert_textbox(rect, text(words, start), fontsize=size, fontname="tiro")
    return rect[3] - max(spare, 0) + 6


def _heading(page, x: float, y: float, label: str, size: float = 12) -> float:
    page.insert_text((x, y + size), label, fontsize=size, fontname="hebo")
    return y + size + 8


def _caption(page, col: tuple[float, float], y: float, label: str, words: int = 14) -> float:
    rect = (col[0], y, col[1], y + 40)
    spare = page.insert_textbox(rect, f"{label} {text(words, 7)}", fontsize=9, fontname="tiro")
    return rect[3] - max(spare, 0) + 6


def _plot(page, box: tuple[float, float, float, float]) -> None:
    """A line chart drawn with vector paths only: axes, ticks, a curve, labels."""
    import pymupdf

    x0, y0, x1, y1 = box
    shape = page.new_shape()
    shape.draw_line((x0 + 20, y1 - 15), (x1, y1 - 15))
    shape.draw_line((x0 + 20, y0), (x0 + 20, y1 - 15))
    for i in range(5):
        tx = x0 + 20 + i * (x1 - x0 - 20) / 4
        shape.draw_line((tx, y1 - 15), (tx, y1 - 12))
    shape.finish(color=(0, 0, 0), width=0.8)
    points = [pymupdf.Point(x0 + 20 + i * (x1 - x0 - 20) / 9, y1 - 20 - (i * 7 % 23) * (y1 - y0 - 40) / 23)
              for i in range(10)]
    shape.draw_polyline(points)
    shape.finish(color=(0.1, 0.3, 0.9), width=1.5)
    shape.commit()
    for i in range(5):
        page.insert_text((x0 + 17 + i * (x1 - x0 - 20) / 4, y1 - 4), str(i * 2), fontsize=6, fontname="helv")
    page.insert_text((x0 + 2, y0 + 10), "acc", fontsize=7, fontname="helv")
    page.insert_text(((x0 + x1) / 2, y1 + 6), "length (k tokens)", fontsize=7, fontname="helv")


def _image(page, rect, seed: int = 1, keep_proportion: bool = True) -> None:
    """A colourful raster image (a gradient), so its PNG is visibly not blank."""
    import pymupdf

    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 64, 48), 0)
    for y in range(48):
        for x in range(64):
            pix.set_pixel(x, y, ((x * 4 * seed) % 256, (y * 5) % 256, 120))
    page.insert_image(rect, pixmap=pix, keep_proportion=keep_proportion)


def _table(page, col: tuple[float, float], y: float) -> float:
    rows = [("Model", "Recall", "F1"), ("Dense", "0.71", "0.68"), ("Sparse", "0.74", "0.70"),
            ("Ours", "0.81", "0.77")]
    shape = page.new_shape()
    for k, ry in enumerate((y, y + 16, y + 16 * len(rows) + 2)):
        shape.draw_line((col[0], ry), (col[1], ry))
    shape.finish(color=(0, 0, 0), width=0.6 if k else 1.0)
    shape.commit()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            page.insert_text((col[0] + 6 + c * 80, y + 12 + r * 16), cell, fontsize=9, fontname="tiro")
    return y + 16 * len(rows) + 10


RECORD = {"arxiv_id": "2401.00001", "version": "v2", "title": "Sparse Attention for Long Documents",
          "abstract": "Sparse attention lets a transformer read long documents at a fraction of the cost of "
                      "dense attention while keeping the accuracy of the full model."}
"""The arXiv record of `paper()`, for a mirror that serves it (its references cite 2004.05150,
1904.10509 and, through a DOI, 2007.14062)."""


def paper(path: Path, stamp: str = "arXiv:2401.00001v2  [cs.CL]  1 Jan 2024") -> Path:
    """A three-page two-column paper with two figures, one table and six references."""
    import pymupdf

    doc = pymupdf.open()
    _page_one(doc.new_page(width=W, height=H), stamp)
    _page_two(doc.new_page(width=W, height=H))
    _page_three(doc.new_page(width=W, height=H))
    doc.set_metadata({"title": "", "author": ""})
    doc.save(path)
    return path


def _page_one(page, stamp: str) -> None:
    """Title, authors, margin stamp, abstract, introduction, and a vector plot (Figure 1)."""
    page.insert_textbox((54, 56, 558, 90), "Sparse Attention for Long Documents", fontsize=18,
                        fontname="hebo", align=1)
    page.insert_textbox((54, 92, 558, 112), "Ada Lovelace, Alan Turing", fontsize=11, align=1)
    if stamp:
        page.insert_text((30, 560), stamp, fontsize=14, rotate=90, color=(0.5, 0.5, 0.5))
    y = _heading(page, 280, 118, "Abstract")
    y = _para(page, (90, 522), y, 70, size=9)
    y = _heading(page, LEFT[0], y + 6, "1 Introduction")
    y = _para(page, LEFT, y, 90)
    _para(page, LEFT, y, 80, 11)
    _para(page, RIGHT, 250, 60, 5)
    _plot(page, (RIGHT[0] + 10, 380, RIGHT[1] - 10, 520))
    y = _caption(page, RIGHT, 534, "Figure 1: Accuracy of sparse attention as documents grow longer.")
    _para(page, RIGHT, y + 4, 70, 3)
    page.insert_text((300, 770), "1", fontsize=9)


def _page_two(page) -> None:
    """A raster image (Figure 2), a subsection, mentions that are not captions, Table 1."""
    y = _heading(page, LEFT[0], 60, "2 Method")
    y = _para(page, LEFT, y, 60)
    _image(page, (LEFT[0] + 20, y + 4, LEFT[1] - 20, y + 134))
    y = _caption(page, LEFT, y + 142, "Figure 2: Attention maps of the sparse model.")
    y = _heading(page, LEFT[0], y + 4, "2.1 Sparse patterns", 11)
    y = _para(page, LEFT, y, 70, 2)
    page.insert_textbox((LEFT[0], y, LEFT[1], y + 40), "Figure 2 shows where the model attends; "
                        "Table 1, 2 and the appendix give the numbers.", fontsize=10, fontname="tiro")
    y = _caption(page, RIGHT, 60, "Table 1: Results on the long-document benchmark.", 4)
    y = _table(page, RIGHT, y + 2)
    _para(page, RIGHT, y + 8, 90, 9)
    page.insert_text((300, 770), "2", fontsize=9)


def _page_three(page) -> None:
    """The conclusion and a numbered bibliography."""
    y = _heading(page, LEFT[0], 60, "3 Conclusion")
    y = _para(page, LEFT, y, 80, 4)
    y = _heading(page, LEFT[0], y + 4, "References")
    for entry in REFERENCES:
        rect = (LEFT[0], y, LEFT[1], y + 48)
        spare = page.insert_textbox(rect, entry, fontsize=8, fontname="tiro")
        y = rect[3] - max(spare, 0) + 4
    page.insert_text((300, 770), "3", fontsize=9)


def tricky(path: Path) -> Path:
    """Traps for figure regions, one per page."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)  # invisible full-page rectangle + subfigures
    page.draw_rect((0, 0, W, H), color=None, fill=(1, 1, 1))
    y = _para(page, (54, 558), 60, 120)
    _plot(page, (70, y + 10, 290, y + 150))
    page.insert_text((150, y + 168), "(a) Short documents.", fontsize=8)
    _plot(page, (330, y + 10, 550, y + 150))
    page.insert_text((410, y + 168), "(b) Long documents.", fontsize=8)
    y = _caption(page, (54, 558), y + 184, "Figure 1: Two panels share one caption.")
    _para(page, (54, 558), y + 6, 120, 2)

    page = doc.new_page(width=W, height=H)  # tiny "Figure 3." inside a drawn screenshot
    y = _para(page, (54, 558), 60, 80)
    page.draw_rect((150, y + 10, 460, y + 170), color=(0.3, 0.3, 0.3), fill=(0.95, 0.95, 0.9))
    page.insert_text((170, y + 40), "Figure 3. A figure inside the screenshot.", fontsize=4)
    page.draw_rect((170, y + 50, 440, y + 150), color=(0, 0, 0), fill=(0.7, 0.8, 1.0))
    y = _caption(page, (54, 558), y + 180, "Figure 3: A screenshot of another paper.")
    _para(page, (54, 558), y + 6, 120, 4)

    page = doc.new_page(width=W, height=H)  # an image whose box overshoots its clip
    top = _para(page, (54, 558), 60, 100)
    _image(page, (54, 40, 558, 760), seed=3, keep_proportion=False)
    xref = page.get_contents()[-1]
    stream = doc.xref_stream(xref)
    clip = f"q 180 {H - top - 200:.1f} 250 180 re W n ".encode()
    doc.update_stream(xref, clip + stream + b" Q")
    page = doc.reload_page(page)
    _caption(page, (54, 558), top + 210, "Figure 4: Only the middle of a large image shows.")
    _para(page, (54, 558), top + 240, 100, 6)

    page = doc.new_page(width=W, height=H)  # a full-page figure captioned overleaf
    for i in range(6):
        _plot(page, (80 + (i % 2) * 240, 80 + (i // 2) * 220, 290 + (i % 2) * 240, 260 + (i // 2) * 220))
    page = doc.new_page(width=W, height=H)
    y = _caption(page, (54, 558), 60, "Figure 5: Six runs of the full experiment (previous page).")
    _para(page, (54, 558), y + 10, 200, 8)
    doc.save(path)
    return path


def bad_inputs(folder: Path) -> dict[str, Path]:
    """Encrypted (password 1234), encrypted with an empty user password, truncated, scanned,
    empty pages, a page of 1,000 bitmap glyphs, and a non-PDF."""
    import pymupdf

    folder.mkdir(parents=True, exist_ok=True)
    source = paper(folder / "paper.pdf")
    out = {"paper": source}
    doc = pymupdf.open(source)
    out["encrypted"] = folder / "encrypted.pdf"
    doc.save(out["encrypted"], encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="1234", owner_pw="owner")
    out["owner_only"] = folder / "owner-only.pdf"
    doc.save(out["owner_only"], encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="", owner_pw="owner")
    data = source.read_bytes()
    out["truncated"] = folder / "truncated.pdf"
    out["truncated"].write_bytes(data[: len(data) // 3])
    out["html"] = folder / "html.pdf"
    out["html"].write_bytes(b"<!DOCTYPE html><html><body>Please verify you are a human</body></html>")
    scan = pymupdf.open()
    _image(scan.new_page(width=W, height=H), (40, 40, 572, 752), seed=5)
    out["scanned"] = folder / "scanned.pdf"
    scan.save(out["scanned"])
    empty = pymupdf.open(source)
    empty.insert_page(1, text="", width=W, height=H)
    empty.insert_page(2, text="", width=W, height=H)
    out["empty_pages"] = folder / "empty-pages.pdf"
    empty.save(out["empty_pages"])
    out["glyphs"] = _glyph_page(folder / "glyphs.pdf")
    return out


def _glyph_page(path: Path, count: int = 1000) -> Path:
    """A page of `count` tiny images, the way some PDFs draw text as bitmap glyphs.

    One image is inserted, then drawn `count` times by writing the page's content stream
    directly (a thousand `insert_image` calls take most of a minute).
    """
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=W, height=H)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 6, 8), 0)
    pix.clear_with(40)
    page.insert_image((40, 60, 46, 68), pixmap=pix)
    xref = page.get_contents()[-1]
    name = re.search(rb"/(\S+) Do", doc.xref_stream(xref)).group(1).decode()
    placements = "".join(f"q 6 0 0 8 {40 + (i % 50) * 10.5:.1f} {H - 68 - (i // 50) * 12:.1f} cm /{name} Do Q\n"
                         for i in range(1, count))
    doc.update_stream(xref, doc.xref_stream(xref) + placements.encode())
    page = doc.reload_page(page)
    page.insert_text((40, 400), "Figure 1: A page of glyph images.", fontsize=9)
    _para(page, (40, 560), 420, 120)
    doc.save(path)
    return path
