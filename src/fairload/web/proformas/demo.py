"""The demo's pro-formas (``manage.py load_demo``), so `make run` shows them in each state:
Heather Muir's (the demo teacher's) returned with a comment, one agreed, one sent and
waiting for the line manager, one agreed and then changed (both signatures void, and the
page says why), one draft that does not add up yet.

The hours are laid out from each teacher's own balance (the core works it out from the
year), so they add up whatever the year's groups give. Pro-formas outlive a re-import of
the year, so a second run finds them there and adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from fairload.core import proforma as core
from fairload.web.proformas.models import Proforma, ProformaSignature
from fairload.web.proformas.selectors import manager_post, proforma_of
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.services import year_touch

DEMO_SCHOOL = "auchenlea-academy"
#: staff id, the state it is left in
DEMO = (
    ("hmuir", core.RETURNED),
    ("sbarr", core.AGREED),
    ("gmcgregor", core.SENT),
    ("lhamilton", "changed"),
    ("esimpson", core.DRAFT),
)
RETURN_COMMENT = (
    "Thanks, Heather. As a probationer, please put your induction CPD on the CPD row "
    "and say which course in the details; the rest looks right."
)


def _hours(total: float, *, short: float = 0) -> dict[str, float]:
    """A plausible spread of ``total`` hours over Appendix 2's rows (less ``short``)."""
    reports, cpd = 6.0, 8.0
    return {
        "additional-preparation-and-marking": total - reports - cpd - short,
        "preparation-of-reports": reports,
        "cpd": cpd,
    }


DETAILS = {
    "additional-preparation-and-marking": "Senior phase coursework marking",
    "preparation-of-reports": "S1–S3 tracking reports",
    "cpd": "Restorative practice course",
}


def _sign(
    stored: Proforma, post: StaffPost, role: str, state: core.ProformaState, when: datetime
) -> None:
    ProformaSignature.objects.create(
        proforma=stored,
        name=post.name,
        role=role,
        position=post.get_post_display(),
        signed_at=when,
        content_hash=state.content_hash,
        document=state.as_document(),
    )


def demo_proformas_add(now: datetime | None = None) -> int:
    """Add the demo school's pro-formas (once); how many were added."""
    year = SchoolYear.objects.filter(school__slug=DEMO_SCHOOL).order_by("-start").first()
    if year is None or Proforma.objects.filter(school=year.school, label=year.label).exists():
        return 0
    now = now or timezone.now()
    added = 0
    for staff_id, leave_as in DEMO:
        post = year.staff.filter(staff_id=staff_id).first()
        manager = manager_post(year=year, post=post) if post else None
        if post is None or manager is None:
            continue
        total = proforma_of(year=year, post=post).state.total
        signed_hours = _hours(total)
        if leave_as == core.RETURNED:  # the CPD the line manager asks for is not there yet
            signed_hours["additional-preparation-and-marking"] += signed_hours.pop("cpd")
        # the draft adds up but is not yet sent: a short one would be a breach on the
        # demo's dashboard, whose three breaches the walkthroughs and journeys follow
        hours = _hours(total) if leave_as == core.DRAFT else signed_hours
        details = {k: v for k, v in DETAILS.items() if k in signed_hours}
        stored = Proforma.objects.create(
            school=year.school,
            label=year.label,
            staff_id=staff_id,
            state=core.AGREED if leave_as == "changed" else leave_as,
            hours=hours,
            details=details,
            changed_at=now - timedelta(days=9),
            sent_at=None if leave_as == core.DRAFT else now - timedelta(days=8),
            comment=RETURN_COMMENT if leave_as == core.RETURNED else "",
            steps=1,
        )
        signed = proforma_of(year=year, post=post, hours=signed_hours, details=details).state
        if leave_as != core.DRAFT:
            _sign(stored, post, core.TEACHER, signed, now - timedelta(days=8))
        if leave_as in (core.AGREED, "changed"):
            _sign(stored, manager, core.LINE_MANAGER, signed, now - timedelta(days=6))
        if leave_as == "changed":
            # changed after both signed: an hour moved from marking to formal assessment
            changed: dict[str, Any] = dict(signed_hours)
            changed["additional-preparation-and-marking"] -= 4
            changed["formal-assessment"] = 4.0
            stored.hours, stored.changed_at = changed, now - timedelta(days=2)
            stored.save(update_fields=["hours", "changed_at"])
        added += 1
    year_touch(year)
    return added
