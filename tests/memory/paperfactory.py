"""Small, deterministic papers for memory tests (text written here, no real paper needed)."""

from __future__ import annotations

from tools.document import Figure, Paragraph, ParsedPaper, Section
from tools.paper import Paper

TOPICS = ["video anomaly detection", "talking head generation", "table structure recognition",
          "crowd counting", "reinforcement learning for reasoning", "citation recommendation"]
DATASETS = ["UCF-Crime", "VoxCeleb2", "PubTabNet", "ShanghaiTech", "GSM8K", "S2ORC"]


def make_paper(arxiv_id: str, version: str = "v1", topic: int = 0, sections: int = 4) -> tuple[Paper, ParsedPaper]:
    """A paper on one topic with `sections` sections of varied, readable sentences."""
    subject, dataset = TOPICS[topic % len(TOPICS)], DATASETS[topic % len(DATASETS)]
    paper = Paper(arxiv_id=arxiv_id, version=version, title=f"A study of {subject}",
                  abstract=f"We study {subject} and evaluate on {dataset}.", authors=["A. Author"],
                  published="2025-01-02")
    body = []
    for number in range(1, sections + 1):
        sentences = [f"Section {number} of the {version} paper on {subject} makes point {i} about "
                     f"{'training' if i % 2 else 'evaluation'} with {dataset} in setting {number * 10 + i}."
                     for i in range(12)]
        body.append(Section(title=f"Part {number}", number=str(number), page=number,
                            paragraphs=[Paragraph(text=" ".join(sentences), page=number)]))
    figures = [Figure(number="1", caption=f"Overview of our {subject} pipeline", page=1, bbox=(0, 0, 10, 10)),
               Figure(number="2", caption=f"Accuracy on {dataset} against the number of training steps",
                      page=2, bbox=(0, 0, 10, 10))]
    return paper, ParsedPaper(source=f"{arxiv_id}.pdf", sections=body, figures=figures)
