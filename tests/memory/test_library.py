"""The library on a real embedded Chroma store in a temp dir."""

from __future__ import annotations

from agent import services
from agent.settings import load_settings
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
    library = services.library(load_settings(), embedder)
    first = library.add(PAPER, PARSED)
    counts = library.stats()
    assert counts == {"papers": 1, "chunks": first.chunks, "figures": 1} and first.chunks >= 3
    library.add(PAPER, PARSED)
    assert library.stats() == counts
    library.add(PAPER.model_copy(update={"version": "v2"}), None)
    assert library.stats() == {"papers": 1, "chunks": 1, "figures": 0}
    assert library.get("2401.00001").abstract_only


def test_search_finds_the_passage_and_remove_clears_everything(embedder) -> None:
    library = services.library(load_settings(), embedder)
    library.add(PAPER, PARSED)
    [best] = library.search("which dataset is used for training?", k=1)
    assert "VoxCeleb2" in best.text and best.page == 5 and best.section == "4 Experiments"
    assert best.citation() == "[2401.00001, §4 Experiments, p.5]"
    assert library.remove("2401.00001")
    assert library.stats() == {"papers": 0, "chunks": 0, "figures": 0}
    assert library.list() == [] and not library.remove("2401.00001")


def test_library_persists_across_opens(embedder) -> None:
    services.library(load_settings(), embedder).add(PAPER, PARSED)
    again = services.library(load_settings(), embedder)
    assert [p.paper.arxiv_id for p in again.list()] == ["2401.00001"]
    assert again.stats()["papers"] == 1


def test_reingesting_the_same_content_writes_nothing(embedder) -> None:
    from paperfactory import make_paper

    library = services.library(load_settings(), embedder)
    first = library.add(*make_paper("2401.00002"))
    writes: list[str] = []
    upsert = library.store.upsert
    library.store.upsert = lambda collection, *a, **kw: (writes.append(collection), upsert(collection, *a, **kw))
    again = library.add(*make_paper("2401.00002"))
    assert writes == [] and again.added == first.added and again.chunks == first.chunks
    library.add(*make_paper("2401.00002", topic=3))  # same version, new content: rewritten
    assert "chunks" in writes and "papers" in writes


def test_remove_deletes_rendered_figures_but_never_files_outside_the_data_dir(embedder, tmp_path) -> None:
    settings = load_settings()
    library = services.library(settings, embedder)
    inside = library.papers.figures_dir("2401.00001") / "fig1.png"
    inside.write_bytes(b"png")
    elsewhere = settings.data_dir / "renders" / "fig2.png"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"png")
    outside = tmp_path / "mine.png"
    outside.write_bytes(b"png")
    figures = [PARSED.figures[0].model_copy(update={"image_path": str(inside)}),
               Figure(number="2", caption="Loss curves", page=3, bbox=(0, 0, 1, 1), image_path=str(elsewhere)),
               Figure(number="3", caption="Samples", page=4, bbox=(0, 0, 1, 1), image_path=str(outside))]
    library.add(PAPER, PARSED.model_copy(update={"figures": figures}))
    assert library.stats()["figures"] == 3
    assert library.remove("2401.00001v1".removesuffix("v1"))
    assert not inside.exists() and not elsewhere.exists() and outside.exists()
    assert library.stats() == {"papers": 0, "chunks": 0, "figures": 0}
    assert not (settings.data_dir / "papers" / "2401.00001").exists()


def test_figure_descriptions_survive_a_reparse_and_are_searchable(embedder) -> None:
    library = services.library(load_settings(), embedder)
    library.add(PAPER, PARSED)
    described = PARSED.figures[0].model_copy(update={"description": "A bar chart of lip-sync error per method",
                                                     "kind": "plot"})
    library.update_figures("2401.00001", [described])
    library.add(PAPER, PARSED)  # the parser again: no description
    [hit] = library.search_figures("which chart shows lip sync error?", k=1)
    assert hit.description.startswith("A bar chart") and hit.kind == "plot" and hit.page == 2
    assert library.get("2401.00001").parsed.figures[0].description == described.description


def test_a_pdf_without_an_arxiv_id_is_keyed_by_its_hash(embedder) -> None:
    library = services.library(load_settings(), embedder)
    local = Paper(arxiv_id="", title="A local PDF")
    record = library.add(local, PARSED.model_copy(update={"sha256": "ab" * 32}))
    assert record.paper.arxiv_id == "local-abababababab"
    assert library.get("local-abababababab").parsed is not None
    assert library.remove("local-abababababab") and library.stats()["papers"] == 0


def test_mmr_spreads_passages_over_papers(embedder) -> None:
    from paperfactory import make_paper

    library = services.library(load_settings(), embedder)
    library.add(*make_paper("2401.00003", topic=0, sections=6))
    library.add(*make_paper("2401.00004", topic=1, sections=6))
    query = "evaluation of video anomaly detection and talking head generation"
    plain = library.search(query, k=6)
    diverse = library.search(query, k=6, diversity=0.7)
    assert len(diverse) == 6 and len({p.chunk for p in diverse if p.arxiv_id == "2401.00003"}) == \
        sum(p.arxiv_id == "2401.00003" for p in diverse)
    assert len({p.arxiv_id for p in diverse}) == 2
    assert len({p.section for p in diverse}) > len({p.section for p in plain})
