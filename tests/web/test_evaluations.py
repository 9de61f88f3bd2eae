"""The annual evaluation (Appendix 3, 16.7) in the web app: opened to every teacher with
Appendix 3's four questions from the pack, answered once and anonymously, summarised
once closed with no group smaller than the pack's minimum, and shown beside the headings
when the next draft is prepared.

Anonymity is tested as ballot secrecy is: every evaluation page, the pages around it, its
export and the API are fetched as every member of the cast in two worlds that differ only
in which teacher gave which answer, and must answer byte for byte the same."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairload.web.api.services import api_token_create
from fairload.web.audit.models import AuditEntry
from fairload.web.evaluations.models import Answer, Evaluation, Participation
from fairload.web.evaluations.selectors import (
    evaluation_beside_headings,
    evaluation_core_form,
    evaluation_printable,
    evaluation_summary,
)
from fairload.web.evaluations.services import (
    EvaluationRefused,
    evaluation_answer,
    evaluation_close,
    evaluation_open,
)
from fairload.web.notices.models import Notice
from fairload.web.schools.models import SchoolYear, StaffPost
from tests.documents.pdfs import text_of

from .access import CAST
from .anonymity import blank
from .test_access_evaluations import PAGES as EVALUATION_PAGES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_as_in_production")]

SLUG = "test-academy"
#: four more teachers of the Scottish school, beside the cast's teacher (t1) and colleague (t2)
MORE = ("dht6", "pt3", "ptg", "pb")
QUESTION = "realistic-allocation"

#: Six answers: (text to the first question, [(heading, choice, hours)]). Planning: five
#: more, one the same (the "same" group of one is withheld); parents' meetings: four
#: answers (fewer than five: nothing shown); staff meetings: six about the same.
ANSWERS = [
    ("Mostly realistic", [("planning", "more", "10"), ("staff-meetings", "same", None)]),
    ("Reports took longer", [("planning", "more", "6"), ("staff-meetings", "same", None)]),
    ("", [("planning", "more", "4.5"), ("staff-meetings", "same", None)]),
    (
        "About right",
        [
            ("planning", "more", "2"),
            ("staff-meetings", "same", None),
            ("parents-meetings", "less", "3"),
        ],
    ),
    (
        "Too little planning time",
        [
            ("planning", "more", "8"),
            ("staff-meetings", "same", None),
            ("parents-meetings", "less", "2"),
        ],
    ),
    (
        "Fine",
        [
            ("planning", "same", None),
            ("staff-meetings", "same", None),
            ("parents-meetings", "more", "1"),
            ("review", "less", "1"),
        ],
    ),
]


@pytest.fixture
def teachers(cast):  # type: ignore[no-untyped-def]
    """Six teachers with logins: the cast's teacher and colleague, and four more."""
    people = [cast["teacher"], cast["colleague"]]
    for staff_id in MORE:
        person = get_user_model().objects.create_user(username=f"teacher-{staff_id}")
        StaffPost.objects.filter(school_year__school__slug=SLUG, staff_id=staff_id).update(
            person=person
        )
        people.append(person)
    return people


def _year() -> SchoolYear:
    return SchoolYear.objects.get(school__slug=SLUG)


def _open(cast) -> Evaluation:  # type: ignore[no-untyped-def]
    return evaluation_open(actor=cast["head"], year=_year(), now=timezone.now())


def _answer(evaluation: Evaluation, person, given) -> None:  # type: ignore[no-untyped-def]
    text, headings = given
    evaluation_answer(
        evaluation=evaluation,
        person=person,
        texts={QUESTION: text},
        headings=[(h, c, Decimal(n) if n else None) for h, c, n in headings],
    )


def _closed(cast, teachers, order) -> Evaluation:  # type: ignore[no-untyped-def]
    evaluation = _open(cast)
    for person, index in zip(teachers, order, strict=True):
        _answer(evaluation, person, ANSWERS[index])
    return evaluation_close(actor=cast["head"], evaluation=evaluation, now=timezone.now())


# --- the form ------------------------------------------------------------------------------


