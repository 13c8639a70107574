"""The only place chat models are built: one per role, or none.

Each role (planner, writer, summarizer, chat, translator) names its model in settings as
`provider:model`; empty (or `none`) means no model, and that role takes its extractive path.
Providers: `llamacpp:` (a local GGUF file through llama.cpp, `llamacpp:smollm2` for the packaged
SmolLM2-135M-Instruct), `openai:` (also any OpenAI-compatible server through `llm.base_url`),
`anthropic:`, `ollama:`, and any other provider LangChain's `init_chat_model` knows.

Nothing is chosen on the user's behalf: no role falls back to a hosted provider, keys come only
from settings (a missing one is an error naming the setting), and provider SDKs are imported only
when a model of theirs is requested. Every model comes wrapped in `GuardedChatModel` (retries,
temperature, think blocks, no tools) and carries its role and model string for accounting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from agent.llm.errors import LLMConfigError, LLMUnavailable, rejects_temperature
from agent.settings import LLMSettings, Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.llm.guard import GuardedChatModel
    from agent.llm.usage import UsageRecorder

ROLES = ("planner", "writer", "summarizer", "chat", "translator")
ModelFor = Callable[[str], "BaseChatModel | None"]
"""Builds (or hands over) a role's chat model; None: that role takes its extractive path."""
NONE_VALUES = ("", "none", "off")
EXTRAS = {"openai": "openai", "anthropic": "anthropic", "ollama": "ollama"}
"""Providers with an extra of ours: `pip install 'autoresearch[openai]'`."""


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model string: `ollama:qwen3:8b` → provider `ollama`, name `qwen3:8b`."""

    provider: str
    name: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.name}"


def configured_model(settings: Settings, role: str) -> str:
    """The model string `llm.<role>` names, or "" when the role has none (empty, `none`, `off`)."""
    name = getattr(settings.llm, role, "").strip()
    return "" if name.lower() in NONE_VALUES else name


def parse_model(value: str, setting: str = "llm model") -> ModelSpec | None:
    """Parse `provider:model`; None for an empty/none value; a clear error without a provider."""
    value = value.strip()
    if value.lower() in NONE_VALUES:
        return None
    provider, sep, name = value.partition(":")
    if not sep or not name or not provider.replace("_", "").isalnum():
        raise LLMConfigError(f"{setting} = {value!r}: write provider:model, e.g. "
                             "'openai:gpt-4o-mini', 'ollama:qwen3:8b' or 'llamacpp:smollm2'")
    return ModelSpec(provider.lower(), name)


TOOL_ROLES = ("chat",)
"""The only roles whose model may be given tools (`allow_tools=True`): the TUI's assistant."""


def chat_model(settings: Settings, role: str, *, usage: UsageRecorder | None = None,
               allow_tools: bool = False) -> GuardedChatModel | None:
    """The chat model for `role`, guarded and labelled; None when the role has no model.

    With `usage`, every call of the model is recorded there (tokens, cost, role, stage).
    `allow_tools` (the `chat` role only) lets the model propose tool calls for its caller to run.
    """
    if role not in ROLES:
        raise LLMConfigError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if allow_tools and role not in TOOL_ROLES:
        raise LLMConfigError(f"the {role} model may not be given tools (only: {', '.join(TOOL_ROLES)})")
    spec = parse_model(getattr(settings.llm, role), f"llm.{role}")
    if spec is None:
        return None
    inner = build_provider_model(spec, settings.llm)
    return guard(inner, spec, role, settings.llm, usage, allow_tools=allow_tools)


def guard(inner: BaseChatModel, spec: ModelSpec | str, role: str, llm: LLMSettings,
          usage: UsageRecorder | None = None, allow_tools: bool = False) -> GuardedChatModel:
    """Wrap any chat model the way `chat_model` does (tests wrap fakes with it)."""
    # The LLM layer's LangChain classes load with the first model, never with the core.
    from agent.llm.guard import GuardedChatModel
    from agent.llm.usage import MODEL_KEY, ROLE_KEY

    if allow_tools and role not in TOOL_ROLES:
        raise LLMConfigError(f"the {role} model may not be given tools (only: {', '.join(TOOL_ROLES)})")
    return GuardedChatModel(
        inner=inner, model_name=str(spec), role=role, max_retries=llm.max_retries,
        backoff_base_s=llm.backoff_base_s, backoff_max_s=llm.backoff_max_s,
        context_window=llm.context_window, max_output_tokens=llm.max_output_tokens,
        metadata={ROLE_KEY: role, MODEL_KEY: str(spec)}, callbacks=[usage] if usage else None,
        allow_tools=allow_tools, disable_streaming=allow_tools)


