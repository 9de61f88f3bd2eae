"""`fairload plan`: exit codes 0, 1, 2 as `check`, 3 when no calendar exists; text, JSON
and the proposed school-year file (YAML), which `fairload check` reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from cli_support import Run, WriteSchool

from fairload.cli_plan import NO_CALENDAR
from fairload.core.packs import load_pack

FAST = ("--seconds", "5", "--workers", "1")


def _wish(count: int, **more: Any) -> dict[str, Any]:
    return {
        "id": "staff-meetings",
        "title": "Whole-school meeting",
        "category": "staff-meeting",
        "minutes": 60,
        "count": count,
        "weekdays": ["wednesday"],
        "earliest_start": "15:45",
        **more,
    }


def _planned(document: dict[str, Any], *wishes: dict[str, Any], **plan: Any) -> dict[str, Any]:
    document["plan"] = {"wishes": list(wishes), **plan}
    return document


def test_a_calendar_is_proposed_and_its_check_is_clean(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any], tmp_path: Path
) -> None:
    path = write_school(_planned(school_document, _wish(6)))
    out = tmp_path / "proposed.yaml"
    result = run("plan", path, *FAST, "--output", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Plan: optimal")
    assert "6 events proposed" in result.stdout
    assert "Check of the proposed calendar: 0 breaches" in result.stdout
    assert "Only checked, not planned" in result.stdout
    proposed = yaml.safe_load(out.read_text(encoding="utf-8"))
    meetings = [e for e in proposed["events"] if e["category"] == "staff-meeting"]
    assert len(meetings) == 6
    assert "plan" in proposed
    # The proposed file is an ordinary school year: the ordinary check reads it clean.
    assert run("check", out).exit_code == 0


def test_json_reports_status_objective_and_the_rules_only_checked(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    path = write_school(_planned(school_document, _wish(3)))
    result = run("plan", path, *FAST, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "optimal"
    assert report["gap"] == 0
    assert set(report["objective"]) >= {"wishes short (weighted)", "busiest week (events)"}
    assert "staff-meetings-hours" in report["planned_rules"]
    assert report["checked_only"] and all(c["why"] for c in report["checked_only"])
    assert report["check"]["breaches_after"] == 0


def test_yaml_writes_the_proposed_school_year_to_stdout(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    path = write_school(_planned(school_document, _wish(2)))
    result = run("plan", path, *FAST, "--format", "yaml")
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(result.stdout)
    assert document["format"] == "fairload/school-year@1"
    assert len([e for e in document["events"] if e["category"] == "staff-meeting"]) == 2


def test_no_calendar_exits_3_with_the_explanation(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    pack = load_pack("scotland/south-ayrshire-jnct-2.7")
    rule = pack.rule("one-report-per-session")
    allowed = pack.parameters.resolve(rule.settings["max"], pack_start(school_document)).value
    wish = {
        "id": "reports",
        "title": "Full reports",
        "category": "report",
        "minutes": 60,
        "count": int(allowed) + 1,
        "earliest_start": "15:45",
    }
    path = write_school(_planned(school_document, wish))
    result = run("plan", path, *FAST)
    assert result.exit_code == NO_CALENDAR == 3
    assert "No calendar meets every hard wish and rule" in result.stdout
    assert "JNCT2.7, 5.3" in result.stdout
    # Agreed as additional (5.3): a calendar exists, and the check asks for the agreement.
    path = write_school(_planned(school_document, wish, agreed=["one-report-per-session"]))
    assert run("plan", path, *FAST).exit_code == 0


def pack_start(document: dict[str, Any]) -> Any:
    from datetime import date

    return date.fromisoformat(str(document["year"]["start"]))


def test_what_if_re_plans_and_shows_the_changes(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    path = write_school(_planned(school_document, _wish(1, title="Whole-school meeting")))
    result = run("plan", path, *FAST, "--what-if", "staff-meetings.count=3", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report["events"]) == 3
    changes = report["changes"]
    # The school's own meeting (3 September) stays; two are added.
    assert changes["removed"] == [] and changes["moved"] == []
    assert len(changes["added"]) == 2


def test_a_what_ifs_proposed_file_keeps_its_changed_wishes_so_planning_it_again_does(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any], tmp_path: Path
) -> None:
    """The proposed file's plan section is the wishes the what-if planned (one more like
    the meetings, the meetings' count changed): planning that file again plans them all,
    not the wishes the what-if started from."""
    path = write_school(_planned(school_document, _wish(2)))
    out = tmp_path / "proposed.yaml"
    changes = ["staff-meetings.count=3", "add staff-meetings as more-meetings"]
    asked = [a for c in changes for a in ("--what-if", c)]
    assert run("plan", path, *FAST, *asked, "--output", out).exit_code == 0
    wishes = {w["id"]: w for w in yaml.safe_load(out.read_text(encoding="utf-8"))["plan"]["wishes"]}
    assert (wishes["staff-meetings"]["count"], wishes["more-meetings"]["count"]) == (3, 1)
    assert wishes["more-meetings"]["title"] == "Whole-school meeting"
    again = run("plan", out, *FAST, "--format", "json")
    assert again.exit_code == 0, again.output
    assert len(json.loads(again.stdout)["events"]) == 4


def test_what_if_weeks_ends_the_year_sooner_and_lists_the_events_it_drops(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    path = write_school(_planned(school_document, _wish(1)))
    full = json.loads(run("plan", path, *FAST, "--format", "json").stdout)
    last = max(e["date"] for e in full["events"])
    result = run("plan", path, *FAST, "--what-if", "weeks=1", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["events"] and all(e["date"] < last for e in report["events"])
    dropped = [r for r in report["changes"]["removed"] if r.endswith("(after the year's end)")]
    assert dropped, report["changes"]
    assert run("plan", path, *FAST, "--what-if", "weeks=900").exit_code == 2


def test_bad_input_exits_2_located(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    path = write_school(_planned(school_document, _wish(2, weekday=["monday"])))
    result = run("plan", path, *FAST)
    assert result.exit_code == 2
    assert "unknown key 'weekday'" in result.stderr
    assert "plan.wishes[0].weekday" in result.stderr
    path = write_school(_planned(school_document, _wish(2), agreed=["budget-adds-up"]))
    result = run("plan", path, *FAST)
    assert result.exit_code == 2
    assert "'budget-adds-up' is not one of the pack's rules that need agreement" in result.stderr
    assert "plan.agreed[0]" in result.stderr
    path = write_school(_planned(school_document, _wish(2)))
    result = run("plan", path, *FAST, "--what-if", "nope.count=3")
    assert result.exit_code == 2
    assert "no wish 'nope'" in result.stderr


def test_a_school_without_a_plan_section_exits_2(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    result = run("plan", write_school(school_document), *FAST)
    assert result.exit_code == 2
    assert "no plan section" in result.stderr


def test_previous_keeps_close_to_last_years_days(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any]
) -> None:
    last = json.loads(json.dumps(school_document, default=str))
    last["events"].append(
        {
            "id": "prd",
            "title": "PRD review",
            "category": "review",
            "date": "2026-02-04",
            "start": "15:45",
            "end": "16:45",
        }
    )
    previous = write_school(last, "last-year.yaml")
    wish = {
        "id": "prd",
        "title": "PRD review",
        "category": "review",
        "minutes": 60,
        "count": 1,
        "terms": ["Spring"],
        "earliest_start": "15:45",
    }
    path = write_school(_planned(school_document, wish))
    result = run("plan", path, *FAST, "--previous", previous, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [e["date"] for e in report["events"]] == ["2026-02-04"]
    assert report["objective"]["events away from the current or last year's days"] == 0
