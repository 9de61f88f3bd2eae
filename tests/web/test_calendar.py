"""The calendar pages: months and weeks, a teacher's own events, the year week by week (the
same figures as fairload.core.weeks), and the dashboard's budget chart."""

from __future__ import annotations

import html
import re
from datetime import date, time

import pytest
from django.urls import reverse

from fairload.core.weeks import weekly_hours
from fairload.web.schools import calendar_days, calendar_scope, calendar_views, event_form, labels
from fairload.web.schools.models import Event, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import year_touch

SCOTTISH = "test-academy"
ENGLISH = "test-school"


@pytest.fixture(autouse=True)
def outside_the_year(monkeypatch):
    """Today is after the fixtures' 2025-26 year unless a test says otherwise."""
    monkeypatch.setattr(calendar_views, "_today", lambda: date(2030, 1, 15))


def calendar(as_user, who: str = "head", school: str = SCOTTISH, query: str = "") -> str:
    response = as_user(who).get(reverse("school-calendar", args=[school]) + query)
    assert response.status_code == 200
    return response.content.decode()


def teacher_calendar(as_user, who: str, staff_id: str, query: str = "") -> str:
    url = reverse("teacher-calendar", args=[SCOTTISH, staff_id]) + query
    response = as_user(who).get(url)
    assert response.status_code == 200
    return response.content.decode()


def day(page: str, on: str) -> str:
    """The markup of one day of a month or week view."""
    start = page.index(f'data-date="{on}"')
    end = page.find("data-date=", start + 1)
    return page[start : end if end != -1 else len(page)]


