"""The agreement's pages: parse the request, ask the policies, call a selector or one
service, render. A school (or a page) the person may not see answers as every school page
does (schools/lookups.py): 403 "not for your role" to its own staff, else 404.
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

from fairload.core.check import CheckResult
from fairload.core.findings import by_cause, by_severity
from fairload.web.accounts.policies import User, can_view_school
from fairload.web.agreements import policies, services
from fairload.web.agreements.compare import versions_compare
from fairload.web.agreements.forms import (
    AnswerForm,
    CommentForm,
    ConsultationForm,
    DecisionForm,
    DraftForm,
    FailureForm,
    SignForm,
    heading_field,
)
from fairload.web.agreements.models import (
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    Submission,
)
from fairload.web.agreements.record import (
    TEXT_PARTS,
    current_final,
    latest_version,
    roles_signed_by,
    signature_states,
)
from fairload.web.agreements.selectors import (
    agreement_of,
    allocation_rows,
    comments_for,
    council_queue,
    draft_check,
    headings,
    submission_current,
    unanswered_count,
    version_check,
    year_events,
)
from fairload.web.agreements.services import AgreementRefused, consultation_is_open
from fairload.web.agreements.steps import next_actions, refusals, timeline, year_process
from fairload.web.ballots.selectors import ballot_has_voted
from fairload.web.htmx import is_htmx
from fairload.web.schools.edit_flow import recheck_summary
from fairload.web.schools.lookups import school_for
from fairload.web.schools.models import Council, School, SchoolYear
from fairload.web.schools.selectors import school_stage, school_year_check, school_year_current
from fairload.web.signing import password_ok

GET_POST = ["GET", "HEAD", "POST"]


def _year_or_404(school: School) -> SchoolYear:
    year = school_year_current(school=school)
    if year is None:
        raise Http404("This school has no year yet")
    return year


def _viewer(request: HttpRequest, slug: str) -> tuple[School, SchoolYear, Agreement | None]:
    """The school, its year and agreement, for someone who may read the agreement."""

    def allowed(user: User, school: School) -> bool:
        year = school_year_current(school=school)
        return year is not None and policies.may_view_agreement(user, year, agreement_of(year=year))

    school = school_for(request, slug, allowed)
    year = _year_or_404(school)
    return school, year, agreement_of(year=year)


def _committee(request: HttpRequest, slug: str) -> tuple[School, SchoolYear, Agreement | None]:
    school = school_for(request, slug, policies.is_committee)
    year = _year_or_404(school)
    return school, year, agreement_of(year=year)


def _home(school: School) -> str:
    return reverse("agreement-home", args=[school.slug])


def _need(agreement: Agreement | None, school: School) -> Agreement:
    if agreement is None:
        raise Http404("This year's agreement has not been started")
    return agreement


def _refused(request: HttpRequest, refused: AgreementRefused) -> None:
    messages.error(request, str(refused))


def _action(
    request: HttpRequest, school: School, step: Callable[[], Any], done: str
) -> HttpResponse:
    """A step taken by a POST, then back to the agreement saying how it went; a GET just
    goes back."""
    if request.method == "POST":
        try:
            step()
        except AgreementRefused as refused:
            _refused(request, refused)
        else:
            messages.success(request, done)
    return redirect(_home(school))


#: Where each process step is taken, by the step's id in the pack's process.yaml.
STEP_PAGES = {
    "draft": "agreement-draft",
    "consultation-open": "agreement-consultation",
    "comment": "agreement-comments",
    "comments-answered": "agreement-comments",
    "sign": "agreement-sign",
    "failure-reported": "agreement-failure",
}


def person_next_steps(
    request: HttpRequest, school: School, year: SchoolYear, agreement: Agreement | None
) -> list[dict[str, Any]]:
    """The person's next steps, the core's (next_actions) for their roles in the process,
    less what they have done themselves (signed in every role they sign in, voted). The
    agreement page, the dashboard and a teacher's own page show them."""
    user = request.user
    roles = policies.process_roles(user, year)
    signed = set()
    if agreement is not None:
        signed = roles_signed_by(
            agreement=agreement, events=year_events(year=year), person_id=user.pk
        )
    final = current_final(agreement) if agreement is not None else None
    ballot = final.ballot if final is not None else None
    voted = ballot is not None and ballot_has_voted(ballot=ballot, user=user)
    process = year_process(year)
    steps = []
    for action in next_actions(year, roles, timezone.localdate()):
        if action.step_id == "sign" and set(policies.signing_roles(user, school)) <= signed:
            continue
        if action.step_id == "vote" and (voted or ballot is None):
            continue
        page = STEP_PAGES.get(action.step_id)
        url = reverse(page, args=[school.slug]) if page else ""
        if action.step_id in ("vote", "approval") and ballot is not None:
            url = reverse("ballot-detail", args=[school.slug, ballot.pk])
        # a label that names its day already ("Vote by Friday 6 June") is not followed by
        # "(by 6 June 2025)" as well
        named = process is not None and "{due}" in (process.step(action.step_id).todo or "")
        steps.append(
            {
                "label": action.label,
                "due": None if named else action.due,
                "waiting": action.waiting,
                "url": url,
            }
        )
    return steps


