"""User admin in a real browser: a head makes a login for a new teacher of their school and
gives them the rep role; a site administrator disables it, and it can no longer sign in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core import mail

from tests.browser.helpers import DESKTOP, new_context, sign_in, watch

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

SCHOOL_NAME = "Auchenlea Academy"


def test_a_head_makes_a_login_and_gives_the_rep_role_and_an_admin_disables_it(
    page: Page, browser: Browser, demo: LiveServer
) -> None:
    sign_in(page, "head")
    page.goto("/schools/auchenlea-academy/")
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Make a login").click()
    page.get_by_label("Username").fill("fnewton")
    page.get_by_label("First name").fill("Fiona")
    page.get_by_label("Last name").fill("Newton")
    page.get_by_label("Email address").fill("fiona@example.org")
    page.get_by_label("Teacher", exact=True).check()
    page.get_by_role("button", name="Make the login").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fiona Newton")
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "fiona@example.org"
    )
    assert mail.outbox[-1].to == ["fiona@example.org"]

    page.get_by_label("Union representative").check()
    page.get_by_label("School").select_option(label=SCHOOL_NAME)
    page.get_by_label("Union they act for").fill("EIS")
    page.get_by_role("button", name="Give the role").click()
    roles = page.get_by_role("table", name="Roles")
    expect(roles).to_contain_text("Union representative")
    expect(roles).to_contain_text("EIS")
    person_page = page.url

    admin_context = new_context(browser, demo.url, DESKTOP)
    admin = admin_context.new_page()
    problems = watch(admin_context, admin)
    try:
        sign_in(admin, "admin")
        admin.goto(person_page)
        admin.get_by_role("button", name="Disable the login").click()
        expect(admin.locator("[data-login-state]")).to_have_text("Disabled")
        expect(admin.get_by_text(re.compile(r"The login fnewton is disabled"))).to_be_visible()
    finally:
        admin_context.close()
    assert not problems.all()


def test_the_people_and_account_pages_have_no_serious_accessibility_violation(
    page: Page, demo: LiveServer
) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.browser.helpers import sign_in_quickly
    from tests.browser.test_accessibility import AXE, assert_accessible

    page.context.add_init_script(path=str(AXE))
    teacher = get_user_model().objects.get(username="teacher")
    screens = [
        (None, reverse("password_reset")),
        ("head", reverse("school-people", args=["auchenlea-academy"])),
        ("head", reverse("school-person-add", args=["auchenlea-academy"])),
        ("head", reverse("person", args=[teacher.pk])),
        ("admin", reverse("people")),
        ("admin", reverse("person-add")),
        ("admin", reverse("person-erase", args=[teacher.pk])),
        ("rep", reverse("account")),
        ("rep", reverse("account-two-factor")),
    ]
    for who, url in screens:
        page.context.clear_cookies()
        if who:
            sign_in_quickly(page, demo.url, who)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert_accessible(page, url)
