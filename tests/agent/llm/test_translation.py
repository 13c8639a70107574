"""The translation seam, driven by fake chat models (a real model is in the slow tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.llm.translation import TranslationError, Translator, check_language
from tests.fakes.chat import ScriptedFakeChatModel, fake_translation, fenced_text, guarded


def test_translates_once_per_text_with_a_fake_chat_model(tmp_path: Path) -> None:
    model = ScriptedFakeChatModel(reply=fake_translation)
    translator = Translator(model, "zh", cache_dir=tmp_path / "cache", model_name="fake")
    assert translator.translate("Video  anomaly\ndetection") == "【译】Video anomaly detection"
    assert "Simplified Chinese" in str(model.prompts[0][0].content)
    assert "<text>" in str(model.prompts[0][-1].content)  # the text reaches the model fenced as data
    again = Translator(ScriptedFakeChatModel(reply=lambda t: "unused"), "zh", tmp_path / "cache", "fake")
    assert again.translate("Video anomaly detection") == "【译】Video anomaly detection"
    assert translator.translate("") == "" and len(model.prompts) == 1


def test_cleans_labels_quotes_and_reasoning_from_a_fake_chat_model() -> None:
    model = ScriptedFakeChatModel(reply=lambda t: "<think>hmm</think> Translation: “视频异常检测”")
    assert Translator(model, "zh").translate("Video anomaly detection") == "视频异常检测"


@pytest.mark.parametrize("reply, message", [
    (lambda t: "   ", "empty translation"),
    (lambda t: fenced_text(t).upper(), "untranslated"),
])
def test_empty_or_untranslated_answers_from_a_fake_chat_model_are_errors(reply, message) -> None:
    with pytest.raises(TranslationError, match=message):
        Translator(guarded(ScriptedFakeChatModel(reply=reply)), "de").translate("Video anomaly detection")


def test_a_failing_fake_chat_model_becomes_a_translation_error() -> None:
    def broken(text: str) -> str:
        raise ConnectionError("server down")

    with pytest.raises(TranslationError, match="translating into ja failed: .*server down"):
        Translator(guarded(ScriptedFakeChatModel(reply=broken)), "ja").translate("Hello world")


def test_language_codes_are_checked() -> None:
    assert check_language(" pt-BR ") == "pt-BR"
    for bad in ("", "chinese please", "z", "zh;rm -rf"):
        with pytest.raises(ValueError):
            check_language(bad)


def test_digest_translation_marks_failures_and_stops_calling_a_dead_fake_model() -> None:
    from agent.digest.build import MAX_FAILURES_IN_A_ROW, Digest, DigestPaper, KeywordDigest, translate_digest

    papers = [DigestPaper(arxiv_id=f"2501.0000{i}", title=f"Paper number {i}", abstract=f"Abstract of paper {i}.")
              for i in range(7)]
    digest = Digest(generated="2026-11-22", keywords=[KeywordDigest(keyword="K", papers=papers)])

    def flaky(text: str) -> str:
        if any(str(i) in text for i in (1, 3, 4, 5, 6)):
            raise ConnectionError("server down")
        return fake_translation(text)

    model = ScriptedFakeChatModel(reply=flaky)
    translate_digest(digest, Translator(guarded(model), "zh"))
    assert digest.language == "zh"
    assert papers[0].title_translated == "【译】Paper number 0" and not papers[0].translation_error
    assert "server down" in papers[1].translation_error and papers[1].title_translated == ""
    assert papers[2].abstract_translated == "【译】Abstract of paper 2." and not papers[2].translation_error
    assert all("server down" in p.translation_error for p in papers[3:6])
    assert papers[6].translation_error.startswith("skipped")
    assert len(model.prompts) == 2 + 1 + 2 + MAX_FAILURES_IN_A_ROW  # the dead model is not called again
    assert len(digest.problems()) == 5


def test_an_untranslated_answer_is_asked_again_more_plainly_with_a_fake_chat_model() -> None:
    answers = iter(["Video anomaly detection", "视频异常检测"])
    model = ScriptedFakeChatModel(reply=lambda prompt: next(answers))
    assert Translator(guarded(model), "zh").translate("Video anomaly detection") == "视频异常检测"
    first, second = (str(p[-1].content) for p in model.prompts)
    assert "Translation in Simplified Chinese:" in second and "Translation in" not in first


def test_an_answer_without_the_target_script_is_not_a_translation_with_a_fake_chat_model() -> None:
    model = ScriptedFakeChatModel(reply=lambda prompt: "Detecting anomalies in videos")
    with pytest.raises(TranslationError, match="untranslated"):
        Translator(guarded(model), "zh").translate("Video anomaly detection")
    assert len(model.prompts) == 2
    latin = ScriptedFakeChatModel(reply=lambda prompt: "Erkennung von Anomalien in Videos")
    assert Translator(guarded(latin), "de").translate("Video anomaly detection").startswith("Erkennung")
