"""Turn a paper's own sentence into the reviewer's: third person, cited, without boilerplate.

"In this paper, we propose ADNet, an anomaly detection network, which utilizes temporal
convolutions" becomes "Öztürk et al. [@k] propose ADNet, an anomaly detection network, which
utilizes temporal convolutions": the discourse opener goes, "we" becomes the authors (or "they"
once they have been named), "our" becomes "their", "this paper proposes" takes the authors as its
subject, and "our experimental results show …" becomes "the experimental results of Öztürk et al.
[@k] show …". Everything else is the paper's own wording, so what the statement claims is what the
paper claims. A sentence with no subject to rewrite is reported ("… note that …"). Output is
Markdown: the paper's words escaped, the citation the only live markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.review.writers.markdown import cite, escape
from tools.paper import Paper

_OPENER = re.compile(
    r"^(?:In (?:this|the present|our) (?:paper|work|study|article|letter|report)|Here(?:in)?|To this end|"
    r"To (?:this|that) end|To (?:tackle|address|solve|overcome|alleviate|mitigate|fill|bridge|achieve|"
    r"handle|remedy|resolve) (?:this|these|that|those|such)[^,]{0,40}|Therefore|Thus|Hence|Moreover|"
    r"Furthermore|Additionally|In addition|Besides|Specifically|Finally|First(?:ly)?|Second(?:ly)?|"
    r"Then|Meanwhile|Concretely|In particular|Particularly|Notably|Overall|In summary|In conclusion|"
    r"To summarize|As a result|Consequently|Accordingly|In this context|Motivated by [^,]{1,60}|"
    r"Inspired by [^,]{1,60}|Based on (?:this|these|that)[^,]{0,40}|For (?:this|that) reason|However|"
    r"Nevertheless|Nonetheless|Still|Yet|Also|Importantly|Interestingly|Surprisingly|Crucially),?\s+",
    re.I)
_WE = re.compile(r"^[Ww]e\s+(?P<rest>.+)$")
_THIS_PAPER = re.compile(r"^(?:This|The present|Our) (?:paper|work|study|article|letter|report)\s+(?P<rest>.+)$")
_OURS = re.compile(r"^(?:Our|The proposed) (?P<np>(?:[\w-]+ ){0,2}?(?:method|model|approach|framework|system|"
                   r"network|algorithm|architecture|pipeline|technique|experiments?|results?|evaluations?|"
                   r"analys[ie]s|findings?|dataset|benchmark|study|studies|design|module|contributions?))\b"
                   r"(?P<rest>.*)$")
_LEAD_WE = re.compile(r"^(?P<lead>[A-Z][^,;]{3,80}),\s+we\s+(?P<rest>.+)$")
_PRONOUNS = [(r"\bwe\b", "they"), (r"\bWe\b", "They"), (r"\bour\b", "their"), (r"\bOur\b", "Their"),
             (r"\bours\b", "theirs"), (r"\bourselves\b", "themselves"), (r"\bus\b", "them")]
_VERB_S = re.compile(r"^(?P<verb>[a-z]+?)(?P<end>ies|sses|shes|ches|xes|zes|oes|s)\b")
_REPORTING = {"result": "report that", "limitation": "note that", "background": "note that",
              "method": "explain that", "contribution": "state that"}
_CITE = "\x00"
"""Stands for the citation while the paper's words are escaped."""


_WHO = "\x01"
"""Stands for the subject's Markdown (it may hold a title in italics) while the words are escaped."""


@dataclass(frozen=True)
class Subject:
    """How prose names a paper's authors: `Sultani et al.` (plural), `they`, or one author."""

    who: str
    """Markdown: `Sultani et al.`, or `the authors of *Title*` when the authors are not known."""
    plural: bool = True
    pronoun: bool = False


def authors_subject(paper: Paper, name: str = "") -> Subject:
    """`Sultani et al.` for three or more authors, `A and B` for two, the surname for one person;
    without authors, `the authors of ADNet` (the method's name) or of the title in italics."""
    surnames = [escape(a.split()[-1]) for a in paper.authors if a.strip()]
    if len(surnames) >= 3:
        return Subject(f"{surnames[0]} et al.")
    if len(surnames) == 2:
        return Subject(f"{surnames[0]} and {surnames[1]}")
    if surnames:
        return Subject(surnames[0], plural=len(paper.authors[0].split()) == 1)  # one token: a team
    return Subject(f"the authors of {escape(name) if name else '*' + escape(paper.title) + '*'}")


THEY = Subject("they", pronoun=True)


