"""The annual evaluation of the agreement (JNCT2.7 Appendix 3, 16.7), and its summary.

Towards the end of the session the School Negotiating Committee puts Appendix 3's
questions, word for word (the pack's ``evaluation_questions``), to every teacher, with,
under each heading of the agreement, whether it took more, about the same or less time
than planned and by about how many hours (the words are the pack's
``evaluation_heading_answers``; their meaning, :data:`SIGNS`, is here). The committee's
annual review (16.7, "prior to negotiating a new agreement") reads the summary.

- :func:`evaluation_form`: the questions and the heading answers, from the pack's
  parameters by name;
- :func:`summarise`: the answers summed per heading, every cell computed from at least
  the pack's ``evaluation_minimum_group`` answers and any smaller group not shown.

An :class:`Answer` carries no teacher identity: the caller keeps who has answered apart
from what they answered, and the summary lists free-text answers sorted, not in the
order given. Pure: no database, no clock, no figure (the minimum is a parameter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from fairload.core.errors import PackError
from fairload.core.parameters import ParameterSet

#: The heading answers' meaning: more time than planned adds the hours, less takes them
#: away, about the same is none.
MORE = "more"
SAME = "same"
LESS = "less"
SIGNS: Mapping[str, int] = {MORE: 1, SAME: 0, LESS: -1}

#: The parameters the evaluation reads, by name.
QUESTIONS = "evaluation_questions"
HEADING_ANSWERS = "evaluation_heading_answers"
MINIMUM_GROUP = "evaluation_minimum_group"
#: Optional: the form's introduction, word for word.
INTRODUCTION = "evaluation_introduction"


@dataclass(frozen=True, slots=True)
class Question:
    """One of Appendix 3's questions, word for word."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class HeadingChoice:
    """An answer under a heading: ``more``, ``same`` or ``less``, in the pack's words."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class EvaluationForm:
    """What every teacher is asked, and the smallest group the summary shows."""

    questions: tuple[Question, ...]
    choices: tuple[HeadingChoice, ...]
    minimum_group: int
    #: the source's own introduction to the form, where the pack gives it
    introduction: str = ""


def evaluation_form(parameters: ParameterSet, at: date) -> EvaluationForm:
    """The evaluation as the pack sets it on ``at``: its questions, heading answers and
    minimum group, read by name. A heading answer other than more, same and less is a
    PackError."""
    questions = tuple(
        Question(str(q["id"]), str(q["text"])) for q in _list(parameters, QUESTIONS, at)
    )
    choices = tuple(
        HeadingChoice(str(c["id"]), str(c["text"])) for c in _list(parameters, HEADING_ANSWERS, at)
    )
    if sorted(c.id for c in choices) != sorted(SIGNS):
        raise PackError(
            f"{HEADING_ANSWERS} must give exactly the answers {', '.join(SIGNS)}, "
            f"not {', '.join(c.id for c in choices)}"
        )
    introduction = str(parameters.value(INTRODUCTION, at)) if INTRODUCTION in parameters else ""
    return EvaluationForm(
        questions, choices, int(parameters.number(MINIMUM_GROUP, at)), introduction
    )


def _list(parameters: ParameterSet, name: str, at: date) -> list[Mapping[str, object]]:
    value = parameters.value(name, at)
    if not isinstance(value, list):
        raise PackError(f"{name} must be a list of {{id, text}}")
    return value


Hours = int | Fraction | Decimal


@dataclass(frozen=True, slots=True)
class HeadingAnswer:
    """Under one heading: more, about the same or less time than planned, by about
    ``hours`` (none for about the same)."""

    heading: str
    choice: str
    hours: Hours = 0

    def __post_init__(self) -> None:
        if self.choice not in SIGNS:
            raise ValueError(f"'{self.choice}' is not one of {', '.join(SIGNS)}")
        object.__setattr__(self, "hours", Fraction(self.hours))
        if self.hours < 0:
            raise ValueError(f"hours under {self.heading} cannot be negative: {self.hours}")
        if self.choice == SAME and self.hours:
            raise ValueError(f"about the same time under {self.heading} is by no hours")

    @property
    def signed_hours(self) -> Fraction:
        """The hours more (positive) or less (negative) than planned."""
        return SIGNS[self.choice] * Fraction(self.hours)


@dataclass(frozen=True, slots=True)
class Answer:
    """One teacher's evaluation, with nothing that says whose: free text by question id,
    and an answer under each heading they answered."""

    texts: Mapping[str, str] = field(default_factory=dict)
    headings: tuple[HeadingAnswer, ...] = ()

    def __post_init__(self) -> None:
        seen = [h.heading for h in self.headings]
        if len(seen) != len(set(seen)):
            raise ValueError("an answer gives one answer under each heading")


@dataclass(frozen=True, slots=True)
class ChoiceSummary:
    """The answers of one choice under a heading: how many, and their hours summed."""

    choice: str
    answers: int
    hours: Fraction


@dataclass(frozen=True, slots=True)
class HeadingSummary:
    """A heading's summary. ``answers`` and ``net_hours`` (more less less) are None when
    fewer than the minimum answered it; ``choices`` (the choices anyone made) is None
    when any choice was made by fewer than the minimum. ``withheld`` says why, in words."""

    heading: str
    answers: int | None
    net_hours: Fraction | None
    choices: tuple[ChoiceSummary, ...] | None
    withheld: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """The evaluation's summary: how many answered and the free text (None below the
    minimum), and each heading's."""

    minimum_group: int
    respondents: int | None
    headings: tuple[HeadingSummary, ...]
    texts: Mapping[str, tuple[str, ...]] | None


