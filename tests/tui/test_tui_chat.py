"""The chat screen, driven with Pilot over the real backend (mirror on 127.0.0.1, real library)."""

from __future__ import annotations

from tests.tui.conftest import PDF_ID, TOPIC, VAD_ROWS, chat_texts, settle, until


async def test_slash_completion_narrows_and_tab_takes_the_command(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        command = app.screen.query_one("CommandInput")
        await pilot.press("/")
        assert command.has_class("-completing")
        assert command.completions.option_count == 11  # every command
        await pilot.press("s")
        names = [command.completions.get_option_at_index(i).id for i in range(command.completions.option_count)]
        assert names == ["search", "summarize"]
        await pilot.press("down", "tab")
        assert command.input.value == "/summarize " and not command.has_class("-completing")
        await pilot.press("ctrl+u", "/", "h", "e", "enter")  # enter on a partial name completes it …
        assert command.input.value == "/help "
        await pilot.press("enter")  # … and on a whole command sends it
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("/", "n", "o", "p", "e", "enter")
        await pilot.pause()
        assert "no command /nope" in chat_texts(app)[-1]
        await pilot.press("up")  # history
        assert command.input.value == "/nope"


async def test_search_then_ingest_while_typing_then_ask_and_open_a_citation(make_app, tui_mirror) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press(*f"/search {TOPIC}", "enter")
        await settle(pilot)
        results = app.screen.query_one("SearchResults")
        assert [p.arxiv_id for p in results.results][:3] and all(p.arxiv_id in {r["arxiv_id"] for r in VAD_ROWS}
                                                                  for p in results.results[:3])
        first = results.results[0].arxiv_id

        tui_mirror.pdfs.gate.clear()  # hold the PDF download: the ingest worker blocks on it
        try:
            await pilot.press(*f"/ingest {PDF_ID} {first}", "enter")
            await until(pilot, tui_mirror.pdfs.asked.is_set, what="the PDF request")
            await pilot.press(*"typing works")
            prompt = app.screen.query_one("#prompt")
            assert prompt.value == "typing works"
            assert any(w.is_running and w.name == "ingest" for w in app.workers)  # still reading
        finally:
            tui_mirror.pdfs.gate.set()
        await settle(pilot)
        card = app.screen.query_one("IngestCard")
        assert "ingested 1 of 2 in full" in card.border_title  # the seed record has no PDF: abstract only
        assert app.status_line.startswith("2 papers")

        await pilot.press("ctrl+u", *"where does the sparse model attend", "enter")
        await settle(pilot)
        answer = app.screen.query("AnswerMarkdown").last()
        assert f"[\\[{PDF_ID}" in answer.source and answer.citations  # citations became links
        cited = answer.citations[0]
        answer.post_message(answer.LinkClicked(answer, "cite:0"))  # what a click on the link sends
        await settle(pilot)
        paper = app.screen
        assert type(paper).__name__ == "PaperScreen" and paper.arxiv_id == cited.arxiv_id
        if cited.arxiv_id == PDF_ID:  # the full text: the view opens at the cited section
            assert paper.query_one("TabbedContent").active == "tab-sections"
            assert paper.cited and paper.cited in cited.section
        await pilot.press("escape", "ctrl+o")  # the same papers, from the keyboard
        await pilot.pause()
        assert type(app.screen).__name__ == "PickScreen"
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PaperScreen"


async def test_errors_are_lines_in_the_chat_not_crashes(make_app, tui_mirror) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"/summarize 2409.99999", "enter")
        await settle(pilot)
        assert "not in the library" in chat_texts(app)[-1]
        await pilot.press(*"/digest", "enter")
        await settle(pilot)
        assert "no keywords watched" in chat_texts(app)[-1]
        await pilot.press(*"what is in here?", "enter")
        await settle(pilot)
        assert "Nothing in the library" in chat_texts(app)[-1]
        await pilot.press(*"/review", "enter")
        await pilot.pause()
        assert "/review needs TOPIC" in chat_texts(app)[-1]
