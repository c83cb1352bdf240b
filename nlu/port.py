"""What the rest of the bot needs from the NLU: the seam the engine and actions are typed on.

`nlu.service.NluService` is the implementation; tests may pass anything with these methods
(a fixed parser, for example). Importing this module costs nothing: the result types are
named for the type checker only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from nlu.kb import KbMatch
    from nlu.service import ParseResult


class NluPort(Protocol):
    def parse(self, text: str, *, answers: Mapping[str, str] | None = None) -> ParseResult:
        """The message read: intent, severity reading, entities, issues, what to ask."""
        ...

    def answer(self, text: str) -> KbMatch | None:
        """The knowledge base's answer to a how-to question, or None when it has none."""
        ...
