"""The GPU figure reader: a local vision-language model through transformers.

Any model that loads with `AutoProcessor` + `AutoModelForImageTextToText` and has a chat template
(SmolVLM / Idefics3, Qwen2.5-VL, LLaVA-style) works the same way. The model is loaded once per
reader, on first use, from a local folder or the local cache (never downloaded during a run). Figures
go through in batches with left padding under `torch.inference_mode()`; when a batch runs out of
memory the batch size is halved and the batch retried, and a figure that fails even alone is handed
to the fallback reader (the CPU reader) instead of failing the run.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from tools.figures.base import FigureDescription, FigureInput, FigureReader
from tools.figures.models import resolve_model
from tools.figures.prompt import FIGURE_PROMPT, build_prompt, parse_answer
from tools.settings import FigureSettings

log = logging.getLogger(__name__)
DTYPES = {"bfloat16": "bfloat16", "float16": "float16", "float32": "float32",
          "bf16": "bfloat16", "fp16": "float16", "fp32": "float32"}


def is_out_of_memory(error: BaseException) -> bool:
    """True for CUDA's OutOfMemoryError and MPS's "out of memory" RuntimeError."""
    import torch

    return isinstance(error, torch.OutOfMemoryError) or (
        isinstance(error, RuntimeError) and "out of memory" in str(error).lower())


def pick_device(wanted: str = "auto", dtype: str = "auto") -> tuple[str, Any]:
    """The device and torch dtype: CUDA with bf16, else Apple MPS with fp16, else CPU float32."""
    import torch

    device = wanted
    if wanted == "auto":
        mps = getattr(torch.backends, "mps", None)
        device = "cuda" if torch.cuda.is_available() else "mps" if mps and mps.is_available() else "cpu"
    if dtype != "auto":
        if dtype not in DTYPES:
            raise ValueError(f"figures.dtype must be auto, {', '.join(DTYPES)}; not {dtype!r}")
        return device, getattr(torch, DTYPES[dtype])
    if device.startswith("cuda"):
        return device, torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return device, torch.float16 if device == "mps" else torch.float32


class VLMReader:
    """Describe figures with a vision-language model, batched; see the module docstring."""

    def __init__(self, settings: FigureSettings, fallback: FigureReader | None = None,
                 prompt: str = FIGURE_PROMPT) -> None:
        self.settings = settings
        self.fallback = fallback
        self.prompt = prompt
        self.name = Path(settings.model.rstrip("/")).name or "vlm"
        self.batch_size = max(1, settings.batch_size)
        """The batch size in force; halved for good after an out-of-memory batch."""
        self.device = ""
        self.dtype: Any = None
        self._model: Any = None
        self._processor: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the processor and model once (raises FigureModelMissing with what to do)."""
        with self._lock:
            if self._model is not None:
                return
            folder = resolve_model(self.settings.model)
            import torch
            from transformers import AutoModelForImageTextToText, AutoProcessor

            self.device, self.dtype = pick_device(self.settings.device, self.settings.dtype)
            processor = AutoProcessor.from_pretrained(folder, local_files_only=True)
            tokenizer = getattr(processor, "tokenizer", processor)
            tokenizer.padding_side = "left"
            if tokenizer.pad_token is None:
                tokenizer.pad_token = tokenizer.eos_token
            model = AutoModelForImageTextToText.from_pretrained(folder, local_files_only=True, dtype=self.dtype)
            # transformers wraps `.to` in a decorator whose type still asks for `self`: its typing, not ours.
            self._model = model.to(self.device).eval()  # pyright: ignore[reportArgumentType]
            self._processor = processor
            log.info("figure model %s on %s (%s), torch %s", folder, self.device, self.dtype, torch.__version__)

    def describe(self, figures: list[FigureInput]) -> list[FigureDescription]:
        """One description per input, in order, in batches of `batch_size` (halved on OOM)."""
        if not figures:
            return []
        self.load()
        # Similar shapes batch together (same tile count, less padding); answers go back in order.
        order = sorted(range(len(figures)), key=lambda i: _aspect(figures[i].image_path))
        ordered = self._describe_in_batches([figures[i] for i in order])
        out: list[FigureDescription] = [ordered[0]] * len(figures)
        for position, index in enumerate(order):
            out[index] = ordered[position]
        return out

    def _describe_in_batches(self, figures: list[FigureInput]) -> list[FigureDescription]:
        """Describe in batches of `batch_size`, halving it for good whenever a batch runs out of memory."""
        out: list[FigureDescription] = []
        start = 0
        while start < len(figures):
            chunk = figures[start:start + self.batch_size]
            try:
                out += self._describe_batch(chunk)
            except RuntimeError as error:  # torch.OutOfMemoryError is one; anything else propagates
                if not is_out_of_memory(error):
                    raise
                self._free_memory()
                if len(chunk) > 1:
                    self.batch_size = max(1, len(chunk) // 2)
                    log.warning("figure batch of %d ran out of memory; retrying with %d",
                                len(chunk), self.batch_size)
                    continue
                out.append(self._fallback(chunk[0], "the model ran out of memory on it"))
            start += len(chunk)
        return out

    def _describe_batch(self, figures: list[FigureInput]) -> list[FigureDescription]:
        """Describe figures whose images open; hand the others to the fallback."""
        images: dict[int, Any] = {}
        results: dict[int, FigureDescription] = {}
        for index, figure in enumerate(figures):
            image = _open_image(figure.image_path)
            if image is None:
                results[index] = self._fallback(figure, f"its image {figure.image_path!r} could not be opened")
            else:
                images[index] = image
        if images:
            texts = self.generate([figures[i] for i in images], list(images.values()))
            for index, text in zip(images, texts):
                results[index] = parse_answer(text, figures[index].number, self.name)
        return [results[i] for i in range(len(figures))]

    def generate(self, figures: list[FigureInput], images: list[Any]) -> list[str]:
        """Run the model on one batch and return the new text for each figure (prompt sliced off)."""
        import torch

        processor = self._processor
        prompts = [processor.apply_chat_template(_messages(build_prompt(f, self.prompt)),
                                                 add_generation_prompt=True, tokenize=False) for f in figures]
        inputs = processor(text=prompts, images=images, return_tensors="pt", padding=True)
        inputs = {k: _to(v, self.device, self.dtype) for k, v in inputs.items()}
        tokenizer = getattr(processor, "tokenizer", processor)
        with torch.inference_mode():
            output = self._model.generate(**inputs, max_new_tokens=self.settings.max_new_tokens,
                                          do_sample=False, pad_token_id=tokenizer.pad_token_id)
        new_tokens = output[:, inputs["input_ids"].shape[1]:]
        return [t.strip() for t in processor.batch_decode(new_tokens, skip_special_tokens=True)]

    def _fallback(self, figure: FigureInput, why: str) -> FigureDescription:
        """The fallback reader's description of a figure the model could not take, saying why."""
        log.warning("figure %s: %s; using the %s reader", figure.number, why,
                    self.fallback.name if self.fallback else "no")
        if self.fallback is None:
            return FigureDescription(number=figure.number, reader=self.name,
                                     description=f"Not described: {why}.")
        [description] = self.fallback.describe([figure])
        return description.model_copy(update={"description": f"{description.description} "
                                              f"(The figure model was not used: {why}.)"})

    def _free_memory(self) -> None:
        """Release cached accelerator memory after an out-of-memory error."""
        import torch

        if self.device.startswith("cuda"):
            torch.cuda.empty_cache()
        elif self.device == "mps" and hasattr(torch, "mps"):
            torch.mps.empty_cache()


def _messages(prompt: str) -> list[dict]:
    """One user turn holding the image and the prompt, in the chat-template format."""
    return [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": prompt}]}]


def _to(value: Any, device: str, dtype: Any) -> Any:
    """Move a tensor to the device, casting floating tensors (pixels) to the model's dtype."""
    if not hasattr(value, "to"):
        return value
    return value.to(device, dtype=dtype) if value.is_floating_point() else value.to(device)


def _aspect(path: str) -> float:
    """Width over height from the image header (0 when it cannot be read)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.width / max(image.height, 1)
    except (OSError, UnidentifiedImageError, ValueError):
        return 0.0


def _open_image(path: str) -> Any:
    """The PNG as an RGB PIL image, or None when it is missing or unreadable."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, UnidentifiedImageError, ValueError):
        return None
