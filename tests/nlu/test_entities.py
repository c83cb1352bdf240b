"""Entity rules: normalised values, UUID roles by context, corpus offsets through Slack markup."""

from __future__ import annotations

import pytest

from nlu.entities import EntityExtractor
from nlu.markup import slack_to_plain
from nlu.training_data import AnnotatedEntity, as_plain_text, load_training_data

ORG = "6d1c2b8e-4f3a-4b5e-9c7d-1a2b3c4d5e6f"
CONVERSATION = "9b1d7e22-40a3-4c5f-8e61-77d0c2a9b4e5"


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(load_training_data())


def values(extractor: EntityExtractor, text: str, name: str) -> list[str]:
    return [e.value for e in extractor.extract(text) if e.entity == name]


@pytest.mark.parametrize(
    "text", ["CS-1042", "cs 1042", "case #1042", "case 1042", "ticket 1042", "Case number 1042"]
)
def test_case_numbers_are_normalised(extractor: EntityExtractor, text: str) -> None:
    assert values(extractor, f"what about {text}?", "case_number") == ["CS-1042"]


def test_uuid_role_follows_the_words_before_it(extractor: EntityExtractor) -> None:
    text = f"org id {ORG} and conversation id {CONVERSATION.upper()}"
    assert values(extractor, text, "org_id") == [ORG]
    assert values(extractor, text, "conversation_id") == [CONVERSATION]
    assert values(extractor, f"call id: {CONVERSATION}", "conversation_id") == [CONVERSATION]


@pytest.mark.parametrize(
    ("text", "count"),
    [("about 40 agents are affected", "40"), ("all 200 users", "200"), ("12 supervisors", "12")],
)
def test_affected_users_is_the_number(extractor: EntityExtractor, text: str, count: str) -> None:
    assert values(extractor, text, "affected_users") == [count]


def test_product_areas_sites_regions_and_short_name(extractor: EntityExtractor) -> None:
    text = "org short name acme-prod: web phone and IVR broken at the Manila site in us-east-1"
    assert values(extractor, text, "product_area") == ["webrtc_phone", "architect"]
    assert values(extractor, text, "site") == ["Manila"]
    assert values(extractor, text, "region") == ["us-east-1"]
    assert values(extractor, text, "org_short_name") == ["acme-prod"]


def test_malformed_ids_are_not_entities(extractor: EntityExtractor) -> None:
    assert values(extractor, "org id 6d1c2b8e-4f3a-4b5e-9c7d", "org_id") == []
    assert values(extractor, "case 12", "case_number") == []


def test_slack_rules_keep_offsets_for_the_corpus() -> None:
    """The corpus was written as Slack messages: read with Slack's rules (mentions as "@user",
    as the model always saw them), every character still knows where it came from."""
    original = "<@U123ABC> see <#C42|ops> and <https://x.example/a|the runbook> :fire: &amp; go"
    clean = slack_to_plain(original)
    assert " ".join(clean.text.split()) == "@user see #ops and the runbook & go"
    start = clean.text.index("runbook")
    begin, end = clean.original_span(start, start + len("runbook"))
    assert original[begin:end] == "runbook"


def test_a_corpus_example_keeps_its_entities_through_slack_markup() -> None:
    written = "<!here> :fire: the Orlando site is down"
    site = AnnotatedEntity("site", "Orlando", written.index("Orlando"), written.index(" site"))
    text, (moved,) = as_plain_text(written, (site,))
    assert text.startswith("@here ") and text[moved.start : moved.end] == "Orlando"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("raise CS-1042 to high", "2"),
        ("change sev to 3", "3"),
        ("P1 outage!", "1"),
        ("this is a medium priority thing", "3"),
        ("severity: low", "4"),
    ],
)
def test_a_named_severity_is_its_level(extractor: EntityExtractor, text: str, level: str) -> None:
    assert values(extractor, text, "severity") == [level]


def test_ordinary_words_are_not_severities(extractor: EntityExtractor) -> None:
    assert values(extractor, "we have high call volume on the p2 floor", "severity") == []
