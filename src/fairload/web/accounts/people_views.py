"""People's logins in the browser, for site administrators and (for their school) heads.

- A site administrator sees every login, makes one with any role, and may disable or
  erase anyone.
- A head teacher sees the logins of their school (a role or a post there), makes one with
  a role in it, gives and takes that school's roles, links a post of it, sends a reset
  link, and disables a login whose every role and post is in a school they head.

Anyone else gets 404. The actions are POSTs; a GET of one goes to the person's page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fairload.web.accounts import people, privacy
from fairload.web.accounts.models import Membership
from fairload.web.accounts.people_forms import PersonForm, PostLinkForm, RoleForm
from fairload.web.accounts.policies import (
    can_disable_person,
    can_erase_person,
    can_manage_school_people,
    can_view_person,
    is_site_admin,
    schools_headed,
)
from fairload.web.schools.lookups import school_for
from fairload.web.schools.models import Council, School, StaffPost
from fairload.web.schools.selectors import school_year_current

User = get_user_model()


def _managed_schools(request: HttpRequest) -> QuerySet[School]:
    if is_site_admin(request.user):
        return School.objects.order_by("name")
    return School.objects.filter(pk__in=schools_headed(request.user)).order_by("name")


def _councils(request: HttpRequest) -> QuerySet[Council] | None:
    return Council.objects.order_by("name") if is_site_admin(request.user) else None


def _person(request: HttpRequest, pk: int) -> Any:
    person = get_object_or_404(User, pk=pk)
    if not can_view_person(request.user, person.pk):
        raise Http404("No such person")
    return person


def _page(person: Any) -> str:
    return reverse("person", args=[person.pk])


def _roles_shown(request: HttpRequest, person: Any) -> QuerySet[Membership]:
    """A head sees only the roles held in schools they head."""
    roles = Membership.objects.filter(user=person).select_related("school", "council")
    if is_site_admin(request.user):
        return roles
    return roles.filter(school_id__in=schools_headed(request.user))


def _unlinked_posts(request: HttpRequest) -> QuerySet[StaffPost]:
    years = [
        year.pk
        for school in _managed_schools(request)
        if (year := school_year_current(school=school)) is not None
    ]
    return (
        StaffPost.objects.filter(school_year_id__in=years, person__isnull=True)
        .select_related("school_year__school")
        .order_by("school_year__school__name", "name")
    )


def _people_rows(users: QuerySet[Any]) -> QuerySet[Any]:
    return users.prefetch_related("memberships__school", "memberships__council").order_by(
        "username"
    )


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    """Every login: site administrators only."""
    if not is_site_admin(request.user):
        raise Http404("No such page")
    return render(
        request,
        "accounts/people.html",
        {"people": _people_rows(User.objects.all()), "add_url": reverse("person-add")},
    )


@login_required
def school_people(request: HttpRequest, slug: str) -> HttpResponse:
    """The logins of one school: a role there, or a post in its current year."""
    school = school_for(request, slug, can_manage_school_people)
    year = school_year_current(school=school)
    here = Q(memberships__school=school)
    if year is not None:
        here |= Q(staff_posts__school_year=year)
    return render(
        request,
        "accounts/people.html",
        {
            "school": school,
            "people": _people_rows(User.objects.filter(here).distinct()),
            "add_url": reverse("school-person-add", args=[school.slug]),
        },
    )


def _add(request: HttpRequest, school: School | None) -> HttpResponse:
    schools = School.objects.filter(pk=school.pk) if school else _managed_schools(request)
    initial = {"school": school} if school else {}
    form = PersonForm(
        request.POST or None,
        schools=schools,
        councils=_councils(request) if school is None else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = people.person_create(
            actor=request.user,
            username=data["username"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            **form.role_arguments(),
        )
        sent = people.password_reset_send(actor=request.user, person=person, request=request)
        messages.success(
            request,
            f"The login {person.username} is made"
            + (f"; a link to set a password is on its way to {person.email}." if sent else "."),
        )
        return redirect(_page(person))
    return render(request, "accounts/person_add.html", {"form": form, "school": school})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_add(request: HttpRequest) -> HttpResponse:
    if not is_site_admin(request.user):
        raise Http404("No such page")
    return _add(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def school_person_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _add(request, school_for(request, slug, can_manage_school_people))


def _detail(
    request: HttpRequest, person: Any, role_form: RoleForm | None = None, status: int = 200
) -> HttpResponse:
    posts = person.staff_posts.select_related("school_year__school").order_by("-school_year__start")
    if not is_site_admin(request.user):
        posts = posts.filter(school_year__school_id__in=schools_headed(request.user))
    role_form = role_form or RoleForm(
        schools=_managed_schools(request), councils=_councils(request)
    )
    role_form.helper.form_action = reverse("person-role-add", args=[person.pk])
    post_form = PostLinkForm(posts=_unlinked_posts(request))
    post_form.helper.form_action = reverse("person-post-link", args=[person.pk])
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "roles": _roles_shown(request, person),
            "posts": posts,
            "role_form": role_form,
            "post_form": post_form,
            "may_disable": can_disable_person(request.user, person.pk),
            "may_erase": can_erase_person(request.user) and person.pk != request.user.pk,
        },
        status=status,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _person(request, pk))


def _action(request: HttpRequest, pk: int) -> tuple[Any, HttpResponse | None]:
    """The person, and the answer to a GET (their page) if this is not a POST."""
    person = _person(request, pk)
    return person, None if request.method == "POST" else redirect(_page(person))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person, answer = _action(request, pk)
    if answer:
        return answer
    form = RoleForm(request.POST, schools=_managed_schools(request), councils=_councils(request))
    if not form.is_valid():
        return _detail(request, person, form, status=400)
    people.role_grant(actor=request.user, person=person, **form.role_arguments())
    messages.success(
        request, f"{person.username} has the role {form.role_arguments()['role'].label}."
    )
    return redirect(_page(person))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_role_remove(request: HttpRequest, pk: int, membership: int) -> HttpResponse:
    person, answer = _action(request, pk)
    role = get_object_or_404(_roles_shown(request, person), pk=membership)
    if answer:
        return answer
    people.role_revoke(actor=request.user, membership=role)
    messages.success(
        request, f"{person.username} no longer has the role {role.get_role_display()}."
    )
    return redirect(_page(person))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_post_link(request: HttpRequest, pk: int) -> HttpResponse:
    person, answer = _action(request, pk)
    if answer:
        return answer
    form = PostLinkForm(request.POST, posts=_unlinked_posts(request))
    if not form.is_valid():
        messages.error(request, "Select one of the posts not yet linked to a login.")
        return redirect(_page(person))
    post = form.cleaned_data["post"]
    people.post_link(actor=request.user, person=person, post=post)
    messages.success(request, f"{person.username} is linked to the post of {post.name}.")
    return redirect(_page(person))


def _disable_allowed(request: HttpRequest, pk: int) -> tuple[Any, HttpResponse | None]:
    person, answer = _action(request, pk)
    if not can_disable_person(request.user, person.pk):
        raise Http404("No such page")
    return person, answer


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_disable(request: HttpRequest, pk: int) -> HttpResponse:
    person, answer = _disable_allowed(request, pk)
    if answer:
        return answer
    cut = people.person_disable(actor=request.user, person=person)
    messages.success(
        request,
        f"The login {person.username} is disabled: {cut['sessions']} session(s) ended, "
        f"{cut['feeds']} calendar feed(s) and {cut['api_tokens']} API token(s) stopped.",
    )
    return redirect(_page(person))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_enable(request: HttpRequest, pk: int) -> HttpResponse:
    person, answer = _disable_allowed(request, pk)
    if answer:
        return answer
    people.person_enable(actor=request.user, person=person)
    messages.success(
        request, f"The login {person.username} is enabled; send a link to set a password."
    )
    return redirect(_page(person))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person, answer = _action(request, pk)
    if answer:
        return answer
    if people.password_reset_send(actor=request.user, person=person, request=request):
        messages.success(request, f"A link to set a password is on its way to {person.email}.")
    else:
        messages.error(request, "No link sent: the login is disabled or has no email address.")
    return redirect(_page(person))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a person (UK GDPR article 17): a page that says what goes and what stays, then
    the erasure. Site administrators only, and not themselves."""
    person = _person(request, pk)
    if not can_erase_person(request.user) or person.pk == request.user.pk:
        raise Http404("No such page")
    if request.method != "POST":
        return render(request, "accounts/person_erase.html", {"person": person})
    erased = privacy.person_erase(actor=request.user, person=person)
    messages.success(
        request,
        f"The person is erased; {erased['posts']} staff post(s) are kept without their name, "
        "so each school's totals are unchanged.",
    )
    return redirect("people")
