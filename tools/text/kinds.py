"""What kind of contribution a paper is, from its title and abstract: a survey, a dataset or benchmark,
or a paper with a method (everything else).

A survey puts earlier surveys in its introduction and datasets and benchmarks in a section of their
own, whatever their wording; clustering by vocabulary would scatter them among the methods. The
cues are the ones authors use to say what they made: "A Survey on …" / "we present a comprehensive
review of …"; "…: A Benchmark for …" / "we introduce a new dataset …" as the first contribution.
"""

from __future__ import annotations

import re
from typing import Literal

PaperKind = Literal["survey", "dataset", "paper"]

_ADJ = r"(?:(?:comprehensive|systematic|brief|short|critical|literature|structured|extensive|" \
       r"thorough|holistic|up-to-date|unified|concise|gentle)\s+)*"
_SURVEY_TITLE = re.compile(
    rf"^(?:an?\s+)?{_ADJ}(?:survey|review|overview|tutorial|primer)\b|"
    rf"[:—–-]\s*(?:an?\s+)?{_ADJ}(?:survey|review|overview|tutorial|primer)\b|"
    r"\bsurvey\b|^an introduction to\b|\b(?:a|the) (?:state|landscape) of\b", re.IGNORECASE)
_SURVEY_ABSTRACT = re.compile(
    rf"\b(?:this|our|the present|in this)\s+{_ADJ}(?:survey|review|overview|tutorial)\b|"
    rf"\bwe\s+(?:first\s+)?(?:survey|review|summari[sz]e|categori[sz]e|systemati[sz]e)\s+(?:the\s+)?"
    r"(?:recent|existing|current|latest|main|literature|state|progress|advances|development)|"
    rf"\b(?:provide|present|give|offer|conduct)\w*\s+(?:an?\s+)?{_ADJ}(?:survey|review|overview)\s+of\b",
    re.IGNORECASE)
_DATA_NOUN = r"(?:data\s?sets?|datasets?|benchmarks?|corpus|corpora|test\s?beds?|suites?)"
_DATASET_TITLE = re.compile(
    rf"\b{_DATA_NOUN}\b|\bbenchmarking\b", re.IGNORECASE)
_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work))\s+(?:\w+\s+){0,2}?(?:introduce|present|propose|construct|build|"
    r"collect|release|curate|create|contribute|develop)s?\b(?P<object>[^.;]{0,90})", re.IGNORECASE)


def is_survey(title: str, abstract: str = "") -> bool:
    """Whether the paper reviews a field rather than contributing a method or data."""
    return bool(_SURVEY_TITLE.search(title) or _SURVEY_ABSTRACT.search(abstract))


def is_dataset(title: str, abstract: str = "") -> bool:
    """Whether the paper's contribution is a dataset or benchmark: its title says so, or its first
    stated contribution is one ("we introduce a new large-scale benchmark …")."""
    if _DATASET_TITLE.search(title):
        return True
    first = _CONTRIBUTION.search(abstract)
    if not first or re.search(r"\b(?:also|further|additionally|moreover)\b", first.group(0), re.I):
        return False
    head = " ".join(first.group("object").split()[:8])
    named = re.search(rf"\b(?:an?|the|new|novel|our)\s+(?:[\w-]+\s+){{0,4}}?{_DATA_NOUN}\b", head, re.I)
    return named is not None and len(re.findall(rf"\b{_DATA_NOUN}\b", abstract, re.I)) >= 3


def paper_kind(title: str, abstract: str = "") -> PaperKind:
    """`survey`, `dataset` (datasets and benchmarks) or `paper`; a survey of benchmarks is a survey."""
    if is_survey(title, abstract):
        return "survey"
    if is_dataset(title, abstract):
        return "dataset"
    return "paper"
