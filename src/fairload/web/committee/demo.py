"""The demo's committee and working groups (``manage.py load_demo``), so `make run` shows
the committee and groups pages filled in. Auchenlea Academy's year file has none: its
working groups are in its events only; these are what its agreement would record."""

from __future__ import annotations

from datetime import date

from fairload.web.committee.models import AgreementGroup, CommitteeSeat, NegotiatingCommittee
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.services import year_touch

DEMO_SCHOOL = "auchenlea-academy"

#: id, title, hours in the year (five meetings of 1.5 hours), members
GROUPS = (
    (
        "learning-teaching",
        "Learning and teaching working group",
        7.5,
        ("jcrawford", "durquhart", "esimpson", "randerson", "rcarmichael", "nsinclair"),
    ),
    (
        "health-wellbeing",
        "Health and wellbeing working group",
        7.5,
        ("smarshall", "zcampbell", "mbell", "kquinn", "elamont", "hbaird", "rweir", "mgibson"),
    ),
)

FORMED = date(2025, 4, 22)
#: staff id, capacity, union, from, to
SEATS = (
    ("lblair", "head-teacher", "", FORMED, None),
    ("jcrawford", "senior-manager", "", FORMED, None),
    ("sbarr", "union-rep", "EIS", FORMED, None),
    ("gmcgregor", "union-rep", "EIS", FORMED, None),
    ("mbell", "union-rep", "SSTA", date(2024, 8, 20), date(2025, 3, 31)),
    ("lhamilton", "union-rep", "SSTA", FORMED, None),
)


def demo_record_add() -> SchoolYear | None:
    """Record the demo school's committee and groups (its year was just imported, so it
    has none); None if the demo school is not there."""
    year = SchoolYear.objects.filter(school__slug=DEMO_SCHOOL).order_by("-start").first()
    if year is None:
        return None
    posts = {p.staff_id: p for p in year.staff.all()}
    for group_id, title, hours, members in GROUPS:
        group = AgreementGroup.objects.create(
            school_year=year, group_id=group_id, title=title, hours=hours
        )
        group.members.add(*(posts[m] for m in members))
    committee = NegotiatingCommittee.objects.create(
        school_year=year, accredited_unions=["EIS", "SSTA"]
    )
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(
            committee=committee, post=posts[s], role=role, union=union, since=since, until=until
        )
        for s, role, union, since, until in SEATS
    )
    _signed_by_the_committee(year, posts)
    year_touch(year)
    return year


#: The day the year file records the agreement as signed.
SIGNED_ON = "2025-06-03"


def _signed_by_the_committee(year: SchoolYear, posts: dict[str, StaffPost]) -> None:
    """The year file records two signatures typed by name; with a committee recorded,
    16.5 wants the head and every union representative sitting when the staff voted, so
    the demo's record names them, as an agreement signed in fairload would."""
    process = dict(year.agreement.get("process") or {})
    if "signatures" not in process:
        return
    process["signatures"] = [
        {"role": role, "name": posts[s].name, "signed_on": SIGNED_ON, "staff": s}
        for s, role, _union, _since, until in SEATS
        if role in ("head-teacher", "union-rep") and until is None
    ]
    year.agreement = {**year.agreement, "process": process}
    year.save(update_fields=["agreement"])
