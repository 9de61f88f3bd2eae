"""Union membership, which is special-category data (UK GDPR article 9).

- A person states (or removes) their own union on their teacher page; nobody else can,
  and the audit log records that they changed it without naming the union.
- Reps of a union in a school, and that union's local officers for the school's council,
  see which of the school's staff have said they belong to it. Nobody else does: not a
  head teacher, a council officer or a site administrator.

Who may see a person's membership is `policies.can_view_union_membership`; every row shown
here is also passed through it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from fairload.web.accounts.forms import UnionMembershipForm
from fairload.web.accounts.models import UnionMembership
from fairload.web.accounts.policies import can_view_union_membership, unions_acted_for
from fairload.web.audit.services import audit_record
from fairload.web.schools.lookups import post_for, school_refuse
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.selectors import school_year_current

#: The audit action of a read of the union members page (kept out of the changes page).
UNION_MEMBERS_READ = "union-members.read"


def union_membership_set(*, user: AbstractBaseUser, union: str | None) -> bool:
    """Store the person's own statement of their union (None removes it). Returns whether
    anything changed; a change is audited without the union's name and without a school,
    so it appears in no school's log."""
    with transaction.atomic():
        current = UnionMembership.objects.select_for_update().filter(user=user).first()
        if union is None:
            if current is None:
                return False
            current.delete()
        elif current is None:
            UnionMembership.objects.create(user=user, union=union)
        elif current.union == union:
            return False
        else:
            current.union = union
            current.save(update_fields=["union", "declared_at"])
        audit_record(
            actor=user,
            action="union-membership.change",
            summary="Changed their own union membership record",
            school=None,
        )
    return True


def _own_post(request: HttpRequest, slug: str, staff_id: str) -> StaffPost:
    """The current year's post, if it is the signed-in person's own; otherwise 404."""
    return post_for(
        request.user,
        slug,
        staff_id,
        lambda user, post: post.person_id is not None and post.person_id == user.pk,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def teacher_union(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """The person's own union membership: the form is on their page (GET goes there)."""
    post = _own_post(request, slug, staff_id)
    school = post.school_year.school
    page = reverse("teacher-page", args=[school.slug, post.staff_id]) + "#union-membership"
    if request.method != "POST":
        return redirect(page)
    action = reverse("teacher-union", args=[school.slug, post.staff_id])
    form = UnionMembershipForm(request.POST, action=action)
    if not form.is_valid():
        return render(
            request,
            "accounts/union_form.html",
            {"form": form, "post": post, "school": school, "back_url": page},
        )
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    union = form.union_name()
    if union_membership_set(user=user, union=union):
        messages.success(
            request,
            "Your union membership has been removed."
            if union is None
            else "Your union membership has been saved.",
        )
    return redirect(page)


@login_required
@require_safe
def school_union_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The school's staff who have said they belong to the union the viewer acts for."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    unions = unions_acted_for(request.user, school)
    year = school_year_current(school=school)
    if not unions:
        school_refuse(request.user, school)
    if year is None:
        raise Http404("No such school")
    named = Q()
    for union in unions:
        named |= Q(person__union_membership__union__iexact=union)
    posts = (
        year.staff.filter(named)
        .select_related("person__union_membership")
        .order_by("name", "staff_id")
    )
    rows = [
        {"post": post, "union": post.person.union_membership.union}  # type: ignore[union-attr]
        for post in posts
        if can_view_union_membership(request.user, post.person_id)
    ]
    # A read of special-category data: who opened the list, and when (not whom it named).
    audit_record(
        actor=request.user,
        action=UNION_MEMBERS_READ,
        summary="Opened the union members page",
        school=school,
        details={"unions": sorted(unions), "people_listed": len(rows)},
    )
    return render(
        request,
        "accounts/union_members.html",
        {"school": school, "year": year, "unions": sorted(unions), "rows": rows},
    )
