"""Load the demo schools and one demo login per role (development only), idempotently."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role
from fairload.web.appeals.demo import demo_appeals_add
from fairload.web.committee.demo import demo_record_add
from fairload.web.disputes.demo import demo_disputes_add
from fairload.web.evaluations.demo import demo_evaluation_add
from fairload.web.monitoring.demo import demo_monitoring_add
from fairload.web.proformas.demo import demo_proformas_add
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.services import school_year_import
from fairload.web.workload_audit.demo import demo_workload_audit_add

EXAMPLES = Path(__file__).resolve().parents[5] / "examples"
DEMO_PASSWORD = "fairload-demo"
#: The union the demo's rep and union officer act for, so the union pages work at once.
DEMO_UNION = "EIS"

#: username, role, school slug or council slug, staff id for a teacher's own page (the
#: rep on Scott Barr's post, so they sit on the demo's committee as EIS rep:
#: committee/demo.py; the head acts for the committee by their role, seat or not)
DEMO_LOGINS: list[tuple[str, Role, str, str | None]] = [
    ("admin", Role.SITE_ADMIN, "", None),
    ("head", Role.HEAD, "auchenlea-academy", None),
    ("rep", Role.UNION_REP, "auchenlea-academy", "sbarr"),
    ("teacher", Role.TEACHER, "auchenlea-academy", "hmuir"),
    ("council", Role.COUNCIL_OFFICER, "south-ayrshire-council", None),
    ("union-officer", Role.UNION_OFFICER, "south-ayrshire-council", None),
    ("english-head", Role.HEAD, "hollinsvale-academy", None),
]


class Command(BaseCommand):
    help = "Import the demo schools from examples/ and create one demo login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEVELOPMENT:
            raise CommandError(
                "load_demo creates known passwords: run it only with FAIRLOAD_ENV=development"
            )
        # Every demo login has the one known password: hashed once, not once a login
        # (a hash is made slow on purpose, about half a second each).
        self._password_hash = make_password(DEMO_PASSWORD)
        for path in sorted(EXAMPLES.glob("*.yaml")):
            year = school_year_import(document=load_file(path), source=str(path))
            self.stdout.write(f"loaded {year}")
        with transaction.atomic():
            demo_record_add()  # the demo school's committee and working groups
            demo_proformas_add()  # a few teachers' pro-formas, one in each state
        with transaction.atomic():
            for username, role, scope, staff_id in DEMO_LOGINS:
                self._login(username, role, scope, staff_id)
        with transaction.atomic():
            demo_monitoring_add()  # meetings, issues and changes to practice (16.6)
            demo_evaluation_add()  # the annual evaluation, answered and closed (Appendix 3)
        self.stdout.write(f"\nDemo logins (password for each: {DEMO_PASSWORD}):")
        for username, role, scope, _ in DEMO_LOGINS:
            self.stdout.write(f"  {username:<14} {role.label}{' — ' + scope if scope else ''}")
        demo_appeals_add(self._password_hash, self.stdout.write)  # Joint Secretaries and an appeal
        demo_disputes_add(self._password_hash, self.stdout.write)  # an NEU rep, members, a case
        demo_workload_audit_add()  # their NEU audit's answers (after disputes' people)

    def _login(self, username: str, role: Role, scope: str, staff_id: str | None) -> None:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.password = self._password_hash
            user.save()
        school = council = None
        if role in (Role.COUNCIL_OFFICER, Role.UNION_OFFICER):
            council = School.objects.filter(council__slug=scope).first().council  # type: ignore[union-attr]
        elif role != Role.SITE_ADMIN:
            school = School.objects.get(slug=scope)
        union = DEMO_UNION if role in (Role.UNION_REP, Role.UNION_OFFICER) else ""
        Membership.objects.update_or_create(
            user=user, role=role, school=school, council=council, defaults={"union": union}
        )
        if staff_id and school is not None:
            StaffPost.objects.filter(school_year__school=school, staff_id=staff_id).update(
                person=user
            )
