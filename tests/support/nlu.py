"""The trained NLU of one test run: built once, into a temporary data directory.

A run trains its own model (nothing is carried over from an earlier run, so a model trained
by older code cannot pass for this one) and never writes into the user's data directory.
`tests/conftest.py` builds it through the session fixture `nlu_service`; tests that start a
`supportbot` process link it into their own data directory with `reuse_trained_nlu`.

spaCy and the NLU are imported only when the model is built, so test folders that never use
it do not pay for the import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from nlu.sentence_encoder import Vector
    from nlu.service import NluService

DATA_DIR_ENV = "SUPPORTBOT_DATA_DIR"  # nlu.paths.DATA_DIR_ENV, without importing spaCy
# What a data directory holds once the NLU has started in it: the trained model
# (`nlu-model/<fingerprint>/`) and the knowledge base's sentence vectors (`embeddings/`).
SHARED_PARTS = ("nlu-model", "embeddings")

_built: Path | None = None  # the data directory of this run's model, once it is built


def build_trained_nlu(data_dir: Path) -> NluService:
    """Train the model into `data_dir`, store the knowledge base's vectors there, and return
    the service. It is also the process-wide service (`nlu.service.get_service()`), so code
    under test that asks for the NLU itself gets this one instead of building another."""
    global _built
    from nlu.model import DEFAULT_SEED
    from nlu.paths import DATA_DIR_ENV as NLU_DATA_DIR_ENV
    from nlu.paths import model_dir
    from nlu.service import get_service, reset_service

    assert NLU_DATA_DIR_ENV == DATA_DIR_ENV
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(data_dir))
        reset_service()  # a service built earlier in this process may read another directory
        service = get_service()
        service.parse("warm up")
        model = model_dir(seed=DEFAULT_SEED)
    assert model.is_dir() and model.parent == data_dir / "nlu-model", model
    _store_kb_vectors(data_dir)
    _built = data_dir
    return service


def _store_kb_vectors(data_dir: Path) -> None:
    """Make sure `embeddings/` holds the shipped FAQ's vectors.

    The service above stores them when it encodes the FAQ. But vectors are also remembered per
    process (nlu/embedding_cache.py): when an earlier test already encoded the FAQ, nothing new
    was encoded and nothing was written here, and a process started on a link to this
    directory would have to encode the FAQ again (or meet a link to nothing).
    """
    from nlu.embedding_cache import CachedEncoder
    from nlu.kb import KnowledgeBase, load_entries
    from nlu.sentence_encoder import MODEL_PACKAGE, default_encoder

    vectors = data_dir / "embeddings" / f"{MODEL_PACKAGE}.npz"  # as nlu.kb.cached_default_encoder
    if vectors.is_file():
        return
    encoder = default_encoder()

    class SameEncoder:
        """The packaged encoder under a new identity, so none of its vectors are remembered."""

        @property
        def dimensions(self) -> int:
            return encoder.dimensions

        def encode_all(self, texts: list[str]) -> Vector:
            return encoder.encode_all(texts)

    KnowledgeBase(
        load_entries(data_dir / "kb" / "faq.json"),
        encoder=CachedEncoder(SameEncoder(), vectors),
    )
    assert vectors.is_file(), vectors


def trained_nlu_dir() -> Path:
    """The data directory this run's model was built in (the `nlu_service` fixture builds it)."""
    if _built is None:
        raise RuntimeError("the NLU is not built yet: the test must use the nlu_service fixture")
    return _built


def reuse_trained_nlu(data_dir: Path) -> Path:
    """Link this run's trained model and knowledge-base vectors into `data_dir` (created if
    missing), so a `supportbot` process started on it neither trains nor encodes.

    The links always point at a built model: a link to nothing would make the process's
    `mkdir(exist_ok=True)` fail with "File exists".
    """
    source = trained_nlu_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in SHARED_PARTS:
        target = source / name
        assert target.is_dir() and any(target.iterdir()), f"nothing built at {target}"
        (data_dir / name).symlink_to(target, target_is_directory=True)
    return data_dir