@login_required
@require_safe
def agreement_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The year's agreement: its stage, versions, consultation, ballot, signatures and
    submission, with the next step for the person reading."""
    school, year, agreement = _viewer(request, slug)
    user = request.user
    now = timezone.now()
    context: dict[str, Any] = {
        "school": school,
        "year": year,
        "agreement": agreement,
        "stage": school_stage(year=year),
        "committee": policies.is_committee(user, school),
        "teaches": policies.teaches_in(user, year),
        "actions": [],
        "timeline": timeline(year),
    }
    if agreement is not None:
        final = current_final(agreement)
        context |= {
            "versions": list(agreement.versions.order_by("-number")),
            "latest": latest_version(agreement),
            "final": final,
            "consulting": consultation_is_open(agreement, now),
            "unanswered": unanswered_count(agreement=agreement),
            "signatures": (
                states := signature_states(agreement=agreement, events=year_events(year=year))
            ),
            "standing": [s for s in states if s.holds],
            "signing_roles": policies.signing_roles(user, school),
            "may_submit": policies.may_submit(user, school),
            "submission": (submission := submission_current(agreement=agreement)),
            "show_submit": policies.may_submit(user, school)
            and final is not None
            and (
                submission is None
                or submission.version_id != final.pk
                or submission.decision == Submission.Decision.RETURNED
            ),
            "failures": agreement.failures.all(),
            "reopened": agreement.versions.filter(final_at__isnull=False).exists(),
            "may": {
                step.replace("-", "_"): reason is None
                for step, reason in refusals(
                    year,
                    ("consultation-open", "consultation-close", "ballot-open", "sign", "submit"),
                    timezone.localdate(now),
                ).items()
            },
        }
    context["actions"] = person_next_steps(request, school, year, agreement)
    return render(request, "agreements/home.html", context)


@login_required
@require_http_methods(GET_POST)
def agreement_start(request: HttpRequest, slug: str) -> HttpResponse:
    school, year, _ = _committee(request, slug)
    return _action(
        request,
        school,
        lambda: services.agreement_start(actor=request.user, year=year, now=timezone.now()),
        "The draft is started as version 1.",
    )


def _findings_context(result: CheckResult) -> dict[str, Any]:
    """A check's findings as the version page and the draft's re-check show them."""
    return {
        "groups": [
            {"severity": s.value, "heading": s.heading, "findings": by_cause(g), "count": len(g)}
            for s, g in by_severity(result.findings)
        ],
        "counts": {k.replace("-", "_"): v for k, v in result.counts().items()},
    }


@login_required
@require_safe
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One version: its allocations against the pack's defaults, its text, its calendar,
    and the year checked under it (the dashboard's findings)."""
    school, year, agreement = _viewer(request, slug)
    version = get_object_or_404(_need(agreement, school).versions, number=number)
    return render(
        request,
        "agreements/version.html",
        {
            "school": school,
            "year": year,
            "agreement": agreement,
            "version": version,
            "rows": allocation_rows(year=year, version=version),
            "parts": [(label, clause, getattr(version, n)) for n, label, clause in TEXT_PARTS],
            **_findings_context(version_check(year=year, version=version)),
            "committee": policies.is_committee(request.user, school),
        },
    )


#: How many people or events a re-check names per rule before "and N more".
NAMED = 3


