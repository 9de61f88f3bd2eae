"""The audit log is append-only by the database itself, keeps who and where when a login or
a school is deleted, and records who read special-category data."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from fairload.web.accounts.models import Membership, UnionMembership
from fairload.web.audit.models import AuditEntry
from fairload.web.audit.services import audit_record
from fairload.web.schools.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(cast, schools) -> AuditEntry:  # type: ignore[no-untyped-def]
    return audit_record(
        actor=cast["head"],
        action="event.update",
        school=schools["test-academy"],
        summary="Changed the event 'Staff meeting'",
    )


def _refused(change) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()


def test_the_database_refuses_to_change_an_entry(entry):
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="Nothing happened"))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor_name="someone"))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(school=None, summary="x"))

    entry.refresh_from_db()
    assert entry.summary == "Changed the event 'Staff meeting'"


def test_the_database_refuses_to_move_an_entry_to_another_school_or_person(entry, cast, schools):
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(school=schools["test-school"]))
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor=cast["admin"]))


def test_the_database_refuses_to_delete_an_entry_even_in_raw_sql(entry):
    _refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table}")

    _refused(raw)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_keeps_the_schools_name_when_the_school_is_deleted(entry, schools):
    School.objects.filter(pk=schools["test-academy"].pk).delete()
    entry.refresh_from_db()

    assert entry.school is None
    assert entry.school_name == "Test Academy"
    assert entry.summary == "Changed the event 'Staff meeting'"


def test_an_entry_keeps_the_username_when_the_login_is_deleted(entry, cast):
    cast["head"].delete()
    entry.refresh_from_db()

    assert entry.actor is None and entry.actor_name == "head"


def test_opening_the_union_members_page_is_logged_as_a_read_but_not_as_a_change(as_user, cast):
    Membership.objects.filter(user=cast["rep"]).update(union="EIS")
    UnionMembership.objects.create(user=cast["teacher"], union="EIS")

    assert (
        as_user("rep").get(reverse("school-union-members", args=["test-academy"])).status_code
        == 200
    )
    read = AuditEntry.objects.get(action="union-members.read")
    changes = as_user("head").get(reverse("school-audit", args=["test-academy"]))

    assert read.actor == cast["rep"] and read.school_name == "Test Academy"
    assert read.details == {"unions": ["EIS"], "people_listed": 1}
    assert "EIS" not in read.summary
    assert "Opened the union members page" not in changes.content.decode()
