"""Knowledge base: the seed FAQ format, retrieval, abstention, and the `kb` CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from nlu.kb import DEFAULT_FAQ, KnowledgeBase, parse_faq

FAQ = """FAQs


  • How do I find my organization ID?

    To view your organization ID, follow these steps:

    • Choose Admin > Account Settings.
    • Click Advanced.

    The ID appears on the page.

  • Can I opt out of an update?

    No. Everyone always has the latest version.
"""


def test_nested_bullets_belong_to_the_answer() -> None:
    entries = parse_faq(FAQ)
    assert [entry.question for entry in entries] == [
        "How do I find my organization ID?",
        "Can I opt out of an update?",
    ]
    assert "• Click Advanced." in entries[0].answer
    assert entries[0].answer.endswith("The ID appears on the page.")


def test_the_shipped_seed_faq_parses_every_question() -> None:
    entries = parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8"))
    assert len(entries) == 125
    assert all(entry.answer for entry in entries[:-1])


def test_paraphrase_is_answered_and_off_topic_abstains() -> None:
    kb = KnowledgeBase(parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8")))
    match = kb.answer("forgot my pwd, how do i reset it")
    assert match is not None and match.question == "How do I change or reset my password?"
    assert kb.answer("what's on the cafeteria menu today") is None
    assert kb.answer("") is None


@pytest.fixture(scope="module")
def shipped_kb() -> KnowledgeBase:
    return KnowledgeBase(parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8")))


def test_a_rewording_that_shares_no_words_with_the_question_is_answered(
    shipped_kb: KnowledgeBase,
) -> None:
    match = shipped_kb.answer("how do I get a message to show in italics?")
    assert match is not None and match.question == "How do I format text in chats?"


def test_a_situation_is_matched_to_the_entry_that_answers_it(shipped_kb: KnowledgeBase) -> None:
    match = shipped_kb.answer(
        "customers hang up during the greeting after 3 seconds, will those incoming calls cost"
        " a fee?"
    )
    assert match is not None
    assert match.question == "Do short duration surcharges apply to inbound calls?"


def test_a_question_in_the_faqs_own_words_that_it_does_not_answer_abstains(
    shipped_kb: KnowledgeBase,
) -> None:
    assert shipped_kb.answer("how do i transfer a caller to a different queue mid call") is None


def test_kb_import_then_ask(
    isolated_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    faq = tmp_path / "faq.txt"
    faq.write_text(FAQ, encoding="utf-8")
    assert main(["kb", "import", str(faq)]) == 0
    assert "imported 2 questions" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "where is the org id"}\nlunch menu?\n'))
    assert main(["kb", "ask"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["match"]["question"] == "How do I find my organization ID?"
    assert "Click Advanced" in lines[0]["match"]["answer"]
    assert lines[1] == {"text": "lunch menu?", "match": None}


def test_kb_import_rejects_a_file_without_questions(
    isolated_data_dir: Path, tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some prose\nwith no bullets\n", encoding="utf-8")
    assert main(["kb", "import", str(bad)]) == 2
    assert "no questions found" in capsys.readouterr().err
    assert not (isolated_data_dir / "kb").exists()
    assert main(["kb", "import", str(tmp_path / "missing.txt")]) == 2


def test_kb_ask_survives_bytes_that_are_not_utf8(isolated_data_dir: Path) -> None:
    import os
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "kb", "ask"],
        input=b"how do i reset my pwd \xff\xfe\n",
        capture_output=True,
        env={**os.environ, "SUPPORTBOT_DATA_DIR": str(isolated_data_dir)},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    answer = json.loads(completed.stdout)
    assert answer["match"]["question"] == "How do I change or reset my password?"
    assert b"Traceback" not in completed.stderr
