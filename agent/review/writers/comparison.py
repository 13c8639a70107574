"""Fill the comparison table from what each paper's own text states, and nothing else.

Every cell is a span found in the paper (its parsed text, else its abstract and arXiv comment):
the task and method from the title and the "we propose …" sentences, datasets and metrics by name
(a list of well-known ones plus names written next to "dataset"/"benchmark"), and the first code
link the paper gives. When a paper does not say, the cell stays empty.
"""

from __future__ import annotations

import re

from agent.review.types import ComparisonRow
from agent.review.writers.sentences import paper_sentences
from memory.records import LibraryPaper
from tools.citations import paper_year

KNOWN_DATASETS = (
    "ImageNet", "ImageNet-1K", "ImageNet-21K", "COCO", "MS-COCO", "MSCOCO", "Flickr30K",
    "Visual Genome", "VQAv2", "VQA v2", "GQA", "OK-VQA", "TextVQA", "DocVQA", "ChartQA",
    "ScienceQA", "VizWiz", "NoCaps", "RefCOCO", "RefCOCO+", "RefCOCOg", "POPE", "MME",
    "MMBench", "MMMU", "SEED-Bench", "MM-Vet", "LLaVA-Bench", "MathVista", "CIFAR-10",
    "CIFAR-100", "ADE20K", "Cityscapes", "Pascal VOC", "LAION", "LAION-400M", "LAION-5B",
    "CC3M", "CC12M", "WebVid", "WebVid-10M", "HowTo100M", "Kinetics", "Kinetics-400",
    "Kinetics-600", "Kinetics-700", "UCF101", "UCF-101", "HMDB51", "HMDB-51",
    "Something-Something", "Something-Something V2", "SSv2", "ActivityNet",
    "ActivityNet Captions", "Charades", "Charades-STA", "MSR-VTT", "MSRVTT", "MSVD", "DiDeMo",
    "YouCook2", "Ego4D", "EPIC-KITCHENS", "EgoSchema", "NExT-QA", "TVQA", "How2QA", "Video-MME",
    "MVBench", "LongVideoBench", "MLVU", "Perception Test", "UCF-Crime", "ShanghaiTech",
    "XD-Violence", "CUHK Avenue", "Avenue", "UCSD Ped1", "UCSD Ped2", "UBnormal", "NWPU Campus",
    "VoxCeleb", "VoxCeleb1", "VoxCeleb2", "HDTF", "LRS2", "LRS3", "MEAD", "CelebV-HQ", "CelebA",
    "CelebA-HQ", "FFHQ", "LibriSpeech", "GSM8K", "MATH", "MMLU", "HumanEval", "MBPP",
    "BIG-Bench", "HellaSwag", "TruthfulQA", "AIME", "Codeforces", "GPQA", "SQuAD", "GLUE",
    "SuperGLUE", "WMT", "CMU-MOSI", "CMU-MOSEI", "MELD", "IEMOCAP", "PubTabNet", "FinTabNet",
    "SynthTabNet", "TableBank", "PubLayNet", "DocLayNet", "KITTI", "nuScenes", "Waymo",
    "ScanNet", "ShapeNet", "ModelNet40",
)
KNOWN_METRICS = (
    "AUC", "AUROC", "ROC-AUC", "AP", "mAP", "F1", "BLEU", "ROUGE", "ROUGE-L", "CIDEr", "METEOR",
    "SPICE", "FID", "FVD", "KID", "PSNR", "SSIM", "LPIPS", "LSE-C", "LSE-D", "CSIM", "NIQE",
    "CLIP score", "CLIPScore", "EER", "IoU", "mIoU", "WER", "CER", "MRR", "NDCG", "Recall@1",
    "R@1", "top-1 accuracy", "top-5 accuracy", "accuracy", "precision", "recall", "perplexity",
    "pass@1", "Elo", "win rate", "exact match", "success rate", "TEDS", "MOS", "FPS", "latency",
)
_CASE_FREE_METRICS = frozenset({"accuracy", "precision", "recall", "perplexity", "win rate",
                                "exact match", "success rate", "latency", "top-1 accuracy",
                                "top-5 accuracy"})
_NAMED_NEAR = re.compile(
    r"\b((?:[A-Z][A-Za-z0-9]*(?:[-+.][A-Za-z0-9]+)*)(?:\s(?:[A-Z0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)){0,2})"
    r"\s(?:dataset|benchmark|corpus)\b")
_NOT_NAMES = frozenset("""
The This These Our We A An Each Both All Large Existing New Novel Public Real
Several Many Most Other Two Three Four Five Standard Popular Common Challenging
Synthetic Video Image Text Benchmark Dataset In On For With Multiple Various
""".split())
_CODE = re.compile(r"https?://(?:www\.)?(?:(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)"
                   r"/[\w.-]+|[\w.-]+\.github\.io)(?:/[^\s)\]}>,;\"']*)?", re.IGNORECASE)
_PROPOSE = re.compile(
    r"\b(?:we|this (?:paper|work))\s+(?:propose|present|introduce|develop|design)s?\s+"
    r"(?P<what>[^.;:]{4,160}?)(?=,|;|\.|\s(?:that|which|to|for|by|where|with)\b)", re.IGNORECASE)
