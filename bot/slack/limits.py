"""Slack's length limits, and cutting text to them in Slack's own units.

Slack states its limits in "characters" without saying which kind. Its clients are
JavaScript, where a string's length is its count of UTF-16 code units, so an emoji outside
the Basic Multilingual Plane (🚀) counts 2; we count the same way. A UTF-16 count is never
less than a count of code points, so text cut to it fits whichever of the two Slack uses.

Each limit below names where Slack documents it: docs.slack.dev/reference/... pages unless
another address is given.
"""

from __future__ import annotations

import re
import unicodedata

TEXT = 3000  # any text object, so a context element (block-kit/composition-objects/text-object)
SECTION_TEXT = 3000  # a section's `text` (block-kit/blocks/section-block)
SECTION_FIELD = 2000  # each of a section's `fields` (block-kit/blocks/section-block)
SECTION_FIELDS = 10  # fields in one section (block-kit/blocks/section-block)
HEADER = 150  # a header block's text (block-kit/blocks/header-block)
CONTEXT_ELEMENTS = 10  # elements of a context block (block-kit/blocks/context-block)
BUTTON = 75  # a button's text (block-kit/block-elements/button-element)
BUTTON_VALUE = 2000  # a button's value (block-kit/block-elements/button-element)
OPTION = 75  # an option's text (block-kit/composition-objects/option-object)
PLACEHOLDER = 150  # a select menu's placeholder (block-kit/block-elements/select-menu-element)
INPUT_LABEL = 2000  # an input block's label (block-kit/blocks/input-block)
INPUT_HINT = 2000  # an input block's hint (block-kit/blocks/input-block)
INPUT_MAX_LENGTH = 3000  # largest plain-text input max_length (plain-text-input-element)
MODAL_TITLE = 24  # a modal's title, submit and close texts (views/modal-views)
# A confirmation dialog (block-kit/composition-objects/confirmation-dialog-object).
CONFIRM_TITLE = 100
CONFIRM_TEXT = 300
CONFIRM_BUTTON = 30  # its confirm and deny texts
BLOCK_ID = 255  # any block's block_id (every block's reference page)
MESSAGE_BLOCKS = 50  # blocks in one message (api.slack.com/json-schema/block-kit, maxItems)
VIEW_BLOCKS = 100  # blocks in a modal or App Home view (views/modal-views)
# A message's top-level `text`; longer is truncated
# (api.slack.com/changelog/2018-04-truncating-really-long-messages).
MESSAGE_TEXT = 40_000

ELLIPSIS = "…"
# A tail that would show as broken markup once cut: part of an entity (`&amp;`, `&lt;`,
# `&gt;`) or an unclosed `<…>` token (a mention or link of ours).
_BROKEN_TAIL = re.compile(r"(?:&[a-z]{0,3}|<[^>]*)$")
_JOINERS = {"\u200d", "\u20e3"}  # zero-width joiner; keycap
_MARKS = {"Mn", "Mc", "Me"}  # combining marks belong to the letter before them
_FLAG_LETTERS = "".join(map(chr, range(0x1F1E6, 0x1F200)))  # regional indicators, in pairs


def length(text: str) -> int:
    """How long Slack counts `text`: in UTF-16 code units (an emoji may count 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut(text: str, limit: int, *, mark: str = ELLIPSIS) -> str:
    """`text` if it fits in `limit`, else its longest clean prefix and `mark`, within `limit`.

    The prefix ends on a whole character as people see it: never inside a surrogate pair,
    between an emoji and its modifiers or joiners, or inside an entity or `<…>` token.
    """
    if length(text) <= limit:
        return text
    room = limit - length(mark)
    if room < 0:
        return ""
    end = used = 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            break
        end += 1
    while end and _holds_together(text, end):
        end -= 1
    return _BROKEN_TAIL.sub("", text[:end]).rstrip() + mark


def _holds_together(text: str, end: int) -> bool:
    """Whether a cut before `text[end]` would split one visible character in two."""
    before, after = text[end - 1], text[end]
    if after in _JOINERS or before == "\u200d" or unicodedata.category(after) in _MARKS:
        return True
    if "\ufe00" <= after <= "\ufe0f" or "\U0001f3fb" <= after <= "\U0001f3ff":
        return True  # variation selector or skin tone
    if "\U000e0020" <= after <= "\U000e007f":
        return True  # emoji tag (subdivision flags)
    if before in _FLAG_LETTERS and after in _FLAG_LETTERS:
        letters = end - len(text[:end].rstrip(_FLAG_LETTERS))
        return letters % 2 == 1  # an odd letter before the cut is half a flag
    return False
