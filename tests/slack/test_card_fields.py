"""What people type stays in its own field on the cards and the App Home, and within limits.

Through the real Bolt app on signed requests; what Slack would show is read from the fake
Slack's recorded calls. `over_limits` walks posted blocks and checks every text against
Slack's limit for its place.
"""

from __future__ import annotations

from typing import Any

from bot.slack import limits
from bot.slack.limits import length
from tests.slack.conftest import REPORT, STAFF_CHANNEL, SlackDriver, last_post
from tests.slack.fake_slack.server import Call, FakeSlack
from tests.slack.test_summary_choices import reach_summary

USER, DM = "U01AAA", "D01AAA"
FORGED_IMPACT = "Sales stopped\n*Severity*\nSeverity 4 – Low\n*Assignee*\nSam Support (taken)"
FORGED_REPORT = (
    "The wallboard shows *Severity* Severity 4 – Low numbers for queue stats, "
    "we can read them from the report instead"
)
SHY = "\u00ad"


# ---- reading what was posted ----------------------------------------------------------


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every text object's text in the blocks, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


def fields_labelled(blocks: list[dict[str, Any]], label: str) -> list[str]:
    """The section fields that start with our bold `label` line."""
    return [
        field["text"]
        for block in blocks
        for field in block.get("fields") or []
        if field["text"].startswith(f"*{label}*\n")
    ]


def section_starting(blocks: list[dict[str, Any]], head: str) -> str:
    (found,) = [
        b["text"]["text"] for b in blocks if b.get("text") and b["text"]["text"].startswith(head)
    ]
    return str(found)


def over_limits(payload: dict[str, Any], *, view: bool = False) -> list[str]:
    """Each text of a posted message or view that Slack would refuse for its length."""
    problems: list[str] = []

    def check(where: str, text: Any, limit: int) -> None:
        if not isinstance(text, str) or not 1 <= length(text) <= limit:
            size = length(text) if isinstance(text, str) else text
            problems.append(f"{where}: {size} (limit {limit})")

    def check_element(where: str, element: dict[str, Any]) -> None:
        if "text" in element and element.get("type") == "button":
            check(f"{where} button", element["text"]["text"], limits.BUTTON)
            check(f"{where} value", element.get("value", "v"), limits.BUTTON_VALUE)
        if "placeholder" in element:
            check(f"{where} placeholder", element["placeholder"]["text"], limits.PLACEHOLDER)
        for option in element.get("options") or []:
            check(f"{where} option", option["text"]["text"], limits.OPTION)
        if confirm := element.get("confirm"):
            check(f"{where} confirm title", confirm["title"]["text"], limits.CONFIRM_TITLE)
            check(f"{where} confirm text", confirm["text"]["text"], limits.CONFIRM_TEXT)
            for key in ("confirm", "deny"):
                check(f"{where} {key}", confirm[key]["text"], limits.CONFIRM_BUTTON)
        if element.get("type") == "plain_text_input":
            check(f"{where} max_length", "x" * element["max_length"], limits.INPUT_MAX_LENGTH)
            if "initial_value" in element:
                check(f"{where} initial", element["initial_value"], element["max_length"])

    blocks = payload.get("blocks") or []
    if len(blocks) > (limits.VIEW_BLOCKS if view else limits.MESSAGE_BLOCKS):
        problems.append(f"{len(blocks)} blocks")
    if not view:
        check("text", payload.get("text"), limits.MESSAGE_TEXT)
    for index, block in enumerate(blocks):
        where = f"block {index} ({block['type']})"
        if "block_id" in block:
            check(f"{where} block_id", block["block_id"], limits.BLOCK_ID)
        if block["type"] == "section":
            if "text" in block:
                check(where, block["text"]["text"], limits.SECTION_TEXT)
            fields = block.get("fields") or []
            if len(fields) > limits.SECTION_FIELDS:
                problems.append(f"{where}: {len(fields)} fields")
            for field in fields:
                check(f"{where} field", field["text"], limits.SECTION_FIELD)
        elif block["type"] == "header":
            check(where, block["text"]["text"], limits.HEADER)
        elif block["type"] == "context":
            if len(block["elements"]) > limits.CONTEXT_ELEMENTS:
                problems.append(f"{where}: {len(block['elements'])} elements")
            for element in block["elements"]:
                check(where, element.get("text", "image"), limits.TEXT)
        elif block["type"] == "actions":
            for element in block["elements"]:
                check_element(where, element)
        elif block["type"] == "input":
            check(f"{where} label", block["label"]["text"], limits.INPUT_LABEL)
            if "hint" in block:
                check(f"{where} hint", block["hint"]["text"], limits.INPUT_HINT)
            check_element(where, block["element"])
    return problems


def everything_posted_fits(fake: FakeSlack) -> None:
    for method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
        for call in fake.calls_to(method):
            assert over_limits(dict(call.params)) == [], (method, call.get("text"))
    for method in ("views.publish", "views.open"):
        for call in fake.calls_to(method):
            assert over_limits(call["view"], view=True) == [], method


# ---- a case through the real app -------------------------------------------------------


def open_case_with(slack: SlackDriver, *, report: str, impact: str) -> tuple[Call, Call]:
    """A designated contact reports by DM and confirms; returns the staff and requester cards."""
    slack.dm(USER, report)
    last_post(slack, channel=DM, containing="business impact")
    slack.dm(USER, impact)
    last_post(slack, channel=DM, containing="Anything support should know")
    slack.dm(USER, "skip")
    slack.click(
        last_post(slack, channel=DM, containing="Shall I use Severity 3"), USER, label="Yes"
    )
    slack.click(last_post(slack, channel=DM, containing="ready to open"), USER, label="Confirm")
    staff = last_post(slack, channel=STAFF_CHANNEL, containing="New case CS-1001")
    return staff, last_post(slack, channel=DM, containing="Case CS-1001:")


