"""The dispute case's pages: parse the request, ask the selectors (who may see, which
ladder roles they play), call one service, render. Every rule of the ladder (order,
gates, stage, next steps, thresholds) is the core's, asked through the selectors.

A case, and every page of one, answers 404 to anyone who may not see it (selectors.py),
its school's head included: not even its existence is revealed. The one exception is a
letter the rep shared with the head, which the head reads as sent.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.core import disputes
from fairload.core.dispute_ladder import RECORD_FIELDS
from fairload.documents.dispute_letter import (
    DisputeLetter,
    letter_from_dict,
    letter_to_dict,
)
from fairload.web.audit.models import AuditEntry
from fairload.web.disputes import selectors, services
from fairload.web.disputes.forms import (
    CaseOpenForm,
    CloseForm,
    ConfirmForm,
    StepContext,
    StepForm,
    VoteOpenForm,
    issue_label,
)
from fairload.web.disputes.letters import case_letter
from fairload.web.disputes.models import DOCUMENT_KINDS, Case, CaseDocument, CaseLetter
from fairload.web.form_page import form_page
from fairload.web.pdf_response import pdf_response
from fairload.web.schools.models import School
from fairload.web.schools.selectors import school_year_check, school_year_current
from fairload.web.workload_audit.uploads import served

GET_POST = ["GET", "HEAD", "POST"]
#: The roles that close a case and share its letter (the ladder's ``roles`` say who
#: takes each step; closing and sharing are the union's officers' and reps' calls).
LEADS = {selectors.REP, selectors.OFFICER}


def _school(request: HttpRequest, slug: str) -> tuple[School, list[str]]:
    """The school, if the user may see some union's cases there; else 404."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    unions = selectors.unions_at(request.user, school)
    if not unions:
        raise Http404("No such school")
    request.fairload_school = school  # type: ignore[attr-defined]  # for the menu
    return school, unions


def _case(request: HttpRequest, pk: int) -> Case:
    case = selectors.case_get(request.user, pk)
    if case is None:
        raise Http404("No such case")
    return case


def _detail(case: Case) -> str:
    return reverse("dispute-detail", args=[case.pk])


def _shown(value: Any) -> str:
    """A recorded value in words."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        if {"name", "role"} <= set(value):
            return f"{value['name']} ({value['role']})"
        if {"present", "members"} <= set(value):
            return f"{value['present']} of {value['members']} members"
        return ", ".join(f"{k.replace('_', ' ')}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and not {"name", "role"} <= set(value[0]):
            return "; ".join(issue_label(v) for v in value)
        return "; ".join(_shown(v) for v in value)
    return str(value)


def _recorded(
    step_id: str, entry: dict[str, Any], records: tuple[str, ...]
) -> list[tuple[str, str]]:
    rows = []
    for name in records:
        if name in entry:
            description = RECORD_FIELDS[name].get("description", name.replace("_", " "))
            rows.append((description[:1].upper() + description[1:], _shown(entry[name])))
    if entry.get("note"):
        rows.append(("Note", _shown(entry["note"])))
    return rows


def _documents(
    case: Case, kept: dict[tuple[str, str], int], step_id: str, entry: dict[str, Any]
) -> list[dict[str, str]]:
    """The step's documents, each with its download link where the case keeps it
    (``kept``: the case's documents' pks by step and reference)."""
    out = []
    for line in entry.get("documents", []):
        pk = kept.get((step_id, line.get("ref", "")))
        out.append(
            {
                "title": line.get("title", ""),
                "kind": DOCUMENT_KINDS.get(line.get("kind", ""), line.get("kind", "")),
                "url": reverse("dispute-document", args=[case.pk, pk]) if pk else "",
            }
        )
    return out


@login_required
@require_safe
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    school, unions = _school(request, slug)
    today = timezone.localdate()
    ladders = selectors.school_ladders(school, unions)
    rows = [selectors.case_summary(c, today) for c in selectors.cases_at(request.user, school)]
    return render(
        request,
        "disputes/list.html",
        {
            "school": school,
            "unions": unions,
            "ladders": ladders,
            "no_ladder": [u for u in unions if u not in ladders],
            "no_audit": selectors.school_has_no_audit(school),
            "rows": rows,
        },
    )


def _finding_choices(school: School) -> list[tuple[str, str]]:
    """The findings of the school's check whose rule names an instruction."""
    year = school_year_current(school=school)
    if year is None:
        return []
    return [
        (f.id, f"{f.title}: {f.message}") for f in school_year_check(year=year).findings if f.refuse
    ]


