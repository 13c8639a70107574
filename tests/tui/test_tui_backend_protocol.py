"""The screens call the backend through `tui.backend.TuiBackend`; the real backend and the
snapshot tests' fixed one both have every method it names, with the same parameters."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from tests.tui.fixed_backend import FixedBackend
from tui.backend import Backend, TuiBackend

METHODS = [name for name, _ in inspect.getmembers(TuiBackend, inspect.isfunction) if not name.startswith("_")]


def _parameters(function: Callable[..., object]) -> list[str]:
    return [p.name for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("backend", [Backend, FixedBackend])
def test_a_backend_has_every_method_the_screens_call(backend: type) -> None:
    assert len(METHODS) >= 15
    missing = [name for name in METHODS if not callable(getattr(backend, name, None))]
    assert missing == []
    for name in METHODS:
        wanted = _parameters(getattr(TuiBackend, name))
        assert _parameters(getattr(backend, name))[:len(wanted)] == wanted, name