def build_provider_model(spec: ModelSpec, llm: LLMSettings) -> BaseChatModel:
    """The provider's own chat model, unwrapped."""
    builder = PROVIDERS.get(spec.provider, _build_other)
    return builder(spec, llm)


def _temperature(spec: ModelSpec, llm: LLMSettings) -> dict[str, Any]:
    if llm.temperature is None or rejects_temperature(spec.name):
        return {}
    return {"temperature": llm.temperature}


def _secret(llm: LLMSettings, field: str, spec: ModelSpec) -> str:
    value = getattr(llm, field)
    if value is None or not value.get_secret_value():
        env = f"AUTORESEARCH_LLM__{field.upper()}"
        raise LLMConfigError(f"{spec} needs an API key: set llm.{field} (env {env})")
    return value.get_secret_value()


def _build_llamacpp(spec: ModelSpec, llm: LLMSettings) -> BaseChatModel:
    from agent.llm.llamacpp import LlamaCppChat, resolve_model_path

    path = resolve_model_path(spec.name)
    return LlamaCppChat(model_path=str(path), model_name=str(spec), n_ctx=llm.context_window,
                        threads=llm.threads, temperature=llm.temperature,
                        max_tokens=llm.max_output_tokens)


def _build_openai(spec: ModelSpec, llm: LLMSettings) -> BaseChatModel:
    kwargs: dict[str, Any] = {"timeout": llm.timeout_s, "max_retries": 0, **_temperature(spec, llm)}
    if llm.base_url:
        # A self-hosted OpenAI-compatible server usually wants no key; the SDK insists on one.
        key = llm.openai_api_key.get_secret_value() if llm.openai_api_key else "no-key"
        kwargs.update(base_url=llm.base_url, api_key=key)
    else:
        kwargs["api_key"] = _secret(llm, "openai_api_key", spec)
    return _init(spec, **kwargs)


def _build_anthropic(spec: ModelSpec, llm: LLMSettings) -> BaseChatModel:
    return _init(spec, api_key=_secret(llm, "anthropic_api_key", spec), timeout=llm.timeout_s,
                 max_retries=0, max_tokens=llm.max_output_tokens, **_temperature(spec, llm))


def _build_ollama(spec: ModelSpec, llm: LLMSettings) -> BaseChatModel:
    return _init(spec, num_ctx=llm.context_window, num_predict=llm.max_output_tokens,
                 client_kwargs={"timeout": llm.timeout_s}, **_temperature(spec, llm))


def _build_other(spec: ModelSpec, llm: LLMSettings) -> BaseChatModel:
    return _init(spec, timeout=llm.timeout_s, **_temperature(spec, llm))


def _init(spec: ModelSpec, **kwargs: Any) -> BaseChatModel:
    """`init_chat_model`, with its failures turned into errors a user can act on."""
    from langchain.chat_models import init_chat_model
    try:
        return init_chat_model(spec.name, model_provider=spec.provider, **kwargs)
    except ImportError as error:
        extra = EXTRAS.get(spec.provider)
        hint = (f"pip install 'autoresearch[{extra}]'" if extra
                else f"pip install langchain-{spec.provider.replace('_', '-')}")
        raise LLMUnavailable(f"{spec} needs its LangChain provider package: {hint}") from error
    except (ValueError, ValidationError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise LLMConfigError(f"{spec}: {first}") from error


PROVIDERS: dict[str, Callable[[ModelSpec, LLMSettings], BaseChatModel]] = {
    "llamacpp": _build_llamacpp,
    "openai": _build_openai,
    "anthropic": _build_anthropic,
    "ollama": _build_ollama,
}
"""Builders by provider; any other provider goes to `init_chat_model` as it is."""


def configured(settings: Settings) -> dict[str, str]:
    """Role → model string for the roles that have a model."""
    return {role: name for role in ROLES if (name := configured_model(settings, role))}


def usage_recorder(settings: Settings) -> UsageRecorder:
    """A recorder pricing calls with `llm.prices`."""
    from agent.llm.usage import UsageRecorder  # a LangChain callback handler: loads with the first model

    return UsageRecorder(settings.llm.prices)