def test_opening_puts_appendix_3s_questions_from_the_pack_to_every_teacher(cast, teachers):
    evaluation = _open(cast)

    questions = [q["text"] for q in evaluation.form["questions"]]
    assert len(questions) == 4
    assert questions[3] == "Are any new priorities emerging that require an allocation of time?"
    assert evaluation.form["minimum_group"] == 5
    assert evaluation.form["references"]["evaluation_minimum_group"]["clause"] == "16.7"
    assert "planning" in [h["id"] for h in evaluation.headings]
    assert evaluation.electorate_size == 8  # every post, with a login or not
    told = set(Notice.objects.filter(kind="evaluation-open").values_list("recipient", flat=True))
    assert told == {t.pk for t in teachers}


def test_the_answer_page_shows_the_four_questions_word_for_word(cast, teachers, as_user):
    _open(cast)

    page = as_user("teacher").get(reverse("evaluation-answer", args=[SLUG])).content.decode()

    assert "To what extent did this year’s agreement allocate a realistic amount of time" in page
    assert "Identify any area where the time required under any given heading" in page
    assert "Teachers are encouraged to evaluate their personal workload" in page
    assert "took more time than planned" in page.lower()


def test_a_session_is_evaluated_once(cast, teachers):
    _open(cast)
    with pytest.raises(EvaluationRefused, match="already been opened"):
        _open(cast)


def test_a_school_whose_pack_sets_no_evaluation_cannot_open_one(cast):
    england = SchoolYear.objects.get(school__slug="test-school")
    with pytest.raises(EvaluationRefused, match="sets no annual evaluation"):
        evaluation_open(actor=cast["other-head"], year=england, now=timezone.now())
    assert not Evaluation.objects.exists()


# --- answering -----------------------------------------------------------------------------


def test_a_teacher_answers_once(cast, teachers, as_user):
    evaluation = _open(cast)
    url = reverse("evaluation-answer", args=[SLUG])
    data = {f"q_{QUESTION}": "Mostly", "h_planning": "more", "h_planning_hours": "4"}

    assert as_user("teacher").post(url, data).status_code == 302
    again = as_user("teacher").post(url, data)

    assert again.status_code == 302  # to the evaluation page: "you have already answered"
    assert Answer.objects.filter(evaluation=evaluation).count() == 1
    with pytest.raises(EvaluationRefused, match="already answered"):
        _answer(evaluation, teachers[0], ANSWERS[0])


def test_more_or_less_needs_hours_and_about_the_same_takes_none(cast, teachers, as_user):
    _open(cast)
    url = reverse("evaluation-answer", args=[SLUG])

    more = as_user("teacher").post(url, {"h_planning": "more"})
    same = as_user("teacher").post(url, {"h_planning": "same", "h_planning_hours": "3"})

    assert "Enter about how many hours" in more.content.decode()
    assert "Leave the hours blank for about the same time" in same.content.decode()
    assert not Answer.objects.exists()


def test_someone_who_is_not_a_teacher_of_the_session_cannot_answer(cast, teachers):
    evaluation = _open(cast)
    with pytest.raises(EvaluationRefused, match="Only the teachers"):
        _answer(evaluation, cast["head"], ANSWERS[0])
    assert not Participation.objects.exists()


def test_no_answer_is_taken_once_closed(cast, teachers):
    evaluation = _closed(cast, teachers[:1], [0])
    with pytest.raises(EvaluationRefused, match="closed"):
        _answer(evaluation, teachers[1], ANSWERS[1])


def test_an_answer_row_holds_no_teacher_and_no_time():
    fields = Answer._meta.get_fields()
    assert not [f for f in fields if f.is_relation and f.related_model is get_user_model()]
    assert not [f for f in fields if isinstance(f, models.DateField | models.DateTimeField)]
    assert not [f for f in fields if isinstance(f, models.AutoField)]
    participation = {f.name for f in Participation._meta.get_fields()}
    assert participation == {"id", "evaluation", "person"}  # never what, never when


