"""Staff lists from and to CSV: every problem located by line and column, and a round trip."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.errors import InputErrors
from fairload.core.school_format import FORMAT, parse_school_year
from fairload.core.school_year import Post, SchoolYear, StaffMember
from fairload.io import staff_csv
from fairload.io.staff_csv import (
    CHECKED_KEYWORDS,
    MOST_ERRORS,
    escape_formula,
    parse_staff_csv,
    properties,
    resolved,
    staff_columns,
    staff_to_csv,
    unescape_formula,
)


def year_with(
    staff: list[dict[str, Any]], events: list[dict[str, Any]] | None = None
) -> SchoolYear:
    """A minimal school year around the given rows, parsed by the core."""
    document = {
        "format": FORMAT,
        "school": {
            "id": "wee",
            "name": "Wee Primary",
            "authority": "South Ayrshire Council",
            "pack": "scotland/south-ayrshire-jnct-2.7",
            "sector": "primary",
            "nation": "scotland",
            "roll": 45,
            "pupil_day": {"start": "09:00", "end": "15:00"},
        },
        "year": {
            "label": "2025-26",
            "start": "2025-08-13",
            "end": "2026-06-26",
            "terms": [{"name": "Whole year", "start": "2025-08-13", "end": "2026-06-26"}],
            "inservice_days": ["2025-08-13"],
        },
        "staff": staff,
        "events": events or [],
    }
    return parse_school_year(document, "test")


def problems(text: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_staff_csv(text, "staff.csv")
    return [str(e) for e in caught.value.errors]


def test_it_reads_each_row_as_a_staff_row_of_the_format() -> None:
    text = (
        "id,name,post,fte,probationer,department,contact_hours_per_week,job_size\n"
        "t1,Kirsty Teacher,teacher,0.6,no,maths,13.5,\n"
        "pb,Eilidh Probationer,teacher,,Yes,,18,\n"
        "pt3,Ailsa Principal,Principal Teacher,1,n,maths,,3\n"
    )

    staff = parse_staff_csv(text, "staff.csv").staff

    assert staff == [
        {
            "id": "t1",
            "name": "Kirsty Teacher",
            "post": "teacher",
            "fte": 0.6,
            "probationer": False,
            "department": "maths",
            "contact_hours_per_week": 13.5,
        },
        {
            "id": "pb",
            "name": "Eilidh Probationer",
            "post": "teacher",
            "probationer": True,
            "contact_hours_per_week": 18.0,
        },
        {
            "id": "pt3",
            "name": "Ailsa Principal",
            "post": "principal-teacher",
            "fte": 1.0,
            "probationer": False,
            "department": "maths",
            "job_size": 3,
        },
    ]
    assert year_with(staff).staff[1] == StaffMember(
        "pb", "Eilidh Probationer", Post.TEACHER, probationer=True, contact_hours_per_week=18
    )


def test_column_names_ignore_case_spaces_and_hyphens_and_a_byte_order_mark() -> None:
    text = (
        "\ufeffID, Name ,POST,Contact hours per week,leadership-pay\n"
        "t1,A Teacher,teacher,22.5,true\n"
    )

    result = parse_staff_csv(text, "staff.csv")

    assert result.columns == ("id", "name", "post", "contact_hours_per_week", "leadership_pay")
    assert result.staff[0]["contact_hours_per_week"] == 22.5
    assert result.staff[0]["leadership_pay"] is True


@pytest.mark.parametrize(
    ("word", "value"),
    [
        *[("yes", True), ("YES", True), ("true", True), ("y", True), ("1", True)],
        *[("no", False), ("False", False), ("n", False), ("0", False)],
    ],
)
def test_yes_no_columns_take_the_usual_words(word: str, value: bool) -> None:
    text = f"id,name,post,tlr\nt1,A,teacher,{word}\n"

    assert parse_staff_csv(text, "staff.csv").staff[0]["tlr"] is value


def test_an_unknown_column_is_named_with_the_column_it_probably_meant() -> None:
    found = problems("id,name,post,contact_hours_per_wk\nt1,A,teacher,22\n")

    assert found == [
        "staff.csv:1: contact_hours_per_wk: unknown column 'contact_hours_per_wk'\n"
        "  Did you mean 'contact_hours_per_week'? Columns: " + ", ".join(staff_columns()) + "."
    ]


def test_every_problem_is_reported_at_once_with_its_line_and_column() -> None:
    text = (
        "id,name,post,fte,probationer,job_size\n"
        "t1,A Teacher,teacher,0,maybe,\n"
        "\n"
        "t2,,teachr,1.5,no,2.5\n"
        't 3,C Teacher,teacher,"0,6",no,\n'
    )

    found = problems(text)

    assert found == [
        "staff.csv:2: fte: 0 must be more than 0",
        "staff.csv:2: probationer: 'maybe' is not yes or no\n  Write yes or no.",
        "staff.csv:4: name: no name given\n  Every row needs a value in the 'name' column.",
        "staff.csv:4: post: 'teachr' is not allowed here\n  Did you mean 'teacher'? Expected "
        "one of: head-teacher, depute-head, deputy-head, assistant-head, principal-teacher, "
        "principal-teacher-guidance, teacher",
        "staff.csv:4: fte: 1.5 is more than 1",
        "staff.csv:4: job_size: '2.5' is not a whole number\n  Write a whole number.",
        "staff.csv:5: id: 't 3' is not in the expected form\n  letters, digits, dots, hyphens",
        "staff.csv:5: fte: '0,6' is not a number\n  Write 0.6: use a point for decimals.",
    ]


def test_a_missing_required_column_and_a_repeated_column_are_named() -> None:
    found = problems("id,post,post\nt1,teacher,teacher\n")

    assert "staff.csv:1: the column 'name' is missing\n  Add a column named 'name'." in found
    assert "staff.csv:1: post: the column 'post' is named twice\n  Keep one of them." in found


def test_a_repeated_id_names_both_lines() -> None:
    found = problems("id,name,post\nt1,A,teacher\nt2,B,teacher\nt1,C,teacher\n")

    assert found == [
        "staff.csv:4: id: staff id 't1' is used twice (also on line 2)\n"
        "  Give each staff its own id."
    ]


def test_lines_are_counted_in_the_file_even_after_a_value_over_two_lines() -> None:
    text = 'id,name,post,fte\nt1,"Kirsty\nTeacher",teacher,1\nt2,B,teacher,2\n'

    assert problems(text) == ["staff.csv:4: fte: 2 is more than 1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "staff.csv: the file is empty"),
        ("id;name;post\nt1;A;teacher\n", "staff.csv:1: the columns are separated by semicolons"),
        ("id,name,post\nt1,A,teacher,extra\n", "staff.csv:2: this row has 4 values"),
        ('id,name,post\nt1,"A,teacher\n', "staff.csv:2: cannot read this line as CSV"),
        ('id,name,post\nt1,"A" B,teacher\n', "staff.csv:2: cannot read this line as CSV"),
        ("id,,name,post\nt1,x,A,teacher\n", "staff.csv:2: there is a value in column 2,"),
        ("id,name,post,fte\nt1,A,teacher,nan\n", "staff.csv:2: fte: 'nan' is not a number"),
    ],
)
def test_files_that_are_not_a_staff_table_say_why(text: str, expected: str) -> None:
    assert problems(text)[0].startswith(expected)


def test_a_quoted_value_may_follow_a_space_after_the_comma() -> None:
    text = 'id, name, post\nt1, "Teacher, Kirsty", teacher\n'

    assert parse_staff_csv(text, "staff.csv").staff[0]["name"] == "Teacher, Kirsty"


def test_trailing_empty_cells_may_be_left_off_a_row() -> None:
    staff = parse_staff_csv("id,name,post,fte,tlr\nt1,A,teacher\n", "staff.csv").staff

    assert staff == [{"id": "t1", "name": "A", "post": "teacher"}]


def test_an_empty_column_a_spreadsheet_left_behind_is_ignored() -> None:
    staff = parse_staff_csv("id,name,,post,\nt1,A,,teacher,\n", "staff.csv").staff

    assert staff == [{"id": "t1", "name": "A", "post": "teacher"}]


def test_the_columns_are_the_formats_staff_fields_and_every_rule_on_them_is_checked() -> None:
    assert set(staff_columns()) == set(properties("staff"))
    for name, spec in properties("staff").items():
        assert set(resolved(spec)) <= CHECKED_KEYWORDS, name


def test_the_writer_names_only_the_columns_someone_uses_and_writes_yes_and_no() -> None:
    staff = [
        StaffMember("t1", "Kirsty Teacher", Post.TEACHER, contact_periods_per_week=27),
        StaffMember("pb", "Eilidh Probationer", Post.TEACHER, probationer=True, fte=0.6),
    ]

    assert staff_to_csv(staff) == (
        "id,name,post,fte,probationer,contact_periods_per_week\r\n"
        "t1,Kirsty Teacher,teacher,1,no,27\r\n"
        "pb,Eilidh Probationer,teacher,0.6,yes,\r\n"
    )


def test_a_value_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    staff = [StaffMember("t1", '=HYPERLINK("http://x")', Post.TEACHER, department="+maths")]

    text = staff_to_csv(staff)

    assert "'=HYPERLINK" in text
    assert "'+maths" in text
    assert parse_staff_csv(text, "staff.csv").staff[0]["name"] == '=HYPERLINK("http://x")'


@given(st.text(max_size=6))
def test_escaping_formulas_always_reads_back(value: str) -> None:
    assert unescape_formula(escape_formula(value)) == value
    assert escape_formula(value)[:1] not in ("=", "+", "-", "@", "\t", "\r")


# Text as a person types it into a cell: any letters, and the characters CSV must quote.
CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n,\";'"),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip() and s != "")
STAFF_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,6}", fullmatch=True)
HOURS = st.floats(min_value=0, max_value=40, allow_nan=False, allow_infinity=False)
COUNT = st.integers(min_value=0, max_value=40)


@st.composite
def staff_lists(draw: st.DrawFn) -> list[StaffMember]:
    ids = draw(st.lists(STAFF_IDS, max_size=6, unique=True))
    staff = []
    for staff_id in ids:
        staff.append(
            StaffMember(
                id=staff_id,
                name=draw(CELL_TEXT),
                post=draw(st.sampled_from(list(Post))),
                fte=draw(st.floats(min_value=0, max_value=1, exclude_min=True, allow_nan=False)),
                job_size=draw(st.none() | st.integers(min_value=1, max_value=12)),
                probationer=draw(st.booleans()),
                qts=draw(st.booleans()),
                department=draw(st.none() | CELL_TEXT),
                contact_hours_per_week=draw(st.none() | HOURS),
                contact_periods_per_week=draw(st.none() | COUNT),
                management_periods_per_week=draw(st.none() | COUNT),
                management_hours_per_week=draw(st.none() | HOURS),
                ppa_hours_per_week=draw(st.none() | HOURS),
                timetabled_hours_per_week=draw(st.none() | HOURS),
                leadership_hours_per_week=draw(st.none() | HOURS),
                tlr=draw(st.booleans()),
                leadership_pay=draw(st.booleans()),
                management_responsibilities=draw(st.booleans()),
            )
        )
    return staff


@pytest.mark.slow  # examples: the Hypothesis profile's (tests/conftest.py)
@given(staff_lists())
def test_reading_a_written_staff_list_gives_back_the_same_staff(staff: list[StaffMember]) -> None:
    rows = parse_staff_csv(staff_to_csv(staff), "staff.csv").staff

    assert year_with(rows).staff == tuple(staff)


def test_contact_week_by_week_across_a_timetable_cycle_is_one_cell_of_figures() -> None:
    text = "id,name,post,contact_hours_by_cycle_week\nt1,A,teacher,25; 20\n"

    staff = parse_staff_csv(text, "staff.csv").staff

    assert staff == [
        {"id": "t1", "name": "A", "post": "teacher", "contact_hours_by_cycle_week": [25.0, 20.0]}
    ]


def test_a_figure_of_a_cycle_that_is_not_a_number_is_located() -> None:
    text = "id,name,post,contact_hours_by_cycle_week\nt1,A,teacher,25; twenty\n"

    assert problems(text)[0].startswith("staff.csv:2")
    assert "'twenty' is not a number" in problems(text)[0]


def test_after_fifty_problems_the_file_is_read_no_further_and_the_last_problem_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It read all 100,000 rows of a file with one bad column (4.9 s) to count them."""
    cells = []
    real_convert = staff_csv.convert

    def counting(spec: Any, text: str) -> Any:
        cells.append(text)
        return real_convert(spec, text)

    monkeypatch.setattr(staff_csv, "convert", counting)
    rows = "".join(f"t{n},Teacher {n},teacher,0.x\n" for n in range(1, 10_001))
    with pytest.raises(InputErrors) as caught:
        parse_staff_csv("id,name,post,fte\n" + rows, "staff.csv")
    problems = caught.value.errors
    assert len(problems) == MOST_ERRORS + 1
    assert str(problems[49]).startswith("staff.csv:51: fte: '0.x' is not a number")
    assert problems[50].message == "and more problems after line 51: the file was read no further"
    assert len(cells) == 4 * (MOST_ERRORS + 1)  # 51 rows of 4 cells read, not 10,000


def test_up_to_the_last_row_the_problems_past_fifty_are_counted() -> None:
    rows = "".join(f"t{n},Teacher {n},teacher,0.x\n" for n in range(1, 52))
    with pytest.raises(InputErrors) as caught:
        parse_staff_csv("id,name,post,fte\n" + rows, "staff.csv")
    assert caught.value.errors[-1].message == "and 1 more problem after line 51"


def test_a_header_without_a_required_column_is_refused_before_its_rows_are_read() -> None:
    rows = "".join(f"t{n},Teacher {n},0.x\n" for n in range(1, 1_001))

    assert problems("id,name,fte\n" + rows) == [
        "staff.csv:1: the column 'post' is missing\n  Add a column named 'post'."
    ]


def test_a_file_with_more_rows_than_allowed_is_refused_before_its_rows_are_read() -> None:
    rows = "".join(f"t{n},Teacher {n},teacher,0.x\n" for n in range(1, 1_001))
    with pytest.raises(InputErrors) as caught:
        parse_staff_csv("id,name,post,fte\n" + rows, "staff.csv", most_rows=10)
    (problem,) = caught.value.errors
    assert str(problem).startswith("staff.csv: the file has 1,000 rows; the most it may have is 10")
