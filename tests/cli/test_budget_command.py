"""`fairload budget`: the school's Appendix 1, or one teacher's lines."""

from __future__ import annotations

import json
from typing import Any

from cli_support import FIXTURE, Run, WriteSchool


def test_it_shows_the_school_budget_with_default_agreed_and_planned_hours(run: Run) -> None:
    result = run("budget", FIXTURE)
    assert result.exit_code == 0, result.output
    for heading in ("Heading", "Default", "Agreed", "Planned", "Clause", "Balance of time"):
        assert heading in result.stdout
    assert "1365" in result.stdout


def test_it_gives_the_school_budget_as_json(run: Run) -> None:
    document = json.loads(run("budget", FIXTURE, "--format", "json").stdout)
    assert document["format"] == "fairload/budget@1"
    assert document["budget"]["total"] == 1365


def test_it_sums_a_deputes_lines_to_1365_hours(run: Run) -> None:
    result = run("budget", FIXTURE, "--teacher", "dht6", "--format", "json")
    document = json.loads(result.stdout)
    assert document["teacher"]["id"] == "dht6"
    assert document["total"] == 1365
    assert round(sum(line["hours"] for line in document["lines"]), 2) == 1365


def test_it_shows_a_teachers_budget_as_a_table_with_its_total(run: Run) -> None:
    result = run("budget", FIXTURE, "--teacher", "dht6")
    assert "Iain Depute (dht6)" in result.stdout
    assert "Management time" in result.stdout
    assert "1365" in result.stdout


def test_it_writes_a_teachers_budget_as_markdown(run: Run) -> None:
    text = run("budget", FIXTURE, "--teacher", "pt06", "--format", "markdown").stdout
    assert "| Heading | Hours | Planned |" in text
    assert "| **Total** | 819 |" in text  # 0.6 of 1365


def test_it_exits_2_for_an_unknown_teacher_and_lists_the_ids(run: Run) -> None:
    result = run("budget", FIXTURE, "--teacher", "nobody")
    assert result.exit_code == 2
    assert "no teacher 'nobody'" in result.stderr
    assert "ht, dht6, pt3" in result.stderr


def test_it_adds_the_hours_of_groups_the_teacher_is_not_in_to_the_balance_of_time(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    """Appendix 2: "time gained from non-participation in committees or working groups
    which are allocated through the School Working Time Agreement". Before, the depute's
    one calendar hour of the 40 counted 39 hours of unscheduled meetings as gained."""
    school_document.setdefault("agreement", {})["groups"] = [
        {"id": "numeracy", "title": "Numeracy working group", "hours": 10, "members": ["pt3"]},
        {"id": "eco", "title": "Eco committee", "hours": 6, "members": ["dht6"]},
    ]
    path = write_school(school_document)
    document = json.loads(run("budget", path, "--teacher", "dht6", "--format", "json").stdout)
    (balance,) = [line for line in document["lines"] if line["id"] == "balance-of-time"]
    assert (balance["hours"], balance["gained_hours"]) == (34, 10)
    assert balance["gained_from"] == "Numeracy working group (10 h)"
    text = " ".join(run("budget", path, "--teacher", "dht6").stdout.split())
    assert (
        "34 + 10 gained from groups not joined (Numeracy working group (10 h)) = 44 hours" in text
    )


def test_with_no_groups_in_the_agreement_nothing_is_gained(run: Run) -> None:
    document = json.loads(run("budget", FIXTURE, "--teacher", "dht6", "--format", "json").stdout)
    (balance,) = [line for line in document["lines"] if line["id"] == "balance-of-time"]
    assert balance["gained_hours"] == 0


def test_a_teachers_own_personal_time_is_their_personal_allowance_line(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    """JNCT 8.3: a teacher with 7 hours' personal time a week has 38 x 7 = 266, not 285."""
    school_document["staff"].append(
        {
            "id": "t7",
            "name": "Short Personal",
            "post": "teacher",
            "contact_hours_per_week": 22.5,
            "personal_hours_per_week": 7,
        }
    )
    path = write_school(school_document)
    document = json.loads(run("budget", path, "--teacher", "t7", "--format", "json").stdout)
    lines = {line["id"]: line["hours"] for line in document["lines"]}
    assert (lines["personal-allowance"], lines["balance-of-time"]) == (266, 53)


ENGLISH_SCHOOL = "src/fairload/packs/england/stpcd/tests/school.yaml"


def test_englands_directed_time_does_not_bind_the_head_teacher(run: Run) -> None:
    """Directed time binds teachers "other than those on the leadership spine"."""
    result = run("budget", ENGLISH_SCHOOL, "--teacher", "head")
    assert result.exit_code == 0, result.output
    assert "Directed time (1265 hours) does not bind Helen Head (head)." in result.stdout


def test_englands_school_directed_time_has_headroom_when_nobody_is_over(run: Run) -> None:
    """Heads and deputies timetabled 32.5 hours a week made the contingency -10."""
    document = json.loads(run("budget", ENGLISH_SCHOOL, "--format", "json").stdout)
    lines = {line["id"]: line["hours"] for line in document["budget"]["categories"]}
    assert (lines["timetabled"], lines["contingency"]) == (988, 237)
