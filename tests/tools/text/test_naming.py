"""Section names: 2–6 words a half of the section's papers use, never only generic words, never a
fragment of a longer phrase, written as the papers write them."""

from __future__ import annotations

from tools.text.naming import PhraseIndex, best_names, name_problem, topic_stems

TEXTS = [
    "Weakly supervised video anomaly detection with multiple instance learning in surveillance videos.",
    "Video anomaly detection in surveillance videos with a weakly supervised ranking loss.",
    "Open-vocabulary video anomaly detection with CLIP and large language models.",
    "Multimodal Large Language Models answer questions about long videos.",
]


def test_the_rule() -> None:
    assert name_problem("Surveillance videos", TEXTS[:2]) == ""
    assert name_problem("Video anomaly detection", TEXTS[:3]) == ""
    assert name_problem("Videos", TEXTS).startswith("1 words")
    assert name_problem("A very long name that keeps on going", TEXTS).startswith("8 words")
    assert name_problem("Efficient framework", TEXTS) == "only generic words"
    assert name_problem("Models and data", TEXTS) == "only generic words"
    assert name_problem("Surveillance videos", TEXTS) == ""  # 2 of 4: at least half
    assert name_problem("Surveillance videos", TEXTS[1:]).startswith("used by 1 of 3")
    assert name_problem("Weakly supervised detection", TEXTS[:2]).startswith("used by 0")  # not consecutive


def test_candidates_are_whole_noun_phrases_most_papers_use() -> None:
    index = PhraseIndex(TEXTS)
    names = [c.surface for c in index.candidates([0, 1, 2])]
    assert "Video anomaly detection" in names
    assert "Anomaly detection" not in names  # always "video anomaly detection": a fragment
    assert not any(n.lower().endswith("weakly supervised") for n in names)  # ends in a modifier
    llm = [c.surface for c in index.candidates([3])]
    assert "Multimodal large language models" in llm and "Multimodal large language" not in llm


def test_best_names_leave_out_the_topic_and_keep_acronyms() -> None:
    index = PhraseIndex(TEXTS)
    best = [c.surface for c in best_names(index, [0, 1], exclude=topic_stems("video anomaly detection"))]
    assert best and best[0] in {"Surveillance videos", "Weakly supervised video anomaly detection"}
    assert all(not name_problem(n, TEXTS[:2]) for n in best)
