"""Ballot pages: parse the request, ask the ballot's policy, call one service, render.

A ballot or school the person may not see answers 404. While a ballot is open no page
shows a figure about it beyond its electorate: every page is the same size whatever the
votes (tests/web/test_ballots_secrecy.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.core.ballots import (
    AGREEMENT_APPROVAL,
    BallotFacts,
    BallotState,
    BallotStep,
    Window,
    steps_allowed,
)
from fairload.web.accounts.policies import User
from fairload.web.ballots.forms import BallotOpenForm, ReissueForm, VoteForm
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.policies import AGREEMENT, ballot_policy
from fairload.web.ballots.selectors import (
    ballot_elector_for,
    ballot_has_voted,
    ballot_list_for,
    ballot_may_manage,
    ballot_may_see_any,
    ballot_may_view,
    ballot_paper_current,
    ballot_papers_withdrawn,
    ballot_result,
    electorate_teaching_staff,
)
from fairload.web.ballots.services import (
    BallotRefused,
    ballot_close,
    ballot_open,
    ballot_reissue,
    ballot_vote,
)
from fairload.web.schools.lookups import school_for
from fairload.web.schools.models import School
from fairload.web.schools.selectors import school_year_current


def _may_open(user: User, school: School) -> bool:
    """Opening the agreement's ballot: whoever its policy lets run it."""
    return ballot_policy(AGREEMENT).may_manage(user, school, "")


def _ballot(request: HttpRequest, slug: str, pk: int) -> Ballot:
    school = school_for(request, slug, lambda user, s: ballot_may_see_any(user=user, school=s))
    ballot = get_object_or_404(Ballot.objects.select_related("school"), pk=pk, school=school)
    if not ballot_may_view(user=request.user, ballot=ballot):
        raise Http404("No such ballot")
    return ballot


def _require_manager(request: HttpRequest, ballot: Ballot) -> None:
    """Running the ballot: refused as any school page refuses (403 "not for your role" to
    the school's own staff, 404 to everyone else)."""
    if not ballot_may_manage(user=request.user, ballot=ballot):
        school_for(request, ballot.school.slug, lambda user, school: False)


def _detail(ballot: Ballot) -> str:
    return reverse("ballot-detail", args=[ballot.school.slug, ballot.pk])


@login_required
@require_safe
def ballot_list(request: HttpRequest, slug: str) -> HttpResponse:
    school = school_for(request, slug, lambda user, s: ballot_may_see_any(user=user, school=s))
    return render(
        request,
        "ballots/list.html",
        {
            "school": school,
            "ballots": ballot_list_for(user=request.user, school=school),
            "may_open": _may_open(request.user, school),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Open the staff's approval ballot on the agreement (16.4)."""
    school = school_for(request, slug, _may_open)
    action = reverse("ballot-new", args=[school.slug])
    form = BallotOpenForm(request.POST or None, action=action)
    now = timezone.now()
    electorate = electorate_teaching_staff(school=school, on=timezone.localdate(now))
    if request.method == "POST" and form.is_valid():
        year = school_year_current(school=school)
        try:
            ballot = ballot_open(
                actor=request.user,
                school=school,
                subject_kind="agreement",
                subject_id=year.label if year else "",
                question=form.cleaned_data["question"],
                paper_text=form.cleaned_data["paper_text"],
                electorate=electorate,
                policy=AGREEMENT,
                parameters=AGREEMENT_APPROVAL,
                now=now,
            )
        except BallotRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The ballot is open. Every elector has been told.")
            return redirect(_detail(ballot))
    return render(
        request,
        "ballots/new.html",
        {"school": school, "form": form, "electorate": electorate},
    )


@login_required
@require_safe
def ballot_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ballot = _ballot(request, slug, pk)
    now = timezone.now()
    elector = ballot_elector_for(ballot=ballot, user=request.user)
    allowed = steps_allowed(
        BallotFacts(
            state=BallotState(ballot.state),
            window=Window(ballot.opened_at, ballot.closes_at),
            now=now,
        )
    )
    manages = ballot_may_manage(user=request.user, ballot=ballot)
    voted = elector is not None and ballot_has_voted(ballot=ballot, user=request.user)
    return render(
        request,
        "ballots/detail.html",
        {
            "school": ballot.school,
            "ballot": ballot,
            "paper": ballot_paper_current(ballot=ballot),
            "withdrawn": ballot_papers_withdrawn(ballot=ballot),
            "elector": elector,
            "voted": voted,
            "may_vote": elector is not None and not voted and BallotStep.VOTE in allowed,
            "may_close": manages and BallotStep.CLOSE in allowed,
            "may_reissue": manages and BallotStep.REISSUE in allowed,
            "vote_form": VoteForm(action=reverse("ballot-vote", args=[slug, pk])),
            "result": ballot_result(ballot=ballot),
            # each clause once, however many of the threshold's figures it gives
            "citations": list(
                dict.fromkeys(
                    f"{p['reference']['document']}, {p['reference']['clause']}"
                    for p in ballot.threshold.get("parameters", [])
                )
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot_vote_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Cast a vote (POST), then show the receipt once; a GET goes back to the ballot."""
    ballot = _ballot(request, slug, pk)
    if request.method != "POST":
        return redirect(_detail(ballot))
    form = VoteForm(request.POST, action=reverse("ballot-vote", args=[slug, pk]))
    if form.is_valid():
        try:
            receipt = ballot_vote(
                ballot=ballot,
                voter=request.user,
                choice=form.cleaned_data["choice"],
                now=timezone.now(),
            )
        except BallotRefused as refused:
            messages.error(request, str(refused))
            return redirect(_detail(ballot))
        response = render(
            request,
            "ballots/receipt.html",
            {"school": ballot.school, "ballot": ballot, "receipt": receipt},
        )
        response["Cache-Control"] = "no-store"
        return response
    messages.error(request, "Select yes or no")
    return redirect(_detail(ballot))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot_reissue_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    ballot = _ballot(request, slug, pk)
    _require_manager(request, ballot)
    action = reverse("ballot-reissue", args=[slug, pk])
    form = ReissueForm(
        request.POST or None,
        action=action,
        initial={"paper_text": ballot_paper_current(ballot=ballot).text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            ballot_reissue(
                actor=request.user,
                ballot=ballot,
                paper_text=form.cleaned_data["paper_text"],
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except BallotRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, "The paper was reissued. Every elector is asked to vote again."
            )
            return redirect(_detail(ballot))
    return render(
        request, "ballots/reissue.html", {"school": ballot.school, "ballot": ballot, "form": form}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot_close_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Close the ballot (POST); a GET goes back to it."""
    ballot = _ballot(request, slug, pk)
    _require_manager(request, ballot)
    if request.method == "POST":
        try:
            ballot_close(actor=request.user, ballot=ballot, now=timezone.now())
        except BallotRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "The ballot is closed and counted.")
    return redirect(_detail(ballot))
