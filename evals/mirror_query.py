"""The arXiv `search_query` language, for the mirror: parse, match and score records.

Grammar (as arXiv documents it): `field:term`, `field:"a phrase"`, `submittedDate:[A TO B]`,
bare words (field `all`), parentheses, and the operators `AND`, `OR`, `ANDNOT` (`AND` binds tighter
than `OR`; two terms side by side mean `AND`). Fields: ti, abs, au, co, jr, cat, id, all. Text is
lower-cased, split on anything not a letter or digit, and crudely stemmed (talking, talks → talk),
close to what arXiv's own index does; a trailing `*` matches a prefix.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from tools.errors import AutoresearchError
from tools.text.words import stem

TEXT_FIELDS = ("ti", "abs", "au", "co", "jr")
FIELD_WEIGHT = {"ti": 2.0, "abs": 1.0, "au": 1.0, "co": 0.5, "jr": 0.5}
_TOKEN_RE = re.compile(
    r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<op>ANDNOT|AND|OR)(?=[\s()"]|$)'
    r'|(?P<term>(?:(?P<field>[A-Za-z_]+):)?(?:"(?P<phrase>[^"]*)"|\[(?P<range>[^\]]*)\]'
    r'|(?P<word>[^\s()"]+))))')


class QuerySyntaxError(AutoresearchError, ValueError):
    """The query cannot be parsed (the mirror answers it with an arXiv-style error feed)."""


def tokenize(text: str) -> list[str]:
    """Lower-case, split on non-alphanumerics, stem."""
    return [stem(t) for t in re.findall(r"[a-z0-9]+", text.lower())]


@dataclass
class Document:
    """One record, indexed per field."""

    fields: dict[str, list[str]]
    categories: list[str]
    ids: set[str]
    submitted: str
    """`YYYYMMDDHHMM`, for `submittedDate:[… TO …]`."""


PHRASE_MODES = ("sequence", "words")
"""How a quoted phrase matches: `sequence` (its words consecutive, in order) or `words` (all of
its words anywhere in the field, in any order). Observers of the live API disagree on which arXiv
does (see `romazu/arxivql`'s notes on quoted queries), so an eval can run under both."""


@dataclass
class Term:
    """A leaf: one field with a word, a phrase, a prefix or a date range."""

    field: str
    tokens: list[str] = field(default_factory=list)
    prefix: bool = False
    raw: str = ""
    date_range: tuple[str, str] | None = None
    ordered: bool = True
    """A phrase's words must be consecutive and in order (`sequence`), else only all present."""

    def matches(self, doc: Document) -> bool:
        return self.evaluate(doc, {}) is not None

    def evaluate(self, doc: Document, idf: dict[str, float]) -> float | None:
        """The term's score in `doc`, or None when it does not match."""
        if self.field == "submitteddate" and self.date_range:
            low, high = self.date_range
            hit = low <= doc.submitted[: len(low)] and doc.submitted[: len(high)] <= high
            return 0.0 if hit else None
        if self.field == "cat":
            pattern = self.raw.lower()
            if pattern.endswith("*"):
                hit = any(c.lower().startswith(pattern[:-1]) for c in doc.categories)
            else:
                hit = any(c.lower() == pattern for c in doc.categories)
            return 0.0 if hit else None
        if self.field == "id":
            return 0.0 if self.raw.lower() in doc.ids else None
        score = self.score(doc, idf)
        return score if score is not None else None

    def _fields(self) -> tuple[str, ...]:
        return TEXT_FIELDS if self.field == "all" else (self.field,)

    def count(self, tokens: list[str]) -> int:
        """Occurrences of this term (word, prefix or phrase) in a token list."""
        if not self.tokens:
            return 0
        if len(self.tokens) == 1:
            word = self.tokens[0]
            if self.prefix:
                return sum(1 for t in tokens if t.startswith(word))
            return tokens.count(word)
        if not self.ordered:
            return min(tokens.count(t) for t in self.tokens)
        n = len(self.tokens)
        return sum(1 for i in range(len(tokens) - n + 1) if tokens[i:i + n] == self.tokens)

    def score(self, doc: Document, idf: dict[str, float]) -> float | None:
        """A BM25-flavoured score: saturating term frequency, weighted by field and rarity
        (None when the term occurs in none of its fields)."""
        rarity = sum(idf.get(t, 1.0) for t in self.tokens) / max(1, len(self.tokens))
        total, hit = 0.0, False
        for name in self._fields():
            tokens = doc.fields.get(name, [])
            tf = self.count(tokens)
            if tf:
                hit = True
                total += FIELD_WEIGHT[name] * rarity * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(tokens) / 120))
        return total * (1.5 if len(self.tokens) > 1 else 1.0) if hit else None

    def postings(self, index: dict[str, set[int]]) -> set[int] | None:
        """Documents that may match (a superset), or None when the index cannot tell."""
        if self.field in ("cat", "id", "submitteddate") or self.prefix or not self.tokens:
            return None
        rows = [index.get(t, set()) for t in self.tokens]
        return set.intersection(*rows) if rows else set()


