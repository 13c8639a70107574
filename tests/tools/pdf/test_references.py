"""Splitting bibliographies into entries and reading their fields, across citation styles."""

from __future__ import annotations

from tools.pdf.layout import Line
from tools.pdf.references import parse_reference, split_entries


def lines(rows: list[tuple[float, str]], top: float = 100.0) -> list[Line]:
    return [Line(text, (x, top + 11 * i, x + 220, top + 11 * i + 9), 9.0) for i, (x, text) in enumerate(rows)]


def test_hanging_indent_splits_author_year_entries() -> None:
    bib = lines([
        (306, "Iz Beltagy, Matthew E. Peters, and Arman Cohan."),
        (317, "2020. Longformer: The long-document transformer."),
        (317, "arXiv:2004.05150."),
        (306, "Wenhu Chen, Hongmin Wang, Jianshu Chen, Yunkai"),
        (317, "Zhang, Hong Wang, Shiyang Li, Xiyou Zhou, and"),
        (317, "William Yang Wang. 2020. Tabfact: A large-scale"),
        (317, "dataset for table-based fact verification. In Inter-"),
        (317, "national Conference on Learning Representations."),
        (306, "Ashish Vaswani and Noam Shazeer. 2017. Attention is"),
        (317, "all you need. In NeurIPS."),
    ])
    entries = split_entries(bib)
    assert len(entries) == 3
    assert "In International Conference" in entries[1]  # hyphenation undone across lines
    chen = parse_reference(entries[1])
    assert chen.year == "2020" and chen.authors[0] == "Wenhu Chen" and chen.authors[-1] == "William Yang Wang"
    assert chen.title == "Tabfact: A large-scale dataset for table-based fact verification"
    assert parse_reference(entries[0]).arxiv_id == "2004.05150"


def test_numbered_entries_split_on_markers_even_without_indent() -> None:
    bib = lines([(54, "[1] S. An, W. Liu, and S. Venkatesh. Face recognition using"),
                 (54, "kernel ridge regression. In CVPR, 2007."),
                 (54, "[2] C. Arteta and A. Zisserman. Interactive object counting."),
                 (54, "In ECCV, pages 504-518. Springer, 2014."),
                 (54, "[3] F. Yu and V. Koltun. Multi-scale context aggregation by dilated"),
                 (54, "convolutions. arXiv preprint arXiv:1511.07122, 2015.")])
    entries = split_entries(bib)
    assert [e[:3] for e in entries] == ["[1]", "[2]", "[3]"]
    first = parse_reference(entries[0])
    assert first.authors == ["S. An", "W. Liu", "S. Venkatesh"] and first.year == "2007"
    assert first.title == "Face recognition using kernel ridge regression"
    assert parse_reference(entries[2]).arxiv_id == "1511.07122"


def test_field_patterns_across_styles() -> None:
    ieee = parse_reference('[4] J. Smith and K. Lee, "Learning to read long papers," IEEE Trans. '
                           "Pattern Anal., vol. 3, 2019, doi:10.1109/5.771073.")
    assert ieee.title == "Learning to read long papers" and ieee.doi == "10.1109/5.771073"
    assert ieee.authors == ["J. Smith", "K. Lee"]
    harvard = parse_reference("Smith, J., Doe, A., 2019. Deep learning for everything. Nature 1, 2-3.")
    assert harvard.authors == ["J Smith", "A Doe"] and harvard.title == "Deep learning for everything"
    aps = parse_reference("7 J. M. Murray and Z. Tesanovic, Phys. Rev. Lett. 105, 037006 (2010).")
    assert aps.year == "2010" and aps.title == ""  # APS prints no titles: none is invented
    corr = parse_reference("M. Chen, J. Tworek, et al. Evaluating large language models trained on "
                           "code. CoRR, abs/2107.03374, 2021. URL https://arxiv.org/abs/2107.03374.")
    assert corr.arxiv_id == "2107.03374" and corr.title.startswith("Evaluating large language models")
    old = parse_reference("[9] A. Author. Quantum things. arXiv:hep-th/9901001v2, 1999.")
    assert old.arxiv_id == "hep-th/9901001v2"
    assert parse_reference("Anthropic. Claude 3.5 sonnet, 2024.").year == "2024"
