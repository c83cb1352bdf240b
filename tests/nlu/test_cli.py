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


def test_nlu_parse_rejects_json_without_text(
    service: NluService, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"message": "hi"}\n'))
    assert main(["nlu", "parse"]) == 2
    assert '"text"' in capsys.readouterr().err


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
