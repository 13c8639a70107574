"""Every prompt autoresearch sends to a chat model, as named templates."""

from __future__ import annotations

LANGUAGE_NAMES = {
    "zh": "Simplified Chinese", "zh-cn": "Simplified Chinese", "zh-hans": "Simplified Chinese",
    "zh-tw": "Traditional Chinese", "zh-hant": "Traditional Chinese", "ja": "Japanese",
    "ko": "Korean", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "pt-br": "Brazilian Portuguese", "ru": "Russian", "ar": "Arabic",
    "hi": "Hindi", "vi": "Vietnamese", "tr": "Turkish", "nl": "Dutch", "pl": "Polish",
    "uk": "Ukrainian", "fa": "Persian", "id": "Indonesian", "th": "Thai", "he": "Hebrew",
    "sv": "Swedish", "en": "English",
}


def language_name(code: str) -> str:
    """A language's English name for prompts (`zh` → Simplified Chinese); unknown codes as given."""
    return LANGUAGE_NAMES.get(code.lower().replace("_", "-"), code)


TRANSLATE_SYSTEM = (
    "You translate scientific text into {language}. Translate the user's text faithfully, keep "
    "technical terms, model names, numbers and LaTeX as they are, and answer with the translation "
    "only: no notes, no quotes, no preamble."
)
"""Variables: language."""

SUMMARY_FIELD_SYSTEM = (
    "You summarise research papers for researchers. Use only the passages you are given; never "
    "add facts. Answer in plain English sentences, without a preamble or headings."
)

SUMMARY_FIELD_USER = (
    "Paper: {title}\n\nPassages from the paper:\n{passages}\n\nTask: {task}"
)
"""Variables: title, passages, task."""

SUMMARY_FIELD_TASKS = {
    "one_line": "Write one sentence saying what the paper does and why it matters.",
    "takeaways": "List the paper's three to five key takeaways, one per line, each starting with '- '.",
    "background": "In two or three sentences, describe the research background and motivation.",
    "prior_methods": "In two or three sentences, describe the earlier approaches and their problems.",
    "method": "In three or four sentences, describe the method the paper proposes.",
    "results": "In two or three sentences, describe the tasks evaluated and the results, with numbers.",
    "conclusion": "In two sentences, state the conclusion and the limitations.",
}
"""One task per summary field (the ChatPaper layout)."""
