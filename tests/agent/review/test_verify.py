"""Verification against a real Chroma library: keys resolve, cited sentences are supported."""

from __future__ import annotations

import pytest

from agent.review.outline import build_outline
from agent.review.types import Draft
from agent.review.verify import APPENDIX_TITLE, cited_sentences, remove_keys, verify_draft
from agent.review.writers import write_review
from tools.citations import assign_keys


@pytest.fixture(scope="module")
def keyed(review_corpus):
    """(library, records, keys by arXiv id)."""
    _, library, records = review_corpus
    return library, records, assign_keys(r.paper for r in records)


def draft_of(markdown: str, keys: dict[str, str]) -> Draft:
    return Draft(title="T", markdown=markdown, keys={k: i for i, k in keys.items()})


def test_an_extractive_draft_verifies_clean(review_corpus, embedder) -> None:
    settings, library, records = review_corpus
    outline = build_outline("video anomaly detection", records, embedder)
    draft = write_review(outline.topic, outline, records, library, settings)
    checked, verification = verify_draft(draft, library, records)
    assert verification.unresolved == [] and verification.unsupported == []
    assert verification.statements >= len(records) and verification.total > verification.statements
    assert verification.pairs > verification.statements  # sentences about several papers, checked per paper
    assert len(verification.unsupported_pairs) <= 0.05 * verification.pairs, verification.unsupported_pairs
    if not verification.unsupported_pairs:
        assert checked.markdown == draft.markdown  # nothing removed, no appendix


def test_an_invented_statement_is_flagged_and_a_faithful_paraphrase_is_not(keyed) -> None:
    library, records, keys = keyed
    parsed = records[0]
    key = keys[parsed.paper.arxiv_id]
    markdown = (
        "# Theme\n\n"
        f"SegScore encodes each clip with a frozen backbone and scores every segment [@{key}]. "
        f"It reaches 87.4% AUC on UCF-Crime [@{key}]. "
        f"SegScore reaches 99.1% accuracy on ImageNet with reinforcement learning [@{key}]. "
        f"The method relies on quantum annealing to fold proteins [@{key}]. "
        f"The authors write: “SegScore was trained on the moon” [@{key}].\n")
    checked, verification = verify_draft(draft_of(markdown, keys), library, records)
    assert verification.statements == 5 and verification.total == 5
    flagged = {s.text: s for s in verification.unsupported}
    assert len(flagged) == 3
    assert any("99.1" in s.reason for s in flagged.values()), [(s.text, s.reason) for s in verification.unsupported]
    assert any("quantum annealing" in t for t in flagged), verification
    assert any(s.reason == "quotation not found in the paper" for s in flagged.values())
    appendix = checked.markdown.split(f"# {APPENDIX_TITLE}", 1)[1]
    assert "quantum annealing" in appendix and f"`{key}`" in appendix and "[@" not in appendix
    again, second = verify_draft(checked, library, records)  # repeatable: one appendix, same counts
    assert again.markdown.count(f"# {APPENDIX_TITLE}") == 1 and len(second.unsupported) == 3


def test_unknown_keys_and_papers_missing_from_the_library_are_removed(keyed) -> None:
    library, records, keys = keyed
    key = keys[records[0].paper.arxiv_id]
    ghost = {**keys, "9999.99999": "ghost2099paper"}  # in the draft's keys, not in the library
    markdown = (f"# S\n\nA claim [@{key}; @fake2020x]. Another [@fake2020x]. As @ghost2099paper shows, "
                f"anomaly detection is hard [@ghost2099paper].\n\n| a | b [@fake2020x] |\n|---|---|\n")
    checked, verification = verify_draft(draft_of(markdown, ghost), library, records)
    assert verification.unresolved == ["fake2020x", "ghost2099paper"] and verification.total == 6
    body = checked.markdown.split(f"# {APPENDIX_TITLE}")[0]
    assert "fake2020x" not in body and "ghost2099paper" not in body and f"[@{key}]" in body
    assert "Another." in body and "| a | b |" in body


def test_removing_keys_keeps_the_rest_of_each_citation_group() -> None:
    text = "X [@a; @bad, p. 3]. Y [@bad]. Z [see @bad; @b]. Mail me\\@bad.org. @bad says so."
    assert remove_keys(text, {"bad"}) == "X [@a]. Y. Z [@b]. Mail me\\@bad.org. says so."


def test_cited_sentences_skip_tables_figures_and_headings() -> None:
    markdown = ("# Intro\n\nFirst claim [@a]. No citation here. Second claim, e.g. this [@b; @c].\n\n"
                "| x [@d] |\n|---|\n\n![Figure 1 of *T* [@e]: cap](figures/x.png)\n\n## Sub\n\n- item [@f]\n")
    found = cited_sentences(markdown)
    assert [(s, k) for s, _, k in found] == [("Intro", ["a"]), ("Intro", ["b", "c"]), ("Sub", ["f"])]


def test_each_cited_paper_must_support_its_part_and_a_paper_that_does_not_leaves_the_sentence(keyed) -> None:
    library, records, keys = keyed
    parsed, other = records[0], records[1]
    thg = next(r for r in records if "talking" in r.paper.title.lower() or "Head" in r.paper.title)
    a, b, c = keys[parsed.paper.arxiv_id], keys[other.paper.arxiv_id], keys[thg.paper.arxiv_id]
    markdown = (f"# Theme\n\nThree of the six papers evaluate on UCF-Crime [@{a}; @{b}; @{c}]. "
                f"SegScore [@{a}] reaches 87.4% AUC on UCF-Crime, while ClipRank [@{b}] reaches 87.4% AUC.\n")
    checked, verification = verify_draft(draft_of(markdown, keys), library, records)
    assert verification.statements == 2 and verification.pairs == 5
    (failed,) = verification.unsupported_pairs
    assert (failed.key, failed.action) == (c, "citation removed")
    assert verification.unsupported == []  # the other papers support it: rewritten, not flagged
    body = checked.markdown.split(f"# {APPENDIX_TITLE}")[0]
    assert f"Two of the six papers evaluate on UCF-Crime [@{a}; @{b}]." in body
    assert f"`{c}` from" in checked.markdown.split(f"# {APPENDIX_TITLE}")[1]


def test_a_relation_object_is_checked_by_name_and_a_year_by_the_metadata(keyed) -> None:
    library, records, keys = keyed
    source, target = records[0], records[1]
    a, b = keys[source.paper.arxiv_id], keys[target.paper.arxiv_id]
    title_word = target.paper.title.split(":")[0].split()[0]
    year = min(source.paper.published[:4], target.paper.published[:4])
    markdown = (f"# Theme\n\nSegScore [@{a}] compares against {title_word} [@{b}] on UCF-Crime. "
                f"SegScore [@{a}] compares against Nonexistentnet [@{b}] on UCF-Crime. "
                f"Since {year}, both papers evaluate on UCF-Crime [@{a}; @{b}].\n")
    _, verification = verify_draft(draft_of(markdown, keys), library, records)
    pairs = {(s.text[:40], p.key): p for s in verification.unsupported for p in s.pairs}
    failed = {(p.text[:40], p.key) for p in verification.unsupported_pairs}
    assert ("SegScore compares against Nonexistentnet"[:40], b) in failed
    assert not any(k == b and t.startswith(f"SegScore compares against {title_word}") for t, k in failed)
    assert not any(t.startswith("Since") for t, _ in failed), pairs
