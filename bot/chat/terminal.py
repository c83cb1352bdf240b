"""A conversation in the terminal, marked by audience so a demo shows the whole picture.

    bot> …                     what the requester sees
    [staff #C0STAFF] …         what support staff receive
    [notify U01AAA, U01BBB] …  whom else the assistant informs

Buttons are listed as numbered choices; typing the number presses the button. A typed line
reaches the engine as plain text, as typed (`typed_text`): no channel's markup applies here, so
":fire:" or "<b>" stays what it says.
"""

from __future__ import annotations

import mimetypes
import shlex
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.engine.staff import StaffDesk
from bot.kinds import traits_of
from bot.messages import Audience, Button, Inbound, Outbound, SharedFile
from bot.store.models import OUTBOX_GRACE

HELP = """Type a message as the person you chat as. Commands:
  /help                         this help
  /quit                         leave (also Ctrl-D)
  1, 2, …                       press a numbered button
  /attach PATH                  attach a file on this computer to the case (by its path)
  /staff STAFF_ID VERB CS-1001 …  staff actions on a case:
      take | info TEXT | propose TEXT | reply TEXT | severity N [REASON]
      priority low|medium|high|critical | decline (a priority request)
      restored platform|isolated | rca TEXT | summary TEXT | close | reopen
    e.g. /staff U0STAFF1 info CS-1001 Which site is affected?"""


def typed_text(line: str) -> str:
    """This adapter's normaliser: a typed line is plain text already, so only trimmed."""
    return line.strip()


class TerminalChat:
    def __init__(
        self,
        engine: object,
        *,
        sender_id: str,
        clock: Callable[[], datetime],
        out: TextIO,
        conversation_key: str | None = None,
    ) -> None:
        self.engine = engine
        self.sender_id = sender_id
        self.clock = clock
        self.out = out
        self.conversation_key = conversation_key or f"terminal:{sender_id}:{uuid.uuid4().hex[:8]}"
        self.choices: list[Button] = []
        self._counter = 0

    def run(self, lines: Iterable[str], *, echo: bool) -> int:
        """Handle each line; returns the exit code (0 after /quit or end of input)."""
        for line in lines:
            text = line.rstrip("\n")
            if echo:
                self.out.write(f"you> {text}\n")
            if text.strip() in ("/quit", "/exit"):
                break
            self.say(text)
        return 0

    def say(self, text: str) -> list[Outbound]:
        stripped = typed_text(text)
        if stripped == "/help":
            self.out.write(HELP + "\n")
            return []
        if stripped.startswith("/staff"):
            return self._staff(stripped)
        if stripped == "/attach" or stripped.startswith("/attach "):
            return self._attach(stripped.removeprefix("/attach").strip())
        self.show(self.engine.run_timers())  # type: ignore[attr-defined]
        inbound = self._inbound(stripped)
        replies = self.engine.handle(inbound)  # type: ignore[attr-defined]
        self.show(replies)
        return replies

    def _attach(self, written: str) -> list[Outbound]:
        """A local file, shared by reference (its absolute path) as Slack shares a file."""
        shared = local_file(written)
        if isinstance(shared, str):
            self.out.write(shared + "\n")
            self.out.flush()
            return []
        self.show(self.engine.run_timers())  # type: ignore[attr-defined]
        inbound = Inbound(
            sender_id=self.sender_id,
            text="",
            conversation_key=self.conversation_key,
            received_at=self.clock(),
            channel="terminal",
            files=(shared,),
        )
        replies = self.engine.handle(inbound)  # type: ignore[attr-defined]
        self.show(replies)
        return replies

    def _inbound(self, text: str) -> Inbound:
        self._counter += 1
        now = self.clock()
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            chosen = self.choices[int(text) - 1]
            return Inbound(
                sender_id=self.sender_id,
                text=chosen.label,
                conversation_key=self.conversation_key,
                received_at=now,
                channel="terminal",
                action=chosen.action_id,
                action_value=chosen.value,
            )
        return Inbound(
            sender_id=self.sender_id,
            text=text,
            conversation_key=self.conversation_key,
            received_at=now,
            channel="terminal",
        )

    def _staff(self, command: str) -> list[Outbound]:
        try:
            parts = shlex.split(command)
        except ValueError:
            parts = command.split()
        if len(parts) < 4 or parts[2] not in STAFF_COMMANDS:
            self.out.write(HELP + "\n")
            return []
        _, staff_id, verb, number, *rest = parts
        desk = self.engine.staff  # type: ignore[attr-defined]
        replies = STAFF_VERBS[verb](desk, number, staff_id, rest)
        self.show(replies)
        return replies

    def show(self, replies: list[Outbound]) -> None:
        buttons: list[Button] = []
        for reply in replies:
            self.out.write(render(reply) + "\n")
            if reply.audience is Audience.REQUESTER and reply.buttons:
                start = len(buttons) + 1
                buttons.extend(reply.buttons)
                listed = "  ".join(f"[{start + i}] {b.label}" for i, b in enumerate(reply.buttons))
                self.out.write(f"     {listed}\n")
        if replies:
            self.choices = buttons
        self.out.flush()
        self._settle_owed(replies)

    def _settle_owed(self, replies: list[Outbound]) -> None:
        """What the cases shown here owe has been shown here: clear it from the outbox.

        Only those cases' items: a Slack server on the same store delivers the others.
        """
        touched = {r.case_number for r in replies if r.case_number}
        if not touched:
            return
        outbox = self.engine.store.outbox  # type: ignore[attr-defined]
        for item in outbox.due(self.clock() + OUTBOX_GRACE, limit=1000):
            if item.case_number in touched:
                outbox.settle(item.item_id)