def _fewer(minimum: int) -> str:
    return f"fewer than {minimum} answers"


def summarise(answers: Iterable[Answer], headings: Sequence[str], minimum_group: int) -> Summary:
    """Sum the answers per heading (in ``headings``' order), showing no cell computed
    from fewer than ``minimum_group`` answers (the pack's ``evaluation_minimum_group``).

    A heading fewer than the minimum answered shows nothing; one that enough answered
    shows how many and the net hours, and its breakdown by choice only if every choice
    anyone made there was made by at least the minimum (else one small group could be read
    off as the difference). Sums are exact (fractions). An answer under a heading not in
    ``headings`` is a ValueError."""
    if minimum_group < 1:
        raise ValueError(f"the minimum group must be at least 1, not {minimum_group}")
    given = list(answers)
    known = set(headings)
    by_heading: dict[str, list[HeadingAnswer]] = {h: [] for h in headings}
    for answer in given:
        for heading_answer in answer.headings:
            if heading_answer.heading not in known:
                raise ValueError(f"no heading '{heading_answer.heading}' in the agreement")
            by_heading[heading_answer.heading].append(heading_answer)
    enough = len(given) >= minimum_group
    texts: dict[str, tuple[str, ...]] | None = None
    if enough:
        collected: dict[str, list[str]] = {}
        for answer in given:
            for question, text in answer.texts.items():
                if text.strip():
                    collected.setdefault(question, []).append(text.strip())
        texts = {q: tuple(sorted(t)) for q, t in sorted(collected.items())}
    return Summary(
        minimum_group,
        len(given) if enough else None,
        tuple(_heading(h, by_heading[h], minimum_group) for h in headings),
        texts,
    )


def _exact_sum(hours: Iterable[Fraction]) -> Fraction:
    """The hours summed exactly: numerators added per denominator (a Fraction addition
    per answer, reducing each time, was nearly all of a large summary's time)."""
    by_denominator: dict[int, int] = {}
    for value in hours:
        d = value.denominator
        by_denominator[d] = by_denominator.get(d, 0) + value.numerator
    total = sum((Fraction(n, d) for d, n in by_denominator.items()), Fraction(0))
    return total


def _heading(heading: str, given: list[HeadingAnswer], minimum: int) -> HeadingSummary:
    if len(given) < minimum:
        return HeadingSummary(heading, None, None, None, _fewer(minimum))
    groups: dict[str, list[Fraction]] = {}
    for answer in given:
        groups.setdefault(answer.choice, []).append(Fraction(answer.hours))
    sums = {choice: _exact_sum(hours) for choice, hours in groups.items()}
    net = sum((SIGNS[choice] * total for choice, total in sums.items()), Fraction(0))
    if any(len(group) < minimum for group in groups.values()):
        return HeadingSummary(heading, len(given), net, None, f"a choice made by {_fewer(minimum)}")
    choices = tuple(
        ChoiceSummary(choice, len(groups[choice]), sums[choice])
        for choice in SIGNS
        if choice in groups
    )
    return HeadingSummary(heading, len(given), net, choices)
