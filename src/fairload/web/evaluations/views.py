"""The annual evaluation's pages (Appendix 3, 16.7): its page (state, how many have
answered, the summary once closed), opening and closing it, the answer form, and the
form and summary as JSON. Views parse, call one service and render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.web.evaluations import selectors
from fairload.web.evaluations.forms import AnswerForm
from fairload.web.evaluations.models import Evaluation
from fairload.web.evaluations.policies import (
    can_answer_school,
    can_run_evaluation,
    can_view_evaluation,
    is_evaluation_teacher,
)
from fairload.web.evaluations.services import (
    EvaluationRefused,
    evaluation_answer,
    evaluation_close,
    evaluation_open,
)
from fairload.web.form_page import form_page
from fairload.web.schools.lookups import school_year_for
from fairload.web.schools.models import School, SchoolYear


def _page(school: School) -> str:
    return reverse("evaluation-home", args=[school.slug])


def _evaluation(year: SchoolYear) -> Evaluation:
    evaluation = selectors.evaluation_of(school=year.school, label=year.label)
    if evaluation is None:
        raise Http404("The evaluation of this session has not been opened")
    return evaluation


@login_required
@require_safe
def evaluation_home(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_evaluation)
    evaluation = selectors.evaluation_of(school=school, label=year.label)
    context: dict[str, object] = {
        "school": school,
        "year": year,
        "evaluation": evaluation,
        "can_run": can_run_evaluation(request.user, school),
    }
    if evaluation is not None:
        summary = selectors.evaluation_summary(evaluation=evaluation)
        is_teacher = is_evaluation_teacher(request.user, evaluation)
        answered = selectors.has_answered(user=request.user, evaluation=evaluation)
        context |= {
            "summary": summary,
            "rows": selectors.heading_rows(evaluation=evaluation, summary=summary),
            "words": selectors.choice_words(evaluation),
            "questions": evaluation.form["questions"],
            "answered_count": selectors.answered_count(evaluation=evaluation),
            "answered": answered,
            "may_answer": is_teacher and not answered and evaluation.state == "open",
        }
    return render(request, "evaluations/home.html", context)


def _confirm(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    words: tuple[str, str, str],
    act: Callable[[], object],
    done: str,
) -> HttpResponse:
    """A page that asks to confirm one step: on POST ``act`` takes it and the user goes
    back to the evaluation told ``done``; a refusal is shown on the page instead."""
    problem = ""
    if request.method == "POST":
        try:
            act()
        except EvaluationRefused as refused:
            problem = str(refused)
        else:
            messages.success(request, done)
            return redirect(_page(school))
    heading, body, submit = words
    return render(
        request,
        "evaluations/confirm.html",
        {
            "school": school,
            "year": year,
            "heading": heading,
            "body": body,
            "submit": submit,
            "problem": problem,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_open_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_run_evaluation)
    words = (
        f"Open the annual evaluation of {year.label}",
        "Every teacher of the school is asked Appendix 3’s questions and, for each heading of "
        "the agreement, whether it took more, about the same or less time than planned. "
        "Answers are anonymous. The summary is shown once you close the evaluation.",
        "Open the evaluation",
    )
    return _confirm(
        request,
        school,
        year,
        words,
        lambda: evaluation_open(actor=request.user, year=year, now=timezone.now()),
        "The evaluation is open; every teacher has been told.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_run_evaluation)
    evaluation = _evaluation(year)
    count = selectors.answered_count(evaluation=evaluation)
    words = (
        f"Close the annual evaluation of {year.label}",
        f"{count} of {evaluation.electorate_size} teachers have answered. Once closed, no "
        "more answers are taken and the summary is shown.",
        "Close the evaluation",
    )
    return _confirm(
        request,
        school,
        year,
        words,
        lambda: evaluation_close(actor=request.user, evaluation=evaluation, now=timezone.now()),
        "The evaluation is closed; its summary is below.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_answer_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_answer_school)
    evaluation = _evaluation(year)
    if evaluation.state != Evaluation.State.OPEN:
        messages.info(request, "The evaluation has closed; its summary is below.")
        return redirect(_page(school))
    if selectors.has_answered(user=request.user, evaluation=evaluation):
        messages.info(request, "You have already answered the evaluation. Thank you.")
        return redirect(_page(school))
    form = AnswerForm(
        request.POST or None,
        evaluation=evaluation,
        action=reverse("evaluation-answer", args=[school.slug]),
    )

    def save() -> str:
        evaluation_answer(
            evaluation=evaluation,
            person=request.user,
            texts=form.texts(),
            headings=form.headings(),
        )
        return "Thank you: your answers are in, without your name."

    return form_page(
        request,
        form,
        save,
        refused=EvaluationRefused,
        done_url=_page(school),
        template="evaluations/answer.html",
        context={"school": school, "year": year, "evaluation": evaluation},
    )


@login_required
@require_safe
def evaluation_export(request: HttpRequest, slug: str) -> JsonResponse:
    """The evaluation form and (once closed) its summary as JSON: no teacher, no single
    answer, no group below the minimum."""
    _, year = school_year_for(request, slug, can_view_evaluation)
    data = selectors.evaluation_printable(evaluation=_evaluation(year))
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