def _singular(rest: str) -> str:
    """`propose X` → `proposes X` (for a one-person subject)."""
    head, _, tail = rest.partition(" ")
    irregular = {"are": "is", "have": "has", "were": "was", "do": "does"}
    if head in irregular:
        return f"{irregular[head]} {tail}".strip()
    if re.search(r"(?:s|sh|ch|x|z|o)$", head):
        head += "es"
    elif re.search(r"[^aeiou]y$", head):
        head = head[:-1] + "ies"
    elif head.isalpha() and head.islower():
        head += "s"
    return f"{head} {tail}".strip()


def _plural(rest: str) -> str:
    """`proposes X` → `propose X` (for "this paper proposes" said of the authors)."""
    head, _, tail = rest.partition(" ")
    irregular = {"is": "are", "has": "have", "was": "were", "does": "do"}
    if head in irregular:
        return f"{irregular[head]} {tail}".strip()
    found = _VERB_S.fullmatch(head)
    if found:
        end = found.group("end")
        stem = found.group("verb")
        head = stem + {"ies": "y", "sses": "ss", "s": ""}.get(end, end[:-2])
    return f"{head} {tail}".strip()


def _agree(rest: str, subject: Subject) -> str:
    return rest if subject.plural else _singular(rest)


def strip_opener(sentence: str) -> str:
    """The sentence without its discourse opener ("In this paper, …", "To this end, …")."""
    for _ in range(2):
        trimmed = _OPENER.sub("", sentence, count=1)
        if trimmed == sentence:
            break
        sentence = trimmed[:1].upper() + trimmed[1:]
    return sentence


def rewrite(sentence: str, subject: Subject, role: str = "contribution") -> tuple[str, bool]:
    """The sentence in third person with `_CITE` where the citation goes; whether it was rewritten.

    Not rewritten (False): it had no first-person subject, so it is framed as reported speech.
    """
    text = strip_opener(re.sub(r"\\([%&_$#])", r"\1", sentence.strip())).rstrip(" .")
    text = re.sub(r"^It (?=(?:improves|achieves|outperforms|reaches|obtains|surpasses)\b)", "Their method ", text)
    who = subject.who if subject.pronoun else f"{_WHO} {_CITE}"
    if (found := _WE.match(text)) or (found := _THIS_PAPER.match(text)):
        rest = found.group("rest")
        rest = _plural(rest) if found.re is _THIS_PAPER else rest
        return _capital(f"{who} {_agree(rest, subject)}"), True
    if found := _OURS.match(text):
        owner = "Their" if subject.pronoun else f"The {found.group('np')} of {who}"
        np = found.group("np") if subject.pronoun else ""
        return _capital(f"{owner} {np}{found.group('rest')}".replace("  ", " ")), True
    if found := _LEAD_WE.match(text):
        return f"{found.group('lead')}, {who} " \
               f"{_agree(found.group('rest'), subject)}", True
    verb = _REPORTING.get(role, "note that")
    verb = verb if subject.plural else _singular(verb)
    lowered = text if re.match(r"^\S*[A-Z].*?[A-Z]|^[A-Z]{2}", text.split(" ")[0]) else text[:1].lower() + text[1:]
    return _capital(f"{who} {verb} {lowered}"), False


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def third_person(text: str) -> str:
    """Remaining first-person words (we, our, us) as third person."""
    for pattern, replacement in _PRONOUNS:
        text = re.sub(pattern, replacement, text)
    return text


def statement(sentence: str, subject: Subject, key: str, role: str = "contribution") -> str:
    """One cited Markdown sentence in the reviewer's voice, from one sentence of the paper."""
    text, _ = rewrite(sentence, subject, role)
    return render(third_person(text), key, subject)


def render(text: str, key: str, subject: Subject | None = None) -> str:
    """Escape the paper's words, put the subject and the citation in place, end with a full stop."""
    who = subject.who if subject else ""
    if text.startswith(_WHO):
        who = _capital(who)
    body = escape(text.rstrip(" .")).replace(_CITE, cite(key) if key else "").replace(_WHO, who)
    return re.sub(r"\s{2,}", " ", body).strip() + "."


def merge(first: str, second: str) -> str:
    """Two statements about one paper as one sentence: `A [@k] propose X; they also use Y.`"""
    if re.match(r"(?:They|Their|[A-Z][a-z]+)\b(?!-)", second) and not re.match(r"I\b", second):
        second = second[:1].lower() + second[1:]
    return f"{first.rstrip('.')}; {second}"


def join(statements: list[str], max_words: int = 70) -> list[str]:
    """Statements about different papers joined into sentences of clauses (`A [@a] note X; B [@b]
    note Y.`) while a sentence stays under `max_words`; each clause keeps its own citation."""
    out: list[str] = []
    for text in statements:
        if out and len((out[-1] + text).split()) <= max_words:
            follow = text[:1].lower() + text[1:] if re.match(r"(?:The|They|Their)\b", text) else text
            out[-1] = f"{out[-1].rstrip('.')}; {follow}"
        else:
            out.append(text)
    return out
