"""The appeal's and the flexible approach's pages: parse the request, ask the policies,
call a selector or one service, render.

An appeal is for its parties and the Joint Secretaries only: to anyone else, its pages
answer 404 (its school's own teachers included), so not even its existence is revealed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.web.accounts.policies import User, can_view_school
from fairload.web.appeals import policies, selectors, services, steps
from fairload.web.appeals.forms import (
    AttendeeForm,
    ConclusionForm,
    ConveneForm,
    DocumentForm,
    FlexibleDecisionForm,
    FlexibleForm,
    OutcomeForm,
)
from fairload.web.appeals.models import Appeal, FlexibleApproach, Meeting
from fairload.web.appeals.services import AppealRefused
from fairload.web.form_page import form_page
from fairload.web.schools.lookups import school_refuse
from fairload.web.schools.models import Council, School, SchoolYear
from fairload.web.schools.selectors import school_year_current

GET_POST = ["GET", "HEAD", "POST"]
#: The meeting a URL names.
KINDS = {"informal": Meeting.Kind.INFORMAL, "hearing": Meeting.Kind.HEARING}
#: The convening form's field for each attendee it names.
ATTENDEE_FIELDS = {
    "management-side": "management",
    "teachers-side": "teachers",
    "joint-secretary-management": "js_management",
    "joint-secretary-teachers": "js_teachers",
    "head-teacher": "head",
    "union-rep": "rep",
}


def _appeal(
    request: HttpRequest,
    pk: int,
    allowed: Callable[[User, Appeal], bool] = policies.may_view_appeal,
) -> Appeal:
    appeal = selectors.appeal_get(pk)
    if appeal is None or not allowed(request.user, appeal):
        raise Http404("No such appeal")
    return appeal


def _kind(kind: str) -> Meeting.Kind:
    if kind not in KINDS:
        raise Http404("No such meeting")
    return KINDS[kind]


def _detail(appeal: Appeal) -> str:
    return reverse("appeal-detail", args=[appeal.pk])


def _names(users: list[Any]) -> str:
    return ", ".join(services.person_name(u) for u in users)


@login_required
@require_safe
def appeal_view(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    today = timezone.localdate()
    roles = policies.appeal_roles(request.user, appeal)
    meetings = selectors.meetings_of(appeal)
    acting = policies.may_act(request.user, appeal)
    refusals = {
        step: steps.refusal(appeal, step, today)
        for step in ("informal-meeting", "hearing", "conclusion")
    }
    return render(
        request,
        "appeals/appeal.html",
        {
            "appeal": appeal,
            "school": appeal.school,
            "stage": steps.stage(appeal),
            "timeline": steps.timeline(appeal, today),
            "actions": selectors.next_steps(appeal, roles, today),
            "overdue": steps.overdue(appeal, today),
            "informal": meetings.get(Meeting.Kind.INFORMAL),
            "hearing": meetings.get(Meeting.Kind.HEARING),
            "conclusion": selectors.conclusion_of(appeal),
            "documents": selectors.documents_by_stage(appeal),
            "acting": acting,
            "may_convene_informal": acting and refusals["informal-meeting"] is None,
            "may_convene_hearing": acting and refusals["hearing"] is None,
            "may_conclude": acting and refusals["conclusion"] is None,
            "refusals": refusals,
        },
    )


def _form_page(
    request: HttpRequest,
    appeal: Appeal,
    form: Any,
    step: Callable[[], Any],
    done: str,
    title: str,
    intro: str,
    step_id: str | None = None,
) -> HttpResponse:
    """A step's form; where the core would refuse the step now, its reason instead."""
    blocked = steps.refusal(appeal, step_id, timezone.localdate()) if step_id else None

    def save() -> str:
        step()
        return done

    return form_page(
        request,
        form,
        save,
        refused=AppealRefused,
        done_url=_detail(appeal),
        template="appeals/form.html",
        context={
            "appeal": appeal,
            "school": appeal.school,
            "title": title,
            "intro": intro,
            "blocked": blocked,
        },
    )


