"""Sentence vectors kept on disk, so the knowledge base starts in milliseconds, not seconds.

Encoding the FAQ and its alternative phrasings takes a few seconds on two cores; every process
(the bot, each CLI call, each test session) would pay it again. Vectors are stored per text
(keyed by a hash of the text), so importing a new FAQ encodes only what changed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import weakref
from pathlib import Path
from typing import Protocol

import numpy as np

from nlu.sentence_encoder import Vector

_log = logging.getLogger(__name__)


class Encoder(Protocol):
    """Anything that turns texts into unit vectors, one row per text, in order."""

    @property
    def dimensions(self) -> int: ...

    def encode_all(self, texts: list[str]) -> Vector: ...


# Vectors already made in this process, per encoder: a new data directory (each test has one)
# should not mean encoding the FAQ again.
_made_here: weakref.WeakKeyDictionary[Encoder, dict[str, Vector]] = weakref.WeakKeyDictionary()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class CachedEncoder:
    """An encoder that remembers every vector it made in one `.npz` file."""

    def __init__(self, encoder: Encoder, path: Path) -> None:
        self._encoder = encoder
        self._path = path
        self._vectors: dict[str, Vector] = _made_here.setdefault(encoder, {})
        self._vectors.update(self._load())

    @property
    def dimensions(self) -> int:
        return self._encoder.dimensions

    def encode_all(self, texts: list[str]) -> Vector:
        keys = [_key(text) for text in texts]
        unique = dict(zip(keys, texts, strict=True))
        missing = [(key, text) for key, text in unique.items() if key not in self._vectors]
        if missing:
            fresh = self._encoder.encode_all([text for _, text in missing])
            self._vectors.update((key, row) for (key, _), row in zip(missing, fresh, strict=True))
            try:
                self._save()
            except OSError as error:  # a read-only data directory only costs speed
                _log.warning("could not store sentence vectors in %s: %s", self._path, error)
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([self._vectors[key] for key in keys])

    def _load(self) -> dict[str, Vector]:
        """What an earlier process stored; a missing or unreadable file is an empty cache."""
        try:
            with np.load(self._path) as stored:
                keys, matrix = stored["keys"], stored["vectors"]
        except (OSError, ValueError, KeyError):
            return {}
        if matrix.ndim != 2 or matrix.shape[1] != self.dimensions:
            return {}
        return {str(key): row for key, row in zip(keys, matrix, strict=True)}

    def _save(self) -> None:
        """Write to a temporary file and rename it, so a reader never sees half a cache."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._vectors)
        handle, staging = tempfile.mkstemp(dir=self._path.parent, suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(
                    file,
                    keys=np.array(keys),
                    vectors=np.stack([self._vectors[key] for key in keys]),
                )
            os.replace(staging, self._path)
        except OSError:
            Path(staging).unlink(missing_ok=True)
            raise