def h1(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match
    return " ".join(match[1].split())


def day_classes(page: str, on: str) -> list[str]:
    match = re.search(rf'<li class="([^"]*)" data-date="{on}"', page)
    assert match, on
    return match[1].split()


def notes(page: str) -> list[str]:
    found = re.findall(r"data-note>(.*?)</div>", page, re.S)
    return [" ".join(html.unescape(n).split()) for n in found]


# --- months ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_opens_on_the_years_first_month_when_today_is_outside_it(as_user):
    page = calendar(as_user)

    assert h1(page) == "August 2025"
    assert "data-previous" not in page  # nothing before the year
    assert 'href="/schools/test-academy/calendar/?view=month&amp;month=2025-09"' in page
    assert "data-today" not in page  # no "this month" to jump to


@pytest.mark.django_db
def test_the_calendar_opens_on_todays_month_within_the_year_and_can_jump_back_to_it(
    as_user, monkeypatch
):
    monkeypatch.setattr(calendar_views, "_today", lambda: date(2025, 11, 6))

    page = calendar(as_user)
    assert h1(page) == "November 2025"
    assert "data-today" not in page
    assert "Today" in day(page, "2025-11-06")
    assert 'aria-current="date"' in day(page, "2025-11-06")

    elsewhere = calendar(as_user, query="?month=2026-02")
    assert re.search(r'href="[^"]*month=2025-11"[^>]*data-today>This month', elsewhere)


@pytest.mark.django_db
def test_a_month_links_to_the_months_either_side_and_stops_at_the_years_ends(as_user):
    november = calendar(as_user, query="?month=2025-11")
    june = calendar(as_user, query="?month=2026-06")

    assert re.search(r'href="[^"]*month=2025-10"[^>]*rel="prev"', november)
    assert re.search(r'href="[^"]*month=2025-12"[^>]*rel="next"', november)
    assert "October 2025" in november and "December 2025" in november
    assert "data-next" not in june
    assert re.search(r'href="[^"]*month=2026-05"[^>]*rel="prev"', june)


@pytest.mark.django_db
def test_an_event_shows_on_its_day_with_its_time_title_and_category(as_user):
    page = calendar(as_user, query="?month=2025-11")

    evening = day(page, "2025-11-06")
    assert "16:30–19:00" in evening
    assert "S4 parents&#x27; evening" in evening
    assert '<span class="fl-category fl-category-parents-evening">Parents’ evening</span>' in (
        evening
    )
    assert "parents" not in day(page, "2025-11-05").lower()
    # the key names the category and says it counts against the budget
    assert re.search(
        r"fl-category-parents-evening\">Parents’ evening</span>\s*"
        r"<span[^>]*>counts against the working-time budget",
        page,
    )


@pytest.mark.django_db
def test_a_month_starts_on_its_weekday_and_has_every_day(as_user):
    page = calendar(as_user, query="?month=2025-11")

    assert len(re.findall(r'data-date="2025-11-\d\d"', page)) == 30
    # 1 November 2025 is a Saturday: the sixth column
    assert re.search(
        r'class="fl-day fl-day--start-6 fl-day--weekend[^"]*" data-date="2025-11-01"', page
    )
    assert "Monday 3 November" in day(page, "2025-11-03")


@pytest.mark.django_db
def test_in_service_days_holidays_bank_holidays_and_days_outside_the_year_are_marked(as_user):
    november = calendar(as_user, query="?month=2025-11")
    october = calendar(as_user, query="?month=2025-10")
    may = calendar(as_user, query="?month=2026-05")
    august = calendar(as_user, query="?month=2025-08")

    assert "In-service day" in day(november, "2025-11-17")
    assert "Union meeting" in day(november, "2025-11-17")
    assert "Closed: October break" in day(october, "2025-10-14")
    assert "Bank holiday: May Day" in day(may, "2026-05-04")
    assert "Bank holiday" not in day(may, "2026-05-25")  # the school works that one
    assert "Not in the school year" in day(august, "2025-08-12")
    assert "Not in the school year" not in day(august, "2025-08-13")


@pytest.mark.django_db
def test_a_quiet_day_is_marked_so_a_phone_can_leave_it_out(as_user):
    page = calendar(as_user, query="?month=2025-11")

    assert "fl-day--quiet" in day_classes(page, "2025-11-05")
    assert "fl-day--quiet" not in day_classes(page, "2025-11-06")
    assert "fl-day--quiet" not in day_classes(page, "2025-11-17")  # in-service


# --- weeks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_week_runs_from_the_monday_of_the_day_asked_for(as_user):
    page = calendar(as_user, query="?view=week&week=2025-11-05")

    assert h1(page) == "Week beginning Monday 3 November 2025"
    assert re.findall(r'data-date="([\d-]+)"', page) == [f"2025-11-{d:02d}" for d in range(3, 10)]
    assert "S4 parents&#x27; evening" in day(page, "2025-11-06")
    assert re.search(r'href="[^"]*week=2025-10-27"[^>]*rel="prev"', page)
    assert re.search(r'href="[^"]*week=2025-11-10"[^>]*rel="next"', page)


@pytest.mark.django_db
def test_month_and_week_link_to_each_other(as_user):
    month = calendar(as_user, query="?month=2025-11")
    week = calendar(as_user, query="?view=week&week=2025-11-10")

    assert re.search(r'href="[^"]*view=week&amp;week=2025-11-03"[^>]*>Week<', month)
    assert re.search(r'href="[^"]*view=month&amp;month=2025-11"[^>]*>Month<', week)


@pytest.mark.django_db
def test_a_week_says_its_counted_hours_as_the_heat_map_does(as_user):
    page = calendar(as_user, query="?view=week&week=2025-08-11")
    mine = teacher_calendar(as_user, "teacher", "t1", "?view=week&week=2025-08-11")

    summary = " ".join(page.split("data-week-summary>")[1].split("</div>")[0].split())
    assert "Iain Depute and 6 others, 12 hours" in summary
    assert "7 over the weekly average" in summary
    mine_summary = " ".join(mine.split("data-week-summary>")[1].split("</div>")[0].split())
    assert "12 hours this week count against the working-time budget" in mine_summary
    assert "the weekly average is 4.9 hours" in mine_summary
    assert "Over the weekly average" in mine_summary


@pytest.mark.django_db
def test_the_first_and_last_weeks_have_no_link_beyond_the_year(as_user):
    first = calendar(as_user, query="?view=week&week=2025-08-13")
    last = calendar(as_user, query="?view=week&week=2026-06-26")

    assert "data-previous" not in first and "data-next" in first
    assert "data-next" not in last and "data-previous" in last
    assert "Not in the school year" in day(first, "2025-08-12")


# --- one teacher's events -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_teacher_filter_shows_only_that_teachers_events(as_user):
    everyone = calendar(as_user, query="?month=2025-09")
    maths = calendar(as_user, query="?month=2025-09&staff=t1")
    english = calendar(as_user, query="?month=2025-09&staff=t2")

    assert "Maths department meeting" in everyone
    assert "Maths department meeting" in maths
    assert "Maths department meeting" not in english
    assert "Whole-school meeting" in english
    assert "Showing the events of <strong>Duncan Teacher</strong>" in english
    assert '<option value="t2" selected>Duncan Teacher</option>' in english
    # navigating keeps the filter
    assert re.search(r'href="[^"]*month=2025-10&amp;staff=t2"[^>]*rel="next"', english)


@pytest.mark.django_db
def test_the_filter_shows_an_observation_to_the_observer_as_observing(as_user):
    observer = calendar(as_user, "other-head", ENGLISH, "?month=2025-10&staff=dep")
    observed = calendar(as_user, "other-head", ENGLISH, "?month=2025-10&staff=t1")
    other = calendar(as_user, "other-head", ENGLISH, "?month=2025-10&staff=t2")

    assert "Lesson observation (observing)" in day(observer, "2025-10-08")
    assert "Lesson observation (observed)" in day(observed, "2025-10-08")
    assert "Lesson observation" not in other


@pytest.mark.django_db
def test_a_teachers_own_calendar_shows_their_events_and_ignores_a_staff_parameter(as_user):
    kirsty = teacher_calendar(as_user, "teacher", "t1", "?month=2025-09")
    duncan = teacher_calendar(as_user, "colleague", "t2", "?month=2025-09")
    sneaky = teacher_calendar(as_user, "teacher", "t1", "?month=2025-09&staff=t2")

    assert "Maths department meeting" in kirsty
    assert "Maths department meeting" not in duncan
    assert sneaky.count("Maths department meeting") == kirsty.count("Maths department meeting")
    assert "Show the events of" not in kirsty  # no filter on a teacher's own calendar
    assert h1(kirsty) == "Calendar: September 2025"


@pytest.mark.django_db
def test_an_event_added_for_one_teacher_shows_on_their_calendar_only(as_user, schools):
    year = SchoolYear.objects.get(school=schools[SCOTTISH])
    event = Event.objects.create(
        school_year=year,
        event_id="extra",
        title="Moderation for Kirsty",
        category="moderation",
        date=date(2025, 9, 17),
        start=time(15, 45),
        end=time(16, 45),
    )
    event.attendees.add(StaffPost.objects.get(school_year=year, staff_id="t1"))
    year_touch(year)

    assert "Moderation for Kirsty" in day(
        teacher_calendar(as_user, "teacher", "t1", "?month=2025-09"), "2025-09-17"
    )
    assert "Moderation for Kirsty" not in teacher_calendar(
        as_user, "colleague", "t2", "?month=2025-09"
    )


def test_every_category_of_the_format_has_its_chip_and_an_unknown_one_the_neutral_chip():
    assert calendar_scope.category_class("parents-evening") == "fl-category-parents-evening"
    assert calendar_scope.category_class("other") == "fl-category-other"
    assert calendar_scope.category_class("bake-sale") == ""  # .fl-category alone: grey
    assert calendar_days.category_label("mock-inspection") == "Mock inspection"


def test_the_calendar_and_the_event_pages_name_a_category_from_one_table(as_user):
    """Two tables disagreed: the calendar said "CPD" and "Parents' evening", the event
    form "Professional learning (CPD)" and "Parents’ evening"."""

    assert calendar_days.category_label is labels.category_label
    assert dict(event_form.EventForm(year=SchoolYear.objects.first()).fields["category"].choices)[
        "cpd"
    ] == calendar_days.category_label("cpd")


# --- forgiving query parameters -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "heading", "note"),
    [
        ("?month=banana", "August 2025", "'banana' is not a month written as year-month"),
        ("?month=2025-13", "August 2025", "'2025-13' is not a month"),
        ("?month=9999-12", "August 2025", "'9999-12' is not a month"),
        ("?month=2030-01", "June 2026", "January 2030 is outside the 2025-26 school year"),
        ("?month=2020-01", "August 2025", "January 2020 is outside the 2025-26 school year"),
        ("?view=year", "August 2025", "There is no 'year' view: showing the month."),
        (
            "?view=week&week=2025-02-30",
            "Week beginning Monday 11 August 2025",
            "'2025-02-30' is not a date",
        ),
        (
            "?view=week&week=0001-01-01",
            "Week beginning Monday 11 August 2025",
            "'0001-01-01' is not a date",
        ),
        (
            "?view=week&week=2026-09-01",
            "Week beginning Monday 22 June 2026",
            "The week of Monday 31 August 2026 is outside the 2025-26 school year",
        ),
        ("?month=2025-11&staff=nobody", "November 2025", "There is no teacher 'nobody'"),
    ],
)
def test_a_query_that_cannot_be_used_shows_the_nearest_sensible_page_and_says_why(
    as_user, query, heading, note
):
    page = calendar(as_user, query=query)

    assert h1(page) == heading
    assert any(note in n for n in notes(page)), notes(page)


