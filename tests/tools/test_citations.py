"""Citation keys and BibTeX, checked by parsing the output with bibtexparser."""

from __future__ import annotations

import random

import bibtexparser
import pytest

from tools.citations import assign_keys, base_key, escape_latex, last_name, paper_year, to_bibtex
from tools.paper import Paper


def paper(arxiv_id: str, title: str, authors: list[str] | None = None, published: str = "2025-01-22",
          **extra) -> Paper:
    return Paper(arxiv_id=arxiv_id, version="v1", title=title, authors=authors or [], published=published,
                 **extra)


def test_keys_have_the_lastname_year_word_shape() -> None:
    assert base_key(paper("2501.12948", "DeepSeek-R1: Incentivizing Reasoning", ["Daya Guo", "Dejian Yang"])) \
        == "guo2025deepseek"
    assert base_key(paper("2401.00001", "The Müller Effect", ["Thomas Müller"], "2024-03-01")) == "muller2024muller"
    assert base_key(paper("2401.00002", "On Learning to See", ["Jean van der Berg Jr."])) == "vanderberg2025see"
    assert base_key(paper("2401.00003", "A study", ["Smith, John"])) == "smith2025study"
    assert last_name("Ludwig von Mises") == "vonmises"


def test_papers_without_authors_or_dates_still_get_meaningful_keys() -> None:
    assert base_key(paper("2501.09733", "ComplexVAD: Detecting Interaction Anomalies in Video")) \
        == "complexvad2025detecting"
    undated = paper("2302.07302", "CiteSee: Augmenting Citations", published="")
    assert paper_year(undated) == "2023" and base_key(undated) == "citesee2023augmenting"
    assert base_key(paper("hep-th/9901001", "???", published="")) == "paperpaper"


def test_colliding_keys_get_stable_suffixes_whatever_the_order() -> None:
    papers = [paper(f"2501.0000{i}", "Video anomaly detection with X", ["Ann Lee"]) for i in range(4)]
    papers.append(paper("2501.09999", "Video anomaly detection again", ["Bo Lee"]))
    keys = assign_keys(papers)
    assert keys["2501.00000"] == "lee2025video"
    assert [keys[f"2501.0000{i}"] for i in range(1, 4)] == ["lee2025videob", "lee2025videoc", "lee2025videod"]
    assert len(set(keys.values())) == len(papers)
    shuffled = papers[:]
    random.Random(3).shuffle(shuffled)
    assert assign_keys(shuffled) == keys


def test_a_suffix_never_collides_with_another_papers_bare_key() -> None:
    papers = [paper("2501.00001", "Deep nets", ["A Kim"]), paper("2501.00002", "Deep nets", ["A Kim"]),
              paper("2501.00003", "Deepb nets", ["A Kim"])]  # its bare key is kim2025deepb
    keys = assign_keys(papers)
    assert len(set(keys.values())) == 3 and keys["2501.00003"] == "kim2025deepb"


def test_latex_escaping_covers_specials_and_unicode() -> None:
    assert escape_latex("50% of R&D_x costs $3 #1 {a}") == r"50\% of R\&D\_x costs \$3 \#1 \{a\}"
    assert escape_latex("a\\b ~ ^") == r"a\textbackslash{}b \textasciitilde{} \textasciicircum{}"
    converted = escape_latex("Müller α-nets 中")
    assert converted.isascii() and r"\alpha" in converted and "?" in converted


def test_bibtex_parses_and_every_entry_names_its_arxiv_eprint() -> None:
    papers = [
        paper("2501.12948", "DeepSeek-R1: Incentivizing Reasoning in LLMs via RL & 50% {less}",
              ["DeepSeek-AI", "Daya Guo", "Zoë O'Brien"], primary_category="cs.CL", doi="10.1000/xyz.1",
              journal_ref="Nature 645, 633 (2025)"),
        paper("2501.09733", "ComplexVAD: Detecting Interaction Anomalies in Video"),
        paper("hep-th/9901001", "Strings_and #branes", ["A. Author"], "1999-01-05"),
    ]
    text = to_bibtex(papers)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    keys = assign_keys(papers)
    assert set(entries) == set(keys.values())
    for p in papers:
        entry = entries[keys[p.arxiv_id]]
        assert entry.entry_type == "misc"
        assert entry.fields_dict["eprint"].value == p.arxiv_id
        assert entry.fields_dict["archivePrefix"].value == "arXiv"
        assert entry.fields_dict["url"].value == f"https://arxiv.org/abs/{p.arxiv_id}"
    first = entries["deepseekai2025deepseek"].fields_dict
    assert first["primaryClass"].value == "cs.CL" and first["doi"].value == "10.1000/xyz.1"
    assert r"\& 50\% \{less\}" in first["title"].value and "{LLMs}" in first["title"].value
    assert "author" not in entries["complexvad2025detecting"].fields_dict
    assert r"Strings\_and \#branes" in entries["author1999strings"].fields_dict["title"].value
    assert text.isascii() and text.count("{") == text.count("}")


@pytest.mark.parametrize("title", ["Ünïcödé “quotes” — dashes", "x}{y", "back\\slash"])
def test_odd_titles_keep_braces_balanced(title: str) -> None:
    text = to_bibtex([paper("2501.00001", title, ["Ann Lee"])])
    assert not bibtexparser.parse_string(text).failed_blocks
    assert text.count("{") - text.count(r"\{") == text.count("}") - text.count(r"\}")
