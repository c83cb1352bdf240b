"""BERT's uncased WordPiece tokenizer, read from a model's `vocab.txt`.

The sentence encoder needs the exact token ids its weights were trained with. This follows the
published BERT scheme (clean, lower-case, strip accents, split punctuation, then greedy
longest-match word pieces) so that no tokenizer library, and nothing downloaded, is needed.
Every step is a single pass over the text: linear in its length.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

UNKNOWN = "[UNK]"
START = "[CLS]"
END = "[SEP]"
# BERT marks a piece that continues a word with this prefix.
_CONTINUATION = "##"
# Longer "words" (base64, hashes, URLs without spaces) are one unknown token, as in BERT.
_LONGEST_WORD = 100


class WordPieceTokenizer:
    """Text to token ids for one vocabulary."""

    def __init__(self, vocabulary: list[str]) -> None:
        self._ids = {piece: index for index, piece in enumerate(vocabulary)}
        self._longest_piece = max(len(piece) for piece in vocabulary)
        self.start_id = self._ids[START]
        self.end_id = self._ids[END]
        self.unknown_id = self._ids[UNKNOWN]

    @classmethod
    def from_file(cls, path: Path) -> WordPieceTokenizer:
        return cls(path.read_text(encoding="utf-8").split("\n")[:-1])

    def ids(self, text: str, *, max_length: int) -> list[int]:
        """[CLS] + word pieces + [SEP], cut to `max_length` ids."""
        pieces: list[int] = []
        budget = max_length - 2
        for word in _basic_words(text):
            pieces.extend(self._word_ids(word))
            if len(pieces) >= budget:
                break
        return [self.start_id, *pieces[:budget], self.end_id]

    def _word_ids(self, word: str) -> list[int]:
        if len(word) > _LONGEST_WORD:
            return [self.unknown_id]
        found: list[int] = []
        start = 0
        while start < len(word):
            end = min(len(word), start + self._longest_piece)
            while end > start:
                piece = word[start:end] if start == 0 else _CONTINUATION + word[start:end]
                if piece in self._ids:
                    found.append(self._ids[piece])
                    break
                end -= 1
            if end == start:
                return [self.unknown_id]
            start = end
        return found


def _basic_words(text: str) -> list[str]:
    """Lower-cased, accent-free words with every punctuation mark and CJK character alone."""
    spaced: list[str] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        category = unicodedata.category(char)
        if char in "\t\n\r" or category == "Zs":
            spaced.append(" ")
        elif category == "Mn" or category[0] == "C" or char == "\ufffd":
            continue
        elif _is_punctuation(char, category) or _is_cjk(char):
            spaced.extend((" ", char, " "))
        else:
            spaced.append(char)
    return "".join(spaced).split()


def _is_punctuation(char: str, category: str) -> bool:
    # BERT counts every non-alphanumeric ASCII symbol ($, ^, `) as punctuation too.
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return category.startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B81F
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
