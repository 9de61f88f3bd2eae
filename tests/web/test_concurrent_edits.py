"""Many people saving the same event or post at once, with real threads and real
transactions: no lost update, no server error.

Each person opens the edit form (which carries the version it was read at) and then all
save at the same moment. Exactly one save wins; every other is refused with the page
that shows both versions (409), and a change to something deleted meanwhile answers 410.
The same tests run on SQLite and, in ``make test``, on a throwaway PostgreSQL, where
the year's row lock (SELECT ... FOR UPDATE) is what serialises the saves.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.models import Event, StaffPost
from tests.web.test_editing import event_form, post_form

SCHOOL = "test-academy"
HEADS = 30


def _shared_database() -> None:
    """Threads need a database they can all write to, waiting their turn: PostgreSQL, or
    SQLite in a file with IMMEDIATE write transactions (the in-memory test database of
    SQLite locks whole tables between connections, which is not what production sees)."""
    if connection.vendor != "sqlite":
        return
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.is_in_memory_db() or options.get("transaction_mode") != "IMMEDIATE":
        pytest.skip("concurrent writes need PostgreSQL (make test) or a file SQLite database")


def _client() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="head"))
    return client


def _pairs(people: list[Client], forms: list[dict]) -> list[tuple[Client, dict]]:
    return list(zip(people, forms, strict=True))


def _version(page: str) -> str:
    match = re.search(r'name="version" value="([^"]+)"', page)
    assert match, "the edit form carries no version"
    return match.group(1)


def _all_at_once(jobs: list[Callable[[], int]]) -> list[int]:
    """Run every job in its own thread, released together; their status codes."""
    barrier = threading.Barrier(len(jobs))
    codes: list[int] = [0] * len(jobs)

    def run(index: int) -> None:
        try:
            barrier.wait()
            codes[index] = jobs[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes


@pytest.mark.django_db(transaction=True)
def test_thirty_heads_saving_one_event_at_once_one_wins_and_the_rest_see_both_versions(cast):
    _shared_database()
    address = reverse("event-edit", args=[SCHOOL, "sm1"])
    people = [_client() for _ in range(HEADS)]
    forms = []
    for n, client in enumerate(people):
        version = _version(client.get(address).content.decode())
        forms.append({**event_form(title=f"Meeting {n}"), "version": version})
    updates_before = AuditEntry.objects.filter(action="event.update").count()

    codes = _all_at_once(
        [lambda c=c, f=f: c.post(address, f).status_code for c, f in _pairs(people, forms)]
    )

    assert Counter(codes) == {302: 1, 409: HEADS - 1}
    winner = codes.index(302)
    assert Event.objects.get(event_id="sm1", school_year__school__slug=SCHOOL).title == (
        f"Meeting {winner}"
    )
    assert AuditEntry.objects.filter(action="event.update").count() == updates_before + 1


@pytest.mark.django_db(transaction=True)
def test_thirty_heads_saving_one_post_at_once_one_wins(cast):
    _shared_database()
    address = reverse("post-edit", args=[SCHOOL, "t1"])
    people = [_client() for _ in range(HEADS)]
    forms = []
    for n, client in enumerate(people):
        version = _version(client.get(address).content.decode())
        forms.append({**post_form(name=f"Kirsty {n}"), "version": version})

    codes = _all_at_once(
        [lambda c=c, f=f: c.post(address, f).status_code for c, f in _pairs(people, forms)]
    )

    assert Counter(codes) == {302: 1, 409: HEADS - 1}
    assert StaffPost.objects.get(school_year__school__slug=SCHOOL, staff_id="t1").name == (
        f"Kirsty {codes.index(302)}"
    )


@pytest.mark.django_db(transaction=True)
def test_edits_and_deletes_of_one_event_at_once_answer_saved_changed_or_deleted_never_500(
    cast,
):
    _shared_database()
    edit = reverse("event-edit", args=[SCHOOL, "sm1"])
    delete = reverse("event-delete", args=[SCHOOL, "sm1"])
    editors = [_client() for _ in range(15)]
    deleters = [_client() for _ in range(15)]
    forms = [
        {**event_form(title=f"Meeting {n}"), "version": _version(c.get(edit).content.decode())}
        for n, c in enumerate(editors)
    ]
    jobs: list[Callable[[], int]] = []
    for client, form in zip(editors, forms, strict=True):
        jobs.append(lambda c=client, f=form: c.post(edit, f).status_code)
    for client in deleters:
        jobs.append(lambda c=client: c.post(delete, {}).status_code)

    codes = _all_at_once(jobs)

    edits, deletes = Counter(codes[:15]), Counter(codes[15:])
    assert set(codes) <= {302, 409, 410}, codes
    assert deletes[302] == 1 and deletes[410] == 14
    assert edits[302] <= 1
    assert not Event.objects.filter(event_id="sm1", school_year__school__slug=SCHOOL).exists()
    assert AuditEntry.objects.filter(action="event.delete").count() == 1


@pytest.mark.django_db
def test_a_stale_save_shows_both_versions_and_keeping_mine_saves_it(as_user):
    client = as_user("head")
    address = reverse("event-edit", args=[SCHOOL, "sm1"])
    mine = {
        **event_form(title="My title"),
        "version": _version(client.get(address).content.decode()),
    }
    client.post(address, {**event_form(title="Their title")})  # someone else saves first

    refused = client.post(address, mine)

    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Someone else changed this event" in page
    assert re.search(r"data-mine>My title<", page) and re.search(r"data-current>Their title<", page)
    assert (
        Event.objects.get(event_id="sm1", school_year__school__slug=SCHOOL).title == "Their title"
    )
    # "Keep my version": the page's own form posts my values against the current version.
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields.pop("csrfmiddlewaretoken", None)
    kept = client.post(address, {**mine, "version": fields["version"]})
    assert kept.status_code == 302
    assert Event.objects.get(event_id="sm1", school_year__school__slug=SCHOOL).title == "My title"


@pytest.mark.django_db
def test_a_change_to_a_deleted_event_or_post_answers_410_with_a_clear_page(as_user):
    client = as_user("head")
    form = event_form(title="Too late")
    Event.objects.filter(event_id="sm1").delete()

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(reverse("event-edit", args=[SCHOOL, "sm1"]), form, **headers)
        assert response.status_code == 410
        assert "This event was deleted" in response.content.decode()
        again = client.post(reverse("event-delete", args=[SCHOOL, "sm1"]), {}, **headers)
        assert again.status_code == 410
    assert client.get(reverse("event-edit", args=[SCHOOL, "sm1"])).status_code == 404

    post = post_form(name="Gone")
    StaffPost.objects.filter(staff_id="t1", school_year__school__slug=SCHOOL).delete()
    response = client.post(reverse("post-edit", args=[SCHOOL, "t1"]), post)
    assert response.status_code == 410
    assert "This staff post was deleted" in response.content.decode()
