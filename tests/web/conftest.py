"""A cast of people for the web tests: each test says who is asking and what they get.

Two schools under two councils: Test Academy (South Ayrshire) and Test Community School
(an English local authority), both the packs' own compliant fixtures.

A module that sets ``SHARED_SETUP = True`` (the access matrices: hundreds of cells that each
only read or are refused) builds its schools and cast once, in a transaction held open for
the module; each test runs inside it in its own savepoint (pytest-django's ``db``), so what
a test writes is still undone after it, and the next test sees the module's data as built.
Its own costly fixtures can then be module-scoped on ``shared_setup``. Such a module may not
hold a transactional test (``transaction=True``, ``live_server``).

The checks of school years are kept for the session by the year's content (its document,
written out exactly), not by its id and revision as the application keeps them: see
``_checks_kept_by_content``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role
from fairload.web.schools.models import Council, School, StaffPost
from fairload.web.schools.services import school_year_import

PACKS = Path(__file__).resolve().parents[2] / "src" / "fairload" / "packs"
SCOTTISH = PACKS / "scotland" / "south-ayrshire-jnct-2.7" / "tests" / "school.yaml"
ENGLISH = PACKS / "england" / "stpcd" / "tests" / "school.yaml"


#: What a year's document may hold for its written form (repr) to name its content
#: exactly; a document with anything else is checked afresh.
_PLAIN = (str, int, float, bool, type(None), date, datetime, time, Decimal)
_CHECKS_BY_CONTENT: OrderedDict[str, Any] = OrderedDict()
_CHECKS_KEPT = 256
_CHECKS_LOCK = threading.Lock()


def _written(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, _PLAIN) and _written(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_written(v) for v in value)
    return isinstance(value, _PLAIN)


@pytest.fixture(autouse=True)
def _checks_kept_by_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """A year's check made once per content for the session, not once per page.

    The application keeps a year's check under its id and revision (selectors.year_key),
    which every service bumps; the tests keep that off (FAIRLOAD_CHECK_CACHE_SIZE = 0 in
    test_settings) because they change rows directly, without a new revision, and because
    SQLite gives the next test's year the same id and revision. Kept here instead under
    the year's whole document (school_year_document, which reads every row the check
    reads), the check is the one of the year as it is now: a test that changes a row
    changes the document, and one that rolls back returns to a check already made. The
    document is still read from the database each time; only the check of the same
    document (parse, tables, run_check: each pure) is not made again. Thousands of
    access-matrix cells and the pro-formas' pages read the same few years."""
    from fairload.web.schools import selectors

    made = selectors.document_check

    def kept(document: dict[str, Any], name: str) -> Any:
        if not _written(document):
            return made(document, name)
        key = f"{name}\0{document!r}"
        with _CHECKS_LOCK:  # the concurrency tests check from several threads
            result = _CHECKS_BY_CONTENT.get(key)
            if result is not None:
                _CHECKS_BY_CONTENT.move_to_end(key)
                return result
        result = made(document, name)
        with _CHECKS_LOCK:
            _CHECKS_BY_CONTENT[key] = result
            while len(_CHECKS_BY_CONTENT) > _CHECKS_KEPT:
                _CHECKS_BY_CONTENT.popitem(last=False)
        return result

    monkeypatch.setattr(selectors, "document_check", kept)


@pytest.fixture
def kept_as_in_production(settings: Any) -> Iterator[None]:
    """Checks, budgets, rendered bodies and year documents kept per year revision, as in
    production (the test settings keep none), and every memo emptied before and after: a
    rolled-back test's year may come back with the same id and revision."""
    from fairload.web.schools import memo

    settings.FAIRLOAD_CHECK_CACHE_SIZE = 64
    memo.clear_all()
    yield
    memo.clear_all()


def _build_schools() -> dict[str, School]:
    for path in (SCOTTISH, ENGLISH):
        school_year_import(document=load_file(path), source=str(path))
    return {school.slug: school for school in School.objects.all()}


def _reads_the_database(request: pytest.FixtureRequest) -> bool:
    """Whether a test of the module selected in this run reads the database (with none,
    pytest-django makes no test database: e.g. `-k` picking one plain test)."""
    return any(
        item.module is request.module  # type: ignore[attr-defined]
        and (item.get_closest_marker("django_db") is not None or "db" in item.fixturenames)  # type: ignore[attr-defined]
        for item in request.session.items
    )


