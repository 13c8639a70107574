"""Find dataset, benchmark and metric names in a sentence from how papers write them, not from a list.

Papers name their data in a few fixed ways: next to a data noun ("the UCF-Crime dataset", "two
benchmarks, LIBERO and CALVIN"), or as a name-like word after "on"/"across" in a sentence about
experiments ("experiments on ShanghaiTech and XD-Violence show …"); a results table says it in its
caption ("Results on UCF crowds") and header. A name-like word has an inner capital, a digit, or is
an acronym (`MSR-VTT`, `Ped2`, `ChartQA`, `CC3M`); plain capitalized words count only beside a data
noun. Metrics are the common evaluation measures of machine learning, plus acronyms a paper defines
from an error/score/accuracy/… long form ("mean absolute error (MAE)") and `@k` forms (`pass@1`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = r"[A-Z0-9][A-Za-z0-9]*(?:[-+.'][A-Za-z0-9]+)*"
_NAME = rf"{_TOKEN}(?:\s(?:{_TOKEN}|v\d+))?(?:\s{_TOKEN})?"
_LIST = rf"(?:the\s+)?{_NAME}(?:\s*,\s*(?:and\s+|or\s+)?(?:the\s+)?{_NAME})*(?:,?\s+(?:and|or)\s+(?:the\s+)?{_NAME})?"
_DATA_NOUN = r"(?:data\s?sets?|benchmarks?|corpus|corpora|databases?|test\s?sets?|suites?|splits?)"
BEFORE_NOUN = re.compile(rf"(?P<names>{_LIST})\s+{_DATA_NOUN}\b")
DEFINED_NAME = re.compile(rf"\((?P<names>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\)\s+{_DATA_NOUN}\b")
AFTER_NOUN = re.compile(rf"\b{_DATA_NOUN}\s*(?:,|:|\(|called|named|such as|including|like|i\.e\.,?)?\s*"
                        rf"(?P<names>{_LIST})")
ON_NAMES = re.compile(rf"\b(?:on|across|over|in|using)\s+(?P<names>{_LIST})")
EVALUATION = re.compile(r"\b(?:evaluat\w*|experiment\w*|benchmark\w*|results?|achiev\w*|outperform\w*|"
                        r"surpass\w*|state-of-the-art|SOTA|tested|accuracy|scores?|performance|"
                        r"trained|fine-tuned|test(?:ing)? set)\b", re.I)
_NOT_AFTER = re.compile(r"\b(?:based|built|relies|rely|relying|focus(?:es|ing)?|depends?|conditioned|"
                        r"top|operates?|runs?|implemented|deployed|fine-tune[ds]?)\s+(?:on|in|using)\s*$", re.I)
_SPLIT_LIST = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_NOT_NAMES = frozenset("""
the this these our we a an each both all large existing new novel public real several many most other
two three four five six seven eight nine ten first second third standard popular common challenging
synthetic video image text benchmark benchmarks dataset datasets in on for with multiple various
table tab figure fig section sec eq equation appendix algorithm step stage part phase experiments
experiment results result evaluation however moreover furthermore finally additionally specifically
gpu gpus cpu api sota llm llms mllm mllms vlm vlms lmm lmms ai ml nlp cv cnn cnns rnn gan gans rl sft
dpo ppo moe top average mean overall ours baseline baselines state art it they like unlike such
""".split())
"""Words that start or make up a capitalized run but never name data."""

KNOWN_METRICS = (
    "AUC", "AUROC", "ROC-AUC", "AP", "mAP", "F1", "BLEU", "ROUGE", "ROUGE-L", "CIDEr", "METEOR",
    "SPICE", "FID", "FVD", "KID", "PSNR", "SSIM", "LPIPS", "LSE-C", "LSE-D", "CSIM", "NIQE",
    "CLIP score", "CLIPScore", "EER", "IoU", "mIoU", "WER", "CER", "MRR", "NDCG", "Recall@1",
    "R@1", "top-1 accuracy", "top-5 accuracy", "accuracy", "precision", "recall", "perplexity",
    "pass@1", "Elo", "win rate", "exact match", "success rate", "TEDS", "MOS", "MAE", "MSE", "RMSE",
    "FPS", "latency",
)
"""Evaluation measures common across machine learning (not data: these name no field's corpus)."""
_CASE_FREE = frozenset({"accuracy", "precision", "recall", "perplexity", "win rate", "exact match",
                        "success rate", "latency", "top-1 accuracy", "top-5 accuracy"})
_METRIC_ORDER = {m: n for n, m in enumerate(KNOWN_METRICS)}
_KNOWN_CASED = re.compile(r"(?<![\w-])(" + "|".join(re.escape(m) for m in sorted(
    (m for m in KNOWN_METRICS if m not in _CASE_FREE), key=len, reverse=True)) + r")(?![\w-]|\+)")
_KNOWN_FREE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(m) for m in sorted(_CASE_FREE, key=len, reverse=True))
                         + r")(?![\w-]|\+)", re.IGNORECASE)
_METRIC_KEYS = frozenset(re.sub(r"[^a-z0-9+]", "", m.lower()) for m in KNOWN_METRICS)
_DATA_HINT = re.compile(r"data|bench|corp|test\s?set|suite|split", re.I)
_DEFINED_METRIC = re.compile(
    r"\b(?:error|accuracy|score|rate|precision|recall|distance|similarity|index|ratio|curve|"
    r"metric|divergence|coefficient|correlation|gain)\s*\((?P<acr>[A-Za-z][A-Za-z0-9@-]{1,9})\)", re.I)