def local_file(written: str) -> SharedFile | str:
    """The file at a typed path (quotes and ~ allowed), or the one line saying why not."""
    if not written:
        return "Usage: /attach PATH, e.g. /attach ~/logs/report.pdf"
    quoted = len(written) > 1 and written[0] in "'\"" and written[-1] == written[0]
    unquoted = written[1:-1] if quoted else written
    path = Path(unquoted).expanduser()
    try:
        if not path.is_file():
            return f"There's no file at {unquoted}, so nothing was attached."
        size = path.stat().st_size
    except OSError as error:
        why = error.strerror or "unreadable"
        return f"I can't read {unquoted} ({why}), so nothing was attached."
    mimetype, _ = mimetypes.guess_type(path.name)
    return SharedFile(
        name=path.name,
        mimetype=mimetype or "application/octet-stream",
        size=size,
        permalink=str(path.resolve()),
    )


def _text(rest: list[str]) -> str:
    return " ".join(rest)


def _first(rest: list[str]) -> str:
    return rest[0] if rest else ""


def _severity(rest: list[str]) -> int:
    return int(_first(rest)) if _first(rest).isdigit() else 0


_Verb = Callable[[StaffDesk, str, str, list[str]], list[Outbound]]
# `/staff STAFF_ID VERB CS-n REST...`: each verb on the staff desk.
STAFF_VERBS: dict[str, _Verb] = {
    "take": lambda desk, number, staff, rest: desk.take(number, staff),
    "info": lambda desk, number, staff, rest: desk.request_info(number, staff, _text(rest)),
    "propose": lambda desk, number, staff, rest: desk.propose_resolution(
        number, staff, _text(rest)
    ),
    "reply": lambda desk, number, staff, rest: desk.reply(number, staff, _text(rest)),
    "severity": lambda desk, number, staff, rest: desk.change_severity(
        number, staff, _severity(rest), _text(rest[1:])
    ),
    "priority": lambda desk, number, staff, rest: desk.change_priority(number, staff, _first(rest)),
    "decline": lambda desk, number, staff, rest: desk.decline_priority(number, staff),
    "restored": lambda desk, number, staff, rest: desk.record_restoration(
        number, staff, _first(rest)
    ),
    "rca": lambda desk, number, staff, rest: desk.deliver_rca(number, staff, _text(rest)),
    "summary": lambda desk, number, staff, rest: desk.deliver_summary(number, staff, _text(rest)),
    "close": lambda desk, number, staff, rest: desk.close(number, staff),
    "reopen": lambda desk, number, staff, rest: desk.reopen(number, staff),
}
STAFF_COMMANDS = tuple(STAFF_VERBS)


def render(reply: Outbound) -> str:
    if reply.audience is Audience.STAFF:
        channel = ", ".join(f"#{r}" for r in reply.recipients)
        prefix = f"[staff {channel}] " if channel else "[staff] "
    elif reply.audience is Audience.NOTIFY:
        prefix = f"[notify {', '.join(reply.recipients)}] "
    elif reply.recipients and traits_of(reply.kind).from_staff:  # what support sent them
        prefix = f"bot> (to {', '.join(reply.recipients)}) "
    else:
        prefix = "bot> "
    lines = reply.text.splitlines() or [""]
    indent = " " * len(prefix) if len(prefix) <= 12 else "     "
    return "\n".join([prefix + lines[0], *(indent + line for line in lines[1:])])
