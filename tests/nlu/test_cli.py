"""`supportbot nlu parse`, `supportbot nlu test` and `supportbot train`, run in-process."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from nlu.service import NluService


def test_nlu_parse_reads_json_and_plain_lines(
    service: NluService, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    lines = '{"text": "status of CS-1042?"}\nhello\n\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["nlu", "parse"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["text"] for row in out] == ["status of CS-1042?", "hello"]
    assert out[0]["entities"][0]["value"] == "CS-1042"
    assert out[1]["intent"]["name"] == "greet"


def test_nlu_parse_answers_a_bad_line_with_an_error_and_goes_on(
    service: NluService, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    lines = (
        '{"message": "hi"}\n{not json\n{"text": 5}\n[]\n'
        '{"text": "ab\\ud800cd"}\n'
        '{"text": "the IVR keeps dropping callers", "answers": {"impact": "maybe"}}\n'
        '{"text": "status of CS-1042?"}\n'
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["nlu", "parse"]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row.get("line") for row in out[:6]] == [1, 2, 3, 4, 5, 6]
    assert all("error" in row for row in out[:6])
    assert "surrogate" in out[4]["error"]
    assert out[6]["entities"][0]["value"] == "CS-1042"


def test_nlu_parse_applies_answers_and_drops_them_from_ask(
    service: NluService, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    text = "the IVR keeps dropping callers"
    line = {"text": text, "answers": {"impact": "stopped", "workaround": "none"}}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line) + "\n"))
    assert main(["nlu", "parse"]) == 0
    severity = json.loads(capsys.readouterr().out)["severity"]
    assert severity["level"] == 1 and severity["ask"] == []
    assert any("you answered" in reason for reason in severity["reasons"])


def test_kb_ask_answers_a_bad_line_with_an_error_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": null}\nhow do i reset my password\n'))
    assert main(["kb", "ask"]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[0] == {"line": 1, "error": 'a JSON line needs a string field "text"'}
    assert out[1]["match"]["question"] == "How do I change or reset my password?"


def test_nlu_test_prints_per_class_scores_and_saves_plots(
    service: NluService, tmp_path: Path, capsys
) -> None:
    assert main(["nlu", "test", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "report_issue" in out and "severity 1 recall" in out
    for task in ("intent", "impact", "workaround", "severity"):
        assert (tmp_path / f"{task}_confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"
    report = json.loads((tmp_path / "nlu_report.json").read_text())
    assert report["intent"]["accuracy"] >= 0.9


def test_train_reuses_an_existing_model(service: NluService, capsys) -> None:
    assert main(["train"]) == 0
    assert "model ready" in capsys.readouterr().out
