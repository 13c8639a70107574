"""The corpus `bench_pipeline` reviews: document layout analysis and table structure recognition.

A mirror corpus of the 108 seed records (other topics: what a real search must rank past) plus
on-topic records whose PDFs are real papers from `../shared/data/pdfs` (LayoutParser and
TableFormer under their own records; the other real PDFs stand in for synthetic on-topic records,
since what the benchmark measures is the work of reading real PDFs) and long PyMuPDF-generated
ones (`evals.long_pdf`). Three records are works the real PDFs cite — two by arXiv id
(Longformer, TAPEX), one by title only (TaPas) — so snowballing finds something and the second
ingest runs. Synthetic records have ids in 2401.90xxx; nothing here is presented as a real paper's
metadata except the records of real papers.
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.long_pdf import long_paper
from evals.mirror import SEED_CORPUS, Corpus, MirrorServer, PdfFolder

SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdfs"
TOPIC = "document layout analysis and table structure recognition"

REAL = [  # (arXiv id, version, title, abstract) of real papers whose real PDFs are served
    ("2103.15348", "v2", "LayoutParser: A Unified Toolkit for Deep Learning Based Document Image Analysis",
     "Recent advances in document image analysis (DIA) have been primarily driven by the application of "
     "neural networks. We introduce LayoutParser, an open-source library for streamlining the usage of DL "
     "in DIA research and applications, with layout detection, character recognition and document "
     "processing: document layout analysis and table structure recognition in one toolkit.",
     "arxiv_2103.15348v2_excerpt_empty_pages.pdf"),
    ("2203.00274", "v2", "TableFormer: Robust Transformer Modeling for Table-Text Encoding",
     "Understanding tables is an important aspect of natural language understanding. TableFormer is a "
     "structurally aware table-text encoding architecture, where tabular structural biases are "
     "incorporated through learnable attention biases, for table structure recognition and document "
     "layout analysis of tables in text.",
     "arxiv_2203.00274v2.pdf"),
]
STAND_INS = ["arxiv_2501.12948v1.pdf", "arxiv_2302.07302v1.pdf", "arxiv_1804.07821v1.pdf",
             "paperqa_pasa.pdf", "arxiv_1111.2011v2.pdf"]
"""Real PDFs served for synthetic on-topic records (their own records are not in the corpus)."""
SYNTHETIC = [
    "Document layout analysis with a transformer detector on scanned pages",
    "Table structure recognition as image-to-sequence generation",
    "A dataset for document layout analysis across report, patent and manual pages",
    "Graph-based table structure recognition for spanning cells",
    "Self-supervised pre-training for document layout analysis",
    "End-to-end table detection and table structure recognition in PDF documents",
    "Layout analysis of historical documents with weak supervision",
    "Recognising table structure from PDF drawings without ruling lines",
]
CITED = [  # works the real PDFs cite: found by id (Longformer, TAPEX) or by title (TaPas)
    ("2004.05150", "v2", "Longformer: The Long-Document Transformer",
     "Transformer-based models are unable to process long sequences due to their self-attention "
     "operation. Longformer's attention mechanism scales linearly with sequence length."),
    ("2107.07653", "v3", "TAPEX: Table Pre-training via Learning a Neural SQL Executor",
     "TAPEX pre-trains a language model on tables by learning a neural SQL executor over a synthetic "
     "corpus, improving table question answering and table fact verification."),
    ("2004.02349", "v2", "TaPas: Weakly Supervised Table Parsing via Pre-training",
     "TaPas answers questions over tables without generating logical forms, trained from weak "
     "supervision and pre-trained on text and tables crawled from Wikipedia."),
]


def _record(arxiv_id: str, version: str, title: str, abstract: str, published: str) -> dict:
    return {"arxiv_id": arxiv_id, "version": version, "title": title, "abstract": abstract,
            "authors": ["A. Author", "B. Author"], "published": published, "categories": ["cs.CV"]}


def build(folder: Path) -> tuple[list[dict], dict[str, str]]:
    """Write the generated PDFs under `folder`; the corpus records and the id → PDF path map."""
    folder.mkdir(parents=True, exist_ok=True)
    records, pdfs = [], {}
    for arxiv_id, version, title, abstract, name in REAL:
        records.append(_record(arxiv_id, version, title, abstract, f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-15"))
        pdfs[arxiv_id] = str(SHARED_PDFS / name)
    for number, title in enumerate(SYNTHETIC):
        arxiv_id = f"2401.{90001 + number}"
        abstract = (f"We study {title.lower()}. Document layout analysis finds text blocks, titles, "
                    "figures and tables on a page; table structure recognition recovers their rows, "
                    "columns and cells. We report results on public benchmarks.")
        records.append(_record(arxiv_id, "v1", title, abstract, f"2024-01-{10 + number}"))
        if number < len(STAND_INS):
            pdfs[arxiv_id] = str(SHARED_PDFS / STAND_INS[number])
        else:
            pdfs[arxiv_id] = str(long_paper(folder / f"{arxiv_id}.pdf", 6 + number,
                                            stamp=f"arXiv:{arxiv_id}v1  [cs.CV]  10 Jan 2024", seed=number))
    for number, (arxiv_id, version, title, abstract) in enumerate(CITED):
        records.append(_record(arxiv_id, version, title, abstract, f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-10"))
        pdfs[arxiv_id] = str(long_paper(folder / f"{arxiv_id}.pdf", 10, stamp=f"arXiv:{arxiv_id}{version}",
                                        seed=100 + number))
    return records, pdfs


def mirror(folder: Path) -> MirrorServer:
    """A mirror (not started) serving the seed corpus, the bench records and their PDFs."""
    records, pdfs = build(folder)
    seed = [json.loads(line) for line in SEED_CORPUS.read_text().splitlines() if line.strip()]
    (folder / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [*seed, *records]))
    return MirrorServer(Corpus.from_records([*seed, *records]), PdfFolder(None, pdfs))


def records(folder: Path) -> list[dict]:
    """The records `mirror(folder)` serves (the seed corpus and the bench's), as written there."""
    return [json.loads(line) for line in (folder / "corpus.jsonl").read_text().splitlines() if line.strip()]
