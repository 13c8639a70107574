"""Keep README.md true: its commands, make targets, links, setting names and variables exist.

The README is the first thing a person runs code from, so every `autoresearch …` line in its `sh`
blocks must name a real command with options that command accepts, every `make TARGET` must be a
Makefile target, every relative link must reach a file, and every setting name (`figures.model`)
and environment variable (`AUTORESEARCH_LLM__WRITER`) must be a field of `agent.settings.Settings`.
Each checker is also run on a deliberately wrong line, so a checker that finds nothing fails too.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
from pydantic import BaseModel

from agent.cli.app import app
from agent.settings import Settings

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
GROUPS = ("arxiv", "openalex", "pdf", "memory", "figures", "llm", "review", "search", "checkpoint", "slack",
          "digest", "tui", "zotero")
FILE_SUFFIXES = {"py", "md", "json", "jsonl", "toml", "tcss", "bib", "tex", "png", "pdf", "html",
                 "txt", "lock", "yaml", "yml", "example", "service", "timer"}
"""`review.md` and `search.py` are files, not settings."""
SETTING = re.compile(rf"^(?:{'|'.join(GROUPS)})(?:\.[A-Za-z_][A-Za-z0-9_]*)+$")
ENV_VAR = re.compile(r"\bAUTORESEARCH_[A-Z0-9_]*[A-Z0-9]\b")
ENV_NOT_SETTINGS = {"AUTORESEARCH_CONFIG"}
"""Read by `agent.settings.default_config_file`, not a field."""
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]\n]*\]\(([^)\s]+)\)")
MAKE = re.compile(r"(?:^|[\s;&|(])make\s+((?:[A-Za-z_][\w.-]*\s*)+)")
SHELL_STOP = {"|", "||", "&", "&&", ";", ">", ">>", "<", "2>", "2>&1", ">&"}


def readme_text() -> str:
    """README.md as the checks read it."""
    return README.read_text(encoding="utf-8")


# ---- the checkers (each returns a list of problems, empty when the text is true) ----

def sh_lines(text: str) -> list[str]:
    """Lines of the `sh` fenced blocks, continuation lines (`\\`) joined."""
    lines: list[str] = []
    for language, body in FENCE.findall(text):
        if language not in ("sh", "bash", "shell", "console"):
            continue
        pending = ""
        for raw in body.splitlines():
            line = pending + raw.strip()
            if line.endswith("\\"):
                pending = line[:-1] + " "
                continue
            pending = ""
            lines.append(line.removeprefix("$ "))
    return lines


def command_words(line: str) -> list[str]:
    """An `autoresearch …` line's words, up to a pipe, redirection or comment."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words: list[str] = []
    for word in lexer:
        if word in SHELL_STOP or set(word) <= set("|&;<>()"):
            break
        words.append(word)
    return words


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def _options(command: Any) -> dict[str, Any]:
    """Every option spelling of a command (`--max`, `-c`, `--no-refresh`, `--help`) → its param."""
    found: dict[str, Any] = {"--help": None}
    for param in command.params:
        if param.param_type_name == "option":
            for name in (*param.opts, *param.secondary_opts):
                found[name] = param
    return found


def _takes_value(param: Any) -> bool:
    return param is not None and not getattr(param, "is_flag", False) and not getattr(param, "count", False)


def _check_args(command: Any, words: list[str], where: str) -> tuple[list[str], list[str]]:
    """Check the options in `words` against `command`; return (problems, positional words)."""
    problems: list[str] = []
    positional: list[str] = []
    options = _options(command)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            positional.extend(words[index:])
            break
        if not word.startswith("-") or word == "-" or re.fullmatch(r"-\d[\d.]*", word):
            positional.append(word)
            continue
        name, has_inline, _ = word.partition("=")
        if name not in options:
            problems.append(f"{where}: {command.name} has no option {name}")
            continue
        if _takes_value(options[name]) and not has_inline:
            index += 1
    return problems, positional


