"""A person's own collection as a starting point: BibTeX/BibLaTeX, RIS, CSL-JSON and Zotero.

Each reader turns its format into `Entry`s (`entry`); `load` picks the reader for a file; `match`
finds each entry on OpenAlex or arXiv with a score and keeps the rest as metadata-only papers.
"""
