"""The GPU reader's real load / batch / decode path, run on CPU with a tiny random SmolVLM model.

The model is built from configs in a temp dir (evals/tiny_vlm.py): nothing is downloaded. Its
weights are random, so these tests assert on the path (one answer per figure, batched == one by
one under greedy decoding, left padding, fallbacks), never on the text. A CUDA out-of-memory
error cannot happen here, so the OOM tests raise the real exception type from a wrapped
`generate`: those are simulations, and say so in their names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.settings import FigureSettings, load_settings
from tools.figures import CPUReader, FigureModelMissing, make_reader
from tools.figures.base import FigureInput

pytestmark = pytest.mark.slow


def _reader(model: Path, batch_size: int, **extra):
    from tools.figures.vlm import VLMReader

    settings = FigureSettings(model=str(model), batch_size=batch_size, max_new_tokens=6, **extra)
    return VLMReader(settings, fallback=CPUReader())


def _record_calls(reader) -> list[dict]:
    """Wrap the loaded model's generate to record each batch's inputs."""
    calls: list[dict] = []
    real = reader._model.generate

    def generate(**inputs):
        calls.append(inputs)
        return real(**inputs)

    reader._model.generate = generate
    return calls


def test_batched_equals_one_by_one_with_left_padding(tiny_vlm: Path, fixture_figures) -> None:
    plot, _, photo, _ = fixture_figures  # a wide and a square image: different tile counts
    figures = [plot, photo, plot.model_copy(update={"number": "9"})]
    batched = _reader(tiny_vlm, batch_size=3)
    assert batched._model is None  # lazy: nothing loaded before the first describe
    batched.load()
    calls = _record_calls(batched)
    together = batched.describe(figures)
    alone = [_reader(tiny_vlm, batch_size=1).describe([f])[0] for f in figures]
    assert [d.number for d in together] == ["1", "3", "9"]
    assert together == alone
    assert all(d.reader == "tiny-smolvlm" for d in together)
    [inputs] = calls
    mask = inputs["attention_mask"]
    assert mask.shape[0] == 3 and bool((mask[:, -1] == 1).all())  # every row ends in real tokens
    assert bool((mask[:, 0] == 0).any())  # and the shorter prompts were padded on the left
    assert inputs["pixel_values"].dtype == batched.dtype
    assert (batched.device, str(batched.dtype)) == ("cpu", "torch.float32")


def test_model_loads_once_per_reader(tiny_vlm: Path, fixture_figures) -> None:
    reader = _reader(tiny_vlm, batch_size=2)
    reader.describe(fixture_figures[:1])
    model = reader._model
    reader.describe(fixture_figures[1:2])
    assert reader._model is model


def test_unreadable_image_goes_to_the_cpu_reader(tiny_vlm: Path, fixture_figures) -> None:
    missing = fixture_figures[0].model_copy(update={"number": "7", "image_path": "/nonexistent.png"})
    out = _reader(tiny_vlm, batch_size=4).describe([fixture_figures[2], missing])
    assert [d.number for d in out] == ["3", "7"]
    assert out[0].reader == "tiny-smolvlm" and out[1].reader == "cpu"
    assert out[1].kind == "plot" and "could not be opened" in out[1].description


def test_simulated_cuda_oom_halves_the_batch_and_retries(tiny_vlm: Path, fixture_figures) -> None:
    import torch

    reader = _reader(tiny_vlm, batch_size=8)
    reader.load()
    real = reader._model.generate
    sizes: list[int] = []

    def generate(**inputs):
        sizes.append(inputs["input_ids"].shape[0])
        if sizes[-1] > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB (simulated)")
        return real(**inputs)

    reader._model.generate = generate
    figures = [f.model_copy(update={"number": str(i)}) for i, f in enumerate(fixture_figures * 2)][:5]
    out = reader.describe(figures)
    assert sizes == [5, 2, 2, 1]
    assert reader.batch_size == 2
    assert [d.number for d in out] == ["0", "1", "2", "3", "4"]
    assert all(d.reader == "tiny-smolvlm" for d in out)


def test_simulated_oom_on_a_single_figure_falls_back(tiny_vlm: Path, fixture_figures) -> None:
    import torch

    reader = _reader(tiny_vlm, batch_size=2)
    reader.load()

    def generate(**inputs):
        raise torch.OutOfMemoryError("CUDA out of memory (simulated)")

    reader._model.generate = generate
    out = reader.describe(fixture_figures[:2])
    assert [d.reader for d in out] == ["cpu", "cpu"] and reader.batch_size == 1
    assert [d.kind for d in out] == ["plot", "diagram"]
    assert all("ran out of memory" in d.description for d in out)


def test_other_runtime_errors_are_not_swallowed(tiny_vlm: Path, fixture_figures) -> None:
    reader = _reader(tiny_vlm, batch_size=2)
    reader.load()

    def generate(**inputs):
        raise RuntimeError("shape mismatch")

    reader._model.generate = generate
    with pytest.raises(RuntimeError, match="shape mismatch"):
        reader.describe(fixture_figures[:1])


def test_device_and_dtype_are_overridable(tiny_vlm: Path) -> None:
    import torch

    from tools.figures.vlm import pick_device

    assert pick_device("auto", "auto") == ("cpu", torch.float32)  # no CUDA or MPS on this machine
    assert pick_device("cpu", "bfloat16") == ("cpu", torch.bfloat16)
    assert pick_device("cpu", "fp16") == ("cpu", torch.float16)
    with pytest.raises(ValueError, match="figures.dtype"):
        pick_device("cpu", "int4")
    reader = _reader(tiny_vlm, batch_size=1, dtype="bfloat16")
    reader.load()
    assert next(reader._model.parameters()).dtype == torch.bfloat16


def test_missing_model_says_which_setting_and_command(tmp_path: Path) -> None:
    with pytest.raises(FigureModelMissing, match=r"figures\.model.*models pull"):
        _reader(tmp_path / "nowhere", batch_size=1).load()
    with pytest.raises(FigureModelMissing, match="autoresearch models pull someone/not-cached-vlm"):
        _reader(Path("someone/not-cached-vlm"), batch_size=1).load()


def test_make_reader_chooses(tiny_vlm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.figures.vlm import VLMReader

    assert isinstance(make_reader(load_settings().figures), CPUReader)  # no model configured
    with pytest.raises(FigureModelMissing, match="no figure model is configured"):
        make_reader(load_settings().figures, prefer="gpu")
    monkeypatch.setenv("AUTORESEARCH_FIGURES__MODEL", str(tiny_vlm))
    assert isinstance(make_reader(load_settings().figures), VLMReader)
    assert isinstance(make_reader(load_settings().figures, prefer="cpu"), CPUReader)
    monkeypatch.setenv("AUTORESEARCH_FIGURES__MODEL", "/nowhere/model")
    assert isinstance(make_reader(load_settings().figures), CPUReader)  # auto: warn and use the CPU
    with pytest.raises(FigureModelMissing):
        make_reader(load_settings().figures, prefer="gpu")
    with pytest.raises(ValueError, match="unknown figure reader"):
        make_reader(load_settings().figures, prefer="tpu")


def test_fixture_images_differ_in_shape(fixture_figures: list[FigureInput]) -> None:
    from PIL import Image

    with Image.open(fixture_figures[0].image_path) as wide, Image.open(fixture_figures[2].image_path) as square:
        assert wide.width / wide.height > 2 and abs(square.width - square.height) <= 2