def check_command_line(line: str) -> list[str]:
    """Problems with one `autoresearch …` line: unknown command, subcommand or option."""
    words = command_words(line)
    if not words or words[0] != "autoresearch":
        return []
    command = typer.main.get_command(app)
    path = ["autoresearch"]
    rest = words[1:]
    while _is_group(command):
        split = _first_positional(command, rest)
        problems, _ = _check_args(command, rest[:split], line)
        if problems:
            return problems
        if split == len(rest):
            needs = "--help" not in rest and path != ["autoresearch"]
            return [f"{line}: {' '.join(path)} needs a subcommand"] if needs else []
        sub = command.commands.get(rest[split])
        if sub is None:
            return [f"{line}: {' '.join(path)} has no command {rest[split]!r}"]
        command, path, rest = sub, [*path, rest[split]], rest[split + 1:]
    problems, positional = _check_args(command, rest, line)
    return problems or _check_positional(command, positional, line)


def _first_positional(command: Any, words: list[str]) -> int:
    """Where a group's own options (`autoresearch --home DIR …`) end and its subcommand starts."""
    options = _options(command)
    index = 0
    while index < len(words) and words[index].startswith("-"):
        name, has_inline, _ = words[index].partition("=")
        index += 2 if _takes_value(options.get(name)) and not has_inline else 1
    return min(index, len(words))


def _check_positional(command: Any, positional: list[str], line: str) -> list[str]:
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    if any(p.nargs == -1 for p in arguments) or "--help" in line.split():
        return []
    required = sum(1 for p in arguments if p.required)
    if not required <= len(positional) <= len(arguments):
        names = " ".join(p.name.upper() for p in arguments) or "no arguments"
        return [f"{line}: {command.name} takes {names}, got {positional}"]
    return []


def check_commands(text: str) -> list[str]:
    """Check the `autoresearch …` lines of sh blocks, and inline examples such as a table's."""
    inline = [span for span in INLINE_CODE.findall(FENCE.sub("", text))
              if span.startswith("autoresearch ") and "…" not in span]
    problems: list[str] = []
    for line in sh_lines(text) + inline:
        problems.extend(check_command_line(line))
    return problems


def makefile_targets() -> set[str]:
    targets: set[str] = set()
    for line in (REPO / "Makefile").read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", line)
        if found:
            targets.update(found.group(1).split())
    return targets


def check_make_targets(text: str) -> list[str]:
    """Every `make TARGET` in code (inline or fenced) must be a Makefile target."""
    code = [body for _, body in FENCE.findall(text)] + INLINE_CODE.findall(FENCE.sub("", text))
    targets = makefile_targets()
    problems: list[str] = []
    for snippet in code:
        for match in MAKE.finditer(snippet):
            for word in match.group(1).split():
                if "=" in word:
                    continue  # `make setup EXTRAS=postgres`: a variable, not a target
                if word not in targets:
                    problems.append(f"make {word}: no such target in the Makefile")
                break  # only the first word after `make` is surely a target
    return problems


def check_links(text: str, base: Path = REPO) -> list[str]:
    problems: list[str] = []
    for match in LINK.finditer(FENCE.sub("", text)):
        target = match.group(1) or match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # https:, mailto:, an anchor in this file
        path = target.split("#", 1)[0]
        if not (base / path).exists():
            problems.append(f"link {target}: {base / path} does not exist")
    return problems


def resolve_setting(dotted: str) -> bool:
    """Whether `group.field[.…]` names a field of `Settings` (a dict field may take any key)."""
    model: Any = Settings
    for part in dotted.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return False
        field = model.model_fields.get(part)
        if field is None:
            return False
        annotation = field.annotation
        if getattr(annotation, "__origin__", None) is dict or annotation is dict:
            return True
        model = annotation
    return True