@pytest.fixture(scope="module", autouse=True)
def shared_setup(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The module's schools and cast, built once, for a module with ``SHARED_SETUP``."""
    if not getattr(request.module, "SHARED_SETUP", False) or not _reads_the_database(request):
        yield None
        return
    from django.db import transaction

    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock(), transaction.atomic():
        built = _build_schools()
        cast = _build_cast(built)
        yield SimpleNamespace(schools=built, cast=cast, sessions=_signed_in(cast))
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_schools(shared_setup: Any) -> dict[str, School]:
    """The module's schools, for a module-scoped fixture of a ``SHARED_SETUP`` module."""
    assert shared_setup is not None, "shared_schools is for modules with SHARED_SETUP = True"
    return shared_setup.schools  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def shared_cast(shared_setup: Any) -> dict[str, AbstractBaseUser]:
    """The module's cast, for a module-scoped fixture of a ``SHARED_SETUP`` module."""
    assert shared_setup is not None, "shared_cast is for modules with SHARED_SETUP = True"
    return shared_setup.cast  # type: ignore[no-any-return]


def _fresh(rows: dict[str, Any]) -> dict[str, Any]:
    """The module's rows read again, so what one test does to an instance in memory (a
    password set, a cached property) never reaches the next, as Django's TestCase does
    for ``setUpTestData``."""
    return {key: type(row).objects.get(pk=row.pk) for key, row in rows.items()}


@pytest.fixture
def schools(db: None, shared_setup: Any) -> dict[str, School]:
    if shared_setup is not None:
        return _fresh(shared_setup.schools)
    return _build_schools()


def _person(
    username: str, role: Role, school: School | None = None, council: Council | None = None
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password="not-used")
    Membership.objects.create(user=user, role=role, school=school, council=council)
    return user


@pytest.fixture
def cast(schools: dict[str, School], shared_setup: Any) -> dict[str, AbstractBaseUser]:
    """Everyone a permission test needs, by the part they play."""
    if shared_setup is not None:
        return _fresh(shared_setup.cast)
    return _build_cast(schools)


def _build_cast(schools: dict[str, School]) -> dict[str, AbstractBaseUser]:
    scottish, english = schools["test-academy"], schools["test-school"]
    people = {
        "head": _person("head", Role.HEAD, scottish),
        "rep": _person("rep", Role.UNION_REP, scottish),
        "teacher": _person("teacher", Role.TEACHER, scottish),
        "colleague": _person("colleague", Role.TEACHER, scottish),
        "council": _person("council", Role.COUNCIL_OFFICER, council=scottish.council),
        "union-officer": _person("union-officer", Role.UNION_OFFICER, council=scottish.council),
        "admin": _person("admin", Role.SITE_ADMIN),
        "other-head": _person("other-head", Role.HEAD, english),
        "other-council": _person("other-council", Role.COUNCIL_OFFICER, council=english.council),
    }
    StaffPost.objects.filter(school_year__school=scottish, staff_id="t1").update(
        person=people["teacher"]
    )
    StaffPost.objects.filter(school_year__school=scottish, staff_id="t2").update(
        person=people["colleague"]
    )
    return people


def _signed_in(cast: dict[str, AbstractBaseUser]) -> dict[str, tuple[str, str]]:
    """Each member of a ``SHARED_SETUP`` module's cast signed in once for the module: their
    session's key and the password hash it was signed in under."""
    sessions = {}
    for who, user in cast.items():
        client = Client()
        client.force_login(user)
        key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        sessions[who] = (key, user.get_session_auth_hash())
    return sessions


@pytest.fixture
def as_user(cast: dict[str, AbstractBaseUser], shared_setup: Any):  # type: ignore[no-untyped-def]
    """A signed-in client for one member of the cast, or anonymous for None.

    In a ``SHARED_SETUP`` module the client carries the session the member was signed in
    with for the module (what ``force_login`` would make again: a signing-in costs more
    than most pages of a matrix), unless the test changed their password; what a request
    writes to the session is undone after the test with the rest."""

    def client_for(who: str | None) -> Client:
        client = Client()
        if who is None:
            return client
        user = cast[who]
        kept = shared_setup.sessions.get(who) if shared_setup is not None else None
        if kept is not None and kept[1] == user.get_session_auth_hash():
            client.cookies[django_settings.SESSION_COOKIE_NAME] = kept[0]
        else:
            client.force_login(user)
        return client

    return client_for
