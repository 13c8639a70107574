"""Where works come from besides the arXiv search: one interface (`WorkSource`), one module per source.

`base` defines the source-neutral `Work` and the `WorkSource` protocol; `openalex` is the citation
graph (works, citation counts, who cites whom); `arxiv_works` puts the arXiv client behind the
same protocol; `match` scores a reference against a work and refuses weak matches; `resolve`
turns parsed references and collection entries into works, within a request budget.
"""
