"""What the dialogue engine relies on from `NluService.parse`."""

from __future__ import annotations

import pytest

from bot.slack.markup import plain_text
from nlu.markup import read_plain
from nlu.service import NluService

CRITICAL = "the whole contact center is down, no agent can take any calls :fire:"


def test_parse_result_has_exactly_the_documented_json_schema(service: NluService) -> None:
    result = service.parse(CRITICAL).to_dict()
    assert set(result) == {
        "text", "intent", "severity", "workaround", "impact", "entities", "issues",
    }  # fmt: skip
    assert set(result["intent"]) == {"name", "confidence"}
    assert set(result["severity"]) == {"level", "confidence", "reasons", "ask", "factors"}
    assert set(result["severity"]["factors"]) == {"function", "effect", "scope", "workaround"}
    assert result["text"] == CRITICAL
    assert 0.0 <= result["intent"]["confidence"] <= 1.0


def test_outage_without_workaround_is_critical_with_quoted_reasons(service: NluService) -> None:
    result = service.parse(CRITICAL)
    assert result.intent == "report_issue"
    assert result.impact == "blocked"
    assert result.severity == 1
    assert result.severity_confidence > 0.3
    assert any('"down"' in reason or '"no agent"' in reason for reason in result.severity_reasons)


@pytest.mark.parametrize(
    ("text", "workaround"),
    [
        ("all outbound calls fail from every site and there is no workaround", "no"),
        ("agents can't log in with sso. we tried clearing caches and it still fails", "no"),
        ("calls are dropping for agents in the Dallas site since this morning", "unknown"),
    ],
)
def test_workaround_reads_negation_and_outcome(
    service: NluService, text: str, workaround: str
) -> None:
    assert service.parse(text).workaround == workaround


@pytest.mark.parametrize(
    "text",
    [
        "webrtc phones won't register for anyone, but agents can still use their desk phones",
        "the edge at our Denver site is offline so calls there fail, "
        "we rerouted the numbers to Austin for now",
    ],
)
def test_a_stop_with_a_workaround_of_unclear_effect_asks_whether_work_goes_on(
    service: NluService, text: str
) -> None:
    assert service.parse(text).ask == ["workaround"]


def test_the_workaround_answer_decides_between_high_and_medium(service: NluService) -> None:
    text = "webrtc phones won't register for anyone, but agents can still use their desk phones"
    assert service.parse(text, answers={"workaround": "partial"}).severity == 2
    assert service.parse(text, answers={"workaround": "works"}).severity == 3


def test_feature_request_is_low(service: NluService) -> None:
    result = service.parse("feature request: let supervisors export all recordings at once")
    assert result.severity == 4


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hi there", "greet"),
        ("what's the status of CS-10422?", "check_status"),
        ("please escalate case 88123, no reply for 3 days", "escalate"),
        ("close CS-4410, it's fixed", "close_case"),
        ("how do I find my organization ID?", "ask_howto"),
        ("thanks!", "thanks"),
    ],
)
def test_intents_and_no_severity_for_conversation(
    service: NluService, text: str, intent: str
) -> None:
    result = service.parse(text)
    assert result.intent == intent
    if intent != "ask_howto":
        assert result.severity is None
        assert result.to_dict()["severity"]["level"] is None


def test_several_problems_are_counted_and_split(service: NluService) -> None:
    result = service.parse(
        "two things: the Dallas edge keeps rebooting and calls there drop. "
        "Separately, the scheduled queue report has been empty since friday."
    )
    assert result.issues == 2
    assert "edge" in result.issue_spans[0]
    assert "report" in result.issue_spans[1]


def test_one_long_description_is_one_issue(service: NluService) -> None:
    result = service.parse(
        "Since 08:15 our agents in Manila can't receive inbound calls. The calls ring on the "
        "flow but never alert. We restarted the edge and cleared caches, nothing changed."
    )
    assert result.issues == 1


def test_entity_offsets_point_into_the_text_the_slack_adapter_hands_over(
    service: NluService,
) -> None:
    slack_text = (
        "<@U02BOT> :fire: <https://status.example.com|status> org id "
        "6d1c2b8e-4f3a-4b5e-9c7d-1a2b3c4d5e6f, about 40 agents, case #1042"
    )
    text = plain_text(slack_text, bot_user_id="U02BOT")
    assert text.startswith("status (https://status.example.com) org id ")
    result = service.parse(text)
    by_name = {entity.entity: entity for entity in result.entities}
    org = by_name["org_id"]
    assert text[org.start : org.end] == "6d1c2b8e-4f3a-4b5e-9c7d-1a2b3c4d5e6f"
    assert by_name["affected_users"].value == "40"
    case = by_name["case_number"]
    assert (case.value, text[case.start : case.end]) == ("CS-1042", "case #1042")


def test_the_nlu_reads_no_channels_markup() -> None:
    """Slack's syntax is the Slack adapter's business: typed elsewhere, it is just text."""
    typed = "<@U123> said :fire: &amp; <b>bold</b> at <https://x.example|x>"
    assert read_plain(typed).text == typed
    assert read_plain("so   slow!!!!!!").text == "so slow!!!"  # channel-neutral folding stays


@pytest.mark.parametrize(
    "text", ["", "   ", ":fire: :fire:", "\u200b\u00e9\u6f22" * 3, "x" * 100_000]
)
def test_odd_input_gives_an_answer_not_an_error(service: NluService, text: str) -> None:
    result = service.parse(text).to_dict()
    assert result["text"] == text
    assert isinstance(result["intent"]["name"], str)


def test_a_critical_problem_is_not_averaged_away_by_a_minor_one(service: NluService) -> None:
    result = service.parse(
        "two problems: nobody at the Lisbon site can make outbound calls, "
        "and the recordings from yesterday are missing"
    )
    assert result.issues == 2
    assert result.severity == 1
    assert result.issue_spans[1].startswith("the recordings")