@login_required
@require_http_methods(GET_POST)
def convene_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    appeal = _appeal(request, pk, policies.may_act)
    meeting_kind = _kind(kind)
    school = appeal.school
    initial: dict[str, Any] = {
        "head": _names(
            [
                u
                for u in services.parties(school)
                if "head-teacher" in policies.party_roles(u, school)
            ]
        ),
        "rep": _names(
            [u for u in services.parties(school) if "union-rep" in policies.party_roles(u, school)]
        ),
    }
    if meeting_kind == Meeting.Kind.HEARING:
        for user in services.joint_secretaries(school):
            for side in policies.joint_secretary_sides(user, school.council_id):
                initial["js_management" if side.endswith("management") else "js_teachers"] = (
                    services.person_name(user)
                )
    convened = appeal.meetings.filter(kind=meeting_kind).first()
    if convened is not None:  # changing the day or the attendees: start from them
        initial |= {"on": convened.on, "place": convened.place}
        for a in convened.attendees.all():
            field = ATTENDEE_FIELDS.get(a.role)
            if field is not None:
                initial[field] = a.name
                if a.nominee:
                    initial[f"{field}_nominee"] = True
    form = ConveneForm(
        request.POST or None,
        initial=initial,
        kind=meeting_kind,
        action=reverse("appeal-convene", args=[appeal.pk, kind]),
    )
    return _form_page(
        request,
        appeal,
        form,
        lambda: services.meeting_convene(
            actor=request.user,
            appeal=appeal,
            kind=meeting_kind,
            on=form.cleaned_data["on"],
            place=form.cleaned_data["place"],
            attendees=form.attendees(),
            now=timezone.now(),
        ),
        f"The {meeting_kind.label.lower()} is convened; the parties are told.",
        f"Convene the {meeting_kind.label.lower()}",
        "17.3: the Joint Secretaries arrange for a member of the Management Side and a member "
        "of the Teachers' Side to convene an informal meeting with the head teacher and the "
        "union representative, to resolve the issues in dispute."
        if meeting_kind == Meeting.Kind.INFORMAL
        else "17.3: where the informal meeting fails to resolve the dispute, the Joint "
        "Secretaries (or their nominees) convene a formal appeals hearing. 17.4: the head "
        "teacher and the union representatives each present their arguments, may call "
        "witnesses and question each other; the Joint Secretaries may question anyone.",
        step_id=None
        if convened is not None and not convened.held
        else services.MEETING_STEP[meeting_kind],
    )


def _meeting(appeal: Appeal, kind: str) -> Meeting:
    meeting = appeal.meetings.filter(kind=_kind(kind)).first()
    if meeting is None:
        raise Http404("That meeting is not convened")
    return meeting


@login_required
@require_http_methods(GET_POST)
def attendee_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    appeal = _appeal(request, pk, policies.may_act)
    meeting = _meeting(appeal, kind)
    form = AttendeeForm(request.POST or None, action=reverse("appeal-attendee", args=[pk, kind]))
    return _form_page(
        request,
        appeal,
        form,
        lambda: services.attendee_add(
            actor=request.user,
            meeting=meeting,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            nominee=form.cleaned_data["nominee"],
            called_by=form.cleaned_data["called_by"],
        ),
        "Added to the attendees.",
        f"Add someone at the {meeting.get_kind_display().lower()}",
        "Another union representative, a Joint Secretary's nominee, or (at the hearing) a "
        "witness called by either side (17.4).",
    )


@login_required
@require_http_methods(GET_POST)
def outcome_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    appeal = _appeal(request, pk, policies.may_act)
    meeting = _meeting(appeal, kind)
    form = OutcomeForm(
        request.POST or None, kind=meeting.kind, action=reverse("appeal-outcome", args=[pk, kind])
    )
    return _form_page(
        request,
        appeal,
        form,
        lambda: services.meeting_outcome(
            actor=request.user,
            meeting=meeting,
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
            now=timezone.now(),
        ),
        "The outcome is recorded; the parties are told.",
        f"Record the {meeting.get_kind_display().lower()}'s outcome",
        f"Held on {meeting.on:%d %B %Y}. Everyone it needed must be among its attendees.",
    )


@login_required
@require_http_methods(GET_POST)
def conclusion_view(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk, policies.may_act)
    form = ConclusionForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        action=reverse("appeal-conclusion", args=[pk]),
    )
    decided_by = selectors.deciders(appeal)
    return _form_page(
        request,
        appeal,
        form,
        lambda: services.conclusion_record(
            actor=request.user,
            appeal=appeal,
            on=form.cleaned_data["on"],
            decision=form.cleaned_data["decision"],
            determines_arrangement=form.cleaned_data["determines_arrangement"],
            decided_by=decided_by,
            now=timezone.now(),
        ),
        "The conclusion is recorded: it is final and binding.",
        "Record the Joint Secretaries' conclusion",
        "17.5: the Joint Secretaries (or their nominees) reach a conclusion about the dispute, "
        "and their decision is final and binding. 17.1: it may determine the school's "
        "arrangement. It cannot be changed once recorded.",
        step_id="conclusion",
    )


@login_required
@require_http_methods(GET_POST)
def document_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk, policies.may_file)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        action=reverse("appeal-document-add", args=[pk]),
    )
    return _form_page(
        request,
        appeal,
        form,
        lambda: services.document_file(
            actor=request.user,
            appeal=appeal,
            stage=form.cleaned_data["stage"],
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"] if form.cleaned_data["source"] == "upload" else None,
            now=timezone.now(),
        ),
        "The document is filed.",
        "File a document",
        "A file, or the school's check record frozen as it is now (every finding, the "
        "parameters in force and the inputs, named by its SHA-256).",
    )


