"""The dialogue engine: holds every conversation, whatever the transport.

How a transport (terminal chat, Slack adapter) uses it::

    from bot.engine import Engine, open_engine
    from bot.messages import Inbound

    engine = open_engine(contacts=None)          # embedded store, directory, trained NLU
    replies = engine.handle(Inbound(sender_id="U01AAA", text="calls drop…",
                                    conversation_key="D123", received_at=now))
    for outbound in replies:                     # bot.messages.Outbound
        ...  # deliver by outbound.audience: REQUESTER (this conversation),
             # STAFF (the staff channel), NOTIFY (outbound.recipients by DM)

- A button press is an `Inbound` with `action` (Button.action_id) and `action_value`
  (Button.value, a Rasa payload such as "/affirm"); the payload skips the NLU. Requester
  buttons: confirm_case, edit_case, cancel_case, change_severity, answer_yes, answer_no,
  not_critical. Staff buttons are not payloads: take_case (value: the case number, call
  `staff_take`) and join_conversation (value: the requester's conversation key).
- `conversation_key` is the unit of state and locking ("D123", "C123:1700000000.0001").
- `sender_tz` (optional IANA name, Slack's users.info `tz`) goes into the user event's
  metadata; it decides due times and the phone line when the directory gives the
  organization no `timezone`/`country` (see actions/ports.py `find_person`).
- While the intake form waits for a conversation ID or a severity, a message read with
  confidence >= 0.8 as check_status, escalate, close_case, update_case, request_rca or
  ask_howto is answered by its rule and the form's question is asked again
  (bot/engine/dialogue.py, "form interruptions").
- `event_id` (e.g. Slack's) is deduplicated: a retried delivery returns [] and changes nothing.
- Staff side: `staff_take`, `staff_request_info`, `staff_propose_resolution`,
  `staff_change_severity`, `staff_reply` return Outbounds for the requester's thread
  (`data["conversation_key"]`) and a receipt for the staff channel. The actor must be staff.
- `run_timers()` fires due deadlines (staff reminder 30 minutes before an unacknowledged
  initial response is due; closure notice and closure when support's question goes
  unanswered; closure three business days after a proposed resolution). Call it periodically.
- `handle` is synchronous (safe to call inside an event loop); `handle_async` for async callers.

A turn: clean the text (4,000 characters max), parse it (NLU, or a button payload), add a
Rasa `user` event, pick actions by rules.yml (most specific rule first; `nlu_fallback` below
the confidence threshold), run forms from domain.yml, run custom actions through the real
rasa-sdk `ActionExecutor` (the same code `supportbot actions` serves), and save the events.
The whole turn runs under the conversation's store lock; nothing is saved when it fails.
"""

from bot.engine.engine import Engine
from bot.engine.factory import open_engine

__all__ = ["Engine", "open_engine"]