def check_settings(text: str) -> list[str]:
    problems: list[str] = []
    for span in INLINE_CODE.findall(text):
        name = span.strip()
        if not SETTING.match(name) or name.rsplit(".", 1)[1] in FILE_SUFFIXES:
            continue
        if not resolve_setting(name):
            problems.append(f"`{name}` is not a setting of agent.settings.Settings")
    return problems


def resolve_env(variable: str) -> bool:
    """Whether `AUTORESEARCH_A__B` reaches a field (or a group) of `Settings`."""
    if variable in ENV_NOT_SETTINGS:
        return True
    model: Any = Settings
    for part in variable.removeprefix("AUTORESEARCH_").lower().split("__"):
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return False
        model = model.model_fields[part].annotation
    return True


def check_env_vars(text: str) -> list[str]:
    return [f"{v} is not a setting's environment variable" for v in sorted(set(ENV_VAR.findall(text)))
            if not resolve_env(v)]


# ---- the README, checked ----

def test_every_autoresearch_line_is_a_real_command_with_real_options() -> None:
    lines = [line for line in sh_lines(readme_text()) if line.startswith("autoresearch ")]
    assert len(lines) >= 20, "the README's sh blocks should show the commands"
    assert check_commands(readme_text()) == []


def test_every_make_target_exists() -> None:
    assert {"demo", "test"} <= makefile_targets()
    assert check_make_targets(readme_text()) == []


def test_every_relative_link_reaches_a_file() -> None:
    assert check_links(readme_text()) == []


def test_every_setting_name_is_a_field() -> None:
    assert check_settings(readme_text()) == []


def test_every_environment_variable_is_a_setting() -> None:
    assert check_env_vars(readme_text()) == []


# ---- the checkers find what is wrong ----

@pytest.mark.parametrize("line, problem", [
    ("autoresearch serch topic", "no command 'serch'"),
    ("autoresearch runs aprove 20261122-a3", "no command 'aprove'"),
    ("autoresearch search topic --maximum 5", "no option --maximum"),
    ("autoresearch --homedir /tmp search topic", "no option --homedir"),
    ("autoresearch runs approve", "takes RUN_ID"),
    ("autoresearch library", "needs a subcommand"),
])
def test_a_wrong_command_line_is_reported(line: str, problem: str) -> None:
    [found] = check_commands(f"```sh\n{line}   # a comment\n```\n")
    assert problem in found
    [found] = check_commands(f"| example | `{line}` |")
    assert problem in found


def test_right_command_lines_pass() -> None:
    text = ("```sh\nautoresearch --home /tmp/x search \"talking head\" -c cs.CV --max=5 --no-rerank --json | jq .\n"
            "autoresearch runs approve 20261122-a3 --drop 2409.02634 \\\n  --json\n"
            "make demo\n```\n")
    assert check_commands(text) == []


def test_a_missing_make_target_is_reported() -> None:
    assert check_make_targets("Run `make deploy` now.") == ["make deploy: no such target in the Makefile"]
    assert check_make_targets("```sh\nmake setup EXTRAS=postgres\n```\n") == []


def test_a_broken_link_is_reported() -> None:
    assert check_links("See [the guide](docs/no-such-guide.md) and [arXiv](https://arxiv.org).")[0].startswith(
        "link docs/no-such-guide.md")
    assert check_links("[licence](LICENSE) [deploy](docs/deploy.md#backups)") == []


def test_a_wrong_setting_name_is_reported() -> None:
    assert check_settings("`figures.modle` and `review.md` and `llm.prices`") == [
        "`figures.modle` is not a setting of agent.settings.Settings"]
    assert check_settings("`slack.approvers` `checkpoint.postgres_dsn` `llm.prompts`") == []


def test_a_wrong_environment_variable_is_reported() -> None:
    assert check_env_vars("AUTORESEARCH_LLM__WRITTER=x AUTORESEARCH_HOME=/d") == [
        "AUTORESEARCH_LLM__WRITTER is not a setting's environment variable"]
