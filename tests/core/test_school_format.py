"""The school-year format: a validated document becomes a SchoolYear, or every problem
is reported together, each located by line and field."""

from __future__ import annotations

from datetime import date, time

import pytest
import yaml

from fairload.core.errors import InputErrors, SchoolYearError
from fairload.core.school_format import FORMAT, parse_school_year
from fairload.core.school_year import Nation, Post, Sector
from fairload.core.yamlfile import load_text

from .conftest import fixture_path


def school_text(*, staff: list[str] = (), events: list[str] = (), year: str = "") -> str:
    """The fixture school's text with extra staff rows, events or year lines inserted."""
    text = fixture_path().read_text(encoding="utf-8")
    text = text.replace("events:\n", "".join(f"  - {s}\n" for s in staff) + "events:\n", 1)
    text = text.replace("policy:\n", "".join(f"  - {e}\n" for e in events) + "policy:\n", 1)
    return text.replace("  open_on_bank_holidays:", year + "  open_on_bank_holidays:", 1)


def event(
    title: str,
    *,
    category: str = "staff-meeting",
    on: str = "2025-10-01",
    start: str = "15:45",
    end: str = "16:45",
    **extra: str,
) -> str:
    """An event as one line of flow YAML, e.g. ``{title: A, category: briefing, ...}``."""
    fields = {
        "title": title,
        "category": category,
        "date": on,
        "start": f"'{start}'",
        "end": f"'{end}'",
    }
    return "{" + ", ".join(f"{k}: {v}" for k, v in {**fields, **extra}.items()) + "}"


