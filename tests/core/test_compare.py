"""Comparing two checks: what an edit made appear, clear or change.

Built on the packs' own compliant fixture schools: each case changes the school, checks
it again and compares the two checks.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from fairload.core.check import CheckResult, run_check
from fairload.core.compare import compare_checks, compare_findings, finding_key
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import load_file

from .conftest import School

NEU = "england/neu-asos-2015"


def event(school: School, event_id: str) -> dict[str, Any]:
    return next(e for e in school.document["events"] if e["id"] == event_id)


def test_a_check_compared_with_itself_has_no_changes(school):
    result = school.run()

    comparison = compare_checks(result, result)

    assert not comparison.has_changes
    assert (comparison.appeared, comparison.cleared, comparison.changed) == ((), (), ())
    assert comparison.headline() == "No findings appeared, cleared or changed"
    assert set(comparison.count_changes.values()) == {0}


def test_lengthening_a_meeting_beyond_two_hours_makes_the_duration_warning_appear(school):
    before = school.run()
    event(school, "sm1")["end"] = "18:30"  # 15:45 to 18:30: 2.75 hours

    comparison = compare_checks(before, school.run())

    (appeared,) = comparison.appeared
    assert appeared.rule == "meeting-max-duration"
    assert appeared.subject.id == "sm1"
    assert "lasts 2.75 hours; the limit is 2 hours" in appeared.message
    assert comparison.cleared == ()
    assert comparison.headline() == "1 finding appeared"
    assert comparison.count_changes == {"breach": 0, "warning": 1, "needs-agreement": 0, "info": 0}
    assert comparison.counts_after["warning"] == comparison.counts_before["warning"] + 1


def test_shortening_it_back_clears_the_warning(school):
    event(school, "sm1")["end"] = "18:30"
    before = school.run()
    event(school, "sm1")["end"] = "16:45"

    comparison = compare_checks(before, school.run())

    assert [f.rule for f in comparison.cleared] == ["meeting-max-duration"]
    assert comparison.appeared == ()
    assert comparison.headline() == "1 finding cleared"
    assert comparison.count_changes["warning"] == -1


def test_a_finding_that_stays_with_new_figures_is_changed_not_cleared_and_appeared(school):
    event(school, "sm1")["end"] = "18:30"
    before = school.run()
    event(school, "sm1")["end"] = "18:00"

    comparison = compare_checks(before, school.run())

    (changed,) = comparison.changed
    assert (changed.before.actual, changed.after.actual) == (2.75, 2.25)
    assert "2.25 hours" in changed.after.message
    assert not changed.severity_changed
    assert comparison.appeared == comparison.cleared == ()
    assert comparison.headline() == "1 finding changed"
    assert set(comparison.count_changes.values()) == {0}


def test_findings_are_matched_on_their_subject_not_their_position(school):
    school.add_event("First long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    school.add_event("Second long meeting", "staff-meeting", "2025-10-08", "15:45", "18:00")
    before = school.run()
    first = school.document["events"][-2]
    first["end"] = "16:45"  # the first clears; the second's finding becomes the rule's first

    comparison = compare_checks(before, school.run())

    assert [f.subject.label for f in comparison.cleared] == ["First long meeting (2025-10-01)"]
    assert comparison.appeared == comparison.changed == ()
    assert comparison.unchanged == 1


def test_several_findings_about_one_subject_pair_identical_ones_first(school):
    event(school, "sm1")["end"] = "18:30"
    (finding,) = school.run().findings
    second = replace(finding, id=finding.id[:-1] + "1", actual=3.0, message="another")
    moved = replace(second, id=finding.id)  # the same finding, now first of its rule

    comparison = compare_findings([finding, second], [moved])

    assert comparison.cleared == (finding,)
    assert comparison.changed == ()
    assert comparison.unchanged == 1
    assert finding_key(finding) == finding_key(moved)


def test_a_fourth_observation_under_the_union_instructions_makes_two_breaches_appear():
    pack = load_bundled(NEU)
    document = load_file(Path(pack.path) / "tests" / "school.yaml")

    def check(doc: dict[str, Any]) -> CheckResult:
        return run_check(pack, tables_from_years([parse_school_year(copy.deepcopy(doc))]))

    before = check(document)
    for n, day in ((3, "2026-05-06"), (4, "2026-06-03")):
        document["events"].append(
            {
                "id": f"obs{n}",
                "title": "Lesson observation",
                "category": "observation",
                "date": day,
                "start": "10:00",
                "end": "11:00",
                "attendees": [],
                "observed": "t1",
                "observer": "dep",
            }
        )
    after = check(document)

    comparison = compare_checks(before, after)

    assert sorted(f.rule for f in comparison.appeared) == [
        "observations-count",
        "observations-hours",
    ]
    assert {f.subject.id for f in comparison.appeared} == {"t1"}
    assert comparison.count_changes["breach"] == 2
    assert comparison.headline() == "2 findings appeared"

    document["events"] = [e for e in document["events"] if e.get("id") != "obs4"]
    back = compare_checks(after, check(document))

    assert sorted(f.rule for f in back.cleared) == ["observations-count", "observations-hours"]
    assert back.headline() == "2 findings cleared"


def test_appearing_and_clearing_together_read_as_one_sentence(school):
    event(school, "sm1")["end"] = "18:30"
    before = school.run()
    event(school, "sm1")["end"] = "16:45"
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    school.add_event("Longer meeting", "staff-meeting", "2025-10-08", "15:45", "18:15")

    comparison = compare_checks(before, school.run())

    assert comparison.headline() == "2 findings appeared, 1 cleared"
    assert [f.subject.label for f in comparison.appeared] == [
        "Long meeting (2025-10-01)",
        "Longer meeting (2025-10-08)",
    ]


def test_a_comparison_as_a_dict_is_json_with_clauses_and_sentences(school):
    before = school.run()
    event(school, "sm1")["end"] = "18:30"

    data = json.loads(json.dumps(compare_checks(before, school.run()).as_dict()))

    (appeared,) = data["appeared"]
    assert appeared["rule"] == "meeting-max-duration"
    assert (appeared["document"], appeared["clause"]) == ("South Ayrshire JNCT2.7", "7.3")
    assert appeared["severity"] == "warning"
    assert data["headline"] == "1 finding appeared"
    assert data["count_changes"]["warning"] == 1


def test_a_finding_appearing_outside_its_instructions_mandate_carries_the_mark():
    fixture = Path(__file__).parents[2] / "src/fairload/packs/england/neu-asos-2015/tests"
    pack = load_bundled("england/neu-asos-2015")

    def checked(emails_expected: bool) -> CheckResult:
        document = load_file(fixture / "school.yaml")
        document["policy"]["emails-expected-outside-directed-time"] = emails_expected
        year = parse_school_year(document, "school.yaml")
        return run_check(pack, tables_from_years([year]))  # read at 2025-09-01

    (appeared,) = compare_checks(checked(False), checked(True)).as_dict()["appeared"]

    assert appeared["rule"] == "emails-in-directed-time"
    assert "outside the instruction's mandate" in appeared["mandate_note"]
