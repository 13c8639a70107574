r"""BibTeX and BibLaTeX files, read with bibtexparser (v2): LaTeX accents decoded, names split.

Real files are messy: tab-aligned fields, `{L\'eon}` braces, `$\{$USENIX$\}$`, `others` in author
lists, an arXiv id hidden in `journal = {arXiv preprint arXiv:1607.06450}` or in `eprint`, a
BibLaTeX `date` instead of `year`. Blocks the parser cannot read are reported, never guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

from tools.collections.entry import CollectionError, Entry, find_arxiv_id, find_doi, first_last, year_of


def read_bibtex(path: Path) -> list[Entry]:
    """Every entry of a .bib file (comments, @string and @preamble blocks are not entries)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise CollectionError(f"cannot read {path}: {error.strerror or error}") from None
    library = parse_string(text, append_middleware=[LatexDecodingMiddleware(),
                                                                  SeparateCoAuthors()])
    if not library.entries and library.failed_blocks:
        raise CollectionError(f"{path} is not BibTeX: none of its {len(library.failed_blocks)} blocks "
                              "could be read")
    return [_entry(e.key, e.entry_type, {k.lower(): v for k, v in e.fields_dict.items()}, path.name)
            for e in library.entries]


def _entry(key: str, kind: str, fields: dict, origin: str) -> Entry:
    def get(*names: str) -> str:
        for name in names:
            if name in fields:
                value = fields[name].value
                return " ".join(value) if isinstance(value, list) else _clean(str(value))
        return ""

    authors = fields["author"].value if "author" in fields else []
    authors = authors if isinstance(authors, list) else [authors]
    eprint = get("eprint") if get("archiveprefix", "eprinttype").lower() in ("arxiv", "") else ""
    return Entry(
        key=key, type=kind.lower(), title=get("title"),
        authors=[first_last(_clean(a)) for a in authors if _clean(a).lower() not in ("others", "et al.")],
        year=year_of(get("year", "date")), doi=find_doi(get("doi"), get("url")),
        arxiv_id=find_arxiv_id(f"arXiv:{eprint}" if eprint else "", get("journal", "journaltitle"),
                               get("url"), get("note"), get("howpublished"), get("doi")),
        url=get("url"), venue=get("journal", "journaltitle", "booktitle"), volume=get("volume"),
        pages=get("pages"), abstract=get("abstract"), origin=origin)


def _clean(text: str) -> str:
    """Drop leftover braces, `~` ties and runs of white space."""
    text = re.sub(r"(?<!\\)~", " ", text).replace("\\&", "&")
    text = re.sub(r"[$\\]", "", text)
    return re.sub(r"\s+", " ", re.sub(r"[{}]", "", text)).strip()
