"""A yes/no step takes only a clear answer; anything else asks again.

While a yes/no question waits (`pending_confirmation`: open the case? open it as High? close
it? did this solve it?), the classifier's affirm/deny is not trusted: "maybe" or "sure" would
open a case. A clear answer from `nlu.yes_no` decides; a question about the step is
answered in place; any other short or answer-like reply asks the question again. Messages
that plainly ask for something else (a status, a new problem) go on as usual.
"""

from __future__ import annotations

import re
from typing import Any

from actions.edit_fields import field_named
from nlu.yes_no import asks_about_the_step, read_yes_no

UNCLEAR_ANSWER = "unclear_answer"
STEP_QUESTION = "step_question"
# Readings that mean "some answer to the question" rather than a new request.
_ANSWER_LIKE = frozenset({"affirm", "deny", "nlu_fallback", "greet", "thanks", "goodbye"})
# Very short replies read as a report or a how-to ("wait", "skip") are answers too.
_SHORT_WORDS = 2
_SHORT_MISREADS = frozenset({"report_issue", "ask_howto"})


# The step that asks which detail of the summary to change: it takes a detail's name.
EDIT_FIELD_STEP = "edit_field"
# The summary's Confirm / Edit / Cancel: "edit", "change the impact" choose Edit.
SUMMARY_STEP = "create_case"
_EDIT = re.compile(r"^\s*(?:please\s+)?(?:edit|change|fix|correct)\b", re.I)


def _edit(parse_data: dict[str, Any], field: str | None) -> dict[str, Any]:
    entities = [{"entity": "field", "value": field}] if field else []
    return {**parse_data, "intent": {"name": "edit_case", "confidence": 1.0}, "entities": entities}


def gate_pending_answer(
    parse_data: dict[str, Any], *, pending: str | None, in_form: bool
) -> dict[str, Any]:
    """The parse with its intent replaced when a yes/no step waits for an answer."""
    if not pending or in_form:
        return parse_data
    text = str(parse_data.get("text") or "")
    intent = str((parse_data.get("intent") or {}).get("name") or "")
    if pending == EDIT_FIELD_STEP and (field := field_named(text)):
        return _edit(parse_data, field)
    if pending == SUMMARY_STEP and _EDIT.match(text):
        return _edit(parse_data, field_named(text))
    clear = read_yes_no(text)
    if clear is not None:
        decided = "affirm" if clear == "yes" else "deny"
    elif asks_about_the_step(text):
        decided = STEP_QUESTION
    elif intent in _ANSWER_LIKE or (
        len(text.split()) <= _SHORT_WORDS and intent in _SHORT_MISREADS
    ):
        decided = UNCLEAR_ANSWER
    else:
        return parse_data
    return {**parse_data, "intent": {"name": decided, "confidence": 1.0}}
