"""The annual evaluation (JNCT2.7 Appendix 3, 16.7): the four questions word for word from
the pack, the per-heading answer, and a summary that sums exactly and shows no cell
computed from fewer than the pack's minimum group (Hypothesis)."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.errors import PackError
from fairload.core.evaluation import (
    LESS,
    MORE,
    SAME,
    Answer,
    HeadingAnswer,
    Summary,
    evaluation_form,
    summarise,
)
from fairload.core.packs import load_bundled
from fairload.core.parameters import ParameterSet

SA = "scotland/south-ayrshire-jnct-2.7"
DAY = date(2025, 6, 1)
HEADINGS = ("assessment-reporting-recording", "planning", "staff-meetings", "parents-meetings")


def test_the_four_questions_are_appendix_3s_word_for_word() -> None:
    form = evaluation_form(load_bundled(SA).parameters, DAY)
    assert [q.text for q in form.questions] == [
        "To what extent did this year’s agreement allocate a realistic amount of time in "
        "relation to your professional responsibilities?",
        "Identify any area where the time required under any given heading has been "
        "significantly different from what was planned.",
        "Do any of the headings in the current Working Time Agreement require an adjustment "
        "in agreed time for next session?",
        "Are any new priorities emerging that require an allocation of time?",
    ]
    assert [c.id for c in form.choices] == [MORE, SAME, LESS]
    assert form.minimum_group == 5
    assert form.introduction.startswith(
        "Teachers are encouraged to evaluate their personal workload against the generic "
        "figures agreed in their school."
    )


def test_the_minimum_group_is_a_dated_parameter_with_its_clause() -> None:
    parameter = load_bundled(SA).parameters.parameters["evaluation_minimum_group"]
    value = parameter.values[0]
    assert value.reference.clause == "16.7"
    assert parameter.reading and "no figure" in parameter.reading


def answer(*heading_answers: tuple[str, str, int], text: str = "") -> Answer:
    return Answer(
        {"realistic-allocation": text} if text else {},
        tuple(HeadingAnswer(h, c, n) for h, c, n in heading_answers),
    )


def test_at_the_minimum_a_heading_shows_and_one_fewer_it_does_not() -> None:
    five = [answer(("planning", MORE, 2)) for _ in range(5)]
    summary = summarise(five, HEADINGS, 5)
    planning = summary.headings[1]
    assert (planning.answers, planning.net_hours) == (5, Fraction(10))
    assert [(c.choice, c.answers, c.hours) for c in planning.choices or ()] == [(MORE, 5, 10)]
    four = summarise(five[:4], HEADINGS, 5)
    assert four.respondents is None and four.texts is None
    assert (four.headings[1].answers, four.headings[1].net_hours) == (None, None)
    assert four.headings[1].withheld == "fewer than 5 answers"


def test_a_small_choice_hides_the_breakdown_but_not_the_heading() -> None:
    # six answer; one says less: the net shows, the breakdown would show that one teacher
    six = [answer(("planning", MORE, 3)) for _ in range(5)] + [answer(("planning", LESS, 4))]
    planning = summarise(six, HEADINGS, 5).headings[1]
    assert (planning.answers, planning.net_hours, planning.choices) == (6, Fraction(11), None)
    assert planning.withheld == "a choice made by fewer than 5 answers"


def test_about_the_same_is_by_no_hours_and_hours_are_never_negative() -> None:
    with pytest.raises(ValueError, match="no hours"):
        HeadingAnswer("planning", SAME, 2)
    with pytest.raises(ValueError, match="negative"):
        HeadingAnswer("planning", MORE, -1)
    with pytest.raises(ValueError, match="not one of"):
        HeadingAnswer("planning", "lots", 1)
    with pytest.raises(ValueError, match="no heading"):
        summarise([answer(("lunch", MORE, 1))], HEADINGS, 5)


def test_the_summary_links_no_answer_to_a_teacher() -> None:
    # an answer has no field for who gave it; the free text is sorted, not in answer order
    assert {f.name for f in fields(Answer)} == {"texts", "headings"}
    given_order = [answer(text=t) for t in ("zebra", "apple", "mango", "kiwi", "banana")]
    summary = summarise(given_order, HEADINGS, 5)
    assert summary.texts == {"realistic-allocation": ("apple", "banana", "kiwi", "mango", "zebra")}


heading_answers = st.builds(
    lambda h, c, n: HeadingAnswer(h, c, 0 if c == SAME else n),
    st.sampled_from(HEADINGS),
    st.sampled_from((MORE, SAME, LESS)),
    st.fractions(min_value=0, max_value=40, max_denominator=4),
)
answers = st.lists(
    st.lists(heading_answers, max_size=4, unique_by=lambda a: a.heading).map(
        lambda hs: Answer({}, tuple(hs))
    ),
    max_size=30,
)


def shown_cells(summary: Summary) -> list[int]:
    """The size of the group behind every cell the summary shows."""
    sizes = [] if summary.respondents is None else [summary.respondents]
    for heading in summary.headings:
        if heading.answers is not None:
            sizes.append(heading.answers)
        for choice in heading.choices or ():
            sizes.append(choice.answers)
    return sizes


@given(answers, st.integers(min_value=1, max_value=8))
def test_no_cell_is_computed_from_fewer_than_the_minimum(
    given_answers: list[Answer], minimum: int
) -> None:
    summary = summarise(given_answers, HEADINGS, minimum)
    assert all(size >= minimum for size in shown_cells(summary))
    for heading in summary.headings:
        group = [a for x in given_answers for a in x.headings if a.heading == heading.heading]
        if len(group) < minimum:
            assert (heading.answers, heading.net_hours, heading.choices) == (None, None, None)
        for choice in heading.choices or ():
            assert sum(a.choice == choice.choice for a in group) >= minimum


@given(answers)
def test_sums_are_exact(given_answers: list[Answer]) -> None:
    summary = summarise(given_answers, HEADINGS, 1)
    for heading in summary.headings:
        group = [a for x in given_answers for a in x.headings if a.heading == heading.heading]
        if not group:
            continue
        more = sum((a.hours for a in group if a.choice == MORE), Fraction(0))
        less = sum((a.hours for a in group if a.choice == LESS), Fraction(0))
        assert heading.answers == len(group)
        assert heading.net_hours == more - less
        by_choice = {c.choice: (c.answers, c.hours) for c in heading.choices or ()}
        for choice, hours in ((MORE, more), (LESS, less)):
            count = sum(a.choice == choice for a in group)
            assert by_choice.get(choice, (0, Fraction(0))) == (count, hours)


def test_heading_answers_other_than_more_same_less_are_a_pack_error() -> None:
    pack = load_bundled(SA)
    parameters = dict(pack.parameters.parameters)
    original = parameters["evaluation_heading_answers"]
    value = original.values[0]
    wrong = [{"id": "more", "text": "more"}, {"id": "lots", "text": "lots"}]
    parameters["evaluation_heading_answers"] = replace(
        original, values=(replace(value, value=wrong),)
    )
    with pytest.raises(PackError, match="exactly the answers more, same, less"):
        evaluation_form(ParameterSet(parameters), DAY)
