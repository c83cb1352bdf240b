"""Training is deterministic with a seed and only ever reads the training split."""

from __future__ import annotations

from nlu.classifier import TrainingSettings, train_classifier
from nlu.training_data import TEST_DIR, data_files, load_test_data, load_training_data

TEXTS = ["edge is down", "all calls fail", "hi there", "hello", "close CS-1", "close my case"]
LABELS = ["report", "report", "greet", "greet", "close", "close"]


def _weights(seed: int) -> bytes:
    settings = TrainingSettings(seed=seed, epochs=3, ensemble=True)
    nlp = train_classifier(task="t", texts=TEXTS, labels=LABELS, settings=settings)
    return nlp.get_pipe("textcat").to_bytes()


def test_same_seed_gives_identical_weights() -> None:
    assert _weights(7) == _weights(7)


def test_different_seed_gives_different_weights() -> None:
    assert _weights(7) != _weights(8)


def test_held_out_split_is_disjoint_from_training() -> None:
    assert all(TEST_DIR not in path.parents for path in data_files())
    train_texts = {example.text.lower() for example in load_training_data().examples}
    test_texts = [example.text.lower() for example in load_test_data().examples]
    assert test_texts and not [text for text in test_texts if text in train_texts]


def test_changing_training_data_changes_the_model_location(tmp_path, monkeypatch) -> None:
    from nlu import paths

    data = tmp_path / "nlu.yml"
    data.write_text("version: '3.1'\nnlu: []\n")
    monkeypatch.setattr(paths, "data_files", lambda: [data])
    before = paths.training_fingerprint(seed=1)
    data.write_text("version: '3.1'\nnlu:\n- intent: greet\n  examples: |\n    - hi\n")
    assert paths.training_fingerprint(seed=1) != before
    assert paths.training_fingerprint(seed=2) != paths.training_fingerprint(seed=1)
