"""`fairload check`: exit codes, and the text, JSON and Markdown a check produces."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml
from cli_support import FIXTURE, PACK_ID, Run, WriteSchool


def _long_staff_meeting(document: dict[str, Any]) -> None:
    document["events"].append(
        {
            "id": "sm2",
            "title": "Curriculum evening",
            "category": "staff-meeting",
            "date": "2025-10-01",
            "start": "15:45",
            "end": "18:15",
        }
    )


def _overloaded_teacher(document: dict[str, Any]) -> None:
    next(s for s in document["staff"] if s["id"] == "t1")["contact_periods_per_week"] = 30


def test_it_exits_0_for_the_compliant_fixture(run: Run) -> None:
    result = run("check", FIXTURE)
    assert result.exit_code == 0, result.output
    assert "0 breaches, 0 warnings" in result.stdout


def test_it_exits_1_when_a_teacher_is_over_the_class_contact_maximum(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _overloaded_teacher(school_document)
    result = run("check", write_school(school_document))
    assert result.exit_code == 1
    assert "class-contact-max" in result.stdout


def test_it_exits_0_when_there_are_only_warnings(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _long_staff_meeting(school_document)
    result = run("check", write_school(school_document))
    assert result.exit_code == 0, result.output
    assert "meeting-max-duration" in result.stdout
    assert "1 warning" in result.stdout


def test_it_prints_each_finding_with_its_clause_and_fix(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _long_staff_meeting(school_document)
    text = run("check", write_school(school_document)).stdout
    assert "South Ayrshire JNCT2.7, 7.3" in text
    assert "fix: " in text
    assert "id: meeting-max-duration:test-academy:sm2" in text


def test_it_prints_brackets_in_titles_as_written_not_as_markup(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _long_staff_meeting(school_document)
    school_document["events"][-1]["title"] = "Curriculum [bold]evening[/bold]"
    text = run("check", write_school(school_document)).stdout
    assert "'Curriculum [bold]evening[/bold]'" in text


def test_it_prints_plain_text_without_escape_codes_when_piped(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _overloaded_teacher(school_document)
    text = run("check", write_school(school_document)).stdout
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_it_reports_findings_as_json_with_rule_severity_clause_and_message(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _overloaded_teacher(school_document)
    _long_staff_meeting(school_document)
    result = run("check", write_school(school_document), "--format", "json")
    document = json.loads(result.stdout)
    assert document["format"] == "fairload/check@1"
    assert document["pack"]["id"] == PACK_ID
    assert document["summary"]["breach"] >= 1 and document["summary"]["warning"] == 1
    for finding in document["findings"]:
        assert {"rule", "severity", "clause", "message"} <= finding.keys()
    rules = {f["rule"]: f for f in document["findings"]}
    assert rules["class-contact-max"]["severity"] == "breach"
    assert rules["class-contact-max"]["clause"] == "3.1"


def test_it_reports_a_budget_of_1365_hours_whose_categories_add_up(run: Run) -> None:
    document = json.loads(run("check", FIXTURE, "--format", "json").stdout)
    budget = document["budget"]
    assert budget["total"] == 1365
    assert sum(c["hours"] for c in budget["categories"]) == 1365
    assert {"id", "label", "hours", "default_hours", "planned_hours", "clause"} <= set(
        budget["categories"][0]
    )


def test_it_writes_markdown_with_a_findings_table(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    _long_staff_meeting(school_document)
    text = run("check", write_school(school_document), "--format", "markdown").stdout
    assert text.startswith("# ")
    assert "| Severity | Rule | Clause | Message |" in text
    assert "| warning | meeting-max-duration | South Ayrshire JNCT2.7, 7.3 |" in text
    assert "| Heading | Default | Agreed | Planned | Clause |" in text


def test_it_writes_a_record_with_the_pack_version_and_a_hash_of_the_inputs(
    run: Run, tmp_path: Any
) -> None:
    record_path = tmp_path / "record.json"
    result = run("check", FIXTURE, "--record", record_path)
    assert result.exit_code == 0, result.output
    record = json.loads(record_path.read_text())
    assert record["pack"] == {"id": PACK_ID, "version": "2.7.0", "lineage": [PACK_ID]}
    inputs = record["inputs"]
    canonical = json.dumps(inputs["documents"], sort_keys=True, default=str).encode()
    assert inputs["sha256"] == hashlib.sha256(canonical).hexdigest()
    assert inputs["documents"]["test-academy"]["school"]["id"] == "test-academy"


def test_it_checks_several_schools_and_keys_their_budgets_by_school(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    school_document["school"]["id"] = "second-academy"
    second = write_school(school_document, "second.yaml")
    document = json.loads(run("check", FIXTURE, second, "--format", "json").stdout)
    assert document["schools"] == ["test-academy", "second-academy"]
    assert set(document["budgets"]) == {"test-academy", "second-academy"}


def test_it_reads_a_school_year_written_as_json(
    run: Run, school_document: dict[str, Any], tmp_path: Any
) -> None:
    path = tmp_path / "school.json"
    path.write_text(json.dumps(school_document, default=str))
    assert run("check", path).exit_code == 0


def test_it_checks_under_the_pack_given_by_folder(run: Run) -> None:
    result = run("check", FIXTURE, "--pack", FIXTURE.parents[1], "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["pack"]["id"] == PACK_ID


def test_it_reads_the_pack_at_the_date_given(run: Run) -> None:
    document = json.loads(run("check", FIXTURE, "--at", "2025-09-01", "--format", "json").stdout)
    assert document["at"] == "2025-09-01"


NEU_FIXTURE = FIXTURE.parents[3] / "england/neu-asos-2015/tests/school.yaml"


def _emails_outside_directed_time(write_school: WriteSchool) -> str:
    document = yaml.safe_load(NEU_FIXTURE.read_text(encoding="utf-8"))
    document["policy"]["emails-expected-outside-directed-time"] = True
    return str(write_school(document))


def test_an_instructions_breach_read_outside_its_mandate_exits_0_and_says_so(
    run: Run, write_school: WriteSchool
) -> None:
    # NUT ASOS 2015's mandate ran 2015-03-01 to 2016-08-31; the school year is 2025-26.
    result = run("check", _emails_outside_directed_time(write_school))

    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # as read, whatever the terminal's width
    assert "emails-in-directed-time" in text
    assert "Checked outside the instruction's mandate" in text
    assert "not counted as a breach" in text


def test_the_same_breach_read_within_the_mandate_exits_1(
    run: Run, write_school: WriteSchool
) -> None:
    result = run("check", _emails_outside_directed_time(write_school), "--at", "2016-08-31")

    assert result.exit_code == 1, result.output
    assert "outside the instruction's mandate" not in result.stdout


def test_markdown_marks_a_finding_outside_its_mandate(run: Run, write_school: WriteSchool) -> None:
    text = run("check", _emails_outside_directed_time(write_school), "--format", "markdown").stdout

    assert "| breach (outside the instruction's mandate) | emails-in-directed-time |" in text
