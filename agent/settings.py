"""One settings tree for every part of autoresearch.

Precedence, lowest first: defaults < the TOML config file < environment variables
(`AUTORESEARCH_…`, nested with `__`, e.g. `AUTORESEARCH_ARXIV__MIN_INTERVAL_S=0`) < command-line
flags. This is the only module that reads the environment; everything else receives a `Settings`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from agent.settings_check import SettingsError, check_keys, explain, read_config_file, require_config_file
from memory.settings import MemorySettings
from tools.settings import ArxivSettings, FigureSettings, Group, OpenAlexSettings, PdfSettings, ZoteroSettings

APP_NAME = "autoresearch"
CONFIG_ENV = "AUTORESEARCH_CONFIG"

GatePolicy = Literal["ask", "auto"]

__all__ = ["ArxivSettings", "FigureSettings", "Group", "MemorySettings", "OpenAlexSettings", "PdfSettings",
           "SettingsError", "ZoteroSettings", "require_config_file"]
"""Groups defined beside the layer they configure, assembled into the tree here."""


class LLMSettings(Group):
    """Chat models per role; empty means none, and that role uses the extractive path.

    A model string is `provider:model`: `openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`,
    `ollama:qwen3:8b`, `llamacpp:/path/model.gguf`, `llamacpp:smollm2` (the packaged
    SmolLM2-135M-Instruct). Nothing falls back to a hosted provider on its own.
    """

    planner: str = ""
    """Model that turns a topic into search queries (`llm.planner`)."""
    writer: str = ""
    """Model that writes review sections from retrieved passages (`llm.writer`)."""
    summarizer: str = ""
    """Model that writes structured per-paper summaries (`llm.summarizer`)."""
    chat: str = ""
    """Model that answers questions about the library (`ask`, the TUI, Slack)."""
    translator: str = ""
    """Model that translates titles and abstracts (`--translate`)."""
    base_url: str = ""
    """OpenAI-compatible base URL for `openai:` models served elsewhere (vLLM, LM Studio, a
    llama.cpp server); with it, an API key is optional."""
    openai_api_key: SecretStr | None = None
    """Key for `openai:` models (env `AUTORESEARCH_LLM__OPENAI_API_KEY`)."""
    anthropic_api_key: SecretStr | None = None
    """Key for `anthropic:` models (env `AUTORESEARCH_LLM__ANTHROPIC_API_KEY`)."""
    timeout_s: float = Field(default=120.0, gt=0)
    """Per-request timeout for hosted providers."""
    max_retries: int = Field(default=3, ge=0)
    """Retries after a rate limit, timeout or server error (the provider SDK's own retries are
    off, so this is the whole budget)."""
    backoff_base_s: float = Field(default=2.0, ge=0)
    """First retry delay; doubles each retry, with jitter (a server's Retry-After wins)."""
    backoff_max_s: float = Field(default=60.0, ge=0)
    """Cap on one retry delay."""
    temperature: float | None = 0.2
    """Sampling temperature; never sent to models that reject it (o1/o3/gpt-5 style)."""
    context_window: int = Field(default=8192, ge=256)
    """Token budget for one prompt; retrieved text is truncated to fit."""
    max_output_tokens: int = Field(default=1024, ge=1)
    """Tokens reserved for (and the cap on) one reply."""
    threads: int = Field(default=0, ge=0)
    """CPU threads for `llamacpp:` models; 0 = llama.cpp's default."""
    prices: dict[str, tuple[float, float]] = Field(default_factory=dict)
    """USD per million tokens (input, output) by model string, e.g.
    `{"openai:gpt-4o-mini": [0.15, 0.6]}`; local models cost 0."""
    prompts: dict[str, str] = Field(default_factory=dict)
    """Prompt overrides, `"<name>.system"` or `"<name>.user"` → template; each must use exactly
    the built-in template's `{placeholders}` (see `autoresearch llm prompts`)."""


class ReviewSettings(Group):
    """The review agent's limits and gate policies."""

    max_papers: int = Field(default=20, ge=1)
    """Most papers a review proposes at the papers gate (`review --max`)."""
    approve_papers: GatePolicy = "ask"
    """`ask`: pause for a person to approve the papers; `auto`: approve them (headless runs)."""
    approve_outline: GatePolicy = "ask"
    """Pause for a person at the outline gate (`ask`) or pass it (`auto`)."""
    approve_draft: GatePolicy = "ask"
    """Pause for a person at the draft gate (`ask`) or pass it (`auto`)."""
    max_revisions: int = Field(default=2, ge=0)
    """How many times the draft gate may send the draft back with feedback."""
    concurrency: int = Field(default=4, ge=1)
    """Papers downloaded and parsed at once."""
    max_themes: int = Field(default=6, ge=1)
    """Most taxonomy sections the outline may have."""
    halt_at: str = ""
    """Crash-test hook, never set in normal use: `STAGE:N` (e.g. `ingest:2`) makes the stage block
    forever once its progress reaches N, so a test can kill the process at a known point."""


class SearchSettings(Group):
    """The review's search stage: its strategy, request budget and coverage loop."""

    strategy: Literal["broad", "expand", "coverage"] = "broad"
    """How the review searches (as `autoresearch search --strategy`): `broad` asks the topic's words,
    its phrasings and the field's vocabulary (4 requests); `expand` adds other names and sub-topics,
    `coverage` the thin themes too, both up to `max_requests`. Queries a planner model proposed are
    always asked (a `broad` review then expands)."""
    max_requests: int = Field(default=10, ge=1)
    """arXiv API requests one review's search may spend."""
    min_new_fraction: float = Field(default=0.1, ge=0, le=1)
    """Stop the coverage loop when a round adds less than this fraction of new relevant papers."""
    snowball_max_requests: int = Field(default=5, ge=0)
    """arXiv API requests one review's snowballing (the approved papers' references) may spend."""
    snowball_max_papers: int = Field(default=5, ge=0)
    """Most cited works proposed at the second papers gate (after the approved papers are read);
    0 turns snowballing off. On an `auto` papers gate, all of them are added."""


class CheckpointSettings(Group):
    """Where LangGraph checkpoints and the run registry (paused and finished runs) live."""

    backend: Literal["sqlite", "postgres"] = "sqlite"
    """`sqlite`: files in the data dir (one machine); `postgres`: one database every machine
    shares, so a run started on one is listed, approved and resumed from another."""
    postgres_dsn: SecretStr | None = None
    """libpq DSN or URL for `postgres` (`postgresql://user:pw@host:5432/db`); a secret: never
    printed (env `AUTORESEARCH_CHECKPOINT__POSTGRES_DSN`)."""
    pool_size: int = Field(default=4, ge=1)
    """Most Postgres connections one process keeps for checkpoints (the run registry keeps up to
    as many again, plus one per run it is driving)."""


class SlackSettings(Group):
    """The Slack bot (`autoresearch slack`) and digest posting."""

    bot_token: SecretStr | None = None
    """Bot token (`xoxb-…`, env `AUTORESEARCH_SLACK__BOT_TOKEN`): every Web API call."""
    app_token: SecretStr | None = None
    """App-level token (`xapp-…`): Socket Mode when set, else the HTTP receiver."""
    signing_secret: SecretStr | None = None
    """The app's signing secret (env `AUTORESEARCH_SLACK__SIGNING_SECRET`): the HTTP receiver
    refuses any request not signed with it (Socket Mode does not need it)."""
    approvers: list[str] = Field(default_factory=list)
    """Slack user ids allowed to approve gates (env `AUTORESEARCH_SLACK__APPROVERS='["U123"]'`);
    empty = nobody."""
    api_url: str = "https://slack.com/api/"
    """Slack Web API base URL (a test server in tests)."""
    progress_interval_s: float = Field(default=2.0, ge=0)
    """Least time between two edits of a run's progress message (Slack rate-limits chat.update)."""
    workers: int = Field(default=4, ge=1)
    """Reviews, answers and digests the bot works on at once; more wait their turn."""


class DigestSettings(Group):
    """Keyword watchlists and the daily digest."""

    max_per_keyword: int = Field(default=100, ge=1)
    """Newest papers kept per keyword (DailyArXiv keeps 100)."""
    keywords: list[str] = Field(default_factory=list)
    """Keywords watched by everyone using this config, besides those added with `watch add`."""
    cache_ttl_s: float = Field(default=3600.0, ge=0)
    """How long a keyword's arXiv answer is reused. Shorter than the search cache: a digest exists
    to see what is new, and arXiv announces new papers once a day."""


class TuiSettings(Group):
    """The terminal app (`autoresearch tui`)."""

    theme: str = "textual-dark"
    """Colour theme at start: `textual-dark`, `textual-light`, or any Textual theme name
    (ctrl+t switches between dark and light while it runs)."""
    review_papers: int = Field(default=10, ge=1)
    """Papers a review started from the chat proposes at the papers gate (`/review … --max N`)."""
    search_results: int = Field(default=10, ge=1)
    """Results `/search` shows."""
    agent_steps: int = Field(default=6, ge=1)
    """Most tool calls the chat model may make for one message (with `llm.chat` set)."""


class Settings(BaseSettings):
    """Every setting autoresearch has, in one tree."""

    model_config = SettingsConfigDict(
        env_prefix="AUTORESEARCH_",
        env_nested_delimiter="__",
        extra="ignore",
        use_attribute_docstrings=True,
    )

    home: Path | None = None
    """The data dir (caches, library, runs); defaults to the platform's user data dir."""
    chroma_url: str = ""
    """Shortcut for `memory.chroma_url` (env `AUTORESEARCH_CHROMA_URL`)."""
    arxiv: ArxivSettings = Field(default_factory=ArxivSettings)
    openalex: OpenAlexSettings = Field(default_factory=OpenAlexSettings)
    pdf: PdfSettings = Field(default_factory=PdfSettings)
    memory: MemorySettings = Field(default_factory=MemorySettings)
    figures: FigureSettings = Field(default_factory=FigureSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    checkpoint: CheckpointSettings = Field(default_factory=CheckpointSettings)
    slack: SlackSettings = Field(default_factory=SlackSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    tui: TuiSettings = Field(default_factory=TuiSettings)
    zotero: ZoteroSettings = Field(default_factory=ZoteroSettings)

    @model_validator(mode="after")
    def _resolve(self) -> Settings:
        """Fill the data dir and fold the top-level Chroma shortcut into the memory group."""
        if self.home is None:
            self.home = platformdirs.user_data_path(APP_NAME)
        self.home = self.home.expanduser()
        if self.chroma_url and not self.memory.chroma_url:
            self.memory.chroma_url = self.chroma_url
        return self

    @property
    def data_dir(self) -> Path:
        """The data dir, created on first use."""
        assert self.home is not None
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home

    @property
    def pdf_cache(self) -> Path:
        """The content-addressed PDF download cache (`<sha256>.pdf`; see tools/download.py)."""
        return self.data_dir / "cache" / "pdf"

    def path(self, *parts: str) -> Path:
        """A path under the data dir whose parent folder exists."""
        target = self.data_dir.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def masked(self) -> dict[str, Any]:
        """The effective settings as plain JSON, secrets masked."""
        return self.model_dump(mode="json")


def default_config_file() -> Path:
    """The TOML config file: `$AUTORESEARCH_CONFIG`, else `~/.config/autoresearch/config.toml`."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings: defaults < TOML file < environment < `overrides` (command-line flags).

    `overrides` may be nested dicts (`arxiv={"api_url": …}`); pydantic-settings merges every layer
    group by group, so one flag never resets its siblings. `None` means "flag not given".
    Anything wrong is a `SettingsError` that names the setting, the refused value and where it came
    from (`agent/settings_check.py`); a missing config file means none (the CLI insists that a
    file named by `--config` exists).
    """
    toml_path = config_file or default_config_file()
    config = read_config_file(toml_path)
    check_keys(config, Settings, toml_path)
    flags = _drop_none(overrides)

    class _Layered(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_path)
            return (init_settings, env_settings, toml)

    try:
        return _Layered(**flags)
    except ValidationError as error:
        model = Settings.model_config
        raise explain(error, toml_path, config, model.get("env_prefix", ""),
                      model.get("env_nested_delimiter") or "__", flags) from None


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    """Drop flags that were not given (`None`), recursing into groups."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            value = _drop_none(value)
        if value is not None and value != {}:
            out[key] = value
    return out
