"""The cast at an NEU school, for the workload audit's tests: the English school of the
cast (tests/web/conftest.py) under the NEU pack, its NEU rep, NEU members and a member of
another union, its head (a member too: never shown union business), and the union's
local officer for its council; a second NEU school in the same council."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.services import school_year_import
from fairload.web.workload_audit.services import AnswerIn, answer_save

from .conftest import PACKS

NEU = "england/neu-asos-2015"
NEU_FIXTURE = PACKS / "england" / "neu-asos-2015" / "tests" / "school.yaml"
NOW = datetime(2025, 11, 3, 9, tzinfo=UTC)
PDF_BYTES = b"%PDF-1.4\n% a plan collected on Friday\n"


def neu_school(cast: dict[str, AbstractBaseUser]) -> tuple[School, School]:
    """The cast's English school under the NEU pack, with its people as above, and a
    second NEU school ('other-school') in its council."""
    english = School.objects.get(slug="test-school")
    english.pack = NEU
    english.save(update_fields=["pack"])
    document = copy.deepcopy(load_file(NEU_FIXTURE))
    document["school"]["id"] = "other-school"
    document["school"]["name"] = "Other Community School"
    school_year_import(document=document, source="other-school.yaml")
    other = School.objects.get(slug="other-school")
    other.council = english.council
    other.save(update_fields=["council"])

    def post(staff_id: str, who: str) -> None:
        StaffPost.objects.filter(school_year__school=english, staff_id=staff_id).update(
            person=cast[who]
        )

    Membership.objects.create(user=cast["rep"], role=Role.UNION_REP, school=english, union="NEU")
    Membership.objects.create(
        user=cast["union-officer"], role=Role.UNION_OFFICER, council=english.council, union="NEU"
    )
    Membership.objects.create(user=cast["head"], role=Role.HEAD, school=english)
    Membership.objects.create(
        user=cast["council"], role=Role.COUNCIL_OFFICER, council=english.council
    )
    for who, union, staff_id in (
        ("teacher", "NEU", "t1"),
        ("colleague", "NASUWT", "t2"),
        ("head", "neu", "head"),
    ):
        UnionMembership.objects.create(user=cast[who], union=union)
        post(staff_id, who)
    return english, other


def answered(school: School, actor: AbstractBaseUser, union: str = "NEU") -> None:
    """Two answers: lesson plans (with a note, a PDF and the check frozen) and emails."""
    answer_save(
        actor=actor,
        school=school,
        union=union,
        given=AnswerIn(
            "weekly-lesson-plans-to-slt",
            True,
            note="Plans are collected every Friday by the deputy head",
            uploads=[("plans-memo.pdf", PDF_BYTES)],
            freeze_check=True,
        ),
        now=NOW,
    )
    answer_save(
        actor=actor,
        school=school,
        union=union,
        given=AnswerIn("emails-expected-outside-directed-time", True),
        now=NOW,
    )
