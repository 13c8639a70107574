"""Reading a request in plain words: the topic phrase, date limits and acronyms it defines."""

from __future__ import annotations

from datetime import date

import pytest

from tools.search.request import parse_request

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("text", "since", "until"), [
    ("radar data representations, only papers before April 2025", None, date(2025, 3, 31)),
    ("microservices prior to October 2022", None, date(2022, 9, 30)),
    ("poetry generation, with all referenced papers published no later than June 2023", None,
     date(2023, 6, 30)),
    ("document understanding, and only refer to papers published on or before February 2021", None,
     date(2021, 2, 28)),
    ("LLM agents since 2020", date(2020, 1, 1), None),
    ("diffusion models after March 2023", date(2023, 4, 1), None),
    ("graph neural networks between 2019 and 2021", date(2019, 1, 1), date(2021, 12, 31)),
    ("graph neural networks from 2019 to 2021", date(2019, 1, 1), date(2021, 12, 31)),
    ("talking heads before 2021", None, date(2020, 12, 31)),
    ("talking heads in the last 3 years", date(2023, 12, 1), None),
    ("video anomaly detection", None, None),
])
def test_date_limits(text: str, since: date | None, until: date | None) -> None:
    request = parse_request(text, TODAY)
    assert (request.since, request.until) == (since, until)
    assert not any(ch.isdigit() for ch in request.topic.replace("3", ""))  # the dates are cut out
    if since or until:
        assert any(t.startswith("submitted") for t in request.taken)


@pytest.mark.parametrize(("text", "topic"), [
    ("video anomaly detection", "video anomaly detection"),
    ("Please help me research the academic advancements in radar data representations for "
     "autonomous driving, only papers before April 2025",
     "radar data representations for autonomous driving"),
    ("Please help me research academic studies on the adoption of microservices and DevOps in "
     "the field of Cyber-Physical Systems (CPS) prior to October 2022.",
     "adoption of microservices and DevOps in Cyber-Physical Systems"),
    ("I am researching anomaly detection in medical imaging, with a primary focus on "
     "unsupervised methods. Please help me review the progress.", "anomaly detection in medical imaging"),
    ("Certainly! Here's the translation:\n\nPlease help me research the application of large "
     "language models in the field of recommendation systems, and ensure that all referenced papers "
     "were published before July 2024.", "large language models in recommendation systems"),
    ('Please write a comprehensive academic review on the "Internet of Intelligence." The specific '
     "requirements are as follows: 1. Focus on networking.", "Internet of Intelligence"),
    ("Please help me investigate the robustness of local explanation methods in Explainable "
     "Artificial Intelligence (XAI), based on papers published before January 2023.",
     "robustness of local explanation methods in Explainable Artificial Intelligence"),
    ("papers on diffusion models since 2021", "diffusion models"),
])
def test_the_topic_phrase_is_cut_out_of_the_request(text: str, topic: str) -> None:
    request = parse_request(text, TODAY)
    assert request.topic == topic
    if topic != text:
        assert request.taken[0] == f"topic {topic!r}"


def test_acronyms_defined_in_the_request_are_kept_with_their_words() -> None:
    request = parse_request("I hope to research the field of Continual Learning (CL) based on "
                            "Pre-trained Models (PTMs) and Cyber-Physical Systems (CPS).", TODAY)
    assert request.acronyms == {"CL": "continual learning", "PTMs": "pre-trained models",
                                "CPS": "cyber-physical systems"}
    assert "acronym CL = 'continual learning'" in request.taken


def test_a_raw_query_and_its_json_form_pass_through() -> None:
    raw = parse_request("ti:video AND cat:cs.CV", TODAY)
    assert (raw.topic, raw.since, raw.until, raw.taken) == ("ti:video AND cat:cs.CV", None, None, [])
    document = parse_request("talking heads since 2020", TODAY).as_dict()
    assert document == {"text": "talking heads since 2020", "topic": "talking heads",
                        "since": "2020-01-01", "until": None, "acronyms": {},
                        "taken": ["topic 'talking heads'", "submitted since 2020-01-01 (from 'since 2020')"]}