def _by_rule(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings (Comparison.as_dict's) one line per rule: a figure typed in a draft moves
    every teacher at once, and sixty lines of one rule would hide the form."""
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        line = rules.setdefault(finding["rule"], {**finding, "subjects": []})
        line["subjects"].append(finding["subject"]["label"])
    for line in rules.values():
        line["named"], line["more"] = line["subjects"][:NAMED], len(line["subjects"]) - NAMED
    return list(rules.values())


#: The draft form's button (and htmx's field) that checks the figures without saving.
CHECK = "check"


def _draft_checked(
    year: SchoolYear, latest: AgreementVersion | None, form: DraftForm | None
) -> dict[str, Any]:
    """The year checked under the draft's figures: the form's as typed (what saving would
    change against the latest version), or, with no form sent, the latest version's."""
    before = (
        version_check(year=year, version=latest)
        if latest is not None
        else school_year_check(year=year)
    )
    if form is None:
        return {"form": None, **_findings_context(before)}
    if not form.is_valid():
        return {"form": form}
    after = draft_check(year=year, allocations=form.content()["allocations"])
    preview = recheck_summary(before, after, "")
    return {
        "form": form,
        "preview": preview,
        "appeared": _by_rule(preview["appeared"]),
        "cleared": _by_rule(preview["cleared"]),
        "since": latest.number if latest is not None else None,
        **_findings_context(after),
    }


@login_required
@require_http_methods(GET_POST)
def draft_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the draft: saving makes the next version. The figures are checked as they are
    typed (htmx posts the form with ``check``, and gets the findings back) and, without
    JavaScript, by the "Check" button: the same findings the year would have, nothing
    saved."""
    school, year, agreement = _committee(request, slug)
    agreement = _need(agreement, school)
    latest = latest_version(agreement)
    rows = headings(year=year)
    initial: dict[str, Any] = {}
    if latest is not None:
        initial = {heading_field(h.id): latest.allocations.get(h.id, h.default) for h in rows}
        initial |= {n: getattr(latest, n) for n, _, _ in TEXT_PARTS}
    form = DraftForm(
        request.POST or None,
        headings=rows,
        initial=initial,
        action=reverse("agreement-draft", args=[school.slug]),
    )
    checking = request.method == "POST" and CHECK in request.POST
    context: dict[str, Any] = {"school": school, "year": year}
    if checking:
        context["checked"] = _draft_checked(year, latest, form)
        if is_htmx(request):
            return render(request, "agreements/_draft_check.html", context)
    elif request.method == "POST" and form.is_valid():
        try:
            version = services.version_save(
                actor=request.user,
                agreement=agreement,
                content=form.content(),
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except AgreementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Saved as version {version.number}.")
            return redirect(reverse("agreement-version", args=[school.slug, version.number]))
    context.setdefault(
        "checked", _draft_checked(year, latest, form if request.method == "POST" else None)
    )
    return render(
        request,
        "agreements/draft.html",
        {**context, "agreement": agreement, "form": form, "latest": latest, "check": CHECK},
    )


@login_required
@require_safe
def versions_compare_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year, agreement = _viewer(request, slug)
    agreement = _need(agreement, school)
    versions = list(agreement.versions.order_by("number"))
    if not versions:
        raise Http404("No versions yet")
    by_number = {v.number: v for v in versions}

    def pick(name: str, fallback: int) -> int:
        try:
            number = int(request.GET.get(name, fallback))
        except ValueError:
            number = fallback
        return number if number in by_number else fallback

    b = pick("b", versions[-1].number)
    a = pick("a", versions[-2].number if len(versions) > 1 else b)
    return render(
        request,
        "agreements/compare.html",
        {
            "school": school,
            "year": year,
            "versions": versions,
            "a": by_number[a],
            "b": by_number[b],
            "comparison": versions_compare(by_number[a], by_number[b], headings(year=year)),
        },
    )


@login_required
@require_http_methods(GET_POST)
def consultation_open_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year, agreement = _committee(request, slug)
    agreement = _need(agreement, school)
    now = timezone.now()
    pack_days = services._window_days(year, timezone.localdate(now))
    form = ConsultationForm(
        request.POST or None, action=reverse("agreement-consultation", args=[school.slug])
    )
    if request.method == "POST" and (pack_days or form.is_valid()):
        try:
            services.consultation_open(
                actor=request.user,
                agreement=agreement,
                now=now,
                days=None if pack_days else form.cleaned_data["days"],
            )
        except AgreementRefused as refused:
            form.add_error(None, str(refused))
            if pack_days:
                _refused(request, refused)
                return redirect(_home(school))
        else:
            messages.success(request, "The consultation is open to the whole teaching staff.")
            return redirect(_home(school))
    return render(
        request,
        "agreements/consultation.html",
        {"school": school, "year": year, "form": form, "pack_days": pack_days},
    )


@login_required
@require_http_methods(GET_POST)
def consultation_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, _, agreement = _committee(request, slug)
    return _action(
        request,
        school,
        lambda: services.consultation_close(
            actor=request.user, agreement=_need(agreement, school), now=timezone.now()
        ),
        "The consultation is closed.",
    )


def _comment_form(
    request: HttpRequest, school: School, year: SchoolYear, data: Any = None
) -> CommentForm:
    events = [(e["id"], f"{e['title']} ({e['date']})") for e in year_events(year=year)]
    return CommentForm(
        data,
        headings=[(h.id, h.label) for h in headings(year=year)],
        events=events,
        action=reverse("agreement-comments", args=[school.slug]),
    )


@login_required
@require_http_methods(GET_POST)
def comments_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The consultation's comments and their answers; a teacher adds one while it is open."""
    school, year, agreement = _viewer(request, slug)
    agreement = _need(agreement, school)
    now = timezone.now()
    may_comment = policies.teaches_in(request.user, year) and consultation_is_open(agreement, now)
    form = _comment_form(request, school, year, request.POST or None)
    if request.method == "POST":
        if not may_comment:
            messages.error(request, "Only the school's teaching staff comment, while it is open.")
            return redirect(reverse("agreement-comments", args=[school.slug]))
        if form.is_valid():
            target, label = form.target()
            try:
                services.comment_add(
                    actor=request.user,
                    agreement=agreement,
                    on=form.cleaned_data["on"],
                    target=target,
                    target_label=label,
                    text=form.cleaned_data["text"],
                    now=now,
                )
            except AgreementRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Your comment is sent to the committee.")
                return redirect(reverse("agreement-comments", args=[school.slug]))
    user = request.user
    names = policies.sees_comment_authors(user, school)
    return render(
        request,
        "agreements/comments.html",
        {
            "school": school,
            "year": year,
            "agreement": agreement,
            "comments": [
                (c, c.author_name if names or c.author_id == user.pk else None)
                for c in comments_for(agreement=agreement)
            ],
            "form": form if may_comment else None,
            "committee": policies.is_committee(user, school),
        },
    )


@login_required
@require_http_methods(GET_POST)
def comment_answer_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year, agreement = _committee(request, slug)
    comment = get_object_or_404(Comment, pk=pk, agreement=_need(agreement, school))
    form = AnswerForm(
        request.POST or None,
        action=reverse("agreement-comment-answer", args=[school.slug, pk]),
        initial={"answer": comment.answer, "text": comment.answer_text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_answer(
                actor=request.user,
                comment=comment,
                accepted=form.cleaned_data["answer"] == Comment.Answer.ACCEPTED,
                text=form.cleaned_data["text"],
                version_number=form.cleaned_data["version"],
                now=timezone.now(),
            )
        except AgreementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The answer is sent; the staff can read it.")
            return redirect(reverse("agreement-comments", args=[school.slug]))
    return render(
        request,
        "agreements/answer.html",
        {"school": school, "year": year, "comment": comment, "form": form},
    )


@login_required
@require_http_methods(GET_POST)
def final_freeze_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, _, agreement = _committee(request, slug)
    return _action(
        request,
        school,
        lambda: services.final_freeze(
            actor=request.user, agreement=_need(agreement, school), now=timezone.now()
        ),
        "The latest version is frozen as the final agreement.",
    )


@login_required
@require_http_methods(GET_POST)
def approval_ballot_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, _, agreement = _committee(request, slug)
    if request.method == "POST":
        try:
            ballot = services.approval_ballot_open(
                actor=request.user, agreement=_need(agreement, school), now=timezone.now()
            )
        except AgreementRefused as refused:
            _refused(request, refused)
        else:
            messages.success(request, "The ballot is open. Every elector has been told.")
            return redirect(reverse("ballot-detail", args=[school.slug, ballot.pk]))
    return redirect(_home(school))


def _signer(user: User, school: School) -> bool:
    return bool(policies.signing_roles(user, school))


@login_required
@require_http_methods(GET_POST)
def sign_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Sign the final version after re-entering one's password (16.5). A wrong password
    counts towards the sign-in limits, as at sign-in."""
    school = school_for(request, slug, _signer)
    year = _year_or_404(school)
    agreement = _need(agreement_of(year=year), school)
    roles = [(r, Signature.SignedAs(r).label) for r in policies.signing_roles(request.user, school)]
    form = SignForm(
        request.POST or None, roles=roles, action=reverse("agreement-sign", args=[school.slug])
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sign(
                actor=request.user,
                agreement=agreement,
                role=form.cleaned_data["role"],
                password_ok=password_ok(request, form.cleaned_data["password"]),
                now=timezone.now(),
            )
        except AgreementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "You have signed the final agreement.")
            return redirect(_home(school))
    return render(
        request,
        "agreements/sign.html",
        {
            "school": school,
            "year": year,
            "final": current_final(agreement),
            "form": form,
        },
    )


@login_required
@require_http_methods(GET_POST)
def submit_view(request: HttpRequest, slug: str) -> HttpResponse:
    school = school_for(request, slug, policies.may_submit)
    year = _year_or_404(school)
    return _action(
        request,
        school,
        lambda: services.submit(
            actor=request.user, agreement=_need(agreement_of(year=year), school), now=timezone.now()
        ),
        f"Submitted to {school.council.name}.",
    )


@login_required
@require_http_methods(GET_POST)
def failure_view(request: HttpRequest, slug: str) -> HttpResponse:
    school = school_for(request, slug, policies.may_report_failure)
    year = _year_or_404(school)
    agreement = _need(agreement_of(year=year), school)
    form = FailureForm(
        request.POST or None, action=reverse("agreement-failure", args=[school.slug])
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.failure_report(
                actor=request.user,
                agreement=agreement,
                text=form.cleaned_data["text"],
                now=timezone.now(),
            )
        except AgreementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The report to the joint secretaries is started.")
            return redirect(_home(school))
    return render(
        request, "agreements/failure.html", {"school": school, "year": year, "form": form}
    )


def _council(request: HttpRequest, slug: str) -> Council:
    council = get_object_or_404(Council, slug=slug)
    if not policies.may_view_queue(request.user, council):
        raise Http404("No such council")
    return council


@login_required
@require_safe
def council_queue_view(request: HttpRequest, slug: str) -> HttpResponse:
    council = _council(request, slug)
    return render(
        request,
        "agreements/queue.html",
        {
            "council": council,
            "submissions": council_queue(council=council),
            "may_decide": policies.may_decide(request.user, council),
        },
    )


@login_required
@require_http_methods(GET_POST)
def council_decide_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    council = _council(request, slug)
    submission = get_object_or_404(
        Submission.objects.select_related("version__agreement__school"),
        pk=pk,
        version__agreement__school__council=council,
    )
    may_decide = policies.may_decide(request.user, council)
    form = DecisionForm(request.POST or None, action=reverse("council-agreement", args=[slug, pk]))
    if request.method == "POST":
        if not may_decide:
            raise Http404("No such council")
        if form.is_valid():
            try:
                services.submission_decide(
                    actor=request.user,
                    submission=submission,
                    accept=form.cleaned_data["decision"] == "accept",
                    reasons=form.cleaned_data["reasons"],
                    now=timezone.now(),
                )
            except AgreementRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "The decision is recorded.")
                return redirect(reverse("council-agreements", args=[slug]))
    version = submission.version
    year = version.agreement.school_year
    return render(
        request,
        "agreements/decide.html",
        {
            "council": council,
            "submission": submission,
            "version": version,
            "year": year,
            "school": year.school,
            "rows": allocation_rows(year=year, version=version),
            "parts": [(label, clause, getattr(version, n)) for n, label, clause in TEXT_PARTS],
            "form": form if may_decide and submission.decision == "pending" else None,
            "sees_school": can_view_school(request.user, year.school),
        },
    )
