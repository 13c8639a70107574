"""The translation seam, driven by fake chat models (a real model is in the slow tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.translation import TranslationError, Translator, check_language
from tests.fakes.chat import ScriptedFakeChatModel, fake_translation


def test_translates_once_per_text_with_a_fake_chat_model(tmp_path: Path) -> None:
    model = ScriptedFakeChatModel(reply=fake_translation)
    translator = Translator(model, "zh", cache_dir=tmp_path / "cache", model_name="fake")
    assert translator.translate("Video  anomaly\ndetection") == "【译】Video anomaly detection"
    assert "Simplified Chinese" in str(model.prompts[0][0].content)
    again = Translator(ScriptedFakeChatModel(reply=lambda t: "unused"), "zh", tmp_path / "cache", "fake")
    assert again.translate("Video anomaly detection") == "【译】Video anomaly detection"
    assert translator.translate("") == "" and len(model.prompts) == 1


def test_cleans_labels_quotes_and_reasoning_from_a_fake_chat_model() -> None:
    model = ScriptedFakeChatModel(reply=lambda t: "<think>hmm</think> Translation: “视频异常检测”")
    assert Translator(model, "zh").translate("Video anomaly detection") == "视频异常检测"


@pytest.mark.parametrize("reply, message", [
    (lambda t: "   ", "returned nothing"),
    (lambda t: t.upper(), "untranslated"),
])
def test_empty_or_untranslated_answers_from_a_fake_chat_model_are_errors(reply, message) -> None:
    with pytest.raises(TranslationError, match=message):
        Translator(ScriptedFakeChatModel(reply=reply), "de").translate("Video anomaly detection")


def test_a_failing_fake_chat_model_becomes_a_translation_error() -> None:
    def broken(text: str) -> str:
        raise ConnectionError("server down")

    with pytest.raises(TranslationError, match="ConnectionError: server down"):
        Translator(ScriptedFakeChatModel(reply=broken), "ja").translate("Hello world")


def test_language_codes_are_checked() -> None:
    assert check_language(" pt-BR ") == "pt-BR"
    for bad in ("", "chinese please", "z", "zh;rm -rf"):
        with pytest.raises(ValueError):
            check_language(bad)