@dataclass
class Node:
    """An operator over sub-queries: `OR` and `AND` over any number, `ANDNOT` over two."""

    op: str
    children: list[Node | Term]

    def matches(self, doc: Document) -> bool:
        return self.evaluate(doc, {}) is not None

    def evaluate(self, doc: Document, idf: dict[str, float]) -> float | None:
        """The summed score of the matching parts, or None when the node does not match."""
        if self.op == "ANDNOT":
            left = self.children[0].evaluate(doc, idf)
            return left if left is not None and self.children[1].evaluate(doc, idf) is None else None
        scores = [child.evaluate(doc, idf) for child in self.children]
        hits = [s for s in scores if s is not None]
        if self.op == "AND" and len(hits) < len(scores):
            return None
        return sum(hits) if hits else None

    def postings(self, index: dict[str, set[int]]) -> set[int] | None:
        """Documents that may match (a superset), or None when the index cannot tell."""
        if self.op == "ANDNOT":
            return self.children[0].postings(index)
        rows = [child.postings(index) for child in self.children]
        if self.op == "OR":
            return None if any(r is None for r in rows) else set().union(*rows)
        known = [r for r in rows if r is not None]
        return set.intersection(*known) if known else None


def _join(op: str, left: Node | Term, right: Node | Term) -> Node:
    """Chain `a OR b OR c` into one node of three children (not a tree as deep as the query)."""
    if isinstance(left, Node) and left.op == op and op != "ANDNOT":
        left.children.append(right)
        return left
    return Node(op, [left, right])


def parse(query: str, phrases: str = "sequence") -> Node | Term:
    """Parse a `search_query` into a tree; raises `QuerySyntaxError`."""
    tokens = _lex(query, phrases == "sequence")
    if not tokens:
        raise QuerySyntaxError("empty query")
    tree, rest = _parse_or(tokens)
    if rest:
        raise QuerySyntaxError(f"unexpected {rest[0][1]!r}")
    return tree


def _lex(query: str, ordered: bool = True) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    query = query.strip()
    while pos < len(query):
        match = _TOKEN_RE.match(query, pos)
        if not match or match.end() == pos:
            raise QuerySyntaxError(f"cannot read the query at {query[pos:pos + 20]!r}")
        pos = match.end()
        if match.group("lp"):
            out.append(("(", "("))
        elif match.group("rp"):
            out.append((")", ")"))
        elif match.group("op"):
            out.append(("op", match.group("op")))
        else:
            out.append(("term", _term(match, ordered)))
        while pos < len(query) and query[pos].isspace():
            pos += 1
    return out


def _term(match: re.Match[str], ordered: bool = True) -> Term:
    name = (match.group("field") or "all").lower()
    if match.group("range") is not None:
        bounds = re.split(r"\s+TO\s+", match.group("range").strip())
        if len(bounds) != 2:
            raise QuerySyntaxError(f"bad date range [{match.group('range')}]")
        return Term(field=name, date_range=(bounds[0].strip(), bounds[1].strip()))
    raw = match.group("phrase") if match.group("phrase") is not None else match.group("word")
    prefix = raw.endswith("*")
    return Term(field=name, tokens=tokenize(raw.rstrip("*")), prefix=prefix, raw=raw,
                ordered=ordered)


def _parse_or(tokens: list) -> tuple[Node | Term, list]:
    left, rest = _parse_and(tokens)
    while rest and rest[0] == ("op", "OR"):
        right, rest = _parse_and(rest[1:])
        left = _join("OR", left, right)
    return left, rest


def _parse_and(tokens: list) -> tuple[Node | Term, list]:
    left, rest = _parse_atom(tokens)
    while rest and (rest[0][0] in ("term", "(") or rest[0] in (("op", "AND"), ("op", "ANDNOT"))):
        op = "AND"
        if rest[0][0] == "op":
            op = str(rest[0][1])
            rest = rest[1:]
        right, rest = _parse_atom(rest)
        left = _join(op, left, right)
    return left, rest


def _parse_atom(tokens: list) -> tuple[Node | Term, list]:
    if not tokens:
        raise QuerySyntaxError("the query ends too early")
    kind, value = tokens[0]
    if kind == "term":
        return value, tokens[1:]  # type: ignore[return-value]
    if kind == "(":
        inner, rest = _parse_or(tokens[1:])
        if not rest or rest[0][0] != ")":
            raise QuerySyntaxError("unbalanced parentheses")
        return inner, rest[1:]
    raise QuerySyntaxError(f"unexpected {value!r}")


def inverse_document_frequency(docs: list[Document]) -> dict[str, float]:
    """idf per token over every text field of the corpus."""
    counts: dict[str, int] = {}
    for doc in docs:
        for token in {t for name in TEXT_FIELDS for t in doc.fields.get(name, [])}:
            counts[token] = counts.get(token, 0) + 1
    n = len(docs)
    return {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in counts.items()}