_AT_K = re.compile(r"\b[A-Za-z]+@\d+\b")


def short_name(title: str) -> str:
    """The name a title gives its method (`ComplexVAD: Detecting …` → `ComplexVAD`), else ``.

    Never a cut: a head with an unclosed bracket or quote ("SciBERT (single page: …") is no name.
    """
    head, sep, _ = title.partition(":")
    head = head.strip()
    balanced = all(head.count(a) == head.count(b) for a, b in ("()", "[]", "{}", "“”")) \
        and head.count('"') % 2 == 0
    if sep and balanced and 0 < len(head.split()) <= 3 and any(c.isupper() for c in head[1:]):
        return head
    return ""


def is_name_like(name: str) -> bool:
    """Whether a word run looks like a proper name of data: inner capitals, digits, or an acronym."""
    return any(re.search(r"^[A-Z0-9]{2,}|.[A-Z]|\d", word) for word in name.split())


def _names(run: str) -> list[str]:
    """The names of a list run ("UCSD Ped2, Shanghai Tech, and CUHK Avenue")."""
    out = []
    for item in _SPLIT_LIST.split(run):
        words = item.split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        while words and words[-1].lower() in _NOT_NAMES:
            words = words[:-1]
        name = " ".join(words).strip(".,;:'")
        if len(name) >= 2 and name.lower() not in _NOT_NAMES and re.search("[A-Za-z]", name):
            out.append(name)
    return out


def dataset_names(sentence: str, exclude: frozenset[str] = frozenset(), caption: bool = False) -> list[str]:
    """Data names the sentence writes (see the module docstring); `exclude`: keys of non-data names.

    `caption`: the sentence is a table caption, which names its data without an evaluation verb.
    """
    found = [m.group("names") for m in DEFINED_NAME.finditer(sentence)]
    for pattern in (BEFORE_NOUN, AFTER_NOUN) if _DATA_HINT.search(sentence) else ():
        for match in pattern.finditer(sentence):
            names = _names(match.group("names"))
            if pattern is BEFORE_NOUN and names and not is_name_like(names[-1]):
                start = match.start("names")
                initial = re.search(r"(?:^|[.!?:]\s+)$", sentence[:start]) is not None
                if (initial and len(names) == 1) or len(names[-1].split()) > 1:
                    names = names[:-1]
            if any(is_name_like(n) for n in names) or (pattern is BEFORE_NOUN and names):
                found += names
    if caption or EVALUATION.search(sentence):
        for match in ON_NAMES.finditer(sentence):
            if not _NOT_AFTER.search(sentence[:match.start()] + match.group(0).split()[0]):
                found += [n for n in _names(match.group("names")) if is_name_like(n)]
    metrics = _METRIC_KEYS | {key(m) for m in metric_names(sentence)}
    found = [re.sub(r"-(?:based|style|like|level|only)$", "", n) for n in found]
    return _unique([n for n in found if key(n) not in exclude and not _AT_K.search(n)
                    and not any(key(n) == m or re.fullmatch(rf"{m}\d", key(n)) for m in metrics)])


def metric_names(sentence: str) -> list[str]:
    """Evaluation measures the sentence names."""
    return list(_metric_names(sentence))


@lru_cache(maxsize=1 << 14)
def _metric_names(sentence: str) -> tuple[str, ...]:
    """`metric_names`, remembered: a draft asks it of each sentence two or three times."""
    spelled = {m.lower(): m for m in _CASE_FREE}
    known = {m.group(1) for m in _KNOWN_CASED.finditer(sentence)}
    known |= {spelled[m.group(1).lower()] for m in _KNOWN_FREE.finditer(sentence)}
    found = sorted(known, key=_METRIC_ORDER.__getitem__)
    if not {"precision", "recall"} <= set(found):  # alone, either is usually just an English word
        found = [m for m in found if m not in ("precision", "recall")]
    found += [m.group("acr") for m in _DEFINED_METRIC.finditer(sentence)]
    found += [m.group(0) for m in _AT_K.finditer(sentence) if "@" in m.group(0)]
    return tuple(_unique(found))


def mentions(text: str, name: str, case: bool = True) -> bool:
    """Whether `text` contains `name` as a whole word (hyphenated words are whole too)."""
    pattern = r"(?<![\w-])" + re.escape(name) + r"(?![\w-]|\+)"
    return re.search(pattern, text, 0 if case else re.IGNORECASE) is not None


def key(name: str) -> str:
    """How names are compared across papers: `UCF-Crime`, `UCF Crime`, `UCFCrime` are one."""
    return re.sub(r"[^a-z0-9+]", "", name.lower())


def aliases(names: list[str]) -> dict[str, str]:
    """`key(name)` → the spelling it is matched under across papers.

    Spellings equal by `key` are one; a name whose words end another's (`Ped2`, `UCSD Ped2`) is
    matched under the shorter one, which both papers then contain.
    """
    spelled: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (len(n.split()), len(n))):
        spelled.setdefault(key(name), name)
    out: dict[str, str] = {}
    for k, name in spelled.items():
        words = name.split()
        shorter = next((s for s in spelled.values() if len(s.split()) < len(words)
                        and words[-len(s.split()):] == s.split()), name)
        out[k] = shorter
    return out


def _unique(names: list[str]) -> list[str]:
    """Keep the first of names equal by `key`, and drop names inside a longer name kept."""
    out: list[str] = []
    for name in names:
        if not any(key(name) == key(kept) for kept in out):
            out.append(name)
    return [n for n in out
            if not any(n != o and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", o) for o in out)]
