"""The sentences of a report that state its business impact, apart from the problem itself.

A long first message often says both what is broken and what that costs ("Calls drop after
30 seconds. Forty agents have to call customers back and the queue is backing up."). The
impact is taken from such sentences; when the report has none, the intake asks for it, so the
case never says "as described above".
"""

from __future__ import annotations

import re

# Sentences end at . ! ? or a line break (a linear split, no backtracking).
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_IMPACT = re.compile(
    r"\b(agents?|customers?|callers?|supervisors?|team|teams|staff|users?|people|everyone|"
    r"nobody|no one|all|whole|entire|half|most|\d+\s*%|revenue|sales|cost(?:s|ing)?|"
    r"lost|losing|backlog|backing up|waiting|wait|idle|can'?t work|unable to work|"
    r"slower|minutes|hours|sla|complain(?:ing|ts)?|impact(?:ed|s)?|affect(?:ed|s|ing)?)\b",
    re.IGNORECASE,
)


# In a one-sentence report, the clauses after a comma, semicolon or dash can carry it.
_CLAUSE = re.compile(r"[^,;]+(?:[,;]|$)")


def sentences(text: str) -> list[str]:
    """The text's sentences, stripped, in order."""
    return [part.strip() for part in _SENTENCE.findall(text) if part.strip()]


def impact_statement(text: str) -> str | None:
    """The impact sentences (or, in one sentence, clauses) after the first, which says what
    is broken; None when there are none."""
    parts = sentences(text)
    if len(parts) < 2:
        parts = [part.strip(" ,;") for part in _CLAUSE.findall(text) if part.strip(" ,;")]
    if len(parts) < 2:
        return None
    impact = [part for part in parts[1:] if _IMPACT.search(part)]
    return " ".join(impact) if impact else None
