"""Reading real reference-manager exports (evals/datasets/collections/, provenance in its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.collections.entry import CollectionError
from tools.collections.load import load_collection, sniff

DATA = Path(__file__).resolve().parents[3] / "evals" / "datasets" / "collections"


def test_a_real_bibtex_file_reads_every_entry_with_accents_and_hidden_arxiv_ids() -> None:
    entries = load_collection(DATA / "d2l_first50.bib")
    assert len(entries) == 50
    by_key = {e.key: e for e in entries}
    abadi = by_key["Abadi.Barham.Chen.ea.2016"]
    assert abadi.authors[0] == "Martín Abadi" and "others" not in abadi.authors and abadi.year == "2016"
    assert "$" not in abadi.venue and "USENIX" in abadi.venue
    assert by_key["Ba.Kiros.Hinton.2016"].arxiv_id == "1607.06450"  # from `journal = {arXiv preprint …}`
    assert sum(bool(e.arxiv_id) for e in entries) == 10
    assert by_key["Boyd.Vandenberghe.2004"].year == "2004"  # `year = 2004`, no braces
    assert by_key["Bottou.Le-Cun.1988"].authors == ["Léon Bottou", "Yann Le Cun"]
    assert by_key["Cantelli.1933"].authors == ["F. P. Cantelli"]
    assert all(e.title and e.origin == "d2l_first50.bib" for e in entries)


def test_real_ris_exports_read_with_their_multiline_fields() -> None:
    [endnote] = load_collection(DATA / "rispy_example_endnote.ris")
    assert endnote.title == "EndNote: The Only Reference I Can Remember"
    assert endnote.authors[:2] == ["A. Nonymous Smith", "J. Doe"]
    assert (endnote.doi, endnote.year, endnote.venue) == ("10.1234/endnote.joke.2024", "2024",
                                                          "Journal of Reference Management")
    [cyrillic] = load_collection(DATA / "rispy_example_utf_chars.ris")
    assert cyrillic.title.startswith("Состояние") and cyrillic.pages == "52-57"


def test_csl_json_items_read_with_dates_dois_and_literal_names() -> None:
    items = load_collection(DATA / "csl_editor_example_items.json")
    assert [i.key for i in items] == ["ITEM-2", "ITEM-3", "ITEM-4"]
    feynman = items[-1]
    assert feynman.authors == ["Michael Cohen", "Richard Feynman"] and feynman.doi == "10.1103/physrev.107.13"
    assert (feynman.year, feynman.venue, feynman.volume) == ("1957", "Physical Review", "107")
    assert items[0].authors[1] == "Noël Kingsbury"


def test_the_format_is_told_by_extension_or_first_line(tmp_path: Path) -> None:
    renamed = tmp_path / "export.txt"
    renamed.write_text((DATA / "rispy_example_endnote.ris").read_text())
    assert sniff(renamed) == "ris" and sniff(DATA / "d2l_first50.bib") == "bibtex"
    bib = tmp_path / "refs"
    bib.write_text("% my papers\n@article{a, title={A study of things}, year={2020}}\n")
    assert sniff(bib) == "bibtex" and load_collection(bib)[0].title == "A study of things"


@pytest.mark.parametrize("content, message", [
    ("just some words\n", "is not BibTeX, RIS or CSL-JSON"),
    ("[1, 2, 3]", "is not CSL-JSON"),
    ("@article{broken, title = {unclosed\n", "holds no entries|is not BibTeX"),
])
def test_a_bad_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "refs.json" if content.startswith("[") else tmp_path / "refs.dat"
    path.write_text(content)
    with pytest.raises(CollectionError, match=message):
        load_collection(path, "bibtex" if content.startswith("@") else None)
