"""`autoresearch summarize` end to end: a library paper by id, a PDF by path, errors."""

from __future__ import annotations

import json

import pytest

from agent import services
from agent.cli.app import main
from agent.settings import Settings, load_settings
from agent.summary.extract import FIELDS
from tests.fakes.chat import ScriptedFakeChatModel, fake_translation, guarded
from tests.fixtures.papers import paper_text, sample_paper
from tools.paper import Paper


@pytest.fixture
def stored(isolated_env, embedder) -> Settings:
    """The sample paper in a real library (embedded Chroma, MiniLM), plus an abstract-only one."""

    settings = load_settings()
    parsed = sample_paper()
    library = services.library(settings, embedder)
    library.add(Paper(arxiv_id=parsed.arxiv_id, version="v1", title=parsed.title, authors=parsed.authors,
                      abstract=parsed.abstract), parsed)
    library.add(Paper(arxiv_id="2501.00009", version="v1", title="Only an abstract", abstract=parsed.abstract))
    return settings


def test_summarize_a_library_paper_by_id(stored: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "arXiv:2501.00001v1", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    text = paper_text(sample_paper())
    assert document["mode"] == "extractive" and document["arxiv_id"] == "2501.00001"
    for name in FIELDS:
        value = document[name]
        for sentence in [value] if isinstance(value, str) else value:
            assert sentence and sentence in text
    assert [f["number"] for f in document["figures"]] == ["1", "2"]
    assert main(["summarize", "2501.00001"]) == 0
    assert "## Prior methods and their problems" in capsys.readouterr().out


def test_an_abstract_only_paper_is_summarized_from_its_abstract(stored: Settings,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "2501.00009", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["one_line"] in sample_paper().abstract
    assert any("only the abstract" in w for w in document["warnings"])


def test_unknown_ids_and_paths_are_clear_errors(stored: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "2401.99999"]) == 1
    assert "not in the library" in capsys.readouterr().err
    assert main(["summarize", "no-such-file.pdf"]) == 2  # bad usage (issue 20 items 11-12)
    assert "no PDF file at 'no-such-file.pdf', and not an arXiv id or a library key" in capsys.readouterr().err


def test_translate_needs_a_translator(stored: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "2501.00001", "--translate", "zh"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "llm.translator" in captured.err


def test_summarizer_and_translator_from_fake_chat_models(stored: Settings, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    monkeypatch.setenv("AUTORESEARCH_LLM__SUMMARIZER", "fake:summarizer")
    monkeypatch.setenv("AUTORESEARCH_LLM__TRANSLATOR", "fake:translator")
    fakes = {"summarizer": ScriptedFakeChatModel(reply=lambda p: "- A first point here.\n- Another point here."
                                                 if "takeaways" in p else "Written by a model."),
             "translator": ScriptedFakeChatModel(reply=fake_translation)}
    monkeypatch.setattr(services, "chat_model", lambda settings, role: guarded(fakes[role], role))
    out = tmp_path / "summary.md"
    assert main(["summarize", "2501.00001", "--translate", "ja", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    markdown = out.read_text()
    assert "Written by the summarizer model `fake:summarizer`" in markdown
    assert "- A first point here.\n- Another point here." in markdown and "> 【译】Written by a model." in markdown
    assert "Simplified" not in str(fakes["translator"].prompts[0][0].content)  # ja → Japanese
    assert "Japanese" in str(fakes["translator"].prompts[0][0].content)
    assert main(["summarize", "2501.00001", "--extractive", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mode"] == "extractive"
