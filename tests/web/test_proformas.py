"""A teacher's balance-of-time pro-forma from first hours to both signatures (JNCT2.7
Appendix 2, 9.2): Kirsty Teacher (t1, maths) fills it in against her 34 hours, sends it
to Ailsa Principal (pt3, the maths PT: her line manager by the post structure), who
returns it, then agrees it; a later change voids both signatures. The school-year file
exports it, and the pack's own checks read it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fairload.core.proforma import AGREED, DRAFT, LINE_MANAGER, RETURNED, SENT, TEACHER
from fairload.web.notices.models import Notice
from fairload.web.proformas.models import Proforma
from fairload.web.proformas.selectors import (
    proforma_data,
    proforma_list,
    proforma_of,
    proforma_pdf_document,
)
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document

SLUG = "test-academy"
PASSWORD = "a-good-long-password"
PROFORMA_RULES = {"proforma-adds-up", "proforma-activities", "proforma-agreed-with-line-manager"}


def _url(name: str, staff_id: str = "t1") -> str:
    return reverse(name, args=[SLUG, staff_id])


@pytest.fixture
def people(cast):  # type: ignore[no-untyped-def]
    """The teacher and her line manager with real passwords (they sign)."""
    users = get_user_model()
    teacher = cast["teacher"]
    teacher.set_password(PASSWORD)
    teacher.save()
    manager = users.objects.create_user(username="ailsa", password=PASSWORD)
    StaffPost.objects.filter(school_year__school__slug=SLUG, staff_id="pt3").update(person=manager)
    return {"teacher": teacher, "manager": manager}


@pytest.fixture
def client_of(client, people):  # type: ignore[no-untyped-def]
    from django.test import Client

    def signed_in(who: str) -> Client:
        c = Client()
        c.force_login(people[who])
        return c

    return signed_in


def _year() -> SchoolYear:
    return SchoolYear.objects.get(school__slug=SLUG)


def _post(staff_id: str = "t1") -> StaffPost:
    post = StaffPost.objects.get(school_year__school__slug=SLUG, staff_id=staff_id)
    post.school_year = _year()
    return post


def _stored() -> Proforma:
    return Proforma.objects.get(school__slug=SLUG, staff_id="t1")


def _findings(staff_id: str = "t1") -> set[str]:
    return {
        f.rule
        for f in school_year_check(year=_year()).findings
        if f.rule in PROFORMA_RULES and f.subject.id == staff_id
    }


def _exported(staff_id: str = "t1") -> dict | None:  # type: ignore[type-arg]
    rows = school_year_document(_year()).get("proformas", [])
    return next((r for r in rows if r["staff"] == staff_id), None)


FULL = {
    "hours-additional-preparation-and-marking": "20",
    "hours-cpd": "14",
    "details-cpd": "Restorative practice course",
}
SHORT = {"hours-additional-preparation-and-marking": "20", "hours-cpd": "10"}


@pytest.mark.django_db
def test_the_page_lays_out_appendix_2_with_the_basic_balance_and_every_row(client_of):
    page = client_of("teacher").get(_url("proforma-page")).content.decode()

    assert "Individual use of balance of time" in page
    assert "Basic balance of time from the school agreement" in page
    assert "34 hours" in page
    assert "Other (please specify)" in page and "PRD (PT, DHT or HT)" in page
    assert "Ailsa Principal" in page  # her line manager, from the post structure


@pytest.mark.django_db
def test_hours_gained_from_a_group_she_is_not_in_are_added_with_their_working(client_of):
    from fairload.web.committee.models import AgreementGroup
    from fairload.web.schools.services import year_touch

    year = _year()
    group = AgreementGroup.objects.create(
        school_year=year, group_id="numeracy", title="Numeracy working group", hours=10
    )
    group.members.add(_post("pt3"))
    year_touch(year)

    page = client_of("teacher").get(_url("proforma-page")).content.decode()

    assert "44 hours" in page  # 34 + 10
    assert "not a member of: Numeracy working group (10 h)" in page


@pytest.mark.django_db
def test_the_totals_are_checked_as_she_types_and_nothing_is_saved(client_of):
    response = client_of("teacher").post(_url("proforma-totals"), SHORT, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "4 hours left to account for." in body and "Does not add up" in body
    assert not Proforma.objects.exists()


@pytest.mark.django_db
def test_without_javascript_saving_shows_what_is_left(client_of):
    teacher = client_of("teacher")
    response = teacher.post(_url("proforma-page"), SHORT, follow=True)

    body = response.content.decode()
    assert "4 hours left to account for." in body
    assert "It cannot be sent yet" in body
    assert _stored().hours == {"additional-preparation-and-marking": 20.0, "cpd": 10.0}


@pytest.mark.django_db
def test_a_pro_forma_that_does_not_add_up_cannot_be_sent(client_of):
    teacher = client_of("teacher")
    teacher.post(_url("proforma-page"), SHORT)

    response = teacher.post(_url("proforma-send"), {"password": PASSWORD})

    assert response.status_code == 200
    assert "It does not add up yet: 4 hours left to account for." in response.content.decode()
    assert _stored().state == DRAFT and not _stored().signatures.exists()


@pytest.mark.django_db
def test_a_wrong_password_signs_nothing(client_of):
    teacher = client_of("teacher")
    teacher.post(_url("proforma-page"), FULL)

    response = teacher.post(_url("proforma-send"), {"password": "not-mine"})

    assert "That is not your password." in response.content.decode()
    assert _stored().state == DRAFT and not _stored().signatures.exists()


def _send(teacher) -> None:  # type: ignore[no-untyped-def]
    teacher.post(_url("proforma-page"), FULL)
    response = teacher.post(_url("proforma-send"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.django_db
def test_sending_signs_it_and_tells_the_line_manager(client_of, people):
    _send(client_of("teacher"))

    stored = _stored()
    (signature,) = stored.signatures.all()
    assert stored.state == SENT
    assert (signature.role, signature.name, signature.position) == (
        TEACHER,
        "Kirsty Teacher",
        "Teacher",
    )
    assert signature.content_hash == proforma_of(year=_year(), post=_post()).state.content_hash
    notice = Notice.objects.get(kind="proforma-sent")
    assert notice.recipient == people["manager"]


@pytest.mark.django_db
def test_the_line_manager_returns_it_with_a_comment_she_sees(client_of, people):
    _send(client_of("teacher"))

    response = client_of("manager").post(
        _url("proforma-return"), {"comment": "Put your course on the CPD row."}
    )

    assert response.status_code == 302
    assert _stored().state == RETURNED
    page = client_of("teacher").get(_url("proforma-page")).content.decode()
    assert "Returned by the line manager" in page and "Put your course on the CPD row." in page
    assert Notice.objects.get(kind="proforma-returned").recipient == people["teacher"]


@pytest.mark.django_db
def test_both_sign_and_the_file_and_the_checks_read_it(client_of, people):
    _send(client_of("teacher"))
    assert _findings() == {"proforma-agreed-with-line-manager"}  # her signature only

    response = client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})

    assert response.status_code == 302
    assert _stored().state == AGREED
    exported = _exported()
    assert exported is not None
    assert exported["activities"] == {"additional-preparation-and-marking": 20.0, "cpd": 14.0}
    assert exported["details"] == {"cpd": "Restorative practice course"}
    assert [s["role"] for s in exported["signatures"]] == [TEACHER, LINE_MANAGER]
    assert [s["name"] for s in exported["signatures"]] == ["Kirsty Teacher", "Ailsa Principal"]
    assert _findings() == set()
    assert Notice.objects.get(kind="proforma-agreed").recipient == people["teacher"]


@pytest.mark.django_db
def test_a_later_change_voids_both_signatures_and_the_page_says_why(client_of):
    _send(client_of("teacher"))
    client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})

    changed = {**FULL, "hours-cpd": "10", "hours-formal-assessment": "4"}
    client_of("teacher").post(_url("proforma-page"), changed)

    view = proforma_of(year=_year(), post=_post())
    assert view.status == DRAFT and len(view.voided) == 2
    page = client_of("manager").get(_url("proforma-page")).content.decode()
    assert "Both signatures no longer stand" in page
    assert "the hours for &#x27;CPD&#x27; changed from 14 hours to 10 hours" in page
    assert "signatures" not in (_exported() or {})
    assert _findings() == {"proforma-agreed-with-line-manager"}


@pytest.mark.django_db
def test_the_line_manager_cannot_agree_a_draft(client_of):
    client_of("teacher").post(_url("proforma-page"), FULL)

    response = client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})

    assert "cannot be agreed" in response.content.decode()
    assert _stored().state == DRAFT


@pytest.mark.django_db
def test_a_line_manager_sees_only_the_pro_formas_of_those_they_manage(client_of):
    manager = client_of("manager")

    assert manager.get(_url("proforma-page")).status_code == 200
    assert manager.get(_url("proforma-page", "t2")).status_code == 404  # t2's is dht6


@pytest.mark.django_db
def test_the_head_sees_who_has_not_yet_agreed(client_of, as_user):
    _send(client_of("teacher"))
    client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})

    listed = proforma_list(year=_year())
    rows = {r.post.staff_id: r.status_label for r in listed}
    page = as_user("head").get(reverse("proforma-list", args=[SLUG])).content.decode()

    assert rows["t1"] == "Agreed" and rows["t2"] == "Not started"
    assert listed[-1].post.staff_id == "t1"  # the agreed last
    assert "7 of 8 teachers have not yet agreed a pro-forma" in page
    assert "34 hours" not in page  # names and states, not the hours


@pytest.mark.django_db
def test_the_exported_year_imports_back_with_the_same_pro_formas(client_of):
    _send(client_of("teacher"))
    client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})
    before = school_year_document(_year())

    school_year_import(document=json.loads(json.dumps(before)), source="export.json")

    assert school_year_document(_year())["proformas"] == before["proformas"]
    assert _findings() == set()
    # and a new installation, which has only the file, reads the same pro-forma from it
    Proforma.objects.all().delete()
    school_year_import(document=json.loads(json.dumps(before)), source="export.json")
    assert school_year_document(_year())["proformas"] == before["proformas"]
    assert "Restorative practice course" in json.dumps(before["proformas"])


@pytest.mark.django_db
def test_the_pdf_reads_the_pro_forma_as_plain_data(client_of):
    _send(client_of("teacher"))
    client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})

    data = proforma_data(year=_year(), post=_post())

    assert json.loads(json.dumps(data)) == data  # plain data: text, numbers, ISO dates
    assert (data["basic_hours"], data["additional_hours"], data["total_hours"]) == (34, 0, 34)
    assert [r["activity"] for r in data["rows"]][-2:] == [
        "Other (please specify)",
        "Left unallocated for unforeseen needs (clause 14)",
    ]
    assert [(s["role"], s["holds"]) for s in data["signatures"]] == [
        (TEACHER, True),
        (LINE_MANAGER, True),
    ]
    assert data["reconciles"] and data["left_hours"] == 0


@pytest.mark.django_db
def test_the_teachers_page_links_her_pro_forma(client_of):
    page = client_of("teacher").get(reverse("teacher-page", args=[SLUG, "t1"])).content.decode()

    assert _url("proforma-page") in page and "Fill in and agree my pro-forma" in page


@pytest.mark.django_db
def test_a_pro_forma_from_the_imported_file_is_shown_as_recorded_outside_fairload(client_of):
    year = _year()
    year.proformas = [
        {
            "staff": "t1",
            "activities": {"cpd": 34},
            "signatures": [
                {"role": "teacher", "name": "Kirsty Teacher", "signed_on": "2025-09-15"},
            ],
        }
    ]
    year.save()

    page = client_of("teacher").get(_url("proforma-page")).content.decode()

    assert "outside fairload, signed there by Kirsty Teacher (teacher, 2025-09-15)" in page
    assert 'value="34"' in page  # her hours start from the file's
    client_of("teacher").post(_url("proforma-page"), FULL)
    assert _exported()["activities"] == {  # type: ignore[index]
        "additional-preparation-and-marking": 20.0,
        "cpd": 14.0,
    }


@pytest.mark.django_db
def test_the_pdf_document_has_both_standing_signatures_and_is_final(client_of):
    from fairload.documents.proforma import proforma_pdf

    _send(client_of("teacher"))
    client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})

    document = proforma_pdf_document(year=_year(), post=_post())

    assert document.final and document.left_hours == 0
    assert [(s.role, s.name) for s in document.signatures] == [
        (TEACHER, "Kirsty Teacher"),
        (LINE_MANAGER, "Ailsa Principal"),
    ]
    assert document.lines[-1].activity == "Left unallocated for unforeseen needs (clause 14)"
    assert proforma_pdf(document).startswith(b"%PDF")
