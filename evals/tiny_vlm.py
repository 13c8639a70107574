"""Build a tiny, randomly initialised SmolVLM-architecture model on disk, offline.

Tests and the figure benchmark need a real vision-language model that loads through
`AutoProcessor` / `AutoModelForImageTextToText` exactly as SmolVLM does, without downloading
anything. This builds one from configs (Idefics3, the SmolVLM architecture): a byte-level BPE
tokenizer trained here on a few sentences, the PIL image processor (no torchvision needed), a
processor with a chat template, and a model of a few layers — about 600 KiB on disk. Its weights are
random, so its text is garbage: use it to exercise loading, batching and decoding, never quality.

    python -m evals.tiny_vlm DIR      # build one into DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

IMAGE_SIZE = 32
"""Vision encoder input size, which is also the processor's tile size (they must agree)."""
PATCH_SIZE = 8
SCALE_FACTOR = 2
IMAGE_SEQ_LEN = (IMAGE_SIZE // PATCH_SIZE) ** 2 // SCALE_FACTOR**2
"""Image tokens per tile: (image size / patch size)² / scale factor²."""
VOCAB_SIZE = 400
SEED = 1234

SPECIAL_TOKENS = ["<|endoftext|>", "<pad>", "<|im_start|>", "<end_of_utterance>", "<image>",
                  "<fake_token_around_image>", "<global-img>"] + [
    f"<row_{r}_col_{c}>" for r in range(1, 7) for c in range(1, 7)]
"""Every token the Idefics3 processor writes into prompts; all must be single special tokens."""

CHAT_TEMPLATE = (
    "<|im_start|>"
    "{% for message in messages %}"
    "{{ message['role'] | capitalize }}:"
    "{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<image>{% else %}{{ part['text'] }}{% endif %}"
    "{% endfor %}<end_of_utterance>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}Assistant:{% endif %}"
)
"""A SmolVLM-style chat template (written for this builder): `User:<image>…<end_of_utterance>`."""

_CORPUS = [
    "The figure shows accuracy against training steps for three methods.",
    "A diagram of the pipeline: an encoder, a decoder and a loss between them.",
    "kind: plot. axes: x, y. legend: ours, baseline. summary: loss falls with more data.",
    "A photograph of a street scene; a table of numbers with rows and columns.",
    '{"kind": "diagram", "summary": "boxes and arrows", "axes": [], "legend": []}',
]


def _tokenizer():
    """Train a small byte-level BPE tokenizer offline and wrap it for transformers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  show_progress=False)
    core.train_from_iterator(_CORPUS, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=core, bos_token="<|im_start|>", eos_token="<end_of_utterance>",
        pad_token="<pad>", unk_token="<|endoftext|>", padding_side="left",
        additional_special_tokens=SPECIAL_TOKENS[2:])


def _processor():
    """The Idefics3 processor with the PIL image processor and tiles the encoder's size."""
    from transformers import Idefics3Processor
    from transformers.models.idefics3.image_processing_pil_idefics3 import Idefics3ImageProcessorPil

    images = Idefics3ImageProcessorPil(size={"longest_edge": 2 * IMAGE_SIZE},
                                       max_image_size={"longest_edge": IMAGE_SIZE})
    return Idefics3Processor(image_processor=images, tokenizer=_tokenizer(),
                             image_seq_len=IMAGE_SEQ_LEN, chat_template=CHAT_TEMPLATE)


def _model(tokenizer):
    """A two-layer Idefics3 model whose vocabulary matches the processor's tokenizer."""
    import torch
    from transformers import Idefics3Config, Idefics3ForConditionalGeneration

    ids = {name: tokenizer.convert_tokens_to_ids(name) for name in ("<pad>", "<end_of_utterance>",
                                                                    "<|im_start|>", "<image>")}
    text = {"model_type": "llama", "vocab_size": len(tokenizer), "hidden_size": 32,
            "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
            "num_key_value_heads": 2, "max_position_embeddings": 1024,
            "pad_token_id": ids["<pad>"], "eos_token_id": ids["<end_of_utterance>"],
            "bos_token_id": ids["<|im_start|>"]}
    vision = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1,
              "num_attention_heads": 4, "image_size": IMAGE_SIZE, "patch_size": PATCH_SIZE}
    config = Idefics3Config(text_config=text, vision_config=vision, scale_factor=SCALE_FACTOR,
                            image_token_id=ids["<image>"], pad_token_id=ids["<pad>"])
    torch.manual_seed(SEED)
    model = Idefics3ForConditionalGeneration(config).eval()
    generation = model.generation_config
    generation.pad_token_id = ids["<pad>"]
    generation.eos_token_id = ids["<end_of_utterance>"]
    generation.bos_token_id = ids["<|im_start|>"]
    generation.do_sample = False
    return model


def build_tiny_vlm(directory: Path | str) -> Path:
    """Write a tiny random SmolVLM-architecture model and its processor into `directory`."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    processor = _processor()
    model = _model(processor.tokenizer)
    processor.save_pretrained(target)
    model.save_pretrained(target)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m evals.tiny_vlm DIR")
    print(build_tiny_vlm(sys.argv[1]))