@pytest.mark.django_db
def test_a_good_query_has_no_notes(as_user):
    assert notes(calendar(as_user, query="?view=week&week=2025-11-10&staff=t1")) == []


# --- the year week by week ------------------------------------------------------------------


def cells(page: str) -> dict[int, tuple[str, str, str]]:
    """week -> (monday, hours as printed, level) from the heat map's cells."""
    found = re.findall(
        r'data-week="(\d+)" data-monday="([\d-]+)" data-hours="([^"]+)" data-level="(\d)"', page
    )
    return {int(w): (monday, hours, level) for w, monday, hours, level in found}


def core_weeks(school_slug: str):
    year = SchoolYear.objects.get(school__slug=school_slug)
    result = school_year_check(year=year)
    return weekly_hours(result.pack.budget, result.tables, result.pack.parameters, result.at)


def printed(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@pytest.mark.django_db
@pytest.mark.parametrize("school", [SCOTTISH, ENGLISH])
def test_the_school_heat_map_prints_the_core_busiest_teachers_hours_for_every_week(as_user, school):
    page = as_user("admin").get(reverse("school-heatmap", args=[school])).content.decode()

    want = {
        row["week"]: (row["monday"].isoformat(), printed(row["max_hours"]))
        for row in core_weeks(school).school(school).iter_rows(named=True)
    }
    got = {week: (monday, hours) for week, (monday, hours, _) in cells(page).items()}
    assert got == want
    assert len(got) == (46 if school == SCOTTISH else 47)


@pytest.mark.django_db
def test_a_teachers_heat_map_prints_their_own_hours_and_flags_weeks_over_the_average(as_user):
    page = (
        as_user("teacher").get(reverse("teacher-heatmap", args=[SCOTTISH, "t1"])).content.decode()
    )

    want = {
        row["week"]: printed(row["hours"])
        for row in core_weeks(SCOTTISH).teacher(SCOTTISH, "t1").iter_rows(named=True)
    }
    assert {week: hours for week, (_, hours, _) in cells(page).items()} == want
    first = page.split('data-week="1"')[1].split("</td>")[0]
    assert "over" in first
    assert "fl-heatmap__cell--over" in page.split('data-week="1"')[0].rsplit("<td", 1)[1]
    assert page.count("fl-heatmap__cell--over") == 1 + 1  # week 1 and the key's sample
    assert "The weekly average is <strong>4.9 hours</strong>: the 191 hours a year" in page


@pytest.mark.django_db
def test_heat_map_cells_link_to_their_week_and_holidays_say_so(as_user):
    page = as_user("head").get(reverse("school-heatmap", args=[SCOTTISH])).content.decode()

    cell = page.split('data-week="10"')[1].split("</td>")[0]  # the October break
    assert 'href="/schools/test-academy/calendar/?view=week&amp;week=2025-10-13"' in cell
    assert "holiday" in cell
    assert cells(page)[1][2] == "5"  # 12 hours against a 4.9-hour average: the top band
    assert cells(page)[2][2] == "0"  # nothing planned
    assert "7 over" in page.split('data-week="1"')[1].split("</td>")[0]
    # the key: halves of the 4.9-hour weekly average, up to twice it
    key = page.split("data-heat-legend>")[1].split("</ul>")[0]
    assert re.findall(r"</span> ([^<]+)</li>", key)[:6] == [
        "No hours",
        "Up to 2.45 h",
        "More than 2.45 up to 4.9 h",
        "More than 4.9 up to 7.35 h",
        "More than 7.35 up to 9.79 h",
        "More than 9.79 h",
    ]


@pytest.mark.django_db
def test_the_heat_map_explains_its_average_with_the_packs_clauses(as_user):
    # Directed time binds only teachers off the leadership spine (the head's and deputy's
    # 32.5 hours a week no longer count); one teacher's longer timetable makes the
    # full-time teachers' averages differ.
    english_year = SchoolYear.objects.get(school__slug=ENGLISH)
    StaffPost.objects.filter(school_year=english_year, staff_id="t2").update(
        timetabled_hours_per_week=27
    )
    year_touch(english_year)
    scottish = as_user("head").get(reverse("school-heatmap", args=[SCOTTISH])).content.decode()
    english = as_user("other-head").get(reverse("school-heatmap", args=[ENGLISH])).content.decode()

    average = " ".join(scottish.split("data-weekly-average>")[1].split("</p>")[0].split())
    assert "4.9 hours" in average
    assert "South Ayrshire JNCT2.7, Appendix 1, 5.1, 10.1, 7.1, 12.1, 13, 6.1" in average
    assert "39 working weeks" in average
    english_average = " ".join(english.split("data-weekly-average>")[1].split("</p>")[0].split())
    assert "as their timetables differ" in english_average
    assert "51.5" in english_average
    assert "fl-category-parents-evening" in english.split("data-counted>")[1]
    assert "fl-category-observation" not in english.split("data-counted>")[1].split("</ul>")[0]


@pytest.mark.django_db
def test_the_heat_map_has_every_week_as_a_plain_table_too(as_user):
    page = as_user("head").get(reverse("school-heatmap", args=[SCOTTISH])).content.decode()

    rows = re.findall(r'data-week-row="(\d+)"', page)
    assert rows == [str(n) for n in range(1, 47)]
    first = page.split('data-week-row="1"')[1].split("</tr>")[0]
    assert "Iain Depute and 6 others" in first


# --- the dashboard's chart ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("school", [SCOTTISH, ENGLISH])
def test_the_dashboard_draws_one_group_of_bars_per_budget_line(as_user, school):
    page = as_user("admin").get(reverse("school-dashboard", args=[school])).content.decode()
    year = SchoolYear.objects.get(school__slug=school)
    budget = school_year_check(year=year).school_budget(school)

    chart = page.split("data-budget-chart>")[1].split("</figure>")[0]
    assert 'role="img"' in page.split("data-budget-chart>")[1].split(">")[0]
    assert '<title id="budget-chart-title">' in chart
    assert re.findall(r'data-line="([^"]+)"', chart) == [line.id for line in budget.lines]
    for line in budget.lines:
        group = chart.split(f'data-line="{line.id}"')[1].split("</g>")[0]
        kinds = re.findall(r'data-bar="(\w+)"', group)
        assert kinds == [
            k
            for k, v in (
                ("default", line.default_hours),
                ("agreed", line.hours),
                ("planned", line.planned_hours),
            )
            if v is not None or k == "agreed"
        ]
        assert f"Agreed {printed(line.hours)} h" in group
    assert "data-budget" in page  # the table stays


@pytest.mark.django_db
def test_planned_hours_over_the_agreed_ones_are_red_and_said_in_words(as_user, schools):
    year = SchoolYear.objects.get(school=schools[SCOTTISH])
    year.agreement = {**year.agreement, "allocations": {"staff-meetings": 1.5}}
    year.save()
    year_touch(year)

    page = as_user("head").get(reverse("school-dashboard", args=[SCOTTISH])).content.decode()

    group = page.split('data-line="staff-meetings"')[1].split("</g>")[0]
    assert "fl-chart__bar--over" in group
    assert "Planned 2 h, over by 0.5 h" in group
    assert "Planned hours are over the agreed hours for: Staff meetings." in page
    assert "fl-chart__bar--over" not in page.split('data-line="planning"')[1].split("</g>")[0]


@pytest.mark.django_db
def test_the_pages_use_no_inline_styles_or_scripts(as_user):
    client = as_user("admin")
    urls = [
        reverse("school-dashboard", args=[SCOTTISH]),
        reverse("school-calendar", args=[SCOTTISH]) + "?month=2025-11",
        reverse("school-calendar", args=[SCOTTISH]) + "?view=week&week=2025-11-03",
        reverse("school-heatmap", args=[ENGLISH]),
        reverse("teacher-heatmap", args=[SCOTTISH, "t1"]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert " style=" not in page, url
        assert "<style" not in page, url
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert all("nonce=" in s for s in scripts), url
        assert "/static/fairload/calendar.css" in page, url


def test_every_category_of_the_format_has_a_colour_in_the_stylesheets():
    from pathlib import Path

    from fairload.io.ical import categories

    static = Path(calendar_views.__file__).parents[1] / "static" / "fairload"
    css = (static / "fairload.css").read_text() + (static / "calendar.css").read_text()
    missing = [c for c in categories() if f".fl-category-{c}" not in css]
    assert missing == []
