"""Bad input gets a clear answer and changes nothing: empty, huge, odd Unicode, unknown text."""

from __future__ import annotations

from bot.messages import Audience
from tests.engine.conftest import Parse, by_kind, texts


def test_empty_and_blank_messages_get_a_hint_and_store_nothing(talk, store) -> None:
    ana = talk("U01AAA")
    for text in ("", "   ", "\u200b\u200b", "\x00\x07"):
        replies = ana.say(text)
        assert [r.kind for r in replies] == ["empty_message"]
    assert store.trackers.load("D-test") == []


def test_a_100_kb_message_is_truncated_politely(nlu, talk) -> None:
    huge = "The login page is slow. " * 4300  # about 100 KB
    replies = talk("U01AAA").say(huge)
    notice = by_kind(replies, "truncated")
    assert "read only the first 4,000" in notice.text
    assert f"{len(huge.strip()):,} characters" in notice.text


def test_odd_unicode_is_cleaned_before_understanding(nlu, talk) -> None:
    nlu.add(Parse(text="status of my cases", intent="check_status"))
    replies = talk("U01AAA").say("\u202estatus\u200b of my cases\ufeff")
    assert by_kind(replies, "status").text == "Your open cases: none."


def test_two_misunderstandings_bring_in_a_person(nlu, talk) -> None:
    ana = talk("U01AAA")
    first = ana.say("blorp")
    assert by_kind(first, "fallback")
    assert all(r.audience is Audience.REQUESTER for r in first)
    second = ana.say("zzzq")
    alert = by_kind(second, "staff_handoff_request")
    assert alert.audience is Audience.STAFF and "misunderstood 2 times" in alert.text
    assert by_kind(second, "human_handoff")


def test_understood_message_resets_the_misunderstanding_count(nlu, talk) -> None:
    nlu.add(Parse(text="hello", intent="greet"))
    ana = talk("U01AAA")
    ana.say("blorp")
    ana.say("hello")
    replies = ana.say("zzzq")
    assert not [r for r in replies if r.audience is Audience.STAFF]


def test_unknown_person_is_told_and_nothing_is_created(nlu, talk, store) -> None:
    nlu.add(Parse(text="Our reports are slow to load today", intent="report_issue", impact="minor"))
    replies = talk("U99NOBODY").say("Our reports are slow to load today")
    assert "can't find you in the directory" in texts(replies)
    assert store.cases.list_cases() == []


def test_malformed_and_unknown_case_numbers(nlu, talk) -> None:
    nlu.add(Parse(text="status of CS-12x", intent="check_status"))
    nlu.add(Parse(text="status of CS-9999", intent="check_status"))
    ana = talk("U01AAA")
    assert "isn't a case number" in texts(ana.say("status of CS-12x"))
    assert "can't find case CS-9999" in texts(ana.say("status of CS-9999"))


def test_markup_in_user_text_is_passed_as_plain_text(nlu, talk) -> None:
    text = "<!channel> our <https://evil.example|login> page is broken for everyone here"
    nlu.add(Parse(text=text, intent="report_issue", impact="minor"))
    replies = talk("U01CCC").say(text)
    notify = by_kind(replies, "notify_contacts")
    # The engine never adds markup; the text is handed over as plain text for escaping.
    assert "<!channel>" in notify.text and notify.recipients == ("U01AAA", "U01BBB")
