"""What is wrong with the settings, and where it came from: one line a person can act on.

pydantic reports "1 validation error for _Layered"; a person needs the setting's dotted name, the
value that was refused, and its source: the environment variable, or the config file and line.
The config file is also read here first, strictly: a TOML syntax error, bytes that are not UTF-8,
a folder where a file should be, and keys or groups the settings do not have (`min_intervall_s`,
which would otherwise be ignored without a word) are errors that name the file and suggest the
nearest valid name.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tools.errors import BadUsage


class SettingsError(BadUsage):
    """The settings cannot be used as given; the message names the setting and its source."""


def require_config_file(path: Path) -> None:
    """A config file a person named (`--config`) must exist: a typo must not mean "no config"."""
    if not path.exists():
        raise SettingsError(f"config file {path} does not exist (--config)")


def read_config_file(path: Path) -> dict[str, Any]:
    """The config file's TOML, read strictly; {} when there is no file there."""
    if path.is_dir():
        raise SettingsError(f"config file {path} is a folder, not a TOML file")
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        raise SettingsError(f"config file {path} is not UTF-8 text (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"config file {path}: {error}") from None
    except OSError as error:
        raise SettingsError(f"cannot read config file {path}: {error.strerror or error}") from None


def check_keys(data: dict[str, Any], model: type[BaseModel], path: Path, prefix: str = "") -> None:
    """Refuse keys and groups the settings do not have, suggesting the nearest valid name."""
    fields = model.model_fields
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key not in fields:
            near = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
            hint = f"; did you mean {prefix}{near[0]}?" if near else f" (valid here: {', '.join(fields)})"
            raise SettingsError(f"unknown setting {name} in {_where_in_file(path, name)}{hint}")
        group = _group(fields[key].annotation)
        if group is not None and isinstance(value, dict):
            check_keys(value, group, path, f"{name}.")


def explain(error: ValidationError, config_file: Path, config: dict[str, Any], env_prefix: str,
            nesting: str, flags: dict[str, Any]) -> SettingsError:
    """The first validation error as one line: setting, refused value, source, and why."""
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]]
    name = ".".join(loc) or "settings"
    value = first.get("input")
    reason = first["msg"].removeprefix("Value error, ")
    source = _source(loc, config_file, config, env_prefix, nesting, flags)
    shown = f" = {value!r}" if loc and not isinstance(value, dict) else ""
    return SettingsError(f"setting {name}{shown} (from {source}): {reason}")


def _source(loc: list[str], config_file: Path, config: dict[str, Any], env_prefix: str,
            nesting: str, flags: dict[str, Any]) -> str:
    """Where a value came from, by precedence: a flag, the environment, the config file."""
    if _lookup(flags, loc) is not None:
        return "a command-line option"
    for depth in range(len(loc), 0, -1):  # the variable for the leaf, or one holding its group as JSON
        variable = env_prefix + nesting.join(loc[:depth]).upper()
        if any(key.upper() == variable for key in os.environ):
            return variable
    inside = env_prefix + nesting.join(loc).upper() + nesting  # a group's check: its variables
    variables = sorted(key.upper() for key in os.environ if key.upper().startswith(inside))
    if loc and variables:
        return ", ".join(variables)
    if _lookup(config, loc) is not None:
        return _where_in_file(config_file, ".".join(loc))
    return "the defaults"


def _where_in_file(path: Path, dotted: str) -> str:
    """`FILE line N` for a key written as `[group]` + `key = …`, a dotted key, or a `[group]` header."""
    *groups, key = dotted.split(".")
    table = ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return str(path)
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", text)
        if header:
            table = header.group(1)
            if table == dotted:
                return f"{path} line {number}"
            continue
        found = re.match(r"([A-Za-z0-9_.\"' -]+?)\s*=", text)
        if found:
            full = ".".join(p for p in (table, found.group(1).strip().strip("\"'")) if p)
            if full == dotted or (table == ".".join(groups) and found.group(1).strip() == key):
                return f"{path} line {number}"
    return str(path)


def _lookup(data: dict[str, Any], loc: list[str]) -> Any:
    for part in loc:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _group(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
