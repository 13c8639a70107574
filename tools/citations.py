"""Citation keys and BibTeX for the papers a review cites (arXiv papers, and works found elsewhere).

Keys follow the familiar `lastnameYEARword` shape (`guo2025deepseek`), ASCII only, so they work in
Pandoc (`[@guo2025deepseek]`), BibTeX and LaTeX alike. They are stable: a paper's key depends only
on its own metadata, and when two papers collide the one with the smaller arXiv id keeps the bare
key while the others get `b`, `c`, … suffixes. Papers without authors (common in digests) are keyed
by their title instead: `complexvad2025detecting`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from tools.paper import Paper
from tools.text.words import FUNCTION_WORDS

TITLE_SKIP = FUNCTION_WORDS | {"learning"}
"""Words never used as the key's title word (`learning` is in almost every ML title)."""

NAME_PARTICLES = frozenset("da de del della der di du la le van von den ter zu".split())
NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())

BIBTEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                   "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
                   "|": r"\textbar{}"}


def ascii_fold(text: str) -> str:
    """Strip accents (`Müller` → `Muller`) and drop what has no ASCII form."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def last_name(author: str) -> str:
    """The family name of `First Last`, `Last, First` or `Jean van der Berg` (→ `vanderberg`)."""
    author = author.strip()
    if "," in author:
        return _slug(author.split(",", 1)[0])
    words = [w for w in author.split() if w.lower() not in NAME_SUFFIXES]
    if not words:
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in NAME_PARTICLES:
        start -= 1
    return _slug("".join(words[start:]))


def _title_words(title: str) -> list[str]:
    words = [_slug(w) for w in re.split(r"[\s\-:/_]+", title)]
    return [w for w in words if w and w not in TITLE_SKIP and not w.isdigit()]


def paper_year(paper: Paper) -> str:
    """The year of the first version: the published date, else the one a new-style id encodes."""
    return paper_date(paper)[:4]


def paper_date(paper: Paper) -> str:
    """`YYYY-MM-DD` of the first version, else `YYYY-MM` from a new-style id, else empty."""
    if paper.published:
        return paper.published
    found = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", paper.arxiv_id)
    if not found or not 1 <= int(found.group(2)) <= 12:
        return ""
    return f"20{found.group(1)}-{found.group(2)}"


def base_key(paper: Paper) -> str:
    """The key before collision suffixes: first author's family name, year, first title word."""
    year = paper_year(paper)
    words = _title_words(paper.title) or ["paper"]
    name = next((n for n in (last_name(a) for a in paper.authors) if n), "")
    if name:
        return f"{name}{year}{words[0]}"
    # No authors: the title's first word stands in for the name, its second for the word.
    second = words[1] if len(words) > 1 else "paper"
    return f"{words[0]}{year}{second}"


def assign_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Unique keys for papers, by versionless arXiv id; the smallest id keeps the bare key."""
    unique = {p.arxiv_id: p for p in papers}
    by_base: dict[str, list[str]] = {}
    for arxiv_id in sorted(unique, key=_id_order):
        by_base.setdefault(base_key(unique[arxiv_id]), []).append(arxiv_id)
    keys: dict[str, str] = {}
    taken = set(by_base)
    for base, ids in by_base.items():
        keys[ids[0]] = base
        suffixes = (_suffix(n) for n in range(1, 10_000))
        for arxiv_id in ids[1:]:
            key = next(base + s for s in suffixes if base + s not in taken)
            taken.add(key)
            keys[arxiv_id] = key
    return keys


def _id_order(arxiv_id: str) -> tuple[int, str]:
    """Old-style ids (`hep-th/9901001`) sort before new ones; new ones by their digits."""
    return (0, arxiv_id) if "/" in arxiv_id else (1, arxiv_id.zfill(12))


def _suffix(n: int) -> str:
    """1 → b, 2 → c, …, 25 → z, 26 → ba, … (no `a`: the bare key is the first paper's)."""
    letters = ""
    while True:
        n, rest = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if n == 0:
            return letters


def escape_latex(text: str) -> str:
    """Escape LaTeX specials and turn non-ASCII characters into LaTeX macros (`α` → `\\alpha`).

    Characters LaTeX has no macro for (CJK, emoji) become `?`, so pdflatex never stops on them.
    """
    plain = "".join(BIBTEX_SPECIALS.get(ch, ch) for ch in re.sub(r"\s+", " ", text))
    return plain if plain.isascii() else _unicode_encoder().unicode_to_latex(plain)


@functools.cache
def _unicode_encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(non_ascii_only=True, unknown_char_policy=lambda _ch: "?",
                                 unknown_char_warning=False)


escape_bibtex = escape_latex
"""BibTeX field values take the same escaping as LaTeX text."""


def protect_title(title: str) -> str:
    """Escape a title and brace words whose capitals must survive bibliography styles (`{BERT}`)."""
    out = []
    for word in escape_bibtex(title.strip()).split(" "):
        core = re.sub(r"\\[a-zA-Z]+|[^A-Za-z]", "", word)
        lone_capital = len(core) == 1 and core.isupper() and core != "A"
        if any(c.isupper() for c in core[1:]) or lone_capital:
            word = "{" + word + "}"
        out.append(word)
    return " ".join(out)


def bibtex_entry(paper: Paper, key: str) -> str:
    """One `@misc` entry for an arXiv paper (eprint, archivePrefix, primaryClass, url, doi); a paper
    not on arXiv gets its DOI, venue and page instead."""
    fields: list[tuple[str, str]] = [("title", protect_title(paper.title))]
    if paper.authors:
        fields.append(("author", " and ".join(escape_bibtex(a.strip()) for a in paper.authors)))
    if paper_year(paper):
        fields.append(("year", paper_year(paper)))
    if not paper.on_arxiv:
        return _other_entry(paper, key, fields)
    fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    if paper.primary_category:
        fields.append(("primaryClass", paper.primary_category))
    fields.append(("howpublished", f"arXiv:{paper.versioned_id}"))
    fields.append(("url", f"https://arxiv.org/abs/{paper.arxiv_id}"))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.journal_ref:
        fields.append(("note", escape_bibtex(paper.journal_ref.strip())))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def _other_entry(paper: Paper, key: str, fields: list[tuple[str, str]]) -> str:
    """`@article` with the venue when there is one, else `@misc`."""
    kind = "article" if paper.journal_ref else "misc"
    if paper.journal_ref:
        fields.append(("journal", escape_bibtex(paper.journal_ref.strip())))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.abs_url:
        fields.append(("url", paper.abs_url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def to_bibtex(papers: Iterable[Paper], keys: dict[str, str] | None = None) -> str:
    """A BibTeX database for `papers`, keyed by `keys` (arXiv id → key; assigned when omitted)."""
    papers = list({p.arxiv_id: p for p in papers}.values())
    keys = keys or assign_keys(papers)
    return "\n".join(bibtex_entry(p, keys[p.arxiv_id]) for p in papers)
