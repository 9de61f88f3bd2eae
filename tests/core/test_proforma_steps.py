"""The pro-forma between a teacher and their line manager (JNCT2.7 9.2, Appendix 2): what
is left as they type, what may stay unallocated (14), which step may follow which, and
how a later change voids both signatures and says why."""

from __future__ import annotations

from datetime import date

import pytest

from fairload.core.packs import load_pack
from fairload.core.proforma import (
    AGREED,
    DRAFT,
    LINE_MANAGER,
    RETURNED,
    SENT,
    TEACHER,
    Allowance,
    StepRefused,
    opening_refusal,
    proforma_state,
    proforma_totals,
    send_refusal,
    standing,
    state_now,
    step_after,
    steps_allowed,
    unallocated_allowance,
    why_void,
)

from .conftest import School, south_ayrshire
from .test_proforma_tolerance import TOLERANT

SESSION = date(2025, 8, 13)
NONE = Allowance()


def _state(school: School, typed: dict[str, float], details: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return proforma_state(
        south_ayrshire(), school.tables(), "test-academy", "t2", SESSION, typed, details
    )


# --- totals as the teacher types ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "left", "reconciles"),
    [
        pytest.param({"cpd": 34}, 0, True, id="the basic 34 hours, all accounted for"),
        pytest.param({"cpd": 33.75}, 0.25, False, id="a quarter hour short"),
        pytest.param({"cpd": 34.25}, -0.25, False, id="a quarter hour over"),
        pytest.param({"cpd": 30, "unallocated": 4}, 0, True, id="4 hours on the unallocated row"),
    ],
)
def test_what_is_left_to_account_for_of_34_hours(school, typed, left, reconciles):
    totals = proforma_totals(
        _state(school, typed), unallocated_allowance(south_ayrshire(), SESSION)
    )

    assert (totals.total, totals.left, totals.reconciles) == (34, left, reconciles)


def test_the_bundled_pack_allows_no_shortfall_without_a_row():
    assert unallocated_allowance(south_ayrshire(), SESSION) == NONE


@pytest.mark.parametrize(
    ("hours", "reconciles"),
    [
        pytest.param(32, True, id="2 hours short: at the tolerance"),
        pytest.param(31.75, False, id="2.25 hours short: just over"),
        pytest.param(34.25, False, id="over the balance: never"),
    ],
)
def test_a_pack_tolerance_of_2_hours_may_stay_unallocated(school, hours, reconciles):
    pack = load_pack(TOLERANT)
    allowance = unallocated_allowance(pack, SESSION)
    state = proforma_state(pack, school.tables(), "test-academy", "t2", SESSION, {"cpd": hours})

    totals = proforma_totals(state, allowance)

    assert allowance == Allowance(2, ("proforma_unallocated_tolerance_hours",))
    assert totals.reconciles is reconciles


def test_the_sentence_says_what_is_left_and_what_may_stay(school):
    state = _state(school, {"cpd": 30})
    assert proforma_totals(state, NONE).sentence == "4 hours left to account for."
    assert proforma_totals(state, Allowance(2)).sentence == (
        "4 hours left to account for (2 hours may stay unallocated)."
    )
    assert proforma_totals(_state(school, {"cpd": 33}), Allowance(2)).sentence == (
        "1 hour left unallocated, within the 2 hours that may be."
    )
    assert proforma_totals(_state(school, {"cpd": 35}), NONE).sentence.startswith("1 hour more")


# --- may it be sent ----------------------------------------------------------------------


def test_a_pro_forma_that_adds_up_may_be_sent(school):
    assert send_refusal(_state(school, {"cpd": 34}), NONE) is None


def test_one_that_does_not_add_up_is_refused_with_what_is_left(school):
    refusal = send_refusal(_state(school, {"cpd": 20}), NONE)

    assert refusal == "It does not add up yet: 14 hours left to account for."


def test_other_please_specify_needs_its_details(school):
    typed = {"cpd": 30, "other": 4}
    assert "Other (please specify)" in (send_refusal(_state(school, typed), NONE) or "")
    assert send_refusal(_state(school, typed, {"other": "School show rehearsals"}), NONE) is None


def test_an_activity_the_pro_forma_does_not_list_is_refused(school):
    assert "golf" in (send_refusal(_state(school, {"cpd": 31, "golf": 3}), NONE) or "")


