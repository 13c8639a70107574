"""Settings of the capabilities layer: how arXiv is spoken to, how PDFs are read, how figures are described.

`agent/settings.py` assembles these groups into the one settings tree (`arxiv.*`, `openalex.*`,
`pdf.*`, `figures.*`, `zotero.*`); code in tools/ receives the group it needs and never the whole tree.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr


class Group(BaseModel):
    """A settings group; each field's docstring becomes its description (`config doc` prints them)."""

    model_config = ConfigDict(use_attribute_docstrings=True)


class ArxivSettings(Group):
    """How we talk to the arXiv API (or a mirror standing in for it)."""

    api_url: str = "https://export.arxiv.org/api/query"
    """Query endpoint; point it at a mirror or a test server."""
    pdf_url: str = "https://arxiv.org/pdf"
    """Base URL for PDFs: `{pdf_url}/{id}{version}`."""
    min_interval_s: float = Field(default=3.0, ge=0)
    """Minimum spacing between two requests to one host, across every process sharing the data dir."""
    timeout_s: float = Field(default=30.0, gt=0)
    """Per-request timeout (connect and read)."""
    max_tries: int = Field(default=4, ge=1)
    """Tries per request before giving up on 429, 5xx, timeouts and connection errors."""
    backoff_base_s: float = Field(default=5.0, ge=0)
    """First backoff delay; doubles each retry, with jitter."""
    backoff_max_s: float = Field(default=60.0, ge=0)
    """Cap on one backoff delay (a server's Retry-After is honoured up to the retry budget)."""
    retry_budget_s: float = Field(default=180.0, gt=0)
    """Give up once retrying one request would take longer than this."""
    down_hold_s: float = Field(default=600.0, ge=0)
    """After a request to a host fails for good (every retry spent), further requests to that host
    from the same process fail at once for this long: a command spends one retry cycle, not one per paper."""
    page_size: int = Field(default=100, ge=1, le=2000)
    """Results per API request (arXiv allows up to 2,000)."""
    cache_ttl_s: float = Field(default=86400.0, ge=0)
    """How long a query's answer is reused from the on-disk cache."""
    max_candidates: int = Field(default=200, ge=1)
    """Candidates fetched for a topic search before reranking by meaning."""
    user_agent: str = "autoresearch/0.1 (https://github.com/autoresearch/autoresearch)"
    """User-Agent sent to arXiv (its API terms ask clients to identify themselves)."""


class PdfSettings(Group):
    """Downloading and parsing PDFs."""

    dpi: int = Field(default=150, ge=36, le=1200)
    """Resolution of rendered figure PNGs."""
    max_bytes: int = Field(default=60_000_000, gt=0)
    """Refuse downloads larger than this."""
    connect_timeout_s: float = Field(default=10.0, gt=0)
    """Connect timeout for one PDF request."""
    download_timeout_s: float = Field(default=60.0, gt=0)
    """Read timeout: the longest silence while streaming one PDF."""
    download_deadline_s: float = Field(default=90.0, gt=0)
    """Total time one PDF may take, retries included (a server that drips bytes never trips the
    read timeout); past it the download is given up and the paper is read from its abstract."""
    time_budget_s: float = Field(default=120.0, gt=0)
    """Give up parsing one paper after this long (a clear outcome, never a hang)."""


class FigureSettings(Group):
    """Describing figures."""

    reader: Literal["auto", "cpu", "gpu"] = "auto"
    """`auto` uses the GPU reader when a model is configured, else the CPU reader."""
    model: str = ""
    """A vision-language model: a local directory or a hub name already in the local cache."""
    device: str = "auto"
    """`auto`, `cuda`, `cuda:1`, `mps` or `cpu`."""
    dtype: str = "auto"
    """`auto` (bf16 on CUDA, fp16 where bf16 is missing and on MPS, float32 on CPU), `bfloat16`,
    `float16` or `float32`."""
    batch_size: int = Field(default=8, ge=1)
    """Figures per model call; halved automatically when a batch runs out of memory."""
    max_new_tokens: int = Field(default=256, ge=1)
    """Longest answer the model may write for one figure."""
    hub_endpoint: str = ""
    """Hugging Face Hub URL for `autoresearch models pull` (empty: the hub, or HF_ENDPOINT)."""


class OpenAlexSettings(Group):
    """OpenAlex: the citation graph (who cites whom, citation counts) and works arXiv does not have.

    Free; a key (free too, from openalex.org) raises the daily allowance. Every request goes
    through the per-host limiter and the same retry rules as arXiv, answers are cached on disk,
    and a daily budget caps what one data dir spends (a search costs ten list requests, as
    OpenAlex prices them).
    """

    enabled: bool = True
    """Use OpenAlex at all; `false` keeps autoresearch on arXiv alone (one switch)."""
    api_url: str = "https://api.openalex.org"
    """API root; point it at a test server."""
    mailto: str = ""
    """Your e-mail address, sent as `mailto` so OpenAlex can reach you (its polite pool)."""
    api_key: SecretStr | None = None
    """Free key from openalex.org/settings/api (env `AUTORESEARCH_OPENALEX__API_KEY`); without
    one OpenAlex allows only a little use a day."""
    min_interval_s: float = 0.1
    """Least spacing between two requests, across processes (OpenAlex allows 10 a second)."""
    timeout_s: float = 30.0
    """Per-request timeout (connect and read)."""
    max_tries: int = 3
    """Tries per request on 429, 5xx, timeouts and connection errors."""
    backoff_base_s: float = 2.0
    """First backoff delay; doubles each retry, with jitter (a Retry-After wins)."""
    backoff_max_s: float = 30.0
    """Cap on one backoff delay."""
    retry_budget_s: float = 90.0
    """Give up once retrying one request would take longer than this."""
    down_hold_s: float = Field(default=600.0, ge=0)
    """After a request fails for good (every retry spent), further requests from the same process
    fail at once for this long: a review spends one retry cycle on an unreachable OpenAlex, not one
    per stage."""
    cache_ttl_s: float = 86400.0
    """How long an answer is reused from the on-disk cache (citation counts change daily)."""
    daily_budget: int = 2000
    """List requests this data dir may send a day (a title search counts 10); 0 = no cap."""
    snowball_max_requests: int = 40
    """OpenAlex requests one review's snowballing may spend (references and citing works)."""
    cited_by_per_paper: int = 10
    """Citing works fetched per approved paper for forward snowballing (newest and most cited);
    0 turns forward snowballing off."""
    min_match: float = 0.9
    """A reference or collection entry is taken as a work only when it matches this well (0–1);
    weaker matches are refused, never guessed."""


class ZoteroSettings(Group):
    """Reading a Zotero library as a review's starting point (`review --zotero`)."""

    sqlite_path: str = ""
    """The local `zotero.sqlite` (read-only, even while Zotero runs); empty: the platform's
    default `~/Zotero/zotero.sqlite`."""
    api_url: str = "https://api.zotero.org"
    """Zotero web API root; point it at a test server."""
    api_key: SecretStr | None = None
    """Zotero web API key (env `AUTORESEARCH_ZOTERO__API_KEY`), for `--zotero web`."""
    library_id: str = ""
    """The user or group library id for the web API."""
    library_type: Literal["user", "group"] = "user"
    """Whether `library_id` names a user library or a group library."""