@login_required
@require_http_methods(GET_POST)
def case_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a case: from findings of the school's check, by hand, or both."""
    school, all_unions = _school(request, slug)
    ladders = selectors.school_ladders(school, all_unions)
    if not ladders:
        raise Http404("No dispute ladder serves the user's unions at this school")
    unions = list(ladders)  # a case is opened only for a union that has a ladder here
    choices = _finding_choices(school)
    instructions = selectors.school_has_instructions(school)
    form = CaseOpenForm(
        request.POST or None,
        findings=choices,
        unions=unions,
        instructions=instructions,
        action=reverse("dispute-new", args=[school.slug]),
    )
    made: list[Case] = []

    def save() -> str:
        from fairload.core.packs import load_bundled

        chosen = set(form.cleaned_data["findings"])
        year = school_year_current(school=school)
        findings = (
            [f for f in school_year_check(year=year).findings if f.id in chosen] if year else []
        )
        rules = {r.id: r for r in load_bundled(school.pack).rules}
        issues = services.issues_from_findings(findings, rules) + form.hand_issues()
        made.append(
            services.dispute_case_open(
                actor=request.user,
                school=school,
                title=form.cleaned_data["title"],
                issues=issues,
                source=Case.Source.FINDING if findings else Case.Source.HAND,
                union=form.cleaned_data.get("union") or unions[0],
                now=timezone.now(),
            )
        )
        return "The case is open. Only your union's members, reps and officers see it."

    if request.method == "POST" and form.is_valid():
        try:
            done = save()
        except services.CaseRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect(_detail(made[0]))
    return render(
        request,
        "disputes/form.html",
        {
            "school": school,
            "form": form,
            "title": "Open a dispute case",
            "intro": "Name the issues: the findings of the school's check, "
            + ("the instructions members follow, or a clause." if instructions else "or a clause."),
            "ladder": ladders[unions[0]] if len(unions) == 1 else None,
            "no_audit": selectors.school_has_no_audit(school),
            "back": reverse("dispute-list", args=[school.slug]),
        },
    )


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    today = timezone.localdate()
    ladder, core = selectors.case_ladder(case), selectors.case_core(case)
    roles = selectors.case_roles(request.user, case.school, case.union)
    steps = case.record.get("steps", {})
    kept = {(d.step, d.ref): d.pk for d in case.documents.only("pk", "step", "ref")}
    timeline = []
    for row in disputes.timeline(ladder, core):
        entry = steps.get(row.step_id, {})
        kind = ladder.step(row.step_id).gate.kind if row.step_id in ladder.step_ids else ""
        result = (
            disputes.gate(ladder, core, row.step_id) if row.step_id in ladder.step_ids else None
        )
        timeline.append(
            {
                "row": row,
                "by": ", ".join(_shown(p) for p in row.by),
                "recorded": _recorded(row.step_id, entry, ladder.step(row.step_id).records)
                if row.step_id in ladder.step_ids
                else [],
                "gate": result if kind != "recorded" else None,
                "ballot": selectors.case_ballot_current(case, row.step_id),
                "documents": _documents(case, kept, row.step_id, entry),
            }
        )
    audit = AuditEntry.objects.filter(action__startswith="dispute.", details__case=case.pk)
    return render(
        request,
        "disputes/case.html",
        {
            "case": case,
            "school": case.school,
            "ladder": ladder,
            "stage": disputes.stage(ladder, core),
            "timeline": timeline,
            "mine": disputes.next_steps(ladder, core, roles, today),
            "others": [
                s
                for s in disputes.next_steps(ladder, core, None, today)
                if not set(s.roles) & roles
            ],
            "overdue": disputes.overdue(ladder, core, today),
            "issues": [issue_label(i) for i in core.issues],
            "roles": sorted(roles),
            "leads": bool(roles & LEADS),
            "open": core.closed is None and disputes.stage(ladder, core).status == "open",
            "letters": case.letters.all(),
            "documents": case.documents.defer("content"),
            "audit": audit.order_by("-at", "-pk")[:50],
        },
    )


