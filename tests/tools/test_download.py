"""The PDF downloader against the arXiv mirror on 127.0.0.1, serving PDFs the tests build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from agent import services
from agent.settings import Settings, load_settings
from evals.mirror import Fault, MirrorServer, PdfFolder
from evals.sample_pdfs import paper
from tools.download import DownloadError, NotAPdf, PdfNotFound, PdfTooLarge, PdfTruncated
from tools.http import FetchError


@pytest.fixture
def served(mirror: MirrorServer, tmp_path: Path) -> dict[str, bytes]:
    """Two PDFs on the mirror: 2004.00222 (v3) and 2501.09733 (v1)."""
    folder = tmp_path / "served"
    folder.mkdir()
    out = {}
    for arxiv_id in ("2004.00222v3", "2501.09733v1"):
        path = paper(folder / f"{arxiv_id}.pdf", stamp=f"arXiv:{arxiv_id}  [cs.CV]  1 Jan 2024")
        out[arxiv_id] = path.read_bytes()
    mirror.pdfs = PdfFolder(folder)
    return out


def pdf_hits(mirror: MirrorServer) -> list:
    return [h for h in mirror.hits if h.path.startswith("/pdf/")]


def test_fetch_caches_by_content(mirror: MirrorServer, mirror_settings: Settings, served) -> None:
    downloader = services.downloader(mirror_settings)
    path = downloader.fetch_arxiv("2004.00222", "v3")
    assert path.read_bytes() == served["2004.00222v3"]
    assert path == mirror_settings.data_dir / "cache" / "pdf" / f"{hashlib.sha256(path.read_bytes()).hexdigest()}.pdf"
    again = services.downloader(mirror_settings).fetch_arxiv("2004.00222", "v3")  # a new process, same cache
    assert again == path and len(pdf_hits(mirror)) == 1 and downloader.downloads == 1
    latest = downloader.fetch_arxiv("2004.00222")  # the unversioned URL is another request…
    assert latest == path and len(pdf_hits(mirror)) == 2  # …for the same bytes, stored once
    assert len(list((mirror_settings.data_dir / "cache" / "pdf").glob("*.pdf"))) == 1


def test_unversioned_ids_are_rechecked_after_the_ttl(mirror: MirrorServer, monkeypatch, served) -> None:
    monkeypatch.setenv("AUTORESEARCH_ARXIV__PDF_URL", mirror.pdf_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MIN_INTERVAL_S", "0")
    monkeypatch.setenv("AUTORESEARCH_ARXIV__CACHE_TTL_S", "0")
    downloader = services.downloader(load_settings())
    downloader.fetch_arxiv("2501.09733")
    downloader.fetch_arxiv("2501.09733")
    downloader.fetch_arxiv("2501.09733", "v1")
    downloader.fetch_arxiv("2501.09733", "v1")
    assert [h.path for h in pdf_hits(mirror)] == ["/pdf/2501.09733", "/pdf/2501.09733", "/pdf/2501.09733v1"]


def test_html_instead_of_pdf_is_a_clear_error(mirror: MirrorServer, mirror_settings: Settings, served) -> None:
    mirror.overrides["/pdf/2004.00222v3"] = (200, "text/html; charset=utf-8",
                                              b"<!DOCTYPE html><html><body>Are you a robot?</body></html>")
    with pytest.raises(NotAPdf, match="expected a PDF from .* but got an HTML page"):
        services.downloader(mirror_settings).fetch_arxiv("2004.00222", "v3")
    assert not list((mirror_settings.data_dir / "cache" / "pdf").glob("*.pdf"))  # nothing cached


def test_missing_truncated_and_oversized(mirror: MirrorServer, mirror_settings: Settings, served) -> None:
    downloader = services.downloader(mirror_settings)
    with pytest.raises(PdfNotFound, match=r"no PDF at .*/pdf/2401\.99999 \(HTTP 404\)"):
        downloader.fetch_arxiv("2401.99999")
    whole = served["2004.00222v3"]
    mirror.overrides["/pdf/2004.00222v3"] = (200, "application/pdf", whole[: len(whole) // 2])
    with pytest.raises(PdfTruncated, match="no end marker"):
        downloader.fetch_arxiv("2004.00222", "v3")
    small = services.downloader(load_settings(pdf={"max_bytes": 1000}))
    with pytest.raises(PdfTooLarge, match=r"is [\d,]+ bytes, over the 1,000 bytes cap \(pdf.max_bytes\)"):
        small.fetch_arxiv("2501.09733", "v1")
    with pytest.raises(DownloadError, match="not an http"):
        downloader.fetch_url("file:///etc/passwd")
    cache = mirror_settings.data_dir / "cache" / "pdf"
    assert not [p for p in cache.iterdir() if p.is_file()]  # no partial or bad files left behind


def test_retries_with_backoff_then_gives_up(mirror: MirrorServer, mirror_settings: Settings, served) -> None:
    mirror.faults.extend([Fault(503, path_prefix="/pdf/"), Fault(429, retry_after="0", path_prefix="/pdf/")])
    path = services.downloader(mirror_settings).fetch_arxiv("2501.09733", "v1")
    assert path.exists() and [h.status for h in pdf_hits(mirror)] == [503, 429, 200]
    mirror.always = Fault(503, path_prefix="/pdf/")
    with pytest.raises(FetchError, match="arXiv|unavailable: 503 on 4 tries"):
        services.downloader(mirror_settings).fetch_arxiv("2004.00222", "v3")


def test_same_politeness_slot_as_the_api(mirror: MirrorServer, monkeypatch, served) -> None:
    monkeypatch.setenv("AUTORESEARCH_ARXIV__PDF_URL", mirror.pdf_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__API_URL", mirror.api_url)
    monkeypatch.setenv("AUTORESEARCH_ARXIV__MIN_INTERVAL_S", "0.4")
    settings = load_settings()
    limiter = services.limiter(settings)
    services.arxiv_client(settings, limiter).fetch(["2004.00222"])
    downloader = services.downloader(settings, limiter)
    downloader.fetch_arxiv("2004.00222", "v3")
    downloader.fetch_arxiv("2501.09733", "v1")
    arrivals = [h.at for h in mirror.hits]
    assert len(arrivals) == 3  # mirror and PDFs share a host here, so they share its slot
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.4
