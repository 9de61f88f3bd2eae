"""The workload audit's pages: the questions and their answers, one question's answer
form, "what you may refuse, and why, in your school, now" (a page and a one-page PDF),
and the evidence (an upload, a frozen check record) as downloads.

Union business: anyone policies.py does not let at the union's audit gets 404, whether
the school, the union, the audit or the evidence is missing or not theirs. A person who
acts for several unions at the school names one with ``?union=``.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.documents.workload_audit import (
    RefusalBasis,
    RefusalLine,
    RefusalsDocument,
    refusals_pdf,
)
from fairload.web.form_page import form_page
from fairload.web.pdf_response import pdf_response
from fairload.web.schools.models import School
from fairload.web.workload_audit import selectors
from fairload.web.workload_audit.forms import AnswerForm, OpenCaseForm
from fairload.web.workload_audit.models import AnswerUpload
from fairload.web.workload_audit.policies import audit_unions, union_key
from fairload.web.workload_audit.services import AuditRefused, answer_save
from fairload.web.workload_audit.uploads import served


def _school_union(
    request: HttpRequest, slug: str, *, without_audit: bool = False
) -> tuple[School, str, list[str]]:
    """The school and the union whose audit the request is about, if the user may use
    it and the school's pack has an audit (or ``without_audit``: has none); else 404."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    unions = audit_unions(request.user, school)
    wanted = request.GET.get("union", "").strip()
    chosen = [u for u in unions if union_key(u) == union_key(wanted)] if wanted else unions[:1]
    if not chosen or (selectors.school_audit(school) is None) is not without_audit:
        raise Http404("No such audit")
    return school, chosen[0], unions


def _url(name: str, school: School, union: str, unions: list[str], *args: object) -> str:
    url = reverse(name, args=[school.slug, *args])
    return url + ("?" + urlencode({"union": union}) if len(unions) > 1 else "")


def _view(request: HttpRequest, slug: str) -> tuple[selectors.AuditView, list[str]]:
    school, union, unions = _school_union(request, slug)
    view = selectors.audit_view(school, union, timezone.localdate())
    assert view is not None  # _school_union refuses a school without an audit
    return view, unions


def _links(view: selectors.AuditView, unions: list[str]) -> dict[str, str]:
    def url(name: str) -> str:
        return _url(name, view.school, view.union, unions)

    return {
        "audit_url": url("workload-audit"),
        "refusals_url": url("workload-audit-refusals"),
        "pdf_url": url("workload-audit-pdf"),
        "union_query": ("?" + urlencode({"union": view.union})) if len(unions) > 1 else "",
    }


