"""Named prompt templates and checked overrides."""

from __future__ import annotations

import pytest

from agent.llm.prompts import BUILTIN, DATA_RULE, PromptBook, PromptError
from agent.settings import load_settings


def test_every_builtin_template_parses_and_renders() -> None:
    for prompt in BUILTIN.values():
        values = {name: f"<{name}>" for name in prompt.variables()}
        messages = prompt.render(**values)
        assert messages[-1].type == "human"
        for value in values.values():
            assert any(value in str(m.content) for m in messages)


def test_prompts_that_carry_paper_text_say_it_is_data() -> None:
    for name in ("grounded_answer", "grounded_section", "summarize_paper", "translate"):
        assert DATA_RULE in BUILTIN[name].system


def test_rendering_with_a_missing_or_unknown_value_is_an_error() -> None:
    book = PromptBook()
    with pytest.raises(PromptError, match=r"missing \{question\}"):
        book.render("grounded_answer", passages="p", allowed_keys="k")
    with pytest.raises(PromptError, match=r"unknown \{tone\}"):
        book.render("ping", tone="warm")


def test_an_override_must_keep_exactly_the_placeholders() -> None:
    good = PromptBook({"grounded_answer.user": "Q: {question}\n{passages}"})
    assert str(good.render("grounded_answer", question="why?", passages="P", allowed_keys="a")[-1]
               .content) == "Q: why?\nP"
    with pytest.raises(PromptError, match=r"grounded_answer.user.*missing \{passages\}"):
        PromptBook({"grounded_answer.user": "Q: {question}"})
    moved = PromptBook({"grounded_answer.system": "Be careful.",
                        "grounded_answer.user": "{passages} Q: {question} Cite only {allowed_keys}."})
    assert moved.get("grounded_answer").variables("system") == set()
    with pytest.raises(PromptError, match=r"grounded_answer.system and grounded_answer.user\]: "
                                          r"missing \{allowed_keys\}"):
        PromptBook({"grounded_answer.system": "Be careful.",
                    "grounded_answer.user": "{passages} Q: {question}"})
    with pytest.raises(PromptError, match=r"unknown \{tone\}"):
        PromptBook({"translate.user": "<text>{text}</text> {tone}"})
    with pytest.raises(PromptError, match="no prompt part 'answer.user'"):
        PromptBook({"answer.user": "{question}"})
    with pytest.raises(PromptError, match="plain names"):
        PromptBook({"ping.user": "{0}"})
    with pytest.raises(PromptError, match="malformed"):
        PromptBook({"ping.user": "a { b"})


def test_overrides_come_from_the_settings_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTORESEARCH_LLM__PROMPTS", '{"ping.user": "Say hi in {{braces}}."}')
    book = PromptBook(load_settings().llm.prompts)
    assert str(book.render("ping")[-1].content) == "Say hi in {braces}."
