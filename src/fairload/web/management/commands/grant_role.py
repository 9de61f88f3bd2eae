"""Give a person a role, making their login if it does not exist yet.

    fairload-web grant_role alice site-admin
    fairload-web grant_role bob head --school auchenlea-academy
    fairload-web grant_role carol union-officer --council south-ayrshire-council --union EIS
    fairload-web grant_role dan teacher --school auchenlea-academy --staff-id dmcd

A new login gets no usable password: set one with `fairload-web changepassword NAME`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from fairload.web.accounts.models import COUNCIL_ROLES, SCHOOL_ROLES, Membership, Role
from fairload.web.audit.services import audit_record
from fairload.web.schools.models import Council, School, StaffPost


class Command(BaseCommand):
    help = "Give a person a role in a school, across a council, or everywhere (site admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[r.value for r in Role])
        parser.add_argument("--school", help="school slug, for teacher, union-rep and head")
        parser.add_argument("--council", help="council slug, for council and union officers")
        parser.add_argument("--union", default="", help="the union a rep or officer acts for")
        parser.add_argument("--staff-id", help="for a teacher: their staff id in the school")

    def handle(self, *args: Any, **options: Any) -> None:
        role = Role(options["role"])
        school = council = None
        if role in SCHOOL_ROLES:
            if not options["school"]:
                raise CommandError(f"--school is required for the role {role.value}")
            school = School.objects.filter(slug=options["school"]).first()
            if school is None:
                raise CommandError(f"no school with the slug '{options['school']}'")
        elif role in COUNCIL_ROLES:
            if not options["council"]:
                raise CommandError(f"--council is required for the role {role.value}")
            council = Council.objects.filter(slug=options["council"]).first()
            if council is None:
                raise CommandError(f"no council with the slug '{options['council']}'")
        if options["union"] and role not in (Role.UNION_REP, Role.UNION_OFFICER):
            raise CommandError("--union is only for a union rep or a union officer")
        with transaction.atomic():
            user, created = get_user_model().objects.get_or_create(username=options["username"])
            if created:
                user.set_unusable_password()
                user.save()
            membership, made = Membership.objects.get_or_create(
                user=user,
                role=role,
                school=school,
                council=council,
                defaults={"union": options["union"]},
            )
            if options["staff_id"]:
                if school is None:
                    raise CommandError("--staff-id needs --school")
                linked = StaffPost.objects.filter(
                    school_year__school=school, staff_id=options["staff_id"]
                ).update(person=user)
                if not linked:
                    raise CommandError(f"no staff id '{options['staff_id']}' in {school.slug}")
            if made:
                audit_record(
                    actor=None,
                    action="role.grant",
                    school=school,
                    summary=f"Gave {user.get_username()} the role {role.label}"
                    + (f" in {school or council}" if school or council else ""),
                )
        self.stdout.write(
            f"{'Made' if created else 'Found'} login {user.get_username()}; "
            f"{'granted' if made else 'already had'}: {membership}"
        )
        if created:
            self.stdout.write(
                f"Set a password with: fairload-web changepassword {user.get_username()}"
            )
