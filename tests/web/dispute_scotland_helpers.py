"""A Scottish school (the South Ayrshire pack's test school under another id, in the
cast's Scottish council) for the EIS dispute tests, and the people a case there is and
is not for.

"EIS School": Erin (the EIS rep), Ewan and Elspeth are its EIS members; Sandy is in the
SSTA; Morag the head has declared EIS too, and must still see nothing; Nial is an NEU rep
there, a union no Scottish ladder serves. Elsewhere: the council's EIS local association
secretary (who sees the case), the cast's Scottish council officer, an NEU rep at the
cast's English school and an EIS rep at Test Academy, another school of the council
(who see nothing of it).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Role
from fairload.web.disputes import services
from fairload.web.disputes.models import Case
from fairload.web.schools.models import School
from fairload.web.schools.services import school_year_import

from .conftest import SCOTTISH
from .dispute_helpers import OPENED, person

EIS_PACK = "scotland/eis-workload-dispute"


def eis_school() -> School:
    document = load_file(SCOTTISH)
    document["school"] = {**document["school"], "id": "eis-school", "name": "EIS School"}
    school_year_import(document=document, source="eis-school.yaml")
    return School.objects.select_related("council").get(slug="eis-school")


def eis_people(cast: dict[str, Any], schools: dict[str, School]) -> dict[str, Any]:
    """The EIS school's people, with the shared cast; an NEU rep at the English school
    and an EIS rep at Test Academy."""
    school = eis_school()
    council = school.council
    assert council == schools["test-academy"].council
    return {
        **cast,
        "eis-rep": person(
            "eis-rep", Role.UNION_REP, school=school, union="EIS", declares="EIS", staff_id="t1"
        ),
        "eis-member": person(
            "eis-member", Role.TEACHER, school=school, declares="EIS", staff_id="t2"
        ),
        "eis-member-2": person(
            "eis-member-2", Role.TEACHER, school=school, declares="eis", staff_id="pt06"
        ),
        "ssta-member": person(
            "ssta-member", Role.TEACHER, school=school, declares="SSTA", staff_id="pb"
        ),
        "eis-head": person("eis-head", Role.HEAD, school=school, declares="EIS", staff_id="ht"),
        "neu-rep-here": person(
            "neu-rep-here", Role.UNION_REP, school=school, union="NEU", declares="NEU"
        ),
        "eis-secretary": person("eis-secretary", Role.UNION_OFFICER, council=council, union="EIS"),
        "neu-rep-elsewhere": person(
            "neu-rep-elsewhere",
            Role.UNION_REP,
            school=schools["test-school"],
            union="NEU",
            declares="NEU",
        ),
        "eis-rep-elsewhere": person(
            "eis-rep-elsewhere",
            Role.UNION_REP,
            school=schools["test-academy"],
            union="EIS",
            declares="EIS",
        ),
    }


def open_eis_case(rep: AbstractBaseUser, *, title: str = "Parents' meetings") -> Case:
    return services.dispute_case_open(
        actor=rep,
        school=School.objects.get(slug="eis-school"),
        title=title,
        issues=[{"clause": "JNCT2.7 6.1", "note": "Meetings with parents"}],
        now=OPENED,
    )