def test_every_answer_rewrites_the_answers_with_new_keys(cast, teachers):
    evaluation = _open(cast)
    _answer(evaluation, teachers[0], ANSWERS[0])
    before = set(Answer.objects.values_list("key", flat=True))

    _answer(evaluation, teachers[1], ANSWERS[1])

    assert not before & set(Answer.objects.values_list("key", flat=True))


def test_answering_writes_no_audit_entry_and_no_notice(cast, teachers):
    evaluation = _open(cast)
    audit, notices = AuditEntry.objects.count(), Notice.objects.count()

    _answer(evaluation, teachers[0], ANSWERS[0])

    assert (AuditEntry.objects.count(), Notice.objects.count()) == (audit, notices)


# --- the summary ---------------------------------------------------------------------------


def test_while_open_no_summary_is_shown(cast, teachers, as_user):
    evaluation = _open(cast)
    for person, given in zip(teachers, ANSWERS, strict=True):
        _answer(evaluation, person, given)

    page = as_user("head").get(reverse("evaluation-home", args=[SLUG])).content.decode()

    assert "data-summary-later" in page
    assert "data-summary>" not in page
    assert evaluation_printable(evaluation=evaluation)["summary"] is None


def test_the_summary_sums_the_hours_and_hides_groups_below_five(cast, teachers):
    evaluation = _closed(cast, teachers, range(6))

    summary = evaluation_printable(evaluation=evaluation)["summary"]
    headings = {h["id"]: h for h in summary["headings"]}

    assert summary["respondents"] == 6
    # planning: six answers, 10 + 6 + 4.5 + 2 + 8 = 30.5 more; the lone "same" group of
    # one means the breakdown is withheld (one group could be read off as the difference)
    assert headings["planning"]["answers"] == 6
    assert headings["planning"]["net_hours"] == "30.5"
    assert headings["planning"]["choices"] is None
    assert headings["planning"]["withheld"] == "a choice made by fewer than 5 answers"
    # staff meetings: six about the same, shown in full
    assert headings["staff-meetings"]["choices"] == [
        {
            "choice": "same",
            "text": "took about the same time as planned",
            "answers": 6,
            "hours": "0",
        }
    ]
    # parents' meetings: three answers, nothing shown
    assert headings["parents-meetings"]["answers"] is None
    assert headings["parents-meetings"]["net_hours"] is None
    assert headings["parents-meetings"]["withheld"] == "fewer than 5 answers"
    assert summary["texts"][QUESTION] == sorted(t for t, _ in ANSWERS if t)


def test_the_page_shows_the_summary_and_says_what_it_hides(cast, teachers, as_user):
    _closed(cast, teachers, range(6))

    page = as_user("council").get(reverse("evaluation-home", args=[SLUG])).content.decode()

    assert 'data-heading="planning"' in page
    assert "30.5" in page
    assert "Not shown: fewer than 5 answers" in page


def test_five_answers_show_the_written_answers_and_four_do_not(cast, teachers):
    four = _closed(cast, teachers[:4], range(4))
    assert evaluation_printable(evaluation=four)["summary"]["texts"] is None
    assert evaluation_printable(evaluation=four)["summary"]["respondents"] is None
    Evaluation.objects.all().delete()

    five = _closed(cast, teachers[:5], range(5))
    assert evaluation_printable(evaluation=five)["summary"]["respondents"] == 5


def test_the_summary_sits_beside_the_headings_of_the_draft(cast, teachers, as_user):
    from fairload.web.agreements.services import agreement_start

    _closed(cast, teachers, range(6))
    year = _year()
    beside = evaluation_beside_headings(year=year)
    assert beside is not None
    assert beside.rows["planning"].net_text == "+30.5"

    agreement_start(actor=cast["head"], year=year, now=timezone.now())
    page = as_user("head").get(reverse("agreement-draft", args=[SLUG])).content.decode()
    assert "data-evaluation-beside" in page
    assert 'data-beside="planning"' in page


def test_a_later_sessions_evaluation_is_not_beside_an_earlier_draft(cast, teachers):
    evaluation = _closed(cast, teachers, range(6))
    Evaluation.objects.filter(pk=evaluation.pk).update(session_start=_year().end)
    assert evaluation_beside_headings(year=_year()) is None


