"""Sentence vectors are encoded once and then read back, from this process or from disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nlu.embedding_cache import CachedEncoder
from nlu.sentence_encoder import SentenceEncoder, Vector, default_encoder


class CountingEncoder:
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        self._encoder = encoder
        self.encoded: list[str] = []

    @property
    def dimensions(self) -> int:
        return self._encoder.dimensions

    def encode_all(self, texts: list[str]) -> Vector:
        self.encoded.extend(texts)
        return self._encoder.encode_all(texts)


def test_a_new_process_reads_vectors_from_disk_instead_of_encoding(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    first = CachedEncoder(CountingEncoder(default_encoder()), path)
    made = first.encode_all(["reset my password", "where is my data"])
    later = CountingEncoder(default_encoder())  # a new encoder object: nothing remembered
    again = CachedEncoder(later, path).encode_all(["where is my data", "reset my password"])
    assert later.encoded == []
    assert np.array_equal(again, made[::-1])


def test_only_new_texts_are_encoded_and_each_only_once(tmp_path: Path) -> None:
    counting = CountingEncoder(default_encoder())
    cache = CachedEncoder(counting, tmp_path / "vectors.npz")
    cache.encode_all(["one text"])
    cache.encode_all(["one text", "another", "another"])
    assert counting.encoded == ["one text", "another"]


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    path.write_bytes(b"not a numpy file")
    counting = CountingEncoder(default_encoder())
    vectors = CachedEncoder(counting, path).encode_all(["reset my password"])
    assert counting.encoded == ["reset my password"]
    assert vectors.shape == (1, counting.dimensions)
    later = CountingEncoder(default_encoder())
    CachedEncoder(later, path).encode_all(["reset my password"])
    assert later.encoded == []


def test_an_unwritable_directory_still_gives_vectors(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    vectors = CachedEncoder(default_encoder(), blocked / "vectors.npz").encode_all(["hello"])
    assert vectors.shape == (1, 384)
