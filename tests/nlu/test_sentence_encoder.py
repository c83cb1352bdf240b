"""The NumPy sentence encoder gives the published model's own tokens and vectors.

The expected ids and vector components were produced once with Hugging Face `transformers`
and PyTorch 2.13 loading the same packaged model files (mean pooling, unit length); they are
the model's reference behaviour, not values read off this encoder.
"""

from __future__ import annotations

import numpy as np
import pytest

from nlu.sentence_encoder import MAX_PIECES, SentenceEncoder, default_encoder

ACCENTED = "Caf\u00e9 d\u00e9j\u00e0-vu: CS-1001 isn't   <b>working</b>!!"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return default_encoder()


def test_word_pieces_match_the_reference_tokenizer(encoder: SentenceEncoder) -> None:
    assert encoder.tokenizer.ids("How do I reset my password?", max_length=MAX_PIECES) == [
        101, 2129, 2079, 1045, 25141, 2026, 20786, 1029, 102,
    ]  # fmt: skip


def test_accents_punctuation_and_markup_split_as_the_reference_does(
    encoder: SentenceEncoder,
) -> None:
    assert encoder.tokenizer.ids(ACCENTED, max_length=MAX_PIECES) == [
        101, 7668, 2139, 3900, 1011, 24728, 1024, 20116, 1011, 2531, 2487, 3475, 1005, 1056,
        1026, 1038, 1028, 2551, 1026, 1013, 1038, 1028, 999, 999, 102,
    ]  # fmt: skip


def test_invisible_and_control_characters_are_dropped(encoder: SentenceEncoder) -> None:
    hidden = encoder.tokenizer.ids("x\u200by\x00", max_length=MAX_PIECES)
    assert hidden == encoder.tokenizer.ids("xy", max_length=MAX_PIECES) == [101, 1060, 2100, 102]


def test_vectors_match_the_reference_model(encoder: SentenceEncoder) -> None:
    vector = encoder.encode(ACCENTED)
    reference = [-0.05225, -0.01154, 0.05053, -0.03109, 0.04798, -0.00781]
    assert np.allclose(vector[:6], reference, atol=2e-5)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_a_batch_gives_the_same_vectors_as_one_text_at_a_time(encoder: SentenceEncoder) -> None:
    texts = ["How do I reset my password?", "lunch?", ACCENTED, "where is my data stored"]
    batch = encoder.encode_all(texts)
    one_by_one = np.stack([encoder.encode(text) for text in texts])
    assert np.allclose(batch, one_by_one, atol=1e-5)


def test_a_paraphrase_is_closer_than_an_unrelated_question(encoder: SentenceEncoder) -> None:
    question, paraphrase, unrelated = encoder.encode_all(
        ["How do I change or reset my password?", "forgot my login pwd", "where can I park?"]
    )
    assert float(question @ paraphrase) > float(question @ unrelated) + 0.2


def test_a_huge_input_is_cut_to_the_models_length(encoder: SentenceEncoder) -> None:
    ids = encoder.tokenizer.ids("word " * 50_000 + "x" * 50_000, max_length=MAX_PIECES)
    assert len(ids) == MAX_PIECES and ids[-1] == encoder.tokenizer.end_id
    assert encoder.encode("word " * 20_000).shape == (encoder.dimensions,)


def test_one_endless_word_is_a_single_unknown_piece(encoder: SentenceEncoder) -> None:
    tokenizer = encoder.tokenizer
    assert tokenizer.ids("a" * 100_000, max_length=MAX_PIECES) == [
        tokenizer.start_id,
        tokenizer.unknown_id,
        tokenizer.end_id,
    ]
