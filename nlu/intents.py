"""Rules on top of the intent classifier, for readings its bag of words cannot make.

- Yes/no answers and small talk are short. A bag of words sees "no" in "no calls since 9"
  and votes `deny`; a message of more than SHORT_WORDS words is never read as one of them.
- A message that names an existing case is about that case: "re CS-2040: still getting the
  echo after the firmware update" is an update, though every other word is a problem report.
  A report that names a case becomes the most likely case intent instead.
"""

from __future__ import annotations

from collections.abc import Mapping

SHORT_INTENTS = frozenset({"affirm", "deny", "greet", "goodbye", "thanks"})
CASE_INTENTS = frozenset(
    {"update_case", "change_priority", "close_case", "escalate", "request_rca", "check_status"}
)
SHORT_WORDS = 8


def choose_intent(scores: Mapping[str, float], *, word_count: int, names_a_case: bool) -> str:
    """The most likely intent the rules above allow."""
    allowed = dict(scores)
    if word_count > SHORT_WORDS:
        allowed = {name: p for name, p in allowed.items() if name not in SHORT_INTENTS}
    best = max(allowed, key=allowed.__getitem__)
    if best == "report_issue" and names_a_case:
        case_scores = {name: p for name, p in allowed.items() if name in CASE_INTENTS}
        if case_scores:
            best = max(case_scores, key=case_scores.__getitem__)
    return best
