"""How papers write a topic: phrases with their inner words, spellings, acronyms, one query."""

from __future__ import annotations

from evals.mirror import Corpus
from evals.mirror_query import parse
from tools.search.variants import (
    acronym_expansions,
    any_of,
    facets,
    initials,
    joined_spans,
    number_forms,
    phrasings,
    spellings,
)


def test_facets_keep_inner_words_and_hyphens() -> None:
    assert facets("Vision-Based Traffic Accident Detection and Anticipation") == [
        "Vision-Based Traffic Accident Detection", "Anticipation"]
    assert facets("membership inference attacks in federated learning") == [
        "membership inference attacks", "federated learning"]
    assert joined_spans("internet of intelligence") == ["internet of intelligence"]
    assert joined_spans("logic and accuracy testing of voting equipment") == [
        "logic and accuracy testing", "accuracy testing of voting equipment"]
    assert joined_spans("membership inference attacks on machine learning") == []  # > 5 words


def test_spellings_number_and_initials() -> None:
    assert spellings("pre-trained models") == ["pre-trained models", "pretrained models",
                                               "pre-trained model", "pretrained model"]
    assert "multi-lingual speech" in spellings("multilingual speech")
    assert "pre-dictive maintenance" not in spellings("predictive maintenance")
    assert number_forms("policies") == ["policy"] and number_forms("policy") == ["policies"]
    assert number_forms("meshes") == ["mesh"] and number_forms("learning") == []
    assert number_forms("LLMs") == ["LLM"]
    assert initials("large language models") == "LLM"
    assert initials("cyber-physical systems") == "CPS"
    assert initials("digital twins") == ""  # two letters are too ambiguous


def test_acronyms_both_ways_come_from_the_literature() -> None:
    texts = ["A survey of optical character recognition", "Optical character recognition for "
             "receipts", "LLMs meet SQL", "An LLM agent writes SQL", "Text-to-SQL with LLMs"]
    assert acronym_expansions("OCR", texts) == ["optical character recognition"]
    forms = phrasings("large language models for text-to-SQL", texts=texts)
    assert {"large language models", "large language model", "llm", "llms", "text-to-sql"} <= set(forms)
    assert "ocr" in phrasings("deep learning for OCR", texts=texts)
    assert "optical character recognition" in phrasings("deep learning for OCR", texts=texts)
    unused = phrasings("causality in medical image analysis", texts=texts)
    assert "mia" not in unused  # an acronym no paper uses would match other fields' papers
    defined = phrasings("continual learning with pre-trained models",
                        acronyms={"CL": "continual learning"})
    assert {"cl", "continual learning", "pretrained models"} <= set(defined)


def test_one_query_finds_every_spelling_on_the_mirror() -> None:
    rows = [{"arxiv_id": f"2401.0000{i}", "title": title, "published": "2024-01-01"}
            for i, title in enumerate(["Continual learning with pretrained models",
                                       "Pre-trained model continual learning", "PTMs for CL",
                                       "Continual pre-training of language models"])]
    query = any_of(phrasings("continual learning with pre-trained models",
                             acronyms={"CL": "continual learning", "PTMs": "pre-trained models"}))
    parse(query)
    found, _ = Corpus.from_records(rows).query({"search_query": query, "max_results": "10"})
    # every spelling of the phrases; not "continual pre-training" (neither phrase, in order)
    assert {r["arxiv_id"] for r in found} == {"2401.00000", "2401.00001", "2401.00002"}
