"""Every message kind is in one table (bot/kinds.py), and a kind not in it is an error.

The actions write kinds as plain strings, so the source is read here (with `ast`) for every
kind written in it; the adapters' behaviour for each trait is covered by the Slack tests.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from bot.engine.domain import load_domain
from bot.engine.outbound import to_outbound
from bot.kinds import TRAITS, Kind, known_kind, traits_of
from bot.messages import Audience
from cases.vocabulary import NoteKind
from policy.lifecycle import RcaKind

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(path for package in ("actions", "bot") for path in (REPO / package).rglob("*.py"))


# ---- an unknown kind is an error -------------------------------------------------------


def test_an_action_reply_with_a_kind_not_in_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="stauts"):
        to_outbound({"text": "CS-1001 is open.", "custom": {"kind": "stauts"}})


def test_a_domain_response_with_no_kind_in_the_table_is_refused() -> None:
    with pytest.raises(ValueError, match="utter_nope"):
        to_outbound({"text": "Hi!"}, default_kind="utter_nope")


def test_a_known_kind_passes_as_the_string_it_was() -> None:
    outbound = to_outbound({"text": "CS-1001 is open.", "custom": {"kind": "status"}})
    assert outbound.kind == "status" and type(outbound.kind) is str
    assert to_outbound({"text": "Hello"}).kind == Kind.TEXT
    with pytest.raises(ValueError):
        traits_of("case_creatd")


def test_known_kind_names_the_table() -> None:
    with pytest.raises(ValueError, match=r"bot\.kinds"):
        known_kind("staff_hadnoff")
    assert known_kind("staff_handoff") is Kind.STAFF_HANDOFF


# ---- the table covers every kind that is produced --------------------------------------


def test_every_kind_has_its_traits() -> None:
    assert set(TRAITS) == set(Kind)


def test_every_kind_written_in_the_source_is_in_the_table() -> None:
    written = {kind: where for kind, where in _written_kinds() if kind}  # "": an unset default
    assert len(written) > 60, "the scan found too little: has the source layout changed?"
    unknown = {kind: where for kind, where in written.items() if kind not in set(Kind)}
    assert unknown == {}


def test_every_response_of_the_domain_is_a_kind() -> None:
    responses = set(load_domain().responses)
    assert responses and responses - set(Kind) == set()
    asking = {name for name in responses if name.startswith("utter_ask_")}
    assert asking and all(traits_of(name).answered_bot for name in asking)


def test_each_staff_action_has_a_receipt_kind() -> None:
    sent = _staff_action_kinds()
    assert len(sent) >= 10
    assert {f"{kind}_receipt" for kind in sent} - set(Kind) == set()
    assert all(traits_of(kind).from_staff for kind in sent)


def test_each_rca_answer_has_a_kind() -> None:
    kinds = _rca_answer_kinds()
    assert len(kinds) == 6
    assert kinds - set(Kind) == set()


def test_no_kind_in_the_table_is_left_unused() -> None:
    produced = {kind for kind, _ in _written_kinds()} | _rca_answer_kinds()
    produced |= {f"{kind}_receipt" for kind in _staff_action_kinds()}
    produced |= set(load_domain().responses)
    assert set(Kind) - produced == set()


def test_a_message_said_to_staff_or_others_has_that_audience_in_the_table() -> None:
    """The table's usual audience matches the source (a private refusal answers anyone)."""
    named = {"REQUESTER": Audience.REQUESTER, "STAFF": Audience.STAFF, "NOTIFY": Audience.NOTIFY}
    wrong = []
    for path, call in _calls():
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        kinds, audience = _strings(keywords.get("kind")), keywords.get("audience")
        if not kinds or ast.unparse(call.func) not in ("say", "Outbound"):
            continue
        said = named[ast.unparse(audience).split(".")[-1]] if audience else Audience.REQUESTER
        for kind in kinds:
            traits = traits_of(kind)
            if traits.audience is not said and not traits.private:
                wrong.append(f"{path.relative_to(REPO)}:{call.lineno} {kind}")
    assert wrong == []


# ---- reading the source ----------------------------------------------------------------


def _calls() -> Iterator[tuple[Path, ast.Call]]:
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                yield path, node


def _written_kinds() -> Iterator[tuple[str, str]]:
    """(kind, file:line) for each kind written as a string: `kind="…"` in a call, a string
    given for the `kind` parameter of a function of the same module, `…kind = "…"`."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        positions = _kind_positions(tree)
        for node in ast.walk(tree):
            where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
            for value in _kind_values(node, positions):
                yield from ((kind, where) for kind in _strings(value))


def _kind_values(node: ast.AST, positions: dict[str, tuple[int, bool]]) -> list[ast.expr]:
    """The expressions a node gives as a kind."""
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        named = any(isinstance(t, ast.Name) and t.id.endswith("kind") for t in targets)
        return [node.value] if named and node.value is not None else []
    if not isinstance(node, ast.Call):
        return []
    values = [k.value for k in node.keywords if k.arg == "kind"]
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name in positions:
        index, is_method = positions[name]
        index -= 1 if is_method and isinstance(func, ast.Attribute) else 0
        values += node.args[index : index + 1]
    return values


def _kind_positions(tree: ast.Module) -> dict[str, tuple[int, bool]]:
    """Functions of a module that take a `kind` positionally: its index, and if it is a
    method (its first parameter is `self`, not given at a `self.f(…)` call)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
            if "kind" in names:
                found[node.name] = (names.index("kind"), bool(names) and names[0] == "self")
    return found


def _strings(node: ast.expr | None) -> list[str]:
    """The string a kind expression is: a constant, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _staff_action_kinds() -> set[str]:
    """The kinds bot/engine/staff.py sends the requester for each staff action; staff hear
    "<that kind>_receipt"."""
    tree = ast.parse((REPO / "bot/engine/staff.py").read_text(encoding="utf-8"))
    sent: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "self._run":
            sent |= {s for k in node.keywords if k.arg == "kind" for s in _strings(k.value)}
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "kind":
            sent |= set(_strings(node.value))
    return sent


def _rca_answer_kinds() -> set[str]:
    """The kinds of actions/case_actions.py's rca_answer, named after the RCA plan or the
    delivered note (f"rca_{plan.kind}", f"rca_delivered_{note.kind}")."""
    expanded = {
        "rca_": set(get_args(RcaKind)),
        "rca_delivered_": {NoteKind.RCA.value, NoteKind.CASE_SUMMARY.value},
    }
    tree = ast.parse((REPO / "actions/case_actions.py").read_text(encoding="utf-8"))
    function = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "rca_answer"
    )
    kinds: set[str] = set()
    for node in ast.walk(function):
        if not (isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple)):
            continue
        last = node.value.elts[-1]
        if isinstance(last, ast.JoinedStr):
            head = last.values[0]
            assert isinstance(head, ast.Constant) and head.value in expanded, ast.unparse(last)
            kinds |= {f"{head.value}{tail}" for tail in expanded[head.value]}
        else:
            kinds |= set(_strings(last))
    return kinds
