"""Find a vision-language model on this machine, or fetch one on purpose.

A run never downloads: `figures.model` is either a local folder or a hub name that must already be
in the local Hugging Face cache. Fetching is a separate, explicit step (`autoresearch models pull
NAME`), so a machine without a network fails with a message saying what to do, never a hang.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tools.errors import AutoresearchError

SETTING = "figures.model (env AUTORESEARCH_FIGURES__MODEL)"


class FigureModelMissing(AutoresearchError, RuntimeError):
    """The configured figure model is not on this machine."""


class ModelPullFailed(AutoresearchError, RuntimeError):
    """A model could not be fetched (no network, unknown name, refused)."""


def _looks_local(name: str) -> bool:
    """Paths start with `/`, `.` or `~`, or exist; hub names are `owner/name`."""
    return name.startswith(("/", ".", "~")) or Path(name).expanduser().exists()


def resolve_model(name: str) -> Path:
    """The folder holding the model `name` (a local path, or a hub name in the local cache)."""
    if not name.strip():
        raise FigureModelMissing(
            f"no figure model is configured: set {SETTING} to a local model folder or a hub name "
            "already downloaded, e.g. `autoresearch models pull HuggingFaceTB/SmolVLM-256M-Instruct`")
    if _looks_local(name):
        folder = Path(name).expanduser()
        if not (folder / "config.json").is_file():
            raise FigureModelMissing(
                f"figure model folder {folder} has no config.json: point {SETTING} at a folder "
                "written by save_pretrained, or run `autoresearch models pull NAME --dir FOLDER`")
        return folder
    return _from_cache(name)


def _from_cache(name: str) -> Path:
    """A hub model from the local cache only; never the network."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(repo_id=name, local_files_only=True))
    except (LocalEntryNotFoundError, HFValidationError, OSError) as error:
        raise FigureModelMissing(
            f"figure model {name!r} is not in the local cache and runs never download: run "
            f"`autoresearch models pull {name}` where a network is available, or set {SETTING} "
            f"to a local folder ({type(error).__name__})") from None
    if not (folder / "config.json").is_file():
        raise FigureModelMissing(f"figure model {name!r} in the local cache is incomplete: "
                                 f"run `autoresearch models pull {name}` again")
    return folder


def pull_model(name: str, directory: Path | None = None, endpoint: str = "") -> Path:
    """Download `name` from the hub into `directory` (default: the shared cache); return its folder."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import (
        HfHubHTTPError,
        HFValidationError,
        LocalEntryNotFoundError,
        OfflineModeIsEnabled,
    )

    offline = ModelPullFailed(f"cannot pull {name}: the Hugging Face hub is switched off here "
                              "(HF_HUB_OFFLINE=1); unset it where a network is available")
    if constants.HF_HUB_OFFLINE:
        raise offline
    try:
        path = snapshot_download(repo_id=name, local_dir=directory, endpoint=endpoint or None,
                                 etag_timeout=10)
    except OfflineModeIsEnabled:
        raise offline from None
    except (LocalEntryNotFoundError, HfHubHTTPError, httpx.HTTPError, OSError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ModelPullFailed(f"cannot pull {name}: the hub could not be reached or refused "
                              f"({type(error).__name__}: {reason[:160]})") from None
    except HFValidationError as error:
        raise ModelPullFailed(f"cannot pull {name!r}: not a valid hub model name ({error})") from None
    return Path(path)