def line_containing(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def problems_in(text: str) -> list[SchoolYearError]:
    with pytest.raises(InputErrors) as caught:
        parse_school_year(load_text(text, "school.yaml"), "school.yaml")
    return caught.value.errors


def only_problem_in(text: str) -> SchoolYearError:
    (problem,) = problems_in(text)
    return problem


def test_the_fixture_school_reads_into_a_school_year(school):
    year = school.year()

    assert year.school.sector is Sector.SECONDARY
    assert year.school.nation is Nation.SCOTLAND
    assert year.school.period_minutes == 50
    assert year.calendar.dates.start == date(2025, 8, 13)
    assert len(year.calendar.inservice_days) == 5
    assert [s.id for s in year.staff] == ["ht", "dht6", "pt3", "ptg", "t1", "t2", "pb", "pt06"]


def test_a_staff_row_keeps_its_post_job_size_and_fte(school):
    year = school.year()

    assert year.staff_member("dht6").post is Post.DEPUTE_HEAD
    assert year.staff_member("dht6").job_size == 6
    assert year.staff_member("pt06").fte == 0.6
    assert year.staff_member("t1").fte == 1.0


def test_an_event_without_attendees_is_for_all_staff(school):
    event = next(e for e in school.year().events if e.id == "sm1")

    assert len(event.attendees) == 8


def test_attendees_by_department_are_that_department(school):
    event = next(e for e in school.year().events if e.id == "dm1")

    assert event.attendees == ("pt3", "t1")


@pytest.mark.parametrize(
    ("attendees", "expected"),
    [
        pytest.param(["t1", "t2"], ("t1", "t2"), id="a list of ids"),
        pytest.param({"posts": ["depute-head", "head-teacher"]}, ("ht", "dht6"), id="by post"),
        pytest.param(
            {"departments": ["english"], "exclude": ["pb"]},
            ("t2", "pt06"),
            id="a department less one",
        ),
        pytest.param(
            {"posts": ["head-teacher"], "include": ["t1"]}, ("ht", "t1"), id="a post plus one"
        ),
    ],
)
def test_attendees_may_be_chosen_by_id_post_or_department(school, attendees, expected):
    school.add_event(
        "Meeting", "staff-meeting", "2025-10-01", "15:45", "16:45", id="m", attendees=attendees
    )

    event = next(e for e in school.year().events if e.id == "m")

    assert event.attendees == expected


def test_an_event_keeps_its_times_and_hours(school):
    event = next(e for e in school.year().events if e.id == "pe1")

    assert (event.start, event.end, event.hours) == (time(16, 30), time(19, 0), 2.5)


def test_events_without_ids_are_numbered(school):
    school.add_event("Briefing", "briefing", "2025-10-01", "08:30", "08:45")

    assert school.year().events[-1].id == "e0008"


def test_the_agreement_keeps_its_allocations_and_steps(school):
    school.allocate({"staff-meetings": 50})

    agreement = school.year().agreement

    assert agreement.allocations == {"staff-meetings": 50.0}
    assert agreement.process.vote.in_favour == 6
    assert {s.role for s in agreement.process.signatures} == {"head-teacher", "union-rep"}


def test_a_document_that_is_not_a_mapping_is_refused():
    with pytest.raises(SchoolYearError, match="must be a mapping"):
        parse_school_year(["not", "a", "school"], "school.yaml")


def test_the_format_line_is_required_and_named():
    text = school_text().replace(f"format: {FORMAT}\n", "format: fairload/school-year@2\n")

    with pytest.raises(SchoolYearError) as caught:
        parse_school_year(load_text(text, "school.yaml"), "school.yaml")

    assert caught.value.location.line == 3
    assert f"expected '{FORMAT}'" in caught.value.message


def test_an_unknown_staff_field_is_located_with_the_fields_expected():
    text = school_text(staff=["{id: t3, name: New Teacher, post: teacher, ftee: 0.5}"])

    problem = only_problem_in(text)

    assert problem.message == "unknown key 'ftee'"
    assert problem.location.field == "staff[8].ftee"
    assert problem.location.line == line_containing(text, "New Teacher")
    assert "fte" in problem.hint


def test_an_unknown_category_lists_the_categories():
    text = school_text(events=[event("Drop-in", category="drop-in", end="16:00")])

    problem = only_problem_in(text)

    assert problem.message == "'drop-in' is not allowed here"
    assert "'staff-meeting'" in problem.hint
    assert problem.location.field == "events[7].category"


def test_an_unknown_staff_id_in_attendees_is_located():
    text = school_text(events=[event("Maths review", attendees="[t1, t9]")])

    problem = only_problem_in(text)

    assert problem.message == "unknown staff id 't9'"
    assert problem.location.line == line_containing(text, "Maths review")
    assert problem.location.field == "events[7].attendees"
    assert problem.hint == "Use an id from the staff list."


def test_an_unknown_staff_id_included_in_attendees_is_located():
    text = school_text(events=[event("SMT", attendees="{posts: [depute-head], include: [dht7]}")])

    problem = only_problem_in(text)

    assert problem.message == "unknown staff id 'dht7'"
    assert problem.location.field == "events[7].attendees"


def test_an_unknown_observer_is_located():
    text = school_text(
        events=[
            event(
                "Observation",
                category="observation",
                start="10:00",
                end="10:50",
                observer="hd",
                observed="t1",
            )
        ]
    )

    problem = only_problem_in(text)

    assert problem.message == "unknown staff id 'hd'"
    assert problem.location.field == "events[7].observer"


def test_an_event_outside_the_year_is_located():
    text = school_text(events=[event("Summer fair", category="other", on="2026-07-03")])

    problem = only_problem_in(text)

    assert problem.message == "2026-07-03 is outside the school year (2025-08-13 to 2026-06-26)"
    assert problem.location.line == line_containing(text, "Summer fair")
    assert problem.location.field == "events[7].date"


def test_an_event_ending_before_it_starts_is_located():
    text = school_text(events=[event("Backwards meeting", start="16:45", end="15:45")])

    problem = only_problem_in(text)

    assert problem.message == "event 'Backwards meeting' on 2025-10-01 must end after it starts"
    assert problem.location.line == line_containing(text, "Backwards meeting")


def test_an_event_of_no_length_is_refused_too():
    text = school_text(events=[event("Instant meeting", end="15:45")])

    assert "must end after it starts" in only_problem_in(text).message


def test_a_duplicate_staff_id_is_located_at_the_second_use():
    text = school_text(staff=["{id: t1, name: Second Kirsty, post: teacher}"])

    problem = only_problem_in(text)

    assert problem.message == "staff id 't1' is used twice (also staff[4])"
    assert problem.location.line == line_containing(text, "Second Kirsty")
    assert problem.location.field == "staff[8].id"


def test_a_duplicate_event_id_is_located():
    text = school_text(events=[event("Another meeting", id="sm1")])

    problem = only_problem_in(text)

    assert problem.message == "event id 'sm1' is used twice"
    assert problem.location.line == line_containing(text, "Another meeting")


def test_a_term_ending_before_it_starts_is_located():
    text = school_text().replace(
        "{name: Spring, start: 2026-01-06, end: 2026-04-02}",
        "{name: Spring, start: 2026-04-02, end: 2026-01-06}",
    )

    problem = only_problem_in(text)

    assert "must not end (2026-01-06) before it starts (2026-04-02)" in problem.message
    assert problem.location.line == line_containing(text, "name: Spring")
    assert problem.location.field == "year.terms[1]"


def test_a_part_time_fte_above_one_is_located():
    text = school_text(staff=["{id: t3, name: Overtime Teacher, post: teacher, fte: 1.2}"])

    problem = only_problem_in(text)

    assert problem.location.field == "staff[8].fte"
    assert problem.location.line == line_containing(text, "Overtime Teacher")


def test_an_in_service_day_outside_the_year_is_refused():
    text = school_text().replace("inservice_days: [2025-08-13,", "inservice_days: [2025-08-12,")

    problem = only_problem_in(text)

    assert "in-service day 2025-08-12 falls outside the school year 2025-26" in problem.message
    assert problem.location.field == "year"


def test_several_problems_are_reported_together_each_located():
    text = school_text(
        staff=["{id: t1, name: Second Kirsty, post: teacher}"],
        events=[
            event("Maths review", attendees="[t9]"),
            event("Summer fair", category="other", on="2026-07-03"),
            event("Backwards meeting", start="16:45", end="15:45"),
        ],
    )

    found = problems_in(text)

    assert [(p.location.line, p.message) for p in found] == [
        (line_containing(text, "Second Kirsty"), "staff id 't1' is used twice (also staff[4])"),
        (line_containing(text, "Maths review"), "unknown staff id 't9'"),
        (
            line_containing(text, "Summer fair"),
            "2026-07-03 is outside the school year (2025-08-13 to 2026-06-26)",
        ),
        (
            line_containing(text, "Backwards meeting"),
            "event 'Backwards meeting' on 2025-10-01 must end after it starts",
        ),
    ]


def test_several_schema_problems_are_reported_together():
    text = school_text(
        staff=["{id: t3, name: A, post: deputy}"],
        events=[event("B", start="4pm")],
    )

    found = problems_in(text)

    assert {p.location.field for p in found} == {"staff[8].post", "events[7].start"}


def test_every_problem_names_the_file():
    text = school_text(events=[event("Summer fair", category="other", on="2026-07-03")])

    assert str(only_problem_in(text)).startswith(
        f"school.yaml:{line_containing(text, 'Summer fair')}: events[7].date: "
    )


def test_a_document_read_by_a_plain_yaml_loader_reads_the_same():
    plain = yaml.safe_load(fixture_path().read_text(encoding="utf-8"))

    assert parse_school_year(plain, "school.yaml") == parse_school_year(
        load_text(fixture_path().read_text(encoding="utf-8"), "school.yaml"), "school.yaml"
    )


def agreement_text(lines: str) -> str:
    """The fixture school with lines added at the top of its agreement section."""
    return school_text().replace("agreement:\n", "agreement:\n" + lines, 1)


def test_the_agreements_groups_and_committee_are_read():
    text = agreement_text(
        "  groups:\n"
        "    - {id: eco, title: Eco committee, hours: 6, members: [t1, t2]}\n"
        "  committee:\n"
        "    accredited_unions: [EIS]\n"
        "    members:\n"
        "      - {staff: ht, role: head-teacher, from: 2024-08-14}\n"
        "      - {staff: t2, role: union-rep, union: EIS, from: 2024-08-14}\n"
    )
    agreement = parse_school_year(load_text(text, "school.yaml"), "school.yaml").agreement

    assert agreement.groups[0].members == ("t1", "t2")
    assert agreement.groups[0].hours == 6
    assert agreement.committee is not None
    assert [m.role for m in agreement.committee.members] == ["head-teacher", "union-rep"]
    assert agreement.committee.accredited_unions == ("EIS",)


def test_a_committee_members_last_day_is_read_and_may_not_come_before_the_first():
    member = "      - {staff: t2, role: union-rep, union: EIS, from: 2024-08-14, to: %s}\n"
    text = agreement_text("  committee:\n    members:\n" + member % "2025-03-31")

    (read,) = parse_school_year(load_text(text, "s.yaml"), "s.yaml").agreement.committee.members  # type: ignore[union-attr]
    problem = only_problem_in(
        agreement_text("  committee:\n    members:\n" + member % "2024-08-13")
    )

    assert (read.since, read.until) == (date(2024, 8, 14), date(2025, 3, 31))
    assert problem.location.field == "agreement.committee.members[0].to"


def test_an_unknown_member_of_a_group_is_located():
    text = agreement_text(
        "  groups:\n    - {id: eco, title: Eco committee, hours: 6, members: [t9]}\n"
    )

    problem = only_problem_in(text)

    assert problem.message == "unknown staff id 't9'"
    assert problem.location.field == "agreement.groups[0].members[0]"
    assert problem.location.line == line_containing(text, "Eco committee")


def test_a_union_on_a_committee_member_who_is_not_a_union_rep_is_refused():
    text = agreement_text(
        "  committee:\n"
        "    members:\n"
        "      - {staff: t1, role: senior-manager, union: EIS, from: 2024-08-14}\n"
    )

    problem = only_problem_in(text)

    assert problem.location.field.startswith("agreement.committee.members[0]")
