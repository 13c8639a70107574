"""Extract what each paper states about itself: data, metrics, task, supervision, method family, code.

Every fact carries the paper's own sentence that states it (its evidence), with section and page,
so a statement the writer builds from facts can always be traced to the text. Facts come from the
title, the abstract and the paper's own sections (never related work), so they work on an
abstract-only paper and on a full text alike; a paper known by its title only gets what its title
says. A method family or a kind of supervision counts only where the paper says it of its own work
(a sentence with "we", "our", "the proposed", its method's name, its title, or its method and
results sections), not where it describes what others did.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from agent.review.facts.names import dataset_names, key, metric_names, short_name
from agent.review.facts.text import clean_statement, own_blocks, section_kind, split_sentences
from memory.records import LibraryPaper
from tools.citations import paper_year
from tools.text.keyphrases import acronyms, content_runs

FactKind = Literal["dataset", "metric", "task", "supervision", "family", "code"]

SUPERVISION: dict[str, str] = {
    "weakly supervised": r"\bweakly[- ]supervised\b",
    "unsupervised": r"\bunsupervised\b",
    "self-supervised": r"\bself-supervised\b",
    "semi-supervised": r"\bsemi-supervised\b",
    "fully supervised": r"\bfully[- ]supervised\b",
    "zero-shot": r"\bzero-shot\b",
    "few-shot": r"\bfew-shot\b",
    "training-free": r"\btraining-free\b",
    "open-vocabulary": r"\bopen-vocabulary\b",
    "open-set": r"\bopen-set\b",
}
"""Kinds of supervision and setting: name → how papers write it (the name's words, so a sentence
that states the name is one the paper's text supports word for word)."""
FAMILIES: dict[str, str] = {
    "transformers": r"\btransformers?\b",
    "diffusion models": r"\bdiffusion models?\b",
    "large language models": r"\blarge language models?\b",
    "LLMs": r"\bLLMs?\b",
    "vision-language models": r"\bvision[- ]language models?\b",
    "CLIP": r"\bCLIP\b",
    "multimodal large language models": r"\bmultimodal large language models?\b",
    "MLLMs": r"\bMLLMs?\b",
    "generative adversarial networks": r"\bgenerative adversarial networks?\b",
    "GANs": r"\bGANs?\b",
    "autoencoders": r"\bauto-?encoders?\b",
    "graph neural networks": r"\bgraph neural networks?\b",
    "convolutions": r"\bconvolution(?:s|al)?\b",
    "recurrent networks": r"\brecurrent (?:neural )?networks?\b",
    "LSTMs": r"\bLSTMs?\b",
    "reinforcement learning": r"\breinforcement learning\b",
    "contrastive learning": r"\bcontrastive learning\b",
    "multiple instance learning": r"\bmultiple instance learning\b",
    "knowledge distillation": r"\bknowledge distillation\b",
    "retrieval augmentation": r"\bretrieval[- ]augment(?:ed|ation)\b",
    "prompt tuning": r"\bprompt[- ]tuning\b",
    "prompt learning": r"\bprompt learning\b",
    "in-context learning": r"\bin-context learning\b",
    "instruction tuning": r"\binstruction[- ]tuning\b",
    "mixture of experts": r"\bmixture[- ]of[- ]experts\b",
    "state-space models": r"\bstate[- ]space models?\b",
    "optical flow": r"\boptical flow\b",
    "pseudo-labels": r"\bpseudo[- ]?labels?\b",
    "pseudo-anomalies": r"\bpseudo[- ]?anomal(?:y|ies)\b",
    "masked autoencoders": r"\bmasked auto-?encoders?\b",
}
"""Method families common across machine learning: name (as prose says it) → how papers write it.
Each pattern holds the name's own words, and an acronym is a family of its own, so a statement
names a family only as its papers spell it."""
TASK_NOUNS = frozenset("""
detection recognition generation segmentation understanding retrieval classification estimation
tracking answering captioning translation synthesis prediction reasoning localization localisation
search parsing extraction summarization summarisation alignment editing grounding forecasting
counting reconstruction completion matching registration planning navigation manipulation
compression restoration enhancement transfer verification identification analysis modeling
modelling learning
""".split())
_KINDS: list[tuple[FactKind, str, re.Pattern[str], bool]] = [
    ("supervision" if label in SUPERVISION else "family", label,
     re.compile(pattern, re.I if pattern == pattern.lower() else 0), pattern != pattern.lower())
    for label, pattern in (*SUPERVISION.items(), *FAMILIES.items())]
"""(kind, name, pattern, whether it is an acronym kept as written), compiled once."""
_OWN = re.compile(r"\b(?:we|our|ours|the proposed|this (?:paper|work|study|method|approach|model|framework))\b",
                  re.I)
_CONTRAST = re.compile(r"\b(?:existing|previous|prior|conventional|traditional|unlike|most|recent|current|"
                       r"other|earlier)\b(?:\W+\w+){0,4}\W*$", re.I)
_PROPOSED = re.compile(r"\b(?i:we|this paper|this work)\s+(?i:propose|present|introduce|develop|design)s?\s+"
                       r"(?:(?i:a|an|the|our|novel|new)\s+){0,3}(?:[\w-]+\s+){0,3}?(?:called\s+|named\s+)?"
                       r"(?P<name>[A-Z][a-z]*[A-Z0-9][\w-]*)\b")
"""A name the paper gives its own method where it proposes it (`we propose SegScore, …`)."""
CODE = re.compile(r"https?://(?:www\.)?(?:(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org)"
                  r"/[\w.-]+|[\w.-]+\.github\.io)(?:/[^\s)\]}>,;\"']*)?", re.IGNORECASE)


class Fact(BaseModel):
    """One thing a paper states about itself, with the sentence that states it."""

    kind: FactKind
    value: str
    """As the paper writes it (`UCF-Crime`), or the family / supervision name."""
    key: str
    """How facts of the same kind are matched across papers (`ucfcrime`)."""
    evidence: str
    """The paper's own sentence (or its title) that states it, verbatim."""
    section: str = ""
    page: int = 0


class PaperFacts(BaseModel):
    """Everything extracted from one paper."""

    arxiv_id: str
    year: str = ""
    name: str = ""
    """The method's name from the title (`ADNet`), else empty."""
    aliases: list[str] = Field(default_factory=list)
    """Names the paper gives its own method: `name`, and acronyms it defines from its title."""
    facts: list[Fact] = Field(default_factory=list)
    text: str = ""
    """The paper's own text, lower-cased and single-spaced (for checking a phrase is its own)."""

    def of(self, kind: FactKind) -> list[Fact]:
        """The paper's facts of one kind, first stated first."""
        return [f for f in self.facts if f.kind == kind]

    def find(self, kind: FactKind, fact_key: str) -> Fact | None:
        return next((f for f in self.facts if f.kind == kind and f.key == fact_key), None)

    def says(self, phrase: str) -> bool:
        """Whether the paper's own text contains `phrase` (case and punctuation aside)."""
        return f" {_flat(phrase)} " in self.text


def _flat(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def units(record: LibraryPaper) -> list[tuple[str, str, int]]:
    """(sentence, section, page) of the paper's own text, title first, table captions last."""
    out = [(record.paper.title, "Title", 1 if record.parsed else 0)]
    for section, text, page in own_blocks(record):
        out += [(s, section, page) for s in split_sentences(text) if clean_statement(s, record.paper.title)]
    if record.paper.comment:
        out.append((record.paper.comment, "Comment", 0))
    if record.parsed:
        out += [(t.caption, f"Table {t.number}", t.page) for t in record.parsed.tables if t.caption]
    return out


def paper_facts(record: LibraryPaper) -> PaperFacts:
    """Every fact the paper states about itself (see the module docstring)."""
    paper = record.paper
    found = units(record)
    name = short_name(paper.title)
    facts = PaperFacts(arxiv_id=paper.arxiv_id, year=paper_year(paper), name=name,
                       text=" " + _flat(" ".join(s for s, _, _ in found)) + " ")
    defined = acronyms([s for s, _, _ in found])
    facts.aliases = _aliases(name, found, defined, set(_flat(paper.title).split()))
    not_data = frozenset({key(a) for a in facts.aliases} | {key(a) for a, long in defined.items()
                                                            if not re.search(r"data|bench|corpus", long)})
    for sentence, section, page in found:
        own = section == "Title" or _OWN.search(sentence) is not None or (
            bool(name) and name in sentence) or section_kind(section) in ("method", "results")
        for value in dataset_names(sentence, not_data, caption=section.startswith("Table ")):
            if not _not_data(value, facts.aliases):
                _add(facts, "dataset", value, key(value), sentence, section, page)
        for value in metric_names(sentence):
            _add(facts, "metric", value, key(value), sentence, section, page)
        for kind, label, pattern, acronym in _KINDS if own else ():
            match = pattern.search(sentence)
            if match and not _CONTRAST.search(sentence[:match.start()]):
                # An acronym is kept as the paper writes it (LLM / LLMs), matched under its family.
                _add(facts, kind, match.group(0) if acronym else label, key(label), sentence, section, page)
        code = CODE.search(sentence)
        if code:
            _add(facts, "code", code.group(0).rstrip("."), "code", sentence, section, page)
    for phrase, (sentence, section, page) in _tasks(found, defined).items():
        _add(facts, "task", phrase, key(phrase), sentence, section, page)
    if not facts.of("code"):  # "Code: https://…" is too short to be a statement, still a fact
        for section, text, page in own_blocks(record):
            code = CODE.search(text)
            if code:
                _add(facts, "code", code.group(0).rstrip("."), "code", text, section, page)
                break
    return facts


def _aliases(name: str, found: list[tuple[str, str, int]], defined: dict[str, str], title: set[str]) -> list[str]:
    """The names the paper gives its own method: the title's, the one it proposes (not a dataset
    it introduces), and acronyms of three letters or more whose long form is in its title."""
    proposed = [m.group("name") for s, _, _ in found[:60] for m in _PROPOSED.finditer(s)
                if not re.match(r"\W*(?:\w+\W+){0,2}(?:data\s?set|benchmark|corpus)", s[m.end():], re.I)]
    acronym = [a for a, long in defined.items()
               if len(a) >= 3 and len(set(long.split()) & title) >= 0.7 * len(long.split())]
    return list(dict.fromkeys(a for a in [name, *proposed, *acronym] if a))


def _not_data(name: str, aliases: list[str]) -> bool:
    """A variant of the paper's own method (`DeepSeek-R1-Zero`), a quantity (`800k`), or a
    footnote mark glued to a word (`4In SQA`)."""
    return (any(name.startswith(f"{a}-") for a in aliases)
            or re.fullmatch(r"\d+(?:\.\d+)?[kKmMbB]", name) is not None
            or re.match(r"\d+[A-Z][a-z]", name) is not None)


def _add(facts: PaperFacts, kind: FactKind, value: str, fact_key: str, evidence: str, section: str,
         page: int) -> None:
    if fact_key and facts.find(kind, fact_key) is None:
        facts.facts.append(Fact(kind=kind, value=value, key=fact_key, evidence=evidence,
                                section=section, page=page))


def _tasks(found: list[tuple[str, str, int]], defined: dict[str, str]) -> dict[str, tuple[str, str, int]]:
    """Task phrases (2–4 words ending in a task noun) of the title and abstract, with a sentence."""
    front = [u for u in found if u[1] in ("Title", "Abstract")]
    phrases: dict[str, tuple[str, str, int]] = {}
    for long_form in defined.values():
        if long_form.split()[-1] in TASK_NOUNS and len(long_form.split()) >= 2:
            sentence = next((u for u in front if long_form in _flat(u[0])), None)
            if sentence:
                phrases.setdefault(long_form, sentence)
    for unit in front:
        for run in content_runs(unit[0]):
            for end, word in enumerate(run):
                if word not in TASK_NOUNS or end == 0:
                    continue
                for start in range(max(0, end - 3), end):
                    if not re.search(r"(?:ing|est)$", run[start]):
                        phrases.setdefault(" ".join(run[start:end + 1]), unit)
    return phrases