def _context(case: Case) -> StepContext:
    members = selectors.members_at(case.school, case.union)
    return StepContext(
        issues=case.record.get("issues", []),
        members=len(members),
        member_choices=[(p.staff_id, p.name) for p in members],
    )


@login_required
@require_http_methods(GET_POST)
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take a step: its form is built from what the ladder's step records; a step with a
    members' ballot opens it through the ballot service instead."""
    case = _case(request, pk)
    ladder = selectors.case_ladder(case)
    if step not in ladder.step_ids:
        raise Http404("No such step")
    spec = ladder.step(step)
    core = selectors.case_core(case)
    roles = selectors.case_roles(request.user, case.school, case.union)
    blocked = disputes.may_take(ladder, core, step)
    if blocked is None and not roles & set(spec.roles):
        blocked = "this step is taken by: " + ", ".join(r.replace("-", " ") for r in spec.roles)
    current = selectors.case_ballot_current(case, step)
    running = current is not None and current.ballot.state == "open"
    action = reverse("dispute-step", args=[case.pk, step])
    now = timezone.now()
    context = {
        "case": case,
        "school": case.school,
        "title": ladder.label(step, timezone.localdate(now)),
        "intro": f"{spec.reference.citation}: “{spec.reference.quote}”"
        if spec.reference.quote
        else spec.reference.citation,
        "blocked": "" if running else blocked,
        "running": current.ballot if running and current else None,
        "back": _detail(case),
    }
    if spec.gate.ballot is not None:
        form: Any = VoteOpenForm(
            request.POST or None,
            action=action,
            initial={
                "question": spec.label,
                "paper_text": "Do you agree: "
                + "; ".join(issue_label(i) for i in core.issues)
                + "?",
            },
        )

        def save() -> str:
            services.dispute_vote_open(
                actor=request.user,
                case=case,
                step_id=step,
                question=form.cleaned_data["question"],
                paper_text=form.cleaned_data["paper_text"],
                now=now,
            )
            return "The members' ballot is open. Every member has been told."

    else:
        form = StepForm(
            request.POST or None,
            request.FILES or None,
            step=spec,
            context=_context(case),
            action=action,
        )

        def save() -> str:
            services.dispute_step_take(
                actor=request.user,
                case=case,
                step_id=step,
                entry=form.entry(),
                now=now,
                file_check=bool(form.cleaned_data.get("file_check")),
                uploads=form.uploads(),
            )
            return f"Recorded: {spec.label}."

    if blocked and request.method == "POST":
        context["blocked"] = blocked
        return render(request, "disputes/form.html", {**context, "form": form})
    return form_page(
        request,
        form,
        save,
        refused=services.CaseRefused,
        done_url=_detail(case),
        template="disputes/form.html",
        context=context,
    )


@login_required
@require_http_methods(GET_POST)
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = CloseForm(request.POST or None, action=reverse("dispute-close", args=[case.pk]))
    roles = selectors.case_roles(request.user, case.school, case.union)
    context = {
        "case": case,
        "school": case.school,
        "title": "Close the case",
        "intro": "A case can be closed at any step. Say why: the reason stays on its record.",
        "blocked": "" if roles & LEADS else "a rep or a local officer closes a case",
        "back": _detail(case),
    }

    def save() -> str:
        now = timezone.now()
        services.dispute_case_close(
            actor=request.user,
            case=case,
            reason=form.cleaned_data["reason"],
            on=timezone.localdate(now),
            now=now,
        )
        return "The case is closed."

    return form_page(
        request,
        form,
        save,
        refused=services.CaseRefused,
        done_url=_detail(case),
        template="disputes/form.html",
        context=context,
    )


