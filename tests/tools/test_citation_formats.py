"""A review's references as CSL-JSON and RIS: each reads back with the same keys, titles and links."""

from __future__ import annotations

import json

import bibtexparser
import rispy

from tools.citation_formats import to_csl_json, to_ris
from tools.citations import to_bibtex
from tools.paper import Paper

PAPERS = [
    Paper(arxiv_id="2501.12948", version="v1", title="DeepSeek-R1: Incentivizing Reasoning",
          authors=["DeepSeek-AI", "Daya Guo"], published="2025-01-22", primary_category="cs.CL",
          abstract="We introduce our first-generation\nreasoning models."),
    Paper(arxiv_id="W2068311567", title="Redefining climate regions", authors=["Alexander Liss", "Elena N. Naumova"],
          published="2014-12-01", doi="10.4081/gh.2014.294", journal_ref="Geospatial Health, vol. 8, p. 467",
          openalex_id="W2068311567"),
]
KEYS = {"2501.12948": "guo2025deepseek", "W2068311567": "liss2014redefining"}


def test_csl_json_carries_keys_dates_links_and_names() -> None:
    items = json.loads(to_csl_json(PAPERS, KEYS))
    arxiv, journal = items
    assert [i["id"] for i in items] == ["guo2025deepseek", "liss2014redefining"]
    assert arxiv["number"] == "arXiv:2501.12948v1" and arxiv["URL"] == "https://arxiv.org/abs/2501.12948v1"
    assert arxiv["issued"] == {"date-parts": [[2025, 1, 22]]} and arxiv["author"][0] == {"literal": "DeepSeek-AI"}
    assert journal["DOI"] == "10.4081/gh.2014.294" and journal["type"] == "article-journal"
    assert journal["author"][1] == {"family": "Naumova", "given": "Elena N."}


def test_ris_reads_back_with_rispy() -> None:
    arxiv, journal = rispy.loads(to_ris(PAPERS, KEYS))
    assert arxiv["id"] == "guo2025deepseek" and arxiv["authors"] == ["DeepSeek-AI", "Guo, Daya"]
    assert arxiv["abstract"] == "We introduce our first-generation reasoning models."
    assert arxiv["urls"] == ["https://arxiv.org/abs/2501.12948v1"] and arxiv["year"] == "2025"
    assert journal["doi"] == "10.4081/gh.2014.294" and journal["type_of_reference"] == "JOUR"
    assert journal["journal_name"] == "Geospatial Health, vol. 8, p. 467"


def test_bibtex_of_a_work_not_on_arxiv_has_its_doi_and_venue_not_an_eprint() -> None:
    library = bibtexparser.parse_string(to_bibtex(PAPERS, KEYS))
    entries = {e.key: e for e in library.entries}
    journal = entries["liss2014redefining"]
    assert journal.entry_type == "article" and "eprint" not in journal.fields_dict
    assert journal.fields_dict["doi"].value == "10.4081/gh.2014.294"
    assert entries["guo2025deepseek"].fields_dict["eprint"].value == "2501.12948"
