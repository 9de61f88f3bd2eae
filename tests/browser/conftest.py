"""Browser tests: the real pages in headless Chromium, driven by Playwright's sync API.

Playwright drives the system's Chromium (Debian's `chromium` package, or the program
named by FAIRLOAD_CHROMIUM); it never downloads a browser of its own, and the
pytest-playwright plugin (which wants to) is not used. The server is pytest-django's
`live_server` (a threaded WSGI server on the transactional test database), loaded with
the demo schools and logins for each test. Every test here is marked `browser`; the
whole directory is skipped, with the reason, where Chromium or the playwright package
is missing (`.ci/run` installs Chromium where it can).

The `page` fixture records console errors, uncaught page errors and Content Security
Policy violations, and fails the test if any is left at its end: a test that provokes
one on purpose takes it off the list (`page.problems.clear()`).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from fairload.web.schools.memo import Memo
from tests.browser.helpers import DESKTOP, chromium_path, launch, new_context, watch

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # every test here is skipped, and says why
    sync_playwright = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright
    from pytest_django.live_server_helper import LiveServer

HERE = Path(__file__).resolve().parent


def skip_reason() -> str | None:
    if sync_playwright is None:
        return "browser tests need the playwright package (pip install -e '.[dev]')"
    if chromium_path() is None:
        wanted = os.environ.get("FAIRLOAD_CHROMIUM")
        if wanted:
            return f"browser tests need Chromium: FAIRLOAD_CHROMIUM={wanted} is not executable"
        return (
            "browser tests need Chromium: no `chromium` on PATH "
            "(apt-get install chromium, as .ci/run does, or set FAIRLOAD_CHROMIUM)"
        )
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = skip_reason()
    for item in items:
        if is_browser_test(item):
            item.add_marker(pytest.mark.browser)
            # A Chromium and a live server with the demo: `make test` leaves these to CI.
            item.add_marker(pytest.mark.slow)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


class Chromium:
    """One headless Chromium per test process, started by the first browser test.

    It is stopped as soon as the next test to run is not a browser test (or at the end),
    rather than at the end of the session: while Playwright's sync API is running it
    keeps an asyncio event loop running in this thread, and the other tests in the same
    pytest-xdist worker (anything using asyncio.run or asgiref's async_to_sync) must not
    run beside it. Started again, if ever, by a later browser test.
    """

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.async_unsafe: str | None = None  # DJANGO_ALLOW_ASYNC_UNSAFE as it was

    def get(self) -> Browser:
        if self.browser is None:
            # Django refuses ORM calls from a thread with a running event loop
            # (SynchronousOnlyOperation), and Playwright's loop runs in the test thread,
            # which would stop the fixtures (loading the demo, pytest-django's flush) from
            # touching the database. Nothing is really concurrent here (the ORM and
            # Playwright take turns in one thread), so the guard is lifted, for as long
            # as the loop runs and no longer.
            self.async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            assert sync_playwright is not None
            self.playwright = sync_playwright().start()
            self.browser = launch(self.playwright.chromium)
        return self.browser

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None
            if self.async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.async_unsafe


CHROMIUM = Chromium()


def is_browser_test(item: pytest.Item | None) -> bool:
    return item is not None and item.path.is_relative_to(HERE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)  # the test's own fixtures first (its page, its database)
    finally:
        if is_browser_test(item) and not is_browser_test(nextitem):
            CHROMIUM.stop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    CHROMIUM.stop()


@pytest.fixture
def browser() -> Browser:
    """The process's headless Chromium (see Chromium above)."""
    return CHROMIUM.get()


class DemoData:
    """The demo schools and logins, loaded once per test process and restored per test.

    pytest-django empties the database after each live-server test, and load_demo takes
    about half a second, so on the usual in-memory SQLite test database the loaded
    database is copied aside once (SQLite's backup API) and copied back for each later
    test, in milliseconds. Any other database gets load_demo every time.
    """

    def __init__(self) -> None:
        self.snapshot: sqlite3.Connection | None = None

    def load(self) -> None:
        connection.ensure_connection()
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        if in_memory and self.snapshot is not None:
            self.snapshot.backup(connection.connection)
            return
        # load_demo refuses to run outside development (it sets known passwords), so it
        # is told this is development for the loading only; the server stays on test
        # settings.
        with override_settings(DEVELOPMENT=True):
            call_command("load_demo", stdout=StringIO())
        if in_memory:
            self.snapshot = sqlite3.connect(":memory:")
            connection.connection.backup(self.snapshot)


DEMO = DemoData()


def forget_checks() -> None:
    """Empty every Memo a fairload module keeps (the checks, budgets and dashboards).

    Their keys hold each year's revision, which only ever goes up on a real server; the
    demo restored for each test winds it back, so what one test kept under a revision
    must not be served to the next test that reaches the same number with other data.
    """
    for name, module in list(sys.modules.items()):
        if name.startswith("fairload.") and module is not None:
            for value in list(vars(module).values()):
                if isinstance(value, Memo):
                    value.clear()


@pytest.fixture
def demo(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with the three demo schools and one login per role loaded.

    The server keeps checks in memory as a real one does (FAIRLOAD_CHECK_CACHE_SIZE,
    which the other tests turn off), so the pages a journey revisits are served the
    production way, and a check kept too long would show in the browser.
    """
    DEMO.load()
    forget_checks()
    with override_settings(FAIRLOAD_CHECK_CACHE_SIZE=64):
        yield live_server
    forget_checks()


@pytest.fixture
def page(browser: Browser, demo: LiveServer) -> Iterator[Page]:
    """A desktop-sized page in a fresh context (no cookies), with the site's CSP enforced.

    `page.problems` is the page's Problems; the test fails if any is left at its end.
    """
    context = new_context(browser, demo.url, DESKTOP)
    tab = context.new_page()
    problems = watch(context, tab)
    tab.problems = problems  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        context.close()
    left = problems.all()
    if left:
        pytest.fail("the browser reported problems:\n  " + "\n  ".join(left))
