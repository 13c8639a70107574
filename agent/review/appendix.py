"""What verify does with what fails: cut unsupported citations, and list the rest for the reader.

A citation whose paper does not support its part of a sentence that other cited papers support
leaves the sentence (`agent.review.claims.drop_citations`); a sentence no cited paper supports
stays, and both are listed in an "Unverified statements" appendix at the end of the review, so a
reader sees what to check. The appendix is rebuilt on every verification (it is repeatable).
"""

from __future__ import annotations

from agent.review.claims import drop_citations
from agent.review.types import PairCheck, Statement
from agent.review.writers.markdown import escape

APPENDIX_TITLE = "Unverified Statements"


def drop_unsupported_pairs(body: str, checked: list[tuple[Statement, str]]) -> tuple[str, list[PairCheck]]:
    """Cut the citations whose paper does not support its part from sentences other papers support."""
    failed: list[PairCheck] = []
    for statement, source in checked:
        bad = [p for p in statement.pairs if not p.supported]
        if not bad:
            continue
        partly = len(bad) < len(statement.pairs)
        rewritten = drop_citations(source, {p.key for p in bad}) if partly and source in body else ""
        if rewritten:
            body = body.replace(source, rewritten, 1)
        for pair in bad:
            failed.append(PairCheck(section=statement.section, text=statement.text, key=pair.key,
                                    support=pair.support, reason=pair.reason,
                                    action="citation removed" if rewritten else "kept"))
    return body, failed


def appendix(unsupported: list[Statement], threshold: float, removed: list[PairCheck] | None = None) -> str:
    """The "Unverified statements" appendix: each flagged sentence, what it cites, and why; then
    the citations removed from sentences that other cited papers support."""
    lines = [f"# {APPENDIX_TITLE}", ""]
    if unsupported:
        lines += ["These cited statements could not be matched to the stored text of the papers they "
                  f"cite (support below {threshold:.2f}); check them before relying on them.", ""]
    for n, s in enumerate(unsupported, 1):
        cited = ", ".join(f"`{k}`" for k in s.keys)
        lines.append(f"{n}. “{escape(s.text)}” (section “{escape(s.section)}”; cites {cited}; "
                     f"support {s.support:.2f}; {escape(s.reason)})")
    cut = [p for p in removed or [] if p.action == "citation removed"]
    if cut:
        lines += [""] * bool(unsupported) + ["These citations were removed from statements the other "
                  "cited papers support, because the paper did not support its part:", ""]
        lines += [f"{n}. `{p.key}` from “{escape(p.text)}” (support {p.support:.2f}; {escape(p.reason)})"
                  for n, p in enumerate(cut, 1)]
    return "\n".join(lines) + "\n"


def strip_appendix(markdown: str) -> str:
    """The draft without a previous verification's appendix (verification is repeatable)."""
    head, _, _ = markdown.partition(f"\n# {APPENDIX_TITLE}\n")
    return head.rstrip("\n") + "\n"