# --- anonymity: two worlds that differ only in who answered what ------------------------------

AROUND = {
    "scottish dashboard": reverse("school-dashboard", args=[SLUG]),
    "scottish changes": reverse("school-audit", args=[SLUG]),
    "school export": reverse("school-export", args=[SLUG]),
    "scottish school-year file": reverse("school-export-yaml", args=[SLUG]),
    "teacher's own page": reverse("teacher-page", args=[SLUG, "t1"]),
    "my notifications": reverse("my-notices"),
    "summary pdf": reverse("evaluation-summary-pdf", args=[SLUG]),
}
API = {
    "api schools": "/api/schools",
    "api school": f"/api/schools/{SLUG}",
    "api findings": f"/api/schools/{SLUG}/findings",
}


def _walk(cast, teachers) -> dict[tuple[str, str], tuple[int, str]]:  # type: ignore[no-untyped-def]
    seen = {}
    people = {**{w: cast[w] for w in CAST}, "dht6": teachers[2]}
    for who, person in people.items():
        client = Client()
        client.force_login(person)
        key = api_token_create(user=person, name="anonymity walk")[1]
        api_client = Client(headers={"Authorization": f"Bearer {key}"})
        for label, url in {**EVALUATION_PAGES, **AROUND}.items():
            response = client.get(url, follow=True)
            pdf = response.get("Content-Type") == "application/pdf"
            body = text_of(response.content) if pdf else blank(response.content)
            seen[(who, label)] = (response.status_code, body)
        for label, url in API.items():
            response = api_client.get(url)
            seen[(who, label)] = (response.status_code, blank(response.content))
    return seen


def _world(cast, teachers, order):  # type: ignore[no-untyped-def]
    Evaluation.objects.all().delete()
    _closed(cast, teachers, order)
    return _walk(cast, teachers)


@pytest.mark.slow  # every page, export and API answer for the whole cast
def test_no_page_export_or_api_answer_says_which_teacher_gave_which_answer(cast, teachers):
    one_way = _world(cast, teachers, [0, 1, 2, 3, 4, 5])
    rotated = _world(cast, teachers, [5, 0, 1, 2, 3, 4])

    # the audit log only grows, so the second world's also holds the first's
    differing = [key for key in one_way if one_way[key] != rotated[key]]
    assert all(page == "scottish changes" for _, page in differing), differing
    # the walk did reach the summary and the export
    status, page = one_way[("head", "scottish evaluation")]
    assert status == 200 and "30.5" in page
    assert '"respondents": 6' in one_way[("teacher", "scottish export")][1]
    assert "Planning" in one_way[("council", "summary pdf")][1]
    assert not AuditEntry.objects.filter(actor__in=teachers).exists()
    names = StaffPost.objects.filter(person__in=teachers).values_list("name", flat=True)
    for entry in AuditEntry.objects.filter(action__startswith="evaluation."):
        assert not any(name in entry.summary + str(entry.details) for name in names)


def test_the_frozen_form_and_summary_are_the_cores_for_the_documents(cast, teachers):
    from fairload.core.evaluation import evaluation_form
    from fairload.core.packs import load_bundled

    evaluation = _closed(cast, teachers, range(6))

    pack = load_bundled(evaluation.pack)
    assert evaluation_core_form(evaluation=evaluation) == evaluation_form(
        pack.parameters, evaluation.opened_at.date()
    )
    summary = evaluation_summary(evaluation=evaluation)
    assert summary is not None and summary.respondents == 6


def test_the_closed_summary_downloads_as_a_pdf_and_the_open_one_does_not(cast, teachers, as_user):
    evaluation = _open(cast)
    url = reverse("evaluation-summary-pdf", args=[SLUG])
    assert as_user("head").get(url).status_code == 404

    evaluation_close(actor=cast["head"], evaluation=evaluation, now=timezone.now())
    response = as_user("head").get(url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Annual Evaluation" in text and "Planning" in text
