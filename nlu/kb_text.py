"""Knowledge-base answers as the chat shows them: without pointers to pages it cannot link.

The FAQ was written for a web site, so many answers end with a sentence that only sends the
reader elsewhere ("For more information, see About file versions.", "See Configure invite
links."). The chat has no such pages, so `readable_answer` drops those sentences and keeps
every other character of the answer as written. An answer that is nothing but a pointer is
kept whole: a page title is still better than an empty answer.
"""

from __future__ import annotations

import re

__all__ = ["is_pointer", "readable_answer"]

# A sentence ends at . ! or ? (optionally closed by a quote or bracket) followed by spaces;
# "E.164", "links.Cancel" (an image caption glued to the sentence) and "Collaborate vs.
# Collaborate Pro" do not end one.
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][”\"’)]))(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bcf\.)"
    r"[ \t]+(?=\S)"
)
# A list marker or numbered step before the line's text, kept with the line.
_LINE_LEAD = re.compile(r"^[ \t]*(?:(?:•|◦|▪|\*|-)[ \t]+|\d+\.[ \t]+)?")
# "See X." / "See X for more information." / "For more information(, about ...), see X." /
# "To replace an Edge, see X." / "If you want ..., see X": the sentence's only verb is "see"
# and what follows names a page. "See if ...", "to see whether ..." are not pointers.
_POINTER = re.compile(
    r"^(?:(?:For|To|If)\b[^.!?]*?,[ \t]*)?[Ss]ee[ \t]+(?!(?:if|whether|that|how)\b)\S.*$",
    re.DOTALL,
)


def is_pointer(sentence: str) -> bool:
    """True when the sentence only points to another page ("See Configure invite links.")."""
    return bool(_POINTER.match(sentence.strip()))


def readable_answer(text: str) -> str:
    """The answer without sentences that only point to another page; the rest verbatim.

    Lines keep their order, markers and wording; a line left with nothing but its marker is
    dropped. When nothing but pointers is left, the original text is returned unchanged.
    """
    kept_lines: list[str] = []
    removed = False
    for line in text.split("\n"):
        if not line.strip():
            kept_lines.append(line)
            continue
        lead = _LINE_LEAD.match(line)
        prefix = lead.group(0) if lead else ""
        sentences = _split_sentences(line[len(prefix) :])
        kept = [(sentence, gap) for sentence, gap in sentences if not is_pointer(sentence)]
        if len(kept) == len(sentences):
            kept_lines.append(line)
            continue
        removed = True
        if kept:
            body = "".join(sentence + gap for sentence, gap in kept).rstrip()
            kept_lines.append(prefix + body)
    if not removed:
        return text
    result = "\n".join(kept_lines).strip("\n")
    return result if result.strip() else text


def _split_sentences(text: str) -> list[tuple[str, str]]:
    """Each sentence with the whitespace that followed it, so joining them gives `text`."""
    pieces: list[tuple[str, str]] = []
    start = 0
    for gap in _SENTENCE_END.finditer(text):
        pieces.append((text[start : gap.start()], gap.group(0)))
        start = gap.end()
    pieces.append((text[start:], ""))
    return pieces
