"""What the browser tests share: launching Chromium, watching a page, signing in and out."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairload.web.accounts.models import Membership, UnionMembership
from fairload.web.api.services import api_token_create
from fairload.web.feeds.services import feed_create
from fairload.web.notices import kinds
from fairload.web.notices.models import Notice
from fairload.web.notices.services import notify
from fairload.web.schools.models import School

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

DEMO_PASSWORD = "fairload-demo"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# As the machine's notes say: root needs --no-sandbox, and with no network Chromium's
# background connections (updates, sync, safe browsing) would only fail, noisily.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Reports every CSP violation to Python. An init script runs before the page's own
# scripts and is not subject to the page's CSP, and the exposed binding it calls
# survives navigations.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__flCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""


def chromium_path() -> str | None:
    """FAIRLOAD_CHROMIUM if set (and executable), else `chromium` on PATH."""
    wanted = os.environ.get("FAIRLOAD_CHROMIUM")
    if wanted:
        return wanted if os.path.isfile(wanted) and os.access(wanted, os.X_OK) else None
    return shutil.which("chromium")


def launch(browser_type: Any) -> Browser:
    """Headless Chromium from the system, never a browser Playwright downloads."""
    return browser_type.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)  # type: ignore[no-any-return]


def new_context(
    browser: Browser, base_url: str, viewport: dict[str, int], **options: Any
) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url, viewport=viewport, locale="en-GB", timezone_id="Europe/London", **options
    )
    context.set_default_timeout(10_000)
    return context


@dataclass
class Problems:
    """What went wrong in the browser while a test ran, besides what it asserted."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"CSP violation: {m}" for m in self.csp_violations]
        )

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.csp_violations.clear()


def watch(context: BrowserContext, page: Page) -> Problems:
    """Record a page's console errors, uncaught exceptions and CSP violations."""
    problems = Problems()

    def on_console(message: Any) -> None:
        if message.type == "error":
            url = message.location.get("url")
            problems.console_errors.append(f"{message.text} [{url}]" if url else message.text)
        elif "Content Security Policy" in message.text:
            problems.csp_violations.append(message.text)

    def on_csp_violation(report: str) -> None:
        problems.csp_violations.append(report)

    context.expose_function("__flCspViolation", on_csp_violation)
    context.add_init_script(CSP_LISTENER)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    return problems


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab from the top of the page until `target` has the focus."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"{target} did not get the focus after {limit} presses of Tab")


def sign_in_quickly(page: Page, base_url: str, username: str) -> None:
    """A session cookie for `username`, without the form (test_journeys tests the form)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


SCHOOL = "auchenlea-academy"
TEACHER = "hmuir"  # Heather Muir, the `teacher` login's own post
UNION = "EIS"


def with_school_feed() -> None:
    """A calendar feed of the whole school, made by the head."""
    school = School.objects.get(slug=SCHOOL)
    feed_create(actor=get_user_model().objects.get(username="head"), school=school)


def with_api_token() -> None:
    api_token_create(user=get_user_model().objects.get(username="head"), name="Timetabler")


def with_union_members() -> None:
    """The rep acts for the EIS, and the teacher has said she is a member."""
    Membership.objects.filter(user__username="rep").update(union=UNION)
    UnionMembership.objects.update_or_create(
        user=get_user_model().objects.get(username="teacher"), defaults={"union": UNION}
    )


def with_teachers_own() -> None:
    """The teacher's own calendar feed and union: what her page lists besides findings."""
    teacher = get_user_model().objects.get(username="teacher")
    feed_create(
        actor=teacher,
        school=School.objects.get(slug=SCHOOL),
        staff_id=TEACHER,
        staff_name="Heather Muir",
    )
    with_union_members()


def with_notices() -> None:
    """Two notifications for the teacher: one queued, one the mail server refused."""
    teacher = get_user_model().objects.get(username="teacher")
    school = School.objects.get(slug=SCHOOL)
    for kind, about in (
        (kinds.CONSULTATION_OPEN, "consultation"),
        (kinds.SIGNATURE_WANTED, "sign"),
    ):
        notify(
            kind,
            [teacher],
            school=school,
            about=about,
            link=reverse("school-dashboard", args=[SCHOOL]),
            deadline=timezone.now() + timedelta(days=14),
        )
    Notice.objects.filter(about="sign").update(
        status="failed", failure="SMTPRecipientsRefused: the address was refused"
    )


@dataclass(frozen=True)
class Screen:
    """One of the main pages: its URL name and arguments, and who signs in to see it.

    `setup`, if given, puts in place (in the database, before the page is opened) what
    the page needs to show more than an empty state.
    """

    name: str
    who: str | None  # None: signed out
    args: tuple[str, ...] = ()
    query: str = ""
    label: str = ""  # the test id, where one URL name is scanned in several states
    setup: Callable[[], None] | None = None

    @property
    def id(self) -> str:
        return self.label or self.name

    def url(self) -> str:
        return reverse(self.name, args=self.args) + self.query


#: The main pages: test_accessibility.py loads each under the site's CSP, checks it loads
#: clean, and scans it at each width. Pages reached only through a form (an import's
#: preview, a form with errors) have their own tests there.
SCREENS = [
    Screen("login", None),
    Screen("home", "admin"),  # a site administrator sees the list; others are redirected
    Screen("school-dashboard", "head", (SCHOOL,)),
    # her own page: her budget and findings, her calendar feed, her union (the teacher-feeds
    # and teacher-union addresses take a POST, and show this page for a GET)
    Screen("teacher-page", "teacher", (SCHOOL, TEACHER), setup=with_teachers_own),
    Screen("council-overview", "council", ("south-ayrshire-council",)),
    Screen("school-audit", "head", (SCHOOL,)),
    Screen("school-calendar", "head", (SCHOOL,), "?view=month&month=2025-11", "calendar-month"),
    Screen("school-calendar", "head", (SCHOOL,), "?view=week&week=2025-11-24", "calendar-week"),
    Screen("teacher-calendar", "teacher", (SCHOOL, TEACHER), "?view=week&week=2025-11-24"),
    Screen("school-heatmap", "head", (SCHOOL,)),
    Screen("teacher-heatmap", "teacher", (SCHOOL, TEACHER)),
    Screen("school-events", "head", (SCHOOL,)),
    Screen("event-edit", "head", (SCHOOL, "pe02")),
    Screen("event-add", "head", (SCHOOL,)),
    Screen("school-staff", "head", (SCHOOL,)),
    Screen("post-edit", "head", (SCHOOL, "istewart")),
    Screen("post-add", "head", (SCHOOL,)),
    Screen("import-start", "head", (SCHOOL,)),
    Screen("import-new-school", "admin"),
    Screen("school-export", "head", (SCHOOL,)),
    Screen("school-feeds", "head", (SCHOOL,), setup=with_school_feed),
    Screen("api-tokens", "head", setup=with_api_token),
    Screen("my-notices", "teacher", setup=with_notices),
    Screen("school-union-members", "rep", (SCHOOL,), setup=with_union_members),
    Screen("school-committee", "head", (SCHOOL,)),
    Screen("school-committee", "rep", (SCHOOL,), setup=with_union_members, label="committee-rep"),
    Screen("committee-seat-add", "head", (SCHOOL,)),
    Screen("group-edit", "head", (SCHOOL, "learning-teaching")),
    Screen("joint-secretaries", "js-management", ("south-ayrshire-council",)),  # appeals
    Screen("flexible-approach", "head", (SCHOOL,)),
]