@login_required
@require_safe
def case_document(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    """A document a step filed (a file attached, the school's check record frozen), for
    the case's people only, and only ever as a download."""
    case = _case(request, pk)
    found = get_object_or_404(CaseDocument, pk=document, case=case)
    name = found.title if found.kind == services.UPLOAD else f"check-record-{found.ref[:12]}.json"
    return served(name, found.content_type, bytes(found.content))


def _letter(request: HttpRequest, case: Case) -> DisputeLetter:
    roles = selectors.case_roles(request.user, case.school, case.union)
    role = "Local officer" if selectors.OFFICER in roles else "Union representative"
    return case_letter(
        case,
        signatory=services.person_name(request.user),
        role=role,
        at=timezone.localdate(),
    )


@login_required
@require_safe
def letter_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    roles = selectors.case_roles(request.user, case.school, case.union)
    return render(
        request,
        "disputes/letter.html",
        {
            "case": case,
            "school": case.school,
            "letter": _letter(request, case),
            "pdf": reverse("dispute-letter-pdf", args=[case.pk]),
            "may_share": bool(roles & LEADS),
            "not_yet": selectors.letter_refusal(case),
            "shared": None,
        },
    )


@login_required
@require_safe
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from fairload.documents.dispute_letter import dispute_letter_pdf

    case = _case(request, pk)
    letter = _letter(request, case)
    return pdf_response(
        letter,
        lambda: dispute_letter_pdf(letter),
        filename=f"{case.school.slug}-letter-to-the-head.pdf",
        final=False,
        reason="",
    )


@login_required
@require_http_methods(GET_POST)
def letter_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share the letter with the head teacher (POST), frozen as it reads now."""
    case = _case(request, pk)
    roles = selectors.case_roles(request.user, case.school, case.union)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        action=reverse("dispute-letter-share", args=[case.pk]),
        submit="Share it with the head teacher",
    )
    letter = _letter(request, case)
    context = {
        "case": case,
        "school": case.school,
        "title": "Share the letter with the head teacher",
        "intro": "The head teacher will see this letter as it reads now, and nothing else of "
        "the case: not its members, its votes or its other steps.",
        "blocked": "" if roles & LEADS else "a rep or a local officer shares the letter",
        "back": reverse("dispute-letter", args=[case.pk]),
    }

    def save() -> str:
        services.dispute_letter_share(
            actor=request.user, case=case, content=letter_to_dict(letter), now=timezone.now()
        )
        return "The letter is shared with the head teacher."

    return form_page(
        request,
        form,
        save,
        refused=services.CaseRefused,
        done_url=_detail(case),
        template="disputes/form.html",
        context=context,
    )


def _shared_school(request: HttpRequest, slug: str) -> School:
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    if school.pk not in selectors.schools_managed(request.user) and not selectors.unions_at(
        request.user, school
    ):
        raise Http404("No such school")
    request.fairload_school = school  # type: ignore[attr-defined]
    return school


def _shared(request: HttpRequest, slug: str, pk: int) -> CaseLetter:
    school = _shared_school(request, slug)
    letter = get_object_or_404(
        CaseLetter.objects.select_related("case__school"), pk=pk, case__school=school
    )
    if not selectors.letter_may_view(request.user, letter):
        raise Http404("No such letter")
    return letter


@login_required
@require_safe
def shared_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The letters the union shared with the head teacher, as sent."""
    school = _shared_school(request, slug)
    letters = selectors.letters_shared_with(request.user, school)
    return render(
        request,
        "disputes/shared_list.html",
        {
            "school": school,
            "letters": [(x, letter_from_dict(x.content)) for x in letters],
        },
    )


@login_required
@require_safe
def shared_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    letter = _shared(request, slug, pk)
    return render(
        request,
        "disputes/letter.html",
        {
            "case": None,
            "school": letter.case.school,
            "letter": letter_from_dict(letter.content),
            "pdf": reverse("dispute-letter-shared-pdf", args=[slug, letter.pk]),
            "may_share": False,
            "shared": letter,
        },
    )


@login_required
@require_safe
def shared_letter_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from fairload.documents.dispute_letter import dispute_letter_pdf

    letter = letter_from_dict(_shared(request, slug, pk).content)
    return pdf_response(
        letter,
        lambda: dispute_letter_pdf(letter),
        filename=f"{slug}-letter-from-the-union.pdf",
        final=True,
        reason="A letter from the union's members",
    )
