"""The mirror's arXiv query language: operators, phrases, fields, dates, ids, sorting, paging."""

from __future__ import annotations

import pytest

from evals.mirror import Corpus
from evals.mirror_query import QuerySyntaxError, parse

ROWS = [
    {"arxiv_id": "2401.00001", "version": "v1", "title": "Talking head generation", "abstract":
     "Audio-driven talking faces.", "published": "2024-01-05", "categories": ["cs.CV"],
     "authors": ["Ada Lovelace"]},
    {"arxiv_id": "2402.00002", "version": "v2", "title": "Video anomaly detection", "abstract":
     "We detect anomalies in surveillance video.", "published": "2024-02-10", "categories": ["cs.CV", "cs.LG"],
     "authors": ["Alan Turing"]},
    {"arxiv_id": "2303.00003", "version": "v1", "title": "Language models", "abstract":
     "Large language models talk about video.", "published": "2023-03-01", "categories": ["cs.CL"],
     "authors": ["Grace Hopper"]},
]


def ids(query: str, **params: str) -> list[str]:
    records, _ = Corpus.from_records(ROWS).query({"search_query": query, "max_results": "10", **params})
    return [r["arxiv_id"] for r in records]


@pytest.mark.parametrize(("query", "expected"), [
    ("ti:video", {"2402.00002"}),
    ("abs:video", {"2402.00002", "2303.00003"}),
    ('ti:"anomaly detection"', {"2402.00002"}),
    ('abs:"detection anomaly"', set()),
    ("abs:video AND cat:cs.CL", {"2303.00003"}),
    ("abs:video ANDNOT cat:cs.CL", {"2402.00002"}),
    ("ti:talking OR ti:language", {"2401.00001", "2303.00003"}),
    ("(ti:talking OR ti:language) AND abs:talk", {"2401.00001", "2303.00003"}),
    ("cat:cs.*", {"2401.00001", "2402.00002", "2303.00003"}),
    ("au:turing", {"2402.00002"}),
    ("all:surveillance", {"2402.00002"}),
    ("video", {"2402.00002", "2303.00003"}),
    ("abs:video AND submittedDate:[202401010000 TO 202412312359]", {"2402.00002"}),
])
def test_operators_and_fields(query: str, expected: set[str]) -> None:
    assert set(ids(query)) == expected


def test_relevance_sort_and_date_sort() -> None:
    assert ids("ti:video OR abs:video")[0] == "2402.00002"  # title hit outranks abstract hit
    assert ids("cat:cs*", sortBy="submittedDate", sortOrder="ascending") == ["2303.00003", "2401.00001", "2402.00002"]


def test_id_list_with_and_without_version() -> None:
    corpus = Corpus.from_records(ROWS)
    assert [r["arxiv_id"] for r in corpus.query({"id_list": "2402.00002v2,2401.00001"})[0]] == ["2402.00002", "2401.00001"]
    assert corpus.query({"id_list": "2402.00002v1"})[0] == []
    with pytest.raises(QuerySyntaxError, match="incorrect id format"):
        corpus.query({"id_list": "abc"})


def test_paging() -> None:
    corpus = Corpus.from_records(ROWS)
    page, total = corpus.query({"search_query": "cat:cs*", "start": "1", "max_results": "1"})
    assert total == 3 and len(page) == 1


@pytest.mark.parametrize("bad", ["ti:(", "(ti:video", "AND", ""])
def test_syntax_errors(bad: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse(bad)