_NAMED = re.compile(r"\b(?:called|named|dubbed|termed|coined)\s+(?P<name>[A-Z][\w\-+.]*[\w+])")
_TASK_PATTERNS = (
    re.compile(r"\b(?:the )?(?:task|problem) of (?P<task>[a-z][\w\- ]{3,60}?)"
               r"(?=[,.;:(]|\s(?:is|which|that|where|with|remains|has|by|using|from)\b)"),
    re.compile(r"\b(?:we|this (?:paper|work))\s+(?:address|tackle|study|investigate|focus on|"
               r"consider|explore)s?\s+(?:the\s+)?(?P<task>[a-z][\w\- ]{3,60}?)"
               r"(?=[,.;:(]|\s(?:by|with|which|that|where|in|using|through|via|and)\b)"),
)


def paper_text(record: LibraryPaper) -> str:
    """The text the table may draw from: title, abstract, comment and the body (no related work)."""
    parts = [record.paper.title, record.paper.abstract, record.paper.comment]
    if record.parsed:
        parts += [s.text for s in paper_sentences(record)]
        parts += [p.text for sec in record.parsed.sections for p in sec.paragraphs
                  if _CODE.search(p.text)]
    return "\n".join(p for p in parts if p)


def _front(record: LibraryPaper) -> str:
    """Title and abstract: where a paper names its task plainly (the body wanders)."""
    abstract = record.paper.abstract or (record.parsed.abstract if record.parsed else "")
    return f"{record.paper.title}\n{abstract}"


def comparison_row(record: LibraryPaper, key: str) -> ComparisonRow:
    """One table row for a paper; empty cells where its text says nothing."""
    paper = record.paper
    text = paper_text(record)
    return ComparisonRow(arxiv_id=paper.arxiv_id, key=key, title=paper.title,
                         year=paper_year(paper), task=find_task(paper.title, _front(record)),
                         method=find_method(paper.title, text), datasets=find_datasets(text),
                         metrics=find_metrics(text), code=find_code(text))


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


def find_method(title: str, text: str) -> str:
    """The method's name and the paper's own short description of it."""
    name = short_name(title)
    named = _NAMED.search(text)
    if not name and named:
        name = named.group("name")
    proposed = next((m for m in _PROPOSE.finditer(text) if not m.group("what").startswith("to ")),
                    None)
    what = _trim(proposed.group("what"), 12) if proposed else ""
    if name and what and name.lower() not in what.lower():
        return f"{name}: {what}"
    return what or name


def find_task(title: str, text: str) -> str:
    """The task as the paper names it: `the task of …`, `we address …`, or the title's subject."""
    for pattern in _TASK_PATTERNS:
        for found in pattern.finditer(text):
            if len(found.group("task").split()) >= 2:
                return _trim(found.group("task"), 10)
    after_for = re.search(r"\bfor\s+(?P<task>[^:,]{4,70})$", title)
    if after_for:
        return after_for.group("task").strip()
    _, sep, subtitle = title.partition(":")
    if sep and re.match(r"\s*[A-Z][a-z]+ing\b", subtitle):
        return subtitle.strip()
    return ""


def find_datasets(text: str) -> list[str]:
    """Dataset names the text mentions, known ones and those written next to `dataset`."""
    found = [name for name in KNOWN_DATASETS if _mentions(text, name, case=True)]
    for match in _NAMED_NEAR.finditer(text):
        words = match.group(1).split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        special = any(re.search(r"[A-Z].*[A-Z]|\d", w) for w in words)
        start = match.start(1) + len(match.group(1)) - len(" ".join(words))
        sentence_initial = re.search(r"(?:^|[.!?]\s+)$", text[:start]) is not None
        if special or (len(words) == 1 and not sentence_initial):
            found.append(" ".join(words))
    return _dedupe(found)


def find_metrics(text: str) -> list[str]:
    """Evaluation metrics the text names."""
    found = [m for m in KNOWN_METRICS if _mentions(text, m, case=m not in _CASE_FREE_METRICS)]
    if not {"precision", "recall"} <= set(found):  # alone, either is usually just an English word
        found = [m for m in found if m not in ("precision", "recall")]
    return _dedupe(found)


def find_code(text: str) -> str:
    """The first code or project link the paper gives."""
    found = _CODE.search(text)
    return found.group(0).rstrip(".") if found else ""


def _mentions(text: str, name: str, case: bool) -> bool:
    pattern = r"(?<![\w-])" + re.escape(name) + r"(?![\w-]|\+)"
    return re.search(pattern, text, 0 if case else re.IGNORECASE) is not None


def _trim(phrase: str, words: int) -> str:
    parts = " ".join(phrase.split()).split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _dedupe(names: list[str]) -> list[str]:
    """Keep the first of names equal up to case/punctuation, and drop names inside longer ones."""
    def norm(name: str) -> str:
        return re.sub(r"[^a-z0-9+]", "", name.lower())

    out: list[str] = []
    for name in names:
        if any(norm(name) == norm(kept) for kept in out):
            continue
        out.append(name)
    def inside(name: str, other: str) -> bool:
        pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
        return name != other and re.search(pattern, other) is not None

    return [n for n in out if not any(inside(n, o) for o in out)]
