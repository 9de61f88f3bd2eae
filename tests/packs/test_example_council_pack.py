"""A council pack written from README, CONTRIBUTING and docs/packs.md alone loads and passes.

tests/packs/fixtures/scotland/glenmore-example is a fictional council's agreement: a
fortnightly timetable averaged under SNCT 14/43 with a cap on any single week, class
contact including cover, a meeting length and a count of parents' evenings.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fairload.cli import app
from fairload.core.coverage import pack_coverage
from fairload.core.pack_tests import run_pack_tests
from fairload.core.packs import load_pack

EXAMPLE = Path(__file__).parent / "fixtures" / "scotland" / "glenmore-example"


def test_the_example_council_pack_loads_with_its_rules() -> None:
    pack = load_pack(EXAMPLE)

    assert pack.id == "scotland/glenmore-example"
    assert [r.id for r in pack.rules] == [
        "class-contact-averaged",
        "contact-including-cover",
        "meeting-max-duration",
        "parents-evenings-per-session",
    ]


def test_every_case_of_the_example_pack_passes() -> None:
    results = run_pack_tests(load_pack(EXAMPLE))

    assert results
    assert [f"{r.name}: {r.detail}" for r in results if not r.passed] == []


def test_fairload_packs_test_on_the_example_folder_exits_0() -> None:
    result = CliRunner().invoke(app, ["packs", "test", str(EXAMPLE)])

    assert result.exit_code == 0, result.output
    assert "scotland/glenmore-example: 14 passed, 0 failed" in result.output


def test_its_fidelity_rows_list_the_cases_it_marks_at_the_limit_and_just_over() -> None:
    pack = load_pack(EXAMPLE)
    rows = {r.clause: r for r in pack_coverage(pack, [str(EXAMPLE)])}

    cover = rows["2.3"]
    assert cover.at_limit == (
        "21.5 hours timetabled and 4.5 hours of cover in a week is the 26-hour limit "
        "including cover",
    )
    # The unmarked case over the limit is left out: marked cases are the closest.
    assert cover.just_over == (
        "21.5 hours timetabled and 4.75 hours of cover in a week is over the limit including "
        "cover (26.25 against 26)",
    )
    assert all(r.covered or r.omitted for r in rows.values())
