"""What the figure model is asked, and reading its answer back in every shape it may take."""

from __future__ import annotations

from tools.figures.base import FigureInput
from tools.figures.prompt import FIGURE_PROMPT, MAX_CAPTION_CHARS, build_prompt, normalise_kind, parse_answer


def test_prompt_carries_caption_and_words_inside() -> None:
    figure = FigureInput(number="3", caption="Figure 3: Accuracy\nduring training.", image_path="x.png",
                         text_inside="Steps  Accuracy 0.2 0.4")
    prompt = build_prompt(figure)
    assert "Figure 3 of a research paper" in prompt
    assert "Caption: Figure 3: Accuracy during training." in prompt
    assert "Words printed inside the figure: Steps Accuracy 0.2 0.4" in prompt
    long = build_prompt(figure.model_copy(update={"caption": "x" * 5000, "text_inside": ""}))
    assert "x" * MAX_CAPTION_CHARS in long and "x" * (MAX_CAPTION_CHARS + 1) not in long
    assert "inside the figure: (none)" in long
    assert set(_fields(FIGURE_PROMPT)) == {"kind", "summary", "axes", "legend", "trends", "description"}


def _fields(template: str) -> list[str]:
    """The field names the template asks for (its last six lines)."""
    return [line.split(":")[0] for line in template.splitlines()[-6:]]


def test_key_value_answer() -> None:
    answer = """kind: Line plot
summary: Accuracy rises with training steps.
axes: Steps; Accuracy
legend: ours; baseline
trends: ours reaches 0.9; baseline stays near 0.3
description: Two curves of accuracy against steps.
The first one climbs steadily."""
    described = parse_answer(answer, "2", "smolvlm")
    assert described.kind == "plot" and described.reader == "smolvlm" and described.number == "2"
    assert described.axes == ["Steps", "Accuracy"] and described.legend == ["ours", "baseline"]
    assert described.trends == ["ours reaches 0.9", "baseline stays near 0.3"]
    assert described.description == "Two curves of accuracy against steps. The first one climbs steadily."
    assert described.summary == "Accuracy rises with training steps."


def test_json_answer_and_placeholders() -> None:
    answer = 'Here you go: {"kind": "diagram", "summary": "An encoder feeds a decoder.", "axes": [], ' \
             '"legend": "none", "trends": ["n/a"], "description": "Boxes and arrows."} Hope it helps.'
    described = parse_answer(answer, "1", "m")
    assert described.kind == "diagram" and described.axes == [] and described.legend == []
    assert described.trends == [] and described.description == "Boxes and arrows."


def test_plain_prose_and_garbage_never_fail() -> None:
    prose = parse_answer("This bar chart compares five models. The first wins.", "4", "m")
    assert prose.kind == "plot" and prose.summary == "This bar chart compares five models."
    assert prose.description.endswith("The first wins.")
    garbage = parse_answer("\ufffd\ufffd 6) gudsO#", "5", "m")
    assert garbage.kind == "other" and garbage.number == "5"
    assert parse_answer("", "6", "m").description == ""


def test_kind_words_map_onto_the_five_kinds() -> None:
    assert [normalise_kind(w) for w in ("table-image", "A table", "scatter plot", "Flowchart",
                                        "photograph", "screenshot", "word cloud", "Diagram.")] == [
        "table-image", "table-image", "plot", "diagram", "photo", "photo", "other", "diagram"]