@login_required
@require_safe
def audit_home(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    if selectors.school_audit(school) is None:
        # The union's own people at a school whose agreement has no audit (a Scottish
        # council's): said plainly, with no questions made up; 404 for anyone else.
        school, union, unions = _school_union(request, slug, without_audit=True)
        return render(
            request,
            "workload_audit/none.html",
            {"school": school, "union": union, "unions": unions},
        )
    view, unions = _view(request, slug)
    return render(
        request,
        "workload_audit/audit.html",
        {"view": view, "school": view.school, "unions": unions, **_links(view, unions)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_page(request: HttpRequest, slug: str, question: str) -> HttpResponse:
    view, unions = _view(request, slug)
    if question not in view.audit.question_ids:
        raise Http404("No such question")
    action = _url("workload-audit-answer", view.school, view.union, unions, question)
    form = AnswerForm(
        request.POST or None,
        request.FILES or None,
        action=action,
        answer=view.answers.get(question),
        question=question,
    )
    topic = next(t for t in view.audit.topics if question in (*t.questions, *t.context))

    def save() -> str:
        answer_save(
            actor=request.user,
            school=view.school,
            union=view.union,
            given=form.values(),
            now=timezone.now(),
        )
        return "Your answer is saved."

    return form_page(
        request,
        form,
        save,
        refused=AuditRefused,
        done_url=_links(view, unions)["audit_url"] + f"#topic-{topic.id}",
        template="workload_audit/answer.html",
        context={
            "view": view,
            "school": view.school,
            "question": view.questions[question],
            "topic": topic,
            "answer": view.answers.get(question),
            **_links(view, unions),
        },
    )


@login_required
@require_safe
def refusals_page(request: HttpRequest, slug: str) -> HttpResponse:
    view, unions = _view(request, slug)
    return render(
        request,
        "workload_audit/refusals.html",
        {"view": view, "school": view.school, "unions": unions, **_links(view, unions)},
    )


#: The findings the PDF lists under one instruction (the page lists them all), so a
#: school with many keeps to one page.
PDF_FINDINGS = 3


def _evidence_words(kind: str, ref: str) -> str:
    if kind == "check-record":
        grouped = " ".join(ref[i : i + 8] for i in range(0, 16, 8))
        return f"the school's check as frozen (SHA-256 {grouped} …)"
    return f"{'file' if kind == 'upload' else kind} “{ref}”"


def refusals_document(view: selectors.AuditView) -> RefusalsDocument:
    """The result page's content as the PDF's plain data."""
    lines = []
    for row in view.refusals:
        bases = []
        findings = [i for i in row.bases if i.basis.kind == "finding"]
        shown = [i for i in row.bases if i.basis.kind == "answer"] + findings[:PDF_FINDINGS]
        for item in shown:
            basis = item.basis
            if basis.kind == "answer":
                said = "yes" if basis.answer else "no"
                text = f"{said.capitalize()} to “{basis.text}”"
                evidence = tuple(_evidence_words(e.kind, e.ref) for e in basis.evidence)
            else:
                text, evidence = basis.text, ()
            # a finding's sentence ends with its citation already: not cited twice
            clause = "" if basis.reference.citation in text else basis.reference.clause
            bases.append(RefusalBasis(basis.kind, text, clause, evidence))
        if len(findings) > PDF_FINDINGS:
            more = len(findings) - PDF_FINDINGS
            bases.append(
                RefusalBasis(
                    "finding",
                    f"and {more} more finding{'s' if more > 1 else ''} of the school's "
                    "check: the page “What you may refuse” lists them all",
                    findings[0].basis.reference.clause,
                )
            )
        refusal = row.refusal
        lines.append(
            RefusalLine(
                refusal.instruction,
                refusal.words,
                refusal.reference.clause,
                tuple(bases),
                refusal.caveat,
            )
        )
    return RefusalsDocument(
        school=view.school.name,
        union=view.union,
        audit_title=view.audit.title,
        source=view.audit.reference.document.title,
        at=view.at,
        answered=view.answered,
        asked=view.asked,
        findings=view.findings_count,
        lines=tuple(lines),
    )


@login_required
@require_safe
def refusals_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    view, _ = _view(request, slug)
    document = refusals_document(view)
    response = pdf_response(
        document,
        lambda: refusals_pdf(document),
        filename=f"{view.school.slug}-what-you-may-refuse-{view.at.isoformat()}.pdf",
        final=False,
        reason="",
    )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_case_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A dispute case from what members may refuse (web/disputes' open_case_from_refusal):
    the instructions chosen, each with its clause and the rules behind it."""
    from fairload.web.disputes.services import CaseRefused, open_case_from_refusal

    view, unions = _view(request, slug)
    if not view.refusals:
        raise Http404("Nothing to open a case about")
    by_number = {r.refusal.instruction: r.refusal for r in view.refusals}
    form = OpenCaseForm(
        request.POST or None,
        action=_url("workload-audit-open-case", view.school, view.union, unions),
        choices=[(n, f"Instruction {n}: {r.words}") for n, r in by_number.items()],
        initial={"instructions": list(by_number)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = open_case_from_refusal(
                actor=request.user,
                school=view.school,
                refusals=[by_number[n] for n in form.cleaned_data["instructions"]],
                title=form.cleaned_data["title"],
                union=view.union,
                now=timezone.now(),
            )
        except CaseRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, "The case is open. Only your union's members, reps and officers see it."
            )
            return redirect("dispute-detail", case.pk)
    return render(
        request,
        "workload_audit/open_case.html",
        {"view": view, "school": view.school, "form": form, **_links(view, unions)},
    )


@login_required
@require_safe
def upload_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    view, _ = _view(request, slug)
    upload = AnswerUpload.objects.filter(pk=pk, answer__audit=view.stored).first()
    if view.stored is None or upload is None:
        raise Http404("No such file")
    return served(upload.filename, upload.content_type, bytes(upload.data))


@login_required
@require_safe
def check_record_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    view, _ = _view(request, slug)
    record = selectors.check_record_get(view.stored, pk) if view.stored is not None else None
    if record is None:
        raise Http404("No such check record")
    body = {"sha256": record.sha256, "frozen_at": record.frozen_at.isoformat(), **record.content}
    response = HttpResponse(
        json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json"
    )
    name = f"{view.school.slug}-check-{record.label}-{record.sha256[:12]}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
