"""`fairload packs list | show | test`."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import PACK_ID, Run


def test_it_lists_the_bundled_packs_with_their_rule_counts(run: Run) -> None:
    result = run("packs", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    packs = {p["id"]: p for p in json.loads(result.stdout)}
    assert packs[PACK_ID]["version"] == "2.7.0"
    assert packs[PACK_ID]["rules"] > 0


def test_it_lists_packs_as_text(run: Run) -> None:
    result = run("packs", "list")
    assert PACK_ID in result.stdout
    assert "rules" in result.stdout


def test_it_shows_every_dated_parameter_value_with_its_clause(run: Run) -> None:
    result = run("packs", "show", PACK_ID)
    assert result.exit_code == 0, result.output
    assert "class_contact_max_hours_per_week (hours/week)" in result.stdout
    assert "from 2006-08-01: 22.5 — South Ayrshire JNCT2.7, 3.1" in result.stdout
    assert "class-contact-max  breach  weekly_contact_cap" in result.stdout


def test_it_shows_a_provisional_value_with_its_caveat(run: Run) -> None:
    result = run("packs", "show", "uk/industrial-action")
    assert result.exit_code == 0, result.output
    assert "(provisional: The 50% turnout threshold is to be repealed" in " ".join(
        result.stdout.split()
    )
    pack = json.loads(run("packs", "show", "uk/industrial-action", "--format", "json").stdout)
    turnout = next(
        p for p in pack["parameters"] if p["name"] == "statutory_ballot_turnout_min_share"
    )
    assert "provisional" not in turnout["values"][0]
    assert "not confirmed" in turnout["values"][1]["provisional"]


def test_it_shows_a_pack_as_json(run: Run) -> None:
    pack = json.loads(run("packs", "show", PACK_ID, "--format", "json").stdout)
    parameters = {p["name"]: p for p in pack["parameters"]}
    assert parameters["annual_hours"]["values"][0]["value"] == 1365
    assert pack["rules"][0]["reference"]["clause"]


def test_it_exits_2_showing_an_unknown_pack(run: Run) -> None:
    assert run("packs", "show", "atlantis/none").exit_code == 2


@dataclass
class _Case:
    name: str
    file: str
    line: int | None
    passed: bool
    detail: str = ""


def _fake_runner(monkeypatch: pytest.MonkeyPatch, cases: list[_Case]) -> None:
    module = types.ModuleType("fairload.core.pack_tests")
    module.run_pack_tests = lambda pack: cases  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fairload.core.pack_tests", module)


def test_it_exits_0_when_every_pack_case_passes(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_runner(monkeypatch, [_Case("the year is 1365 hours", "figures.yaml", 3, True)])
    result = run("packs", "test", PACK_ID)
    assert result.exit_code == 0
    assert "1 passed, 0 failed" in result.stdout


def test_it_exits_1_and_shows_where_a_pack_case_failed(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = _Case("a DHT gets 16 periods", "figures.yaml", 33, False, "expected 16, got 15")
    _fake_runner(monkeypatch, [failing])
    result = run("packs", "test", PACK_ID)
    assert result.exit_code == 1
    assert "FAIL  a DHT gets 16 periods  (figures.yaml:33)" in result.stdout
    assert "expected 16, got 15" in result.stdout


def test_a_pack_shows_its_instructions_mandate(run: Run) -> None:
    result = run("packs", "show", "england/neu-asos-2015")
    assert result.exit_code == 0, result.output
    assert "Mandate" in result.stdout
    assert "from 2015-03-01 to 2016-08-31" in " ".join(result.stdout.split())


def test_it_exits_1_and_says_so_when_a_pack_has_no_tests(run: Run) -> None:
    untested = Path(__file__).parents[1] / "core" / "broken_packs" / "valid"
    result = run("packs", "test", str(untested))
    assert result.exit_code == 1, result.output
    assert "no test cases; add scenarios under" in result.stdout
    assert "0 passed, 0 failed, 1 untested" in result.stdout