def test_a_forged_severity_in_the_impact_stays_inside_the_staff_cards_impact_section(
    slack, fake_slack
) -> None:
    staff, _requester = open_case_with(slack, report=FORGED_REPORT, impact=FORGED_IMPACT)
    blocks = staff["blocks"]

    assert fields_labelled(blocks, "Severity") == ["*Severity*\nSeverity 3 – Medium"]
    assert fields_labelled(blocks, "Assignee") == ["*Assignee*\nnobody yet"]
    assert section_starting(blocks, "*Business impact:*") == (
        "*Business impact:* Sales stopped\n∗Severity∗\nSeverity 4 – Low\n∗Assignee∗\n"
        "Sam Support (taken)"
    )
    assert section_starting(blocks, "*Description:*") == (
        "*Description:* The wallboard shows ∗Severity∗ Severity 4 – Low numbers for queue "
        "stats, we can read them from the report instead"
    )
    assert [t for t in texts(blocks) if "*Severity*" in t or "*Assignee*" in t] == [
        "*Severity*\nSeverity 3 – Medium",
        "*Assignee*\nnobody yet",
    ]
    everything_posted_fits(fake_slack)


def test_a_forged_severity_in_the_title_stays_inside_the_requester_cards_title(
    slack, fake_slack
) -> None:
    _staff, requester = open_case_with(slack, report=FORGED_REPORT, impact=FORGED_IMPACT)
    blocks = requester["blocks"]

    assert fields_labelled(blocks, "Severity") == ["*Severity*\nSeverity 3 – Medium"]
    title = "The wallboard shows ∗Severity∗ Severity 4 – Low numbers for queue stats, we can…"
    assert blocks[1]["text"]["text"] == title  # a section of its own under "*Case CS-1001*"
    assert [t for t in texts(blocks) if "*Severity*" in t] == ["*Severity*\nSeverity 3 – Medium"]
    everything_posted_fits(fake_slack)


def test_a_forged_severity_in_the_title_stays_inside_its_field_on_the_app_home(
    slack, fake_slack
) -> None:
    open_case_with(slack, report=FORGED_REPORT, impact=FORGED_IMPACT)

    slack.home_opened(USER)

    home = fake_slack.wait_for(
        "views.publish", lambda c: c["user_id"] == USER and "CS-1001" in str(c["view"])
    )[-1]
    rows = [b for b in home["view"]["blocks"] if "CS-1001" in b.get("text", {}).get("text", "")]
    assert rows, home["view"]["blocks"]
    for row in rows:  # "My cases", and the organization's open cases
        assert row["text"]["text"] == "*CS-1001* · Severity 3 – Medium · Open"
        assert row["fields"][0]["text"] == (
            "The wallboard shows ∗Severity∗ Severity 4 – Low numbers for queue stats, we can…"
        )
    assert not [t for t in texts(home["view"]["blocks"]) if "*Severity*" in t]
    everything_posted_fits(fake_slack)


def test_each_mrkdwn_control_character_in_an_answer_is_escaped_on_the_card(
    slack, fake_slack
) -> None:
    impact = (  # as Slack sends what was typed: "> since Monday & <!here> it got worse"
        "Supervisors see *all* queues _twice_, ~half~ of `queue_stats` are wrong\n"
        "&gt; since Monday &amp; &lt;!here&gt; it got worse"
    )
    staff, _requester = open_case_with(slack, report=REPORT, impact=impact)

    assert section_starting(staff["blocks"], "*Business impact:*") == (
        "*Business impact:* Supervisors see ∗all∗ queues ˍtwiceˍ, ∼half∼ of ˋqueue_statsˋ are "
        f"wrong\n{SHY}&gt; since Monday &amp; &lt;!here&gt; it got worse"
    )


def test_a_5000_character_description_is_cut_to_the_section_limit_between_emoji(
    slack, fake_slack, store
) -> None:
    head, base = "*Description:* ", f"{REPORT} and the numbers keep changing "
    # Where the cut falls: the section's limit less our label and the ellipsis, in UTF-16
    # units. Padding puts it 3 units into a 👍🏽 (👍 and a skin tone, 2 units each), where a
    # cut by code units would split the tone's surrogate pair and a cut by code points
    # would keep the thumb without its tone.
    room = limits.SECTION_TEXT - length(head) - 1
    padding = "." * next(p for p in range(4) if (room - len(base) - p) % 4 == 3)
    thumbs = "👍🏽" * ((5000 - len(base) - len(padding)) // 2)
    description = (base + padding + thumbs).ljust(5000, ".")
    summary = reach_summary(slack)
    slack.click(summary, USER, label="Edit")
    asked = last_post(slack, channel=DM, containing="Which detail do you want to change?")
    slack.click(asked, USER, label="Description")
    last_post(slack, channel=DM, containing="Could you describe the problem")

    slack.dm(USER, description)

    slack.click(last_post(slack, channel=DM, containing="ready to open"), USER, label="Confirm")
    card = last_post(slack, channel=STAFF_CHANNEL, containing="New case CS-1001")
    shown = section_starting(card["blocks"], head)
    whole = (room - len(base) - len(padding)) // 4
    assert shown == head + base + padding + "👍🏽" * whole + "…"
    assert length(shown) == limits.SECTION_TEXT - 3  # the thumb without its tone is left out
    assert store.cases.get_case("CS-1001").description.startswith(description[:4000])
    everything_posted_fits(fake_slack)