def test_the_head_teacher_has_no_line_manager_to_send_it_to(school):
    state = proforma_state(south_ayrshire(), school.tables(), "test-academy", "ht", SESSION, {})

    assert "no line manager" in (send_refusal(state, NONE) or "")


# --- which step may follow which ---------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "step", "role", "after"),
    [
        (DRAFT, "send", TEACHER, SENT),
        (RETURNED, "send", TEACHER, SENT),
        (SENT, "return", LINE_MANAGER, RETURNED),
        (SENT, "agree", LINE_MANAGER, AGREED),
        (AGREED, "save", TEACHER, DRAFT),
        (SENT, "save", TEACHER, DRAFT),
    ],
)
def test_the_steps_of_a_pro_forma(state, step, role, after):
    assert step_after(state, step, role) == after


@pytest.mark.parametrize(
    ("state", "step", "role", "says"),
    [
        (DRAFT, "agree", LINE_MANAGER, "A pro-forma that is draft cannot be agreed"),
        (AGREED, "agree", LINE_MANAGER, "nothing is yours to do"),
        (SENT, "agree", TEACHER, "Only the line manager may agree"),
        (SENT, "send", TEACHER, "you may save it"),
        (DRAFT, "return", TEACHER, "Only the line manager may return"),
    ],
)
def test_a_step_out_of_turn_is_refused_saying_what_may_be_done(state, step, role, says):
    with pytest.raises(StepRefused, match=says):
        step_after(state, step, role)


def test_the_line_manager_may_agree_or_return_a_sent_pro_forma():
    assert steps_allowed(SENT, LINE_MANAGER) == ["return", "agree"]
    assert steps_allowed(DRAFT, LINE_MANAGER) == []


# --- a later change voids both signatures ------------------------------------------------


def test_an_agreed_pro_forma_stands_while_its_hash_is_the_one_both_signed(school):
    state = _state(school, {"cpd": 34})
    signed = [(TEACHER, state.content_hash), (LINE_MANAGER, state.content_hash)]

    assert state_now(AGREED, standing(signed, state.content_hash)) == AGREED


def test_a_later_change_voids_both_and_says_why(school):
    before = _state(school, {"cpd": 34})
    after = _state(school, {"cpd": 30, "formal-assessment": 4})
    signed = [(TEACHER, before.content_hash), (LINE_MANAGER, before.content_hash)]

    assert standing(signed, after.content_hash) == set()
    assert state_now(AGREED, standing(signed, after.content_hash)) == DRAFT
    texts = {row.id: row.text for row in after.rows}
    assert why_void(before.as_document(), after.as_document(), texts) == [
        "the hours for 'Formal assessment' changed from 0 hours to 4 hours",
        "the hours for 'CPD' changed from 34 hours to 30 hours",
    ]


def test_a_new_working_group_the_teacher_is_not_in_voids_them_too(school):
    before = _state(school, {"cpd": 34})
    school.document.setdefault("agreement", {})["groups"] = [
        {"id": "eco", "title": "Eco committee", "hours": 6, "members": ["t1"]}
    ]
    after = _state(school, {"cpd": 34})

    assert before.content_hash != after.content_hash
    assert why_void(before.as_document(), after.as_document(), {}) == [
        "the hours gained from committees and working groups changed from 0 hours to 6 hours"
    ]


def test_a_sent_pro_forma_changed_since_the_teacher_signed_is_a_draft_again():
    assert state_now(SENT, set()) == DRAFT
    assert state_now(SENT, {TEACHER}) == SENT
    assert state_now(RETURNED, set()) == RETURNED


def test_brief_details_are_part_of_what_both_sign(school):
    plain = _state(school, {"cpd": 34})
    detailed = _state(school, {"cpd": 34}, {"cpd": "Restorative practice course"})

    assert plain.content_hash != detailed.content_hash
    assert "details" not in plain.as_document()


def test_pro_formas_open_once_every_stage_of_the_agreement_is_reached():
    from fairload.core.process import Stage

    assert opening_refusal(None) is None
    assert opening_refusal(Stage("submitted", "Submitted", 5, True)) is None
    waiting = Stage("approved", "Approved by staff", 3, False, reason="Signing waits for X")

    assert opening_refusal(waiting) == (
        "Pro-formas open once the school's agreement is in force (JNCT2.7 2.5): it is at "
        "'Approved by staff', and signing waits for X."
    )
