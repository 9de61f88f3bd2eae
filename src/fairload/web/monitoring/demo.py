"""The demo's monitoring record (``manage.py load_demo``), so `make run` shows the monitoring
page filled in: Auchenlea Academy's committee meetings, two issues raised by staff (one
with the teacher's name withheld from management) and two changes to practice; and at
Hollinsvale Academy (an NEU school) a change made without consultation, which answers
NUT instruction 18's question, so its dashboard shows the finding. Idempotent: the
record is written afresh each time."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from fairload.web.monitoring.models import Meeting, PracticeChange, StaffIssue
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.services import year_touch

SCOTTISH, ENGLISH = "auchenlea-academy", "hollinsvale-academy"

COMMITTEE = ("Lorna Blair", "Jenna Crawford", "Scott Barr", "Gordon McGregor", "Lorna Hamilton")
MEETINGS = (
    (
        date(2025, 10, 8),
        COMMITTEE,
        "Reviewed the first term's calendar against the agreement: the S4 parents' evening "
        "and the tracking deadline fall in the same week.\nAgreed to move the tracking "
        "deadline to 31 October.\nConsidered the issue raised about report writing; the "
        "union side will gather examples before the next meeting.",
    ),
    (
        date(2025, 12, 10),
        COMMITTEE[:4],
        "Report writing: the examples gathered show the time is short in English and maths. "
        "The head teacher will consider extra time in the next draft.\nNo change to the "
        "calendar this term.",
    ),
)
#: username of the raiser, name withheld, raised on, title, details, response, responded on
ISSUES = (
    (
        "teacher",
        True,
        date(2025, 9, 29),
        "Report writing takes longer than the time allocated",
        "Full reports for two classes took me about eight hours more than the agreement "
        "allows under assessment, reporting and recording.",
        "The committee gathered examples from departments (meeting of 10 December) and will "
        "consider the allocation when next year's draft is prepared.",
        date(2025, 12, 10),
    ),
    (
        "rep",
        False,
        date(2025, 11, 12),
        "Parents' evenings finishing after 19:00",
        "The S2 parents' evening ran to 19:20. Could appointments end by 18:45?",
        "",
        None,
    ),
)
#: school, title, description, introduced on, consulted, note
CHANGES = (
    (
        SCOTTISH,
        "Tracking deadline moved to 31 October",
        "Gives a week between the S4 parents' evening and the tracking deadline.",
        date(2025, 10, 8),
        True,
        "Agreed at the committee meeting of 8 October.",
    ),
    (
        SCOTTISH,
        "New homework policy",
        "Homework set and marked weekly in every subject.",
        date(2025, 11, 3),
        False,
        "Introduced by the senior leadership team before the committee met.",
    ),
    (
        ENGLISH,
        "Weekly data drops to the senior leadership team",
        "Every teacher enters assessment data for every class each Friday.",
        date(2025, 10, 6),
        False,
        "Not workload impact-assessed or agreed with the NEU.",
    ),
)


def demo_monitoring_add() -> None:
    """Write the demo's monitoring record for the demo schools that are there."""
    users = {u.get_username(): u for u in get_user_model().objects.all()}
    for slug in (SCOTTISH, ENGLISH):
        year = SchoolYear.objects.filter(school__slug=slug).order_by("-start").first()
        if year is None:
            continue
        school, label = year.school, year.label
        for model in (Meeting, StaffIssue, PracticeChange):
            model.objects.filter(school=school, label=label).delete()
        if slug == SCOTTISH:
            Meeting.objects.bulk_create(
                Meeting(school=school, label=label, held_on=on, attendees=list(who), minutes=text)
                for on, who, text in MEETINGS
            )
            StaffIssue.objects.bulk_create(
                StaffIssue(
                    school=school,
                    label=label,
                    raised_by=users.get(username),
                    name_withheld=withheld,
                    raised_on=on,
                    title=title,
                    details=details,
                    response=response,
                    responded_on=responded,
                )
                for username, withheld, on, title, details, response, responded in ISSUES
            )
        PracticeChange.objects.bulk_create(
            PracticeChange(
                school=school,
                label=label,
                title=title,
                description=description,
                introduced_on=on,
                consulted=consulted,
                note=note,
            )
            for where, title, description, on, consulted, note in CHANGES
            if where == slug
        )
        year_touch(year)
