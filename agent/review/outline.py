"""Propose the survey's taxonomy: the sections a researcher would draw, named the way surveys name them.

1. Papers whose own text does not say what they are about (a one- or two-page excerpt with no
   abstract) are left out, with the reason, for a person to put back at the outline gate.
2. Earlier surveys and dataset/benchmark papers are recognised by what they say they are
   (`tools.text.kinds`) and placed where a survey puts them: the surveys in the introduction, the
   datasets and benchmarks in a section of their own (from two of them on).
3. The other papers are split by k-means with k chosen by silhouette (`agent.review.taxonomy`);
   papers left alone go to a closing "Other approaches" section, and every paper then moves to the
   section it is closest to (no negative silhouette).
4. Each section is named by a phrase at least half of its papers use (`tools.text.naming`); a
   section no such phrase fits joins its nearest neighbour. With a chat model, the model picks the
   name among those phrases.
5. A section of six or more papers is split the same way into named subsections.

The same papers always give the same outline (sorted input, fixed seeds). Reviews of fewer than
four papers keep whatever sections they get; larger ones never get a one-paper section.
"""

from __future__ import annotations

from agent.review.sections import (
    SMALL_REVIEW,
    Namer,
    Sections,
    finish,
    name_groups,
    partition,
    subsections,
)
from agent.review.taxonomy import paper_vectors, survey_range
from agent.review.types import Outline, Theme
from memory.embeddings import Embedder
from memory.records import LibraryPaper
from tools.text.kinds import paper_kind
from tools.text.naming import topic_stems

SURVEYS_TITLE, DATASETS_TITLE, OTHER_TITLE = "Existing surveys", "Datasets and benchmarks", "Other approaches"
EXCERPT_PAGES = 2
"""A parsed document this short without an abstract is an excerpt, not a paper."""
ABSTRACT_WORDS = 10
"""Fewer words than this is no abstract."""

__all__ = ["Namer", "build_outline", "paper_text", "self_description", "survey_title"]


def paper_text(record: LibraryPaper) -> str:
    """What a paper is about, for clustering and naming: its title and abstract."""
    return f"{record.paper.title}. {abstract_of(record)}".strip()


def abstract_of(record: LibraryPaper) -> str:
    """The paper's abstract: the arXiv record's, else the one parsed from its PDF."""
    return record.paper.abstract or (record.parsed.abstract if record.parsed else "") or ""


def self_description(record: LibraryPaper) -> str:
    """Why a document's own text does not say what it is about (`` when it does)."""
    if len(abstract_of(record).split()) >= ABSTRACT_WORDS:
        return ""
    parsed = record.parsed
    if parsed is None:  # an entry of the person's bibliography, metadata only: the writer marks
        return ""       # it as known by its title only, rather than dropping what was chosen
    if parsed.pages <= EXCERPT_PAGES:
        return (f"a {parsed.pages}-page excerpt with no abstract: its own text does not say what "
                "it is about")
    if not any(s.paragraphs for s in parsed.sections):
        return "no abstract and no text: nothing says what it is about"
    return ""


def build_outline(topic: str, papers: list[LibraryPaper], embedder: Embedder,
                  max_themes: int = 6, namer: Namer | None = None) -> Outline:
    """The taxonomy of `papers`: at most `max_themes` topic sections (plus the surveys, datasets
    and "other" sections), largest and most central first."""
    records = sorted({r.paper.arxiv_id: r for r in papers}.values(), key=lambda r: r.paper.arxiv_id)
    left_out = {r.paper.arxiv_id: why for r in records if (why := self_description(r))}
    records = [r for r in records if r.paper.arxiv_id not in left_out]
    title = survey_title(topic)
    if not records:
        return Outline(topic=topic, title=title, left_out=left_out)
    texts = [paper_text(r) for r in records]
    vectors = paper_vectors([r.paper.title for r in records], texts, embedder)
    sec = Sections(topic, records, texts, vectors, embedder, namer)
    kinds = _kinds(records)
    themes, other = _topic_sections(sec, [i for i, k in enumerate(kinds) if k == "paper"],
                                    max(1, max_themes))
    surveys = [i for i, k in enumerate(kinds) if k == "survey"]
    datasets = [i for i, k in enumerate(kinds) if k == "dataset"]
    ordered = [sec.theme(SURVEYS_TITLE, surveys, "surveys")] if surveys else []
    ordered += themes
    if datasets:
        ordered.append(sec.theme(DATASETS_TITLE, datasets, "datasets"))
    if other:
        ordered.append(sec.theme(OTHER_TITLE, other, "other"))
    return Outline(topic=topic, title=title, themes=ordered, left_out=left_out)


def _kinds(records: list[LibraryPaper]) -> list[str]:
    """Each paper's kind; in a small review, or with a lone dataset paper, every paper is a paper."""
    kinds = [paper_kind(r.paper.title, abstract_of(r)) for r in records]
    if len(records) < SMALL_REVIEW:
        return ["paper"] * len(records)
    if kinds.count("dataset") < 2 or kinds.count("paper") < 2:
        kinds = ["paper" if k == "dataset" else k for k in kinds]
    return kinds


def _topic_sections(sec: Sections, regular: list[int], max_themes: int) -> tuple[list[Theme], list[int]]:
    """The sections of papers grouped by wording and meaning, biggest and most central first, and
    the papers of "Other approaches"."""
    if not regular:
        return [], []
    strict = len(sec.records) >= SMALL_REVIEW
    exclude = topic_stems(sec.topic)
    groups, other = partition(sec, regular, survey_range(len(regular), max_themes), exclude,
                              fallback=True, strict=strict)
    named = name_groups(sec, groups, exclude, fallback=True)
    if strict:
        named, other = finish(sec, named, regular, exclude)
    else:
        other = sorted(set(regular) - {i for g, _, _ in named for i in g})
    ordered = sorted(named, key=lambda n: (-len(n[0]), -sec.centrality(n[0]), n[1]))
    themes = [sec.theme(title, group, phrases=phrases, subthemes=subsections(sec, group, title))
              for group, title, phrases in ordered]
    return themes, other


def survey_title(topic: str) -> str:
    """The review's title."""
    topic = " ".join(topic.split())
    if not topic:
        return "A Survey"
    named = topic if any(c.isupper() for c in topic) else topic.title()
    return f"{named}: A Survey"
