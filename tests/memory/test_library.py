"""The library on a real embedded Chroma store in a temp dir."""

from __future__ import annotations

from agent.settings import load_settings
from memory.library import Library
from tools.document import Figure, Paragraph, ParsedPaper, Section
from tools.paper import Paper

PAPER = Paper(arxiv_id="2401.00001", version="v1", title="Talking heads from audio",
              abstract="We generate talking head videos from a single portrait and speech audio.")
PARSED = ParsedPaper(source="test.pdf", sections=[
    Section(title="Introduction", number="1", page=1,
            paragraphs=[Paragraph(text="Talking head generation animates a portrait. " * 40, page=1)]),
    Section(title="Experiments", number="4", page=5,
            paragraphs=[Paragraph(text="We train on VoxCeleb2 and evaluate on HDTF.", page=5)]),
], figures=[Figure(number="1", caption="Overview of the pipeline", page=2, bbox=(0, 0, 10, 10))])


def test_add_is_idempotent_and_versions_replace(embedder) -> None:
    library = Library.open(load_settings(), embedder)
    first = library.add(PAPER, PARSED)
    counts = library.stats()
    assert counts == {"papers": 1, "chunks": first.chunks, "figures": 1} and first.chunks >= 3
    library.add(PAPER, PARSED)
    assert library.stats() == counts
    library.add(PAPER.model_copy(update={"version": "v2"}), None)
    assert library.stats() == {"papers": 1, "chunks": 1, "figures": 0}
    assert library.get("2401.00001").abstract_only


def test_search_finds_the_passage_and_remove_clears_everything(embedder) -> None:
    library = Library.open(load_settings(), embedder)
    library.add(PAPER, PARSED)
    [best] = library.search("which dataset is used for training?", k=1)
    assert "VoxCeleb2" in best.text and best.page == 5 and best.section == "4 Experiments"
    assert best.citation() == "[2401.00001, §4 Experiments, p.5]"
    assert library.remove("2401.00001")
    assert library.stats() == {"papers": 0, "chunks": 0, "figures": 0}
    assert library.list() == [] and not library.remove("2401.00001")


def test_library_persists_across_opens(embedder) -> None:
    Library.open(load_settings(), embedder).add(PAPER, PARSED)
    again = Library.open(load_settings(), embedder)
    assert [p.paper.arxiv_id for p in again.list()] == ["2401.00001"]
    assert again.stats()["papers"] == 1
