"""The library screen and the paper view over a real library (a real PDF ingested from the mirror)."""

from __future__ import annotations

from tests.tui.conftest import PDF_ID, VAD_ROWS, settle, until


def table_ids(app) -> list[str]:
    table = app.screen.query_one("#papers")
    return [str(key.value) for key in table.rows]


async def test_filter_sort_open_every_tab_and_remove(make_app) -> None:
    app = make_app()
    results = app.backend.ingest([PDF_ID, VAD_ROWS[0]["arxiv_id"], VAD_ROWS[1]["arxiv_id"]])
    assert [r.status for r in results] == ["ingested", "abstract_only", "abstract_only"]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert sorted(table_ids(app)) == sorted([PDF_ID, VAD_ROWS[0]["arxiv_id"], VAD_ROWS[1]["arxiv_id"]])
        await pilot.press("s")  # by title
        titles = [app.screen.query_one("#papers").get_row(i)[2] for i in table_ids(app)]
        assert titles == sorted(titles, key=str.lower)
        await pilot.press("slash", *"sparse", "enter")
        assert table_ids(app) == [PDF_ID]
        assert "1 of 3 papers" in str(app.screen.query_one("#library-info").render())
        await pilot.press("enter")  # open the highlighted paper
        await settle(pilot)
        paper = app.screen
        assert type(paper).__name__ == "PaperScreen" and paper.record.parsed is not None
        assert "Sparse Attention for Long Documents" in paper.query_one("#md-overview").source
        sections = paper.query_one("#md-sections").source
        assert "Introduction" in sections and "Method" in sections and "p.2" in sections
        figures = paper.query_one("#md-figures").source
        assert "Figure 1" in figures and "Figure 2" in figures and "Attention maps" in figures
        assert "Longformer" in paper.query_one("#md-references").source
        await pilot.press("5")  # the summary is written when its tab opens
        await until(pilot, lambda: "One-line" in paper.query_one("#md-summary").source
                    or "##" in paper.query_one("#md-summary").source, what="the summary")
        await settle(pilot)
        assert "Extractive summary" in paper.query_one("#md-summary").source
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "LibraryScreen"
        assert app.backend.paper(PDF_ID) is None
        await pilot.press("slash", "ctrl+u", "enter")  # clear the filter
        await settle(pilot)
        assert sorted(table_ids(app)) == sorted([VAD_ROWS[0]["arxiv_id"], VAD_ROWS[1]["arxiv_id"]])
        assert app.status_line.startswith("2 papers")
