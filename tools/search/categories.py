"""arXiv categories as a user types them: checked against arXiv's taxonomy before they reach a query.

A category is pasted into `search_query` as `cat:<category>`, so an unchecked value is query
injection (`--category 'cs.CV OR x'` widened every search). A category is an archive from arXiv's
taxonomy (current and legacy), optionally followed by `.SUBJECT` (`cs.CV`, `math.AG`,
`cond-mat.str-el`, `astro-ph.GA`); anything else is refused with the nearest archive suggested.
What passes contains only letters, `-` and one `.`, so it cannot carry query syntax.
"""

from __future__ import annotations

import difflib
import re

from tools.errors import BadUsage

ARCHIVES = frozenset({
    "astro-ph", "cond-mat", "cs", "econ", "eess", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th",
    "math", "math-ph", "nlin", "nucl-ex", "nucl-th", "physics", "q-bio", "q-fin", "quant-ph", "stat",
    # retired archives, still the categories of older papers
    "acc-phys", "adap-org", "alg-geom", "ao-sci", "atom-ph", "bayes-an", "chao-dyn", "chem-ph",
    "cmp-lg", "comp-gas", "dg-ga", "funct-an", "mtrl-th", "patt-sol", "plasm-ph", "q-alg", "solv-int",
    "supr-con",
})
"""arXiv's archives (https://arxiv.org/category_taxonomy), current and retired."""
_SHAPE = re.compile(r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.(?P<subject>[A-Za-z]{2,}(?:-[A-Za-z]+)?))?")


class BadCategory(BadUsage):
    """Not an arXiv category; the message says what one looks like."""


def check_category(value: str) -> str:
    """The category, stripped, or `BadCategory` saying why it is not one."""
    category = value.strip()
    match = _SHAPE.fullmatch(category)
    if match and match.group("archive") in ARCHIVES:
        return category
    archive = match.group("archive") if match else re.split(r"[.\s]", category, maxsplit=1)[0]
    near = difflib.get_close_matches(archive.lower(), sorted(ARCHIVES), n=1)
    hint = f"; did you mean {near[0]}?" if near and match else ""
    raise BadCategory(f"not an arXiv category: {value!r} (archive.SUBJECT, e.g. cs.CV, math.AG, "
                      f"cond-mat.str-el{hint})")


def check_categories(values: list[str] | None) -> list[str]:
    """Every category checked (`check_category`), in order."""
    return [check_category(v) for v in values or []]
