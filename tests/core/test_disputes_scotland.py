"""The Scottish ladder (scotland/eis-workload-dispute): which ladder a union's case at a
school follows, chosen by the ladders' own ``serves``; the EIS members' ladder as the
NUT's 2015 steps (no EIS text among the sources), each citing the NUT's words; and the
EIS's own statutory workload ballot (46.5 % turnout, 85.9 % yes) through its step 8,
dated either side of 18 February 2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairload.core.dispute_case import Case, Entry
from fairload.core.dispute_ladder import Ladder, ladder_for, ladder_of, read_ladder
from fairload.core.disputes import gate, may_take, stage, take
from fairload.core.errors import InputErrors
from fairload.core.packs import load_bundled, load_pack

SOUTH_AYRSHIRE = load_bundled("scotland/south-ayrshire-jnct-2.7")
NEU_PACK = load_bundled("england/neu-asos-2015")
EIS_PACK = "scotland/eis-workload-dispute"
LADDER = ladder_for(SOUTH_AYRSHIRE, "EIS")
NEU = ladder_of(NEU_PACK)
assert LADDER is not None and NEU is not None

#: The EIS statutory workload ballot's public result (../shared/reference): turnout
#: 46.5 %, 85.9 % of those voting yes to strike action; it closed on 14 January 2026,
#: having opened before 18 February 2026. 4,650 of 10,000 voted, 3,994 yes.
ENTITLED, YES, NO = 10_000, 3_994, 656
CLOSED = date(2026, 1, 14)


# --- which ladder: data, not code -------------------------------------------------------------


@pytest.mark.parametrize("union", ["EIS", "eis", " Eis "])
def test_a_scottish_schools_eis_members_follow_the_eis_ladder_pack(union: str) -> None:
    ladder = ladder_for(SOUTH_AYRSHIRE, union)
    assert ladder is not None and ladder.pack_id == EIS_PACK
    assert ladder.law_pack == "uk/industrial-action"  # GB law covers Scotland


@pytest.mark.parametrize("union", ["NEU", "NASUWT", "SSTA"])
def test_no_ladder_serves_another_union_at_a_scottish_school(union: str) -> None:
    assert ladder_for(SOUTH_AYRSHIRE, union) is None


@pytest.mark.parametrize("union", ["NEU", "neu", "NASUWT", "EIS"])
def test_every_union_at_an_neu_school_follows_the_neu_ladder_as_before(union: str) -> None:
    ladder = ladder_for(NEU_PACK, union)
    assert ladder is not None and ladder.pack_id == "england/neu-asos-2015"


def _council_pack(folder: Path, extends: str, pack_id: str = "test/another-council") -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text(
        f"id: {pack_id}\ntitle: Another council\njurisdiction: Scotland\n"
        f'version: "1"\nextends: {extends}\ndocuments: {{}}\n',
        encoding="utf-8",
    )
    return folder


def test_a_pack_extending_a_scottish_councils_pack_is_served_through_its_lineage(
    tmp_path: Path,
) -> None:
    pack = load_pack(_council_pack(tmp_path / "council", "scotland/south-ayrshire-jnct-2.7"))
    ladder = ladder_for(pack, "EIS")
    assert ladder is not None and ladder.pack_id == EIS_PACK


def test_a_pack_extending_the_neu_pack_keeps_its_inherited_ladder_read_as_itself(
    tmp_path: Path,
) -> None:
    pack = load_pack(_council_pack(tmp_path / "local", "england/neu-asos-2015", "test/local-neu"))
    ladder = ladder_for(pack, "NEU")
    assert ladder is not None and ladder.pack_id == "test/local-neu"


def test_a_union_ladder_pack_on_the_pack_path_takes_its_unions_cases_at_the_packs_it_serves(
    tmp_path: Path, pack_path: Callable[..., None]
) -> None:
    # Another union's own ladder for English schools: YAML on the pack path, no code.
    folder = tmp_path / "packs" / "test" / "other-union"
    folder.mkdir(parents=True)
    neu_folder = NEU_PACK.path
    (folder / "manifest.yaml").write_text(
        "id: test/other-union\ntitle: Another union's ladder\njurisdiction: England\n"
        'version: "1"\ndocuments:\n  neu: {title: "NUT, How to win (2015)"}\n',
        encoding="utf-8",
    )
    (folder / "parameters.yaml").write_text(
        (neu_folder / "parameters.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    ladder_text = (neu_folder / "dispute.yaml").read_text(encoding="utf-8")
    ladder_text = ladder_text.replace("unions: [NEU, NUT]", "unions: [NASUWT]")
    ladder_text = ladder_text.replace("packs: [england/neu-asos-2015]", 'packs: ["england/*"]')
    (folder / "dispute.yaml").write_text(ladder_text, encoding="utf-8")
    pack_path(tmp_path / "packs")

    nasuwt = ladder_for(NEU_PACK, "NASUWT")
    neu = ladder_for(NEU_PACK, "NEU")
    assert nasuwt is not None and nasuwt.pack_id == "test/other-union"
    assert neu is not None and neu.pack_id == "england/neu-asos-2015"


def test_a_serves_pattern_naming_no_pack_is_a_located_error(tmp_path: Path) -> None:
    text = (NEU_PACK.path / "dispute.yaml").read_text(encoding="utf-8")
    source = tmp_path / "dispute.yaml"
    source.write_text(text.replace("[england/neu-asos-2015]", "[wales/*]"), encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        read_ladder(source, "test/ladder", NEU_PACK.documents, NEU_PACK.parameters)
    (error,) = raised.value.errors
    assert error.location is not None and error.location.field == "serves.packs[0]"
    assert error.message == "'wales/*' names no known pack"
    assert error.location.line == text.splitlines().index("  packs: [england/neu-asos-2015]") + 1


# --- the EIS ladder: the NUT's steps, honestly cited ---------------------------------------


def test_the_eis_ladder_has_the_nut_strategys_8_steps_with_the_same_ids_and_gates() -> None:
    assert LADDER.step_ids == NEU.step_ids
    assert [s.label.split(":")[0] for s in LADDER.stages] == [f"Step {n}" for n in range(1, 9)]
    for ours, theirs in zip(LADDER.steps, NEU.steps, strict=True):
        assert (ours.gate, ours.after, ours.roles, ours.records, ours.outcomes) == (
            theirs.gate,
            theirs.after,
            theirs.roles,
            theirs.records,
            theirs.outcomes,
        )


def test_every_eis_step_cites_the_nut_text_it_comes_from_word_for_word() -> None:
    # No EIS quotation: each step's quote is the NUT's, as the NEU pack quotes it.
    for ours, theirs in zip(LADDER.steps, NEU.steps, strict=True):
        assert ours.reference.document.title.startswith("NUT, How to win")
        assert (ours.reference.clause, ours.reference.quote) == (
            theirs.reference.clause,
            theirs.reference.quote,
        )
        assert "EIS" not in (ours.reference.quote or "")


def test_the_eis_ladder_says_plainly_it_is_the_nuts_text_until_the_eiss_own() -> None:
    assert LADDER.caveat.startswith("No EIS strategy text is among fairload's sources")
    assert NEU.caveat == ""  # the NEU's ladder is its own union's text
    assert "No EIS strategy text is among fairload's sources" in LADDER.notes[0]
    assert "replaced by the EIS's own" in LADDER.notes[0]
    assert "its strategy applied to EIS members in Scotland" in LADDER.reference.citation


def test_the_local_officer_is_the_local_association_secretary() -> None:
    assert LADDER.step("officer-contacted").label == "Contact the local association secretary"
    assert "division" not in " ".join(s.label for s in LADDER.steps)


# --- step 8: the EIS's own statutory ballot, either side of 18 February 2026 -----------------


def _vote(on: date, yes: int, members: int = 12) -> Entry:
    ballot = {
        "opened": on,
        "closed": on + timedelta(days=7),
        "electorate": members,
        "yes": yes,
        "no": members - yes,
    }
    return Entry(on + timedelta(days=7), fields={"ballot": ballot})


def _to_step_8(start: date) -> Case:
    """An EIS case up the ladder from ``start``: the head refuses twice, the indicative
    ballot of 12 members passes (9 yes)."""
    day = iter(start + timedelta(days=n) for n in range(0, 400, 3))
    case = take(LADDER, Case(start, issues=({"clause": "Appendix 1"},)), "talk", Entry(next(day)))
    attendance = {"attendance": {"present": 10, "members": 12}}
    case = take(LADDER, case, "members-meeting", Entry(next(day), fields=attendance))
    case = take(LADDER, case, "members-vote", _vote(next(day), 9))
    next(day), next(day), next(day)  # the vote's week
    case = take(LADDER, case, "meet-head", Entry(next(day), outcome="refused"))
    case = take(LADDER, case, "officer-contacted", Entry(next(day)))
    case = take(LADDER, case, "officer-meets-members", Entry(next(day), fields=attendance))
    case = take(LADDER, case, "officer-meets-head", Entry(next(day), outcome="refused"))
    case = take(LADDER, case, "officer-meets-members-again", Entry(next(day)))
    return take(LADDER, case, "indicative-ballot", _vote(next(day), 9))


def _statutory(opened: date, closed: date, yes: int = YES, no: int = NO) -> dict[str, Any]:
    return {"opened": opened, "closed": closed, "entitled": ENTITLED, "yes": yes, "no": no}


def _step_8(ballot: dict[str, Any], start: date = date(2025, 8, 18)) -> Case:
    entry = Entry(ballot["closed"], fields={"statutory_ballot": ballot})
    return take(LADDER, _to_step_8(start), "statutory-ballot", entry)


def test_the_eis_ballot_opened_before_18_february_2026_fails_the_50pc_turnout_threshold() -> None:
    case = _step_8(_statutory(date(2025, 12, 1), CLOSED))
    result = gate(LADDER, case, "statutory-ballot")
    tests = {t["name"]: t for t in result.figures["tests"]}
    assert not result.met
    assert "a turnout of 4650 of 10000 is 46.5%, below 50%" in result.reason
    assert tests["majority"]["met"]  # 85.9 % of those voting said yes
    assert "3994 yes of 4650 voting is 85.9%" in result.reason
    # a ballot that fails the law is not a step done: the case stays at step 7
    assert stage(LADDER, case).stage == "step-7"
    assert may_take(LADDER, case, "notice-to-employer") == (
        "this step waits for: Enter the statutory ballot's result from the independent scrutineer"
    )


def test_the_eis_ballot_would_also_have_failed_the_old_40pc_support_test() -> None:
    # 0.465 × 0.859 = 39.9 % of all entitled to vote said yes.
    result = gate(LADDER, _step_8(_statutory(date(2025, 12, 1), CLOSED)), "statutory-ballot")
    support = next(t for t in result.figures["tests"] if t["name"] == "support")
    assert not support["met"]
    assert "3994 yes of 10000 entitled to vote is 39.9%, below 40%" in result.reason


@pytest.mark.parametrize("yes", [YES, 4_300, 4_650], ids=["85.9pc-yes", "92.5pc-yes", "all-yes"])
def test_a_46_5pc_turnout_fails_whatever_the_yes_share(yes: int) -> None:
    ballot = _statutory(date(2025, 12, 1), CLOSED, yes=yes, no=4_650 - yes)
    result = gate(LADDER, _step_8(ballot), "statutory-ballot")
    assert not result.met and "46.5%, below 50%" in result.reason


@pytest.mark.parametrize(
    ("opened", "support_test"),
    [(date(2026, 2, 17), True), (date(2026, 2, 18), False)],
    ids=["opened-17-feb-2026", "opened-18-feb-2026"],
)
def test_the_same_figures_either_side_of_18_february_2026_still_fail_the_turnout(
    opened: date, support_test: bool
) -> None:
    ballot = _statutory(opened, opened + timedelta(days=28))
    case = _step_8(ballot, start=date(2025, 10, 6))
    result = gate(LADDER, case, "statutory-ballot")
    names = {t["name"] for t in result.figures["tests"]}
    assert not result.met and "46.5%, below 50%" in result.reason
    # the 40 % test is read at the opening day: repealed for ballots from 18 February
    assert ("support" in names) is support_test
    assert not result.caveats  # the provisional turnout repeal (August 2026) is later


@pytest.mark.parametrize(
    ("opened", "months"),
    [(date(2026, 2, 17), 6), (date(2026, 2, 18), 12)],
    ids=["opened-17-feb-2026-6-months", "opened-18-feb-2026-12-months"],
)
def test_a_ballot_with_half_voting_gives_the_mandate_of_its_opening_day(
    opened: date, months: int
) -> None:
    from fairload.core.disputes import mandate_last_day

    closed = opened + timedelta(days=28)
    ballot = _statutory(opened, closed, yes=4_300, no=700)  # 50 % turnout, 43 % support
    case = _step_8(ballot, start=date(2025, 10, 6))
    assert gate(LADDER, case, "statutory-ballot").met
    last = mandate_last_day(LADDER, case)
    assert last is not None
    assert (last.year - closed.year) * 12 + last.month - closed.month == months


def test_a_ladder_read_from_its_own_file_matches_the_one_chosen() -> None:
    pack = load_bundled(EIS_PACK)
    assert LADDER.source == pack.path / "dispute.yaml"
    assert isinstance(ladder_of(pack), Ladder) and ladder_of(pack) == LADDER
