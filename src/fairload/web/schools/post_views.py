"""The pages that list, add, change and delete a school year's staff posts (``edit_flow``
says how every such page reads, saves and shows the re-check)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fairload.web.accounts.policies import can_edit_school
from fairload.web.htmx import is_htmx
from fairload.web.schools.edit_flow import (
    delete_and_recheck,
    form_context,
    form_page,
    missing,
    preview,
    save_and_recheck,
    school_year,
    take_recheck,
)
from fairload.web.schools.labels import post_label
from fairload.web.schools.models import School, SchoolYear, StaffPost
from fairload.web.schools.post_edits import (
    PostDeletion,
    post_create,
    post_delete,
    post_deletion,
    post_preview,
    post_update,
    whole_staff_events,
)
from fairload.web.schools.post_form import PostForm
from fairload.web.schools.year_drafts import RowGone

PAGE = "schools/post_form.html"


@login_required
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year(request, slug, edit=False)
    posts = year.staff.annotate(event_count=Count("events")).order_by("name")
    rows = [{"post": post, "post_label": post_label(post.post)} for post in posts]
    return render(
        request,
        "schools/staff.html",
        {
            "school": school,
            "year": year,
            "rows": rows,
            "can_edit": can_edit_school(request.user, school),
            "recheck": take_recheck(request, school),
        },
    )


def _post_form_context(
    school: School, year: SchoolYear, form: PostForm, post: StaffPost | None, **extra: Any
) -> dict[str, Any]:
    if post is None:
        heading, action = "Add a staff post", reverse("post-add", args=[school.slug])
        preview_url = reverse("post-preview", args=[school.slug])
    else:
        heading = f"Change the post of {post.name}"
        action = reverse("post-edit", args=[school.slug, post.staff_id])
        preview_url = reverse("post-preview", args=[school.slug]) + f"?staff={post.staff_id}"
    context = form_context(
        school,
        form=form,
        heading=heading,
        action_url=action,
        preview_url=preview_url,
        list_url=reverse("school-staff", args=[school.slug]),
        list_label="Back to the staff",
        submit_label="Save and check" if post else "Add and check",
        add_url=reverse("post-add", args=[school.slug]),
        add_label="Add another post",
        **extra,
    )
    context["year"] = year
    if post is not None:
        context["delete_url"] = reverse("post-delete", args=[school.slug, post.staff_id])
        context["teacher_url"] = reverse("teacher-page", args=[school.slug, post.staff_id])
    return context


def _post_form_page(request: HttpRequest, slug: str, staff_id: str | None) -> HttpResponse:
    school, year = school_year(request, slug, edit=True)
    post = None
    if staff_id is not None:
        post = StaffPost.objects.filter(school_year=year, staff_id=staff_id).first()
        if post is None:
            return missing(request, school, RowGone("staff post", staff_id))
    joinable = 0 if post else len(whole_staff_events(year))
    if request.method != "POST":
        initial = PostForm.initial_for(post) if post else {}
        form = PostForm(initial=initial, year=year, post=post, joinable=joinable)
        context = _post_form_context(
            school, year, form, post, recheck=take_recheck(request, school)
        )
        return form_page(request, context, page=PAGE, partial=False)
    form = PostForm(request.POST, year=year, post=post, joinable=joinable)
    if form.is_valid():
        values = form.values(staff_id)

        def save() -> StaffPost:
            if post is None:
                return post_create(
                    actor=request.user,
                    year=year,
                    values=values,
                    join_whole_staff_events=bool(form.cleaned_data.get("join_events")),
                )
            return post_update(
                actor=request.user,
                year=year,
                staff_id=post.staff_id,
                values=values,
                version=form.cleaned_data["version"],
            )

        def panel(saved: StaffPost, recheck: dict[str, Any]) -> HttpResponse:
            fresh = PostForm(initial=PostForm.initial_for(saved), year=year, post=saved)
            context = _post_form_context(school, year, fresh, saved, recheck=recheck)
            return form_page(request, context, page=PAGE, partial=True)

        verb = "Added" if post is None else "Changed"
        done = save_and_recheck(
            request,
            school,
            year,
            form,
            save,
            heading=lambda p: f"{verb} the post of {p.name} ({p.staff_id})",
            saved_url=lambda p: reverse("post-edit", args=[school.slug, p.staff_id]),
            panel=panel,
            kind="staff post",
        )
        if done is not None:
            return done
    context = _post_form_context(school, year, form, post)
    return form_page(request, context, page=PAGE, partial=is_htmx(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _post_form_page(request, slug, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    return _post_form_page(request, slug, staff_id)


@login_required
def post_preview_view(request: HttpRequest, slug: str) -> HttpResponse:
    _, year = school_year(request, slug, edit=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    staff_id = request.GET.get("staff") or None
    post = None
    if staff_id is not None:
        post = get_object_or_404(StaffPost, school_year=year, staff_id=staff_id)
    joinable = 0 if post else len(whole_staff_events(year))
    form = PostForm(request.POST, year=year, post=post, joinable=joinable)
    return preview(
        request,
        form,
        lambda: post_preview(
            year=year,
            values=form.values(staff_id),
            staff_id=staff_id,
            join_whole_staff_events=bool(form.cleaned_data.get("join_events")),
        ),
        year,
    )


def _deleted_heading(post: StaffPost, effects: PostDeletion) -> str:
    heading = f"Deleted the post of {post.name} ({post.staff_id})"
    consequences = effects.sentences()
    return heading + ": " + "; ".join(consequences) if consequences else heading


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_delete_view(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    school, year = school_year(request, slug, edit=True)
    list_url = reverse("school-staff", args=[school.slug])
    post = StaffPost.objects.filter(school_year=year, staff_id=staff_id).first()
    if post is None:
        return missing(request, school, RowGone("staff post", staff_id))
    context: dict[str, Any] = {
        "school": school,
        "year": year,
        "post": post,
        "post_label": post_label(post.post),
        "effects": post_deletion(post),
        "back_url": reverse("post-edit", args=[school.slug, staff_id]),
        "list_url": list_url,
        "action_url": request.path,
    }
    if request.method == "POST":
        done = delete_and_recheck(
            request,
            school,
            year,
            context,
            lambda: post_delete(actor=request.user, year=year, staff_id=staff_id),
            heading=lambda effects: _deleted_heading(post, effects),
            what="Post",
            list_url=list_url,
            list_label="Back to the staff",
            add_url=reverse("post-add", args=[school.slug]),
            add_label="Add a staff post",
        )
        if done is not None:
            return done
    return render(request, "schools/post_delete.html", context)
