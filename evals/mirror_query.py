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


@dataclass
class Term:
    """A leaf: one field with a word, a phrase, a prefix or a date range."""

    field: str
    tokens: list[str] = field(default_factory=list)
    prefix: bool = False
    raw: str = ""
    date_range: tuple[str, str] | None = None

    def matches(self, doc: Document) -> bool:
        if self.field == "submitteddate" and self.date_range:
            low, high = self.date_range
            return low <= doc.submitted[: len(low)] and doc.submitted[: len(high)] <= high
        if self.field == "cat":
            pattern = self.raw.lower()
            if pattern.endswith("*"):
                return any(c.lower().startswith(pattern[:-1]) for c in doc.categories)
            return any(c.lower() == pattern for c in doc.categories)
        if self.field == "id":
            return self.raw.lower() in doc.ids
        return any(self._in(doc.fields.get(f, [])) for f in self._fields())

    def _fields(self) -> tuple[str, ...]:
        return TEXT_FIELDS if self.field == "all" else (self.field,)

    def _in(self, tokens: list[str]) -> bool:
        return self.count(tokens) > 0

    def count(self, tokens: list[str]) -> int:
        """Occurrences of this term (word, prefix or phrase) in a token list."""
        if not self.tokens:
            return 0
        if len(self.tokens) == 1:
            word = self.tokens[0]
            if self.prefix:
                return sum(1 for t in tokens if t.startswith(word))
            return tokens.count(word)
        n = len(self.tokens)
        return sum(1 for i in range(len(tokens) - n + 1) if tokens[i:i + n] == self.tokens)

    def score(self, doc: Document, idf: dict[str, float]) -> float:
        """A BM25-flavoured score: saturating term frequency, weighted by field and rarity."""
        if self.field in ("cat", "id", "submitteddate"):
            return 0.0
        rarity = sum(idf.get(t, 1.0) for t in self.tokens) / max(1, len(self.tokens))
        total = 0.0
        for name in self._fields():
            tokens = doc.fields.get(name, [])
            tf = self.count(tokens)
            if tf:
                total += FIELD_WEIGHT[name] * rarity * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len(tokens) / 120))
        return total * (1.5 if len(self.tokens) > 1 else 1.0)


@dataclass
class Node:
    """An operator over two sub-queries."""

    op: str
    left: Node | Term
    right: Node | Term

    def matches(self, doc: Document) -> bool:
        if self.op == "OR":
            return self.left.matches(doc) or self.right.matches(doc)
        if self.op == "AND":
            return self.left.matches(doc) and self.right.matches(doc)
        return self.left.matches(doc) and not self.right.matches(doc)

    def score(self, doc: Document, idf: dict[str, float]) -> float:
        left = self.left.score(doc, idf) if self.left.matches(doc) else 0.0
        if self.op == "ANDNOT":
            return left
        right = self.right.score(doc, idf) if self.right.matches(doc) else 0.0
        return left + right


def parse(query: str) -> Node | Term:
    """Parse a `search_query` into a tree; raises `QuerySyntaxError`."""
    tokens = _lex(query)
    if not tokens:
        raise QuerySyntaxError("empty query")
    tree, rest = _parse_or(tokens)
    if rest:
        raise QuerySyntaxError(f"unexpected {rest[0][1]!r}")
    return tree


def _lex(query: str) -> list[tuple[str, object]]:
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
            out.append(("term", _term(match)))
        while pos < len(query) and query[pos].isspace():
            pos += 1
    return out


def _term(match: re.Match[str]) -> Term:
    name = (match.group("field") or "all").lower()
    if match.group("range") is not None:
        bounds = re.split(r"\s+TO\s+", match.group("range").strip())
        if len(bounds) != 2:
            raise QuerySyntaxError(f"bad date range [{match.group('range')}]")
        return Term(field=name, date_range=(bounds[0].strip(), bounds[1].strip()))
    raw = match.group("phrase") if match.group("phrase") is not None else match.group("word")
    prefix = raw.endswith("*")
    return Term(field=name, tokens=tokenize(raw.rstrip("*")), prefix=prefix, raw=raw)


def _parse_or(tokens: list) -> tuple[Node | Term, list]:
    left, rest = _parse_and(tokens)
    while rest and rest[0] == ("op", "OR"):
        right, rest = _parse_and(rest[1:])
        left = Node("OR", left, right)
    return left, rest


def _parse_and(tokens: list) -> tuple[Node | Term, list]:
    left, rest = _parse_atom(tokens)
    while rest and (rest[0][0] in ("term", "(") or rest[0] in (("op", "AND"), ("op", "ANDNOT"))):
        op = "AND"
        if rest[0][0] == "op":
            op = str(rest[0][1])
            rest = rest[1:]
        right, rest = _parse_atom(rest)
        left = Node(op, left, right)
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