@login_required
@require_safe
def document_view(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    document = appeal.documents.filter(pk=doc).first()
    if document is None:
        raise Http404("No such document")
    name = document.ref if document.kind == "upload" else f"check-record-{document.ref[:12]}.json"
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    safe = "".join(c for c in name if c.isalnum() or c in "._- ") or "document"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def queue_view(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    if not policies.may_view_queue(request.user, council):
        raise Http404("No such council")
    roles = policies.joint_secretary_sides(request.user, council.pk)
    return render(
        request,
        "appeals/queue.html",
        {
            "council": council,
            "rows": selectors.queue_rows(council, roles, timezone.localdate()),
            "flexible": selectors.flexible_pending(council),
        },
    )


def _flexible_school(
    request: HttpRequest, slug: str, allowed: Callable[[User, School], bool]
) -> tuple[School, SchoolYear]:
    """As every school page: 403 "not for your role" to the school's own staff, else 404."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    if not allowed(request.user, school):
        school_refuse(request.user, school)
    year = school_year_current(school=school)
    if year is None:
        raise Http404("This school has no year yet")
    return school, year


@login_required
@require_http_methods(GET_POST)
def flexible_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = _flexible_school(request, slug, policies.may_view_flexible)
    from fairload.web.committee.models import TimetableCycle

    cycle = TimetableCycle.objects.filter(school_year=year).first()
    cycle_weeks = cycle.weeks if cycle is not None else 1
    current = selectors.flexible_of(school, year.label)
    may_submit = policies.may_submit_flexible(request.user, school)
    form = None
    if may_submit and (current is None or current.decision != FlexibleApproach.Decision.PENDING):
        form = FlexibleForm(request.POST or None, action=reverse("flexible-approach", args=[slug]))
    if request.method == "POST":
        if form is None:
            raise Http404("Nothing to submit here")
        if form.is_valid():
            try:
                services.flexible_submit(
                    actor=request.user,
                    year=year,
                    cycle_weeks=cycle_weeks,
                    max_contact_hours_in_any_week=form.cleaned_data[
                        "max_contact_hours_in_any_week"
                    ],
                    description=form.cleaned_data["description"],
                    now=timezone.now(),
                )
            except AppealRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Submitted to the Joint Secretaries.")
                return redirect(reverse("flexible-approach", args=[slug]))
    if can_view_school(request.user, school):
        request.fairload_school = school  # type: ignore[attr-defined]  # the school's menu
    return render(
        request,
        "appeals/flexible.html",
        {
            "school": school,
            "year": year,
            "cycle_weeks": cycle_weeks,
            "current": current,
            "history": selectors.flexible_history(school, year.label),
            "form": form,
            "may_decide": policies.may_decide_flexible(request.user, school),
        },
    )


@login_required
@require_http_methods(GET_POST)
def flexible_decide_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = _flexible_school(request, slug, policies.may_decide_flexible)
    approach = get_object_or_404(FlexibleApproach, pk=pk, school=school)
    form = FlexibleDecisionForm(
        request.POST or None, action=reverse("flexible-approach-decide", args=[slug, pk])
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.flexible_decide(
                actor=request.user,
                approach=approach,
                confirm=form.cleaned_data["decision"] == "confirm",
                reasons=form.cleaned_data["reasons"],
                now=timezone.now(),
            )
        except AppealRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Recorded; the school is told.")
            return redirect(reverse("joint-secretaries", args=[school.council.slug]))
    return render(
        request,
        "appeals/flexible_decide.html",
        {"school": school, "year": year, "approach": approach, "form": form},
    )


@login_required
@require_safe
def appeal_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The appeal's record and decision as a PDF (fairload.documents.appeal), for its
    parties and the Joint Secretaries; signed as a PDF once concluded, where the operator
    configures a certificate."""
    appeal = _appeal(request, pk)
    process = steps.appeal_process(appeal.school)
    if process is None:
        raise Http404("This council's agreement describes no appeal")
    from fairload.documents.appeal import appeal_document, appeal_pdf
    from fairload.web.pdf_response import pdf_response

    document = appeal_document(
        steps.appeal_record(appeal),
        process,
        school=appeal.school.name,
        authority=appeal.school.council.name,
        session=appeal.label,
    )
    stage = steps.stage(appeal)
    return pdf_response(
        document,
        lambda: appeal_pdf(document),
        filename=f"{appeal.school.slug}-{appeal.label}-appeal.pdf",
        final=bool(stage and stage.complete),
        reason="The Joint Secretaries' conclusion, final and binding (JNCT2.7 17.5)",
    )
