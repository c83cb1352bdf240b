"""`readable_answer`: FAQ answers without pointers to pages the chat cannot link to.

Every text here is copied from nlu/data/faq.txt.
"""

from __future__ import annotations

import re

import pytest

from nlu.kb import DEFAULT_FAQ, parse_faq
from nlu.kb_text import readable_answer


def test_a_for_more_information_pointer_is_dropped_and_the_rest_kept_verbatim() -> None:
    answer = (
        "To attach a file, either drag and drop a file into the email reply field or select "
        "Attach a file and select a file from the browser window. For more information about "
        "attaching a file to an ACD email, see Work with ACD email."
    )
    assert readable_answer(answer) == (
        "To attach a file, either drag and drop a file into the email reply field or select "
        "Attach a file and select a file from the browser window."
    )


def test_a_see_pointer_with_a_glued_image_caption_is_dropped() -> None:
    answer = (
        "Yes. Toggle the Open Admission switch to OFF in the Organization Settings. "
        "See Configure invite links.Cancel invite link"
    )
    assert readable_answer(answer) == (
        "Yes. Toggle the Open Admission switch to OFF in the Organization Settings."
    )


def test_a_see_pointer_without_a_full_stop_is_dropped() -> None:
    answer = (
        "The conversation ID is a unique identifier for each interaction in PureCloud. This ID "
        "is required by PureCloud Support for most Severity 1 tickets. See Get a conversation "
        "ID for Support"
    )
    assert readable_answer(answer) == (
        "The conversation ID is a unique identifier for each interaction in PureCloud. This ID "
        "is required by PureCloud Support for most Severity 1 tickets."
    )


def test_a_see_x_for_more_information_pointer_is_dropped() -> None:
    answer = (
        "PureCloud Chat supports simple markdown for formatting text in chats. "
        "See Format text in chats for more information."
    )
    assert readable_answer(answer) == (
        "PureCloud Chat supports simple markdown for formatting text in chats."
    )


def test_a_page_title_containing_vs_is_dropped_whole() -> None:
    answer = (
        "Collaborate Pro organizations have unlimited file storage in Documents. For more "
        "information about the differences between the levels of Collaborate, see the "
        "Collaborate vs. Collaborate Pro feature matrix"
    )
    assert readable_answer(answer) == (
        "Collaborate Pro organizations have unlimited file storage in Documents."
    )


def test_a_pointer_on_its_own_line_goes_and_the_steps_above_stay() -> None:
    steps = (
        "• Voicemail tab—The Unified Communications permission is required to view the "
        "voicemail tab. Follow these steps to add this permission:\n"
        "  • Click Admin > People and Permissions.\n"
        "  • Check General > Unified Communications."
    )
    answer = (
        steps + "\nFor more about permissions, see About People and Permissions and Products, "
        "roles, and permissions list."
    )
    assert readable_answer(answer) == steps


def test_a_pointer_ending_a_bullet_keeps_the_bullet() -> None:
    answer = (
        "• You can also search based on the tags you assigned to the file. See About content tags."
    )
    assert readable_answer(answer) == (
        "• You can also search based on the tags you assigned to the file."
    )


@pytest.mark.parametrize(
    "answer",
    [
        "See Eliminate the SIP proxy between the Edge and SIP provider.",
        "To replace a PureCloud Edge, see Replace the Edge.",
    ],
)
def test_an_answer_that_is_only_a_pointer_is_kept_as_it_is(answer: str) -> None:
    assert readable_answer(answer) == answer


@pytest.mark.parametrize(
    "answer",
    [
        "The PureCloud desktop app notifies you when a new version is available. However, you "
        "can also check to see if any new updates are available.",
        "To see details about a fax, such as the number you sent the fax to and when the fax "
        "was sent, go to the fax’s file in Documents and view the audit trail for the file.",
        "No. You can see only the reports that you create.",
    ],
)
def test_see_as_an_ordinary_verb_is_not_a_pointer(answer: str) -> None:
    assert readable_answer(answer) == answer


def shipped_answers() -> dict[str, str]:
    return {e.question: e.answer for e in parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8"))}


def test_no_shipped_answer_is_left_empty() -> None:
    empty = [q for q, answer in shipped_answers().items() if not readable_answer(answer).strip()]
    assert empty == []


def test_only_answers_that_are_nothing_but_a_pointer_still_say_see() -> None:
    pointing = re.compile(r"(?:^|[.!?] )See |, see ", re.MULTILINE)
    still = sorted(q for q, a in shipped_answers().items() if pointing.search(readable_answer(a)))
    assert still == [
        "Do I require a SIP proxy between the Edge and SIP provider?",
        "How do I replace a PureCloud Edge?",
    ]
