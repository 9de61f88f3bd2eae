"""Loading packs: strict and located. A corpus of packs each broken one way must be
refused with an error naming the file, the line and the key, and saying what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from fairload.core.errors import InputError, InputErrors, PackError
from fairload.core.packs import discover, load_pack

from .conftest import BROKEN_PACKS, SOUTH_AYRSHIRE, School, south_ayrshire

MARKER = "# <- broken"


@dataclass(frozen=True)
class Broken:
    """A pack folder broken one way: the error it must give and where."""

    case: str
    file: str
    message: str
    key: str | None
    expected: str | None
    folder: str = ""

    @property
    def path(self) -> Path:
        return BROKEN_PACKS / self.case / self.folder

    def marked_line(self) -> int:
        text = (self.path / self.file).read_text(encoding="utf-8")
        return next(n for n, line in enumerate(text.splitlines(), 1) if MARKER in line)


RULE_LINE = "core bug: packs._load_rules locates this problem at the rule's first line, not its key"

CORPUS = [
    Broken(
        "manifest-unknown-key",
        "manifest.yaml",
        "unknown key 'licence'",
        "licence",
        "Expected one of: description, disable, documents",
    ),
    Broken(
        "parameter-misspelt-values",
        "parameters.yaml",
        "unknown key 'vlaues'",
        "vlaues",
        "Expected one of: description, note, reading, reference, unit, values.",
    ),
    Broken(
        "rule-unknown-template",
        "rules.yaml",
        "unknown template 'event_length_cap'",
        "template",
        "event_duration_cap",
    ),
    Broken(
        "rule-key-not-in-template",
        "rules.yaml",
        "unknown key 'per'",
        "per",
        "max_hours",
    ),
    Broken(
        "figure-as-number",
        "rules.yaml",
        "2 does not match any accepted form",
        "max_hours",
        "never a number",
    ),
    Broken(
        "number-in-expression",
        "rules.yaml",
        "2 is not an expression",
        "max_hours",
        "numbers belong in parameters, with their clause",
    ),
    Broken(
        "rule-unknown-parameter",
        "rules.yaml",
        "unknown parameter 'meeting_max_hour'",
        "max_hours",
        "meeting_max_hours",
    ),
    Broken(
        "prose-unknown-placeholder",
        "rules.yaml",
        "'{meeting_max_hour}' in title names no parameter",
        "title",
        "Did you mean 'meeting_max_hours'?",
    ),
    Broken(
        "number-in-condition",
        "rules.yaml",
        "2 is not an expression",
        "at_least",
        "numbers belong in parameters",
    ),
    Broken(
        "undeclared-document",
        "rules.yaml",
        "unknown document 'snct'",
        "document",
        "Declare it under 'documents' in manifest.yaml; known: jnct",
    ),
    Broken(
        "parameter-without-reference",
        "parameters.yaml",
        "'reference' is missing",
        "reference",
        "Add it.",
    ),
    Broken(
        "bad-date-key", "parameters.yaml", "'2014-13-01' is not a date", "2014-13-01", "YYYY-MM-DD"
    ),
    Broken(
        "rule-bad-effective-date",
        "rules.yaml",
        "'2025-02-30' is not a date",
        "effective_from",
        "YYYY-MM-DD",
    ),
    Broken(
        "unknown-severity",
        "rules.yaml",
        "'critical' is not allowed here",
        "severity",
        "Expected one of: 'breach', 'warning', 'needs-agreement', 'info'.",
    ),
    Broken(
        "duplicate-rule-id", "rules.yaml", "duplicate rule id 'meeting-max-duration'", "id", None
    ),
    Broken(
        "duplicate-parameter",
        "parameters.yaml",
        "duplicate key 'meeting_max_hours'",
        "meeting_max_hours",
        None,
    ),
    Broken(
        "yaml-syntax-error",
        "rules.yaml",
        "not valid YAML",
        None,
        "Check the indentation and quoting on that line.",
    ),
    Broken(
        "extends-missing-pack",
        "manifest.yaml",
        "no pack 'scotland/no-such-pack'",
        "extends",
        "Known packs: ",
    ),
    Broken(
        "extends-loop",
        "manifest.yaml",
        "pack 'a' extends itself through a → b",
        "extends",
        None,
        folder="a",
    ),
    Broken(
        "disable-unknown-rule",
        "manifest.yaml",
        "cannot disable unknown rule(s): meeting-max-durations",
        "disable",
        "meeting-max-duration",
    ),
]


def cases(aspect: str) -> list[object]:
    """The corpus as test parameters, for the cases where the aspect applies."""
    return [
        pytest.param(broken, id=broken.case)
        for broken in CORPUS
        if not (aspect == "key" and broken.key is None)
        and not (aspect == "expected" and broken.expected is None)
    ]


@pytest.fixture
def refusal(request, pack_path):
    """Load a broken pack and return the error about its break."""

    def load(broken: Broken) -> InputError:
        pack_path(BROKEN_PACKS / broken.case)
        with pytest.raises((InputError, InputErrors)) as caught:
            load_pack(broken.path)
        errors = caught.value.errors if isinstance(caught.value, InputErrors) else [caught.value]
        matching = [e for e in errors if broken.message in e.message]
        assert matching, f"no error says {broken.message!r}: {[str(e) for e in errors]}"
        return matching[0]

    return load


def test_the_pack_every_broken_case_starts_from_loads():
    pack = load_pack(BROKEN_PACKS / "valid")

    assert [r.id for r in pack.rules] == ["meeting-max-duration"]


@pytest.mark.parametrize("broken", cases("refused"))
def test_a_broken_pack_is_refused_saying_what_is_wrong(refusal, broken):
    assert refusal(broken)


@pytest.mark.parametrize("broken", cases("file"))
def test_the_error_names_the_file(refusal, broken):
    error = refusal(broken)

    assert error.location is not None
    assert Path(error.location.file) == broken.path / broken.file


@pytest.mark.parametrize("broken", cases("line"))
def test_the_error_names_the_line(refusal, broken):
    error = refusal(broken)

    assert error.location is not None
    assert error.location.line == broken.marked_line()


@pytest.mark.parametrize("broken", cases("key"))
def test_the_error_names_the_key(refusal, broken):
    error = refusal(broken)

    assert broken.key in f"{error.location.field if error.location else ''} {error.message}"


@pytest.mark.parametrize("broken", cases("expected"))
def test_the_error_says_what_was_expected(refusal, broken):
    assert broken.expected in refusal(broken).hint


def test_every_problem_in_a_rules_file_is_reported_together(tmp_path):
    folder = tmp_path / "pack"
    folder.mkdir()
    for name in ("manifest.yaml", "parameters.yaml"):
        (folder / name).write_text((BROKEN_PACKS / "valid" / name).read_text())
    rules = (BROKEN_PACKS / "valid" / "rules.yaml").read_text()
    (folder / "rules.yaml").write_text(
        rules.replace("severity: warning", "severity: critical")
        + rules.replace("meeting-max-duration", "briefing-max-duration").replace(
            "max_hours: meeting_max_hours", "max_hours: 2"
        )
    )

    with pytest.raises(InputErrors) as caught:
        load_pack(folder)

    assert [e.location.field for e in caught.value.errors] == ["[0].severity", "[1].max_hours"]


# --- the South Ayrshire pack ------------------------------------------------------------


def test_the_south_ayrshire_pack_loads_by_id(sa_pack):
    assert sa_pack.id == SOUTH_AYRSHIRE
    assert sa_pack.version == "2.7.0"
    assert sa_pack.effective_from == date(2014, 8, 1)
    assert sa_pack.lineage == (SOUTH_AYRSHIRE,)


def test_every_south_ayrshire_rule_has_its_own_id(sa_pack):
    ids = [r.id for r in sa_pack.rules]

    assert len(ids) == len(set(ids))


def test_every_south_ayrshire_rule_cites_a_clause_of_a_declared_document(sa_pack):
    for rule in sa_pack.rules:
        assert rule.reference.clause, rule.id
        assert rule.reference.document in sa_pack.documents.values(), rule.id


def test_the_south_ayrshire_budget_has_the_appendix_1_headings(sa_pack):
    assert [line.id for line in sa_pack.budget.lines if line.school] == [
        "class-contact",
        "personal-allowance",
        "in-service",
        "assessment-reporting-recording",
        "planning",
        "staff-meetings",
        "review",
        "union-meetings",
        "parents-meetings",
        "balance-of-time",
    ]


def test_a_pack_may_be_loaded_from_its_folder(sa_pack):
    assert load_pack(sa_pack.path).id == SOUTH_AYRSHIRE


def test_an_unknown_pack_id_lists_the_known_packs():
    with pytest.raises(PackError) as caught:
        load_pack("scotland/glasgow")

    assert caught.value.message == "no pack 'scotland/glasgow'"
    assert SOUTH_AYRSHIRE in caught.value.hint


def test_a_rule_is_found_by_id_and_an_unknown_one_is_a_key_error(sa_pack):
    assert sa_pack.rule("meeting-max-duration").reference.clause == "7.3"
    with pytest.raises(KeyError):
        sa_pack.rule("meeting-max-durations")


def test_packs_on_the_pack_path_are_discovered_by_their_folder(pack_path):
    pack_path(BROKEN_PACKS / "extends-loop")

    found = discover()

    assert found["a"] == BROKEN_PACKS / "extends-loop" / "a"
    assert SOUTH_AYRSHIRE in found


# --- extends ------------------------------------------------------------------------------

CHILD_MANIFEST = f"""\
id: test/stricter-meetings
title: A school's own stricter agreement
jurisdiction: Scotland
version: "1.0.0"
extends: {SOUTH_AYRSHIRE}
disable: [time-left-unallocated]
documents:
  local:
    title: Test Academy local agreement
"""
CHILD_PARAMETERS = """\
meeting_max_hours:
  description: Longest single meeting, by the school's own agreement
  unit: hours
  reference: {document: local, clause: "4", quote: "No meeting will last longer than 90 minutes."}
  values: {2014-08-01: 2, 2025-08-01: 1.5}
"""


@pytest.fixture
def child(tmp_path):
    folder = tmp_path / "stricter-meetings"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(CHILD_MANIFEST)
    (folder / "parameters.yaml").write_text(CHILD_PARAMETERS)
    return load_pack(folder)


def test_a_child_pack_inherits_every_rule_it_does_not_disable(child, sa_pack):
    assert {r.id for r in child.rules} == {r.id for r in sa_pack.rules} - {"time-left-unallocated"}


def test_a_disabled_rule_is_gone(child):
    with pytest.raises(KeyError):
        child.rule("time-left-unallocated")


def test_a_child_pack_records_its_lineage(child):
    assert child.lineage == (SOUTH_AYRSHIRE, "test/stricter-meetings")
    assert child.extends == SOUTH_AYRSHIRE


def test_a_child_inherits_the_parents_documents_and_budget(child, sa_pack):
    assert set(child.documents) == {"jnct", "snct", "local"}
    assert child.budget == sa_pack.budget


def test_an_overridden_parameter_takes_effect_from_its_date(child):
    assert child.parameters.value("meeting_max_hours", date(2025, 7, 31)) == 2
    assert child.parameters.value("meeting_max_hours", date(2025, 8, 13)) == 1.5


def test_a_child_pack_holds_meetings_to_its_own_limit(child):
    school = School()
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "17:30")

    finding = school.check(child).only("meeting-max-duration")

    assert (finding.actual, finding.limit) == (1.75, 1.5)
    (parameter,) = finding.working.parameters
    assert (parameter.value, parameter.effective) == (1.5, date(2025, 8, 1))
    assert parameter.reference.citation == "Test Academy local agreement, 4"


def test_the_parent_pack_still_allows_the_same_meeting(sa_pack):
    school = School()
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "17:30")

    assert school.check(sa_pack) == ()


def test_a_disabled_rule_no_longer_fires(child):
    school = School()
    school.allocate({"planning": 59, "balance-of-time": 0})

    assert school.check(child).rules == {"allocations-by-agreement"}
    assert "time-left-unallocated" in school.check().rules


def test_a_child_that_cuts_personal_allowance_to_7_hours_breaks_4_1(tmp_path):
    folder = tmp_path / "less-personal-time"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(
        CHILD_MANIFEST.replace("test/stricter-meetings", "test/less-personal-time").replace(
            "disable: [time-left-unallocated]\n", ""
        )
    )
    (folder / "parameters.yaml").write_text(
        "personal_allowance_hours_per_week:\n"
        "  description: Personal time\n"
        "  unit: hours/week\n"
        "  reference: {document: local, clause: '5'}\n"
        "  values: {2014-08-01: 7}\n"
    )

    findings = School().check(load_pack(folder))

    finding = findings.only("personal-allowance-third")
    assert finding.severity == "breach"
    # The parent's budget plans 38 weeks x 7 hours = 266 hours against 285 (38 x 22.5 / 3).
    assert (finding.actual, finding.limit) == (266, 285)
    assert finding.message == (
        "the agreement gives 266 hours a year to personal allowance; 1/3 of the maximum class "
        "contact of 855 hours is 285 hours (South Ayrshire JNCT2.7, 4.1)"
    )


def test_a_pack_the_school_year_predates_is_refused(school):
    with pytest.raises(PackError, match="takes effect on 2014-08-01"):
        school.run(at=date(2014, 7, 31))


def test_a_rule_is_only_checked_while_in_force(sa_pack, school):
    from dataclasses import replace

    rule = replace(sa_pack.rule("meeting-max-duration"), effective_to=date(2025, 7, 31))
    pack = replace(sa_pack, rules=(rule,))
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")

    assert school.check(pack) == ()
    assert rule.in_force(date(2025, 7, 31))
    assert not rule.in_force(date(2025, 8, 1))


def test_south_ayrshire_reads_as_the_same_pack_from_its_folder_and_id(sa_pack):
    assert south_ayrshire() is sa_pack


def test_a_relative_extends_is_found_beside_the_extending_pack(tmp_path, monkeypatch):
    parent = tmp_path / "council" / "base"
    child = tmp_path / "council" / "school-overlay"
    parent.mkdir(parents=True)
    child.mkdir()
    (parent / "manifest.yaml").write_text(
        "id: council/base\ntitle: Base\njurisdiction: Test\nversion: '1'\n"
        "documents: {base: {title: Base agreement}}\n"
    )
    (child / "manifest.yaml").write_text(
        "id: council/school-overlay\ntitle: Overlay\njurisdiction: Test\nversion: '1'\n"
        "extends: ../base\ndocuments: {}\n"
    )
    monkeypatch.chdir(tmp_path.parent)  # not the packs' folder: the path is the pack's own

    assert load_pack(child).lineage == ("council/base", "council/school-overlay")


# --- a loaded pack is kept while its files are unchanged -----------------------------------


def _copy_valid(folder: Path) -> Path:
    folder.mkdir()
    for name in ("manifest.yaml", "parameters.yaml", "rules.yaml"):
        (folder / name).write_text((BROKEN_PACKS / "valid" / name).read_text())
    return folder


def test_a_pack_is_read_once_while_its_files_are_unchanged(tmp_path):
    folder = _copy_valid(tmp_path / "pack")

    assert load_pack(folder) is load_pack(folder)


def test_a_changed_file_is_read_again_even_at_the_same_size_and_time(tmp_path):
    import os

    folder = _copy_valid(tmp_path / "pack")
    parameters = folder / "parameters.yaml"
    first = load_pack(folder)
    stat = parameters.stat()
    parameters.write_text(parameters.read_text().replace("2014-08-01: 2}", "2014-08-01: 3}"))
    os.utime(parameters, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    again = load_pack(folder)

    assert again is not first
    assert again.parameters.number("meeting_max_hours", date(2025, 8, 13)) == 3
    assert first.parameters.number("meeting_max_hours", date(2025, 8, 13)) == 2


def test_a_change_to_the_pack_extended_is_seen_by_the_pack_extending_it(tmp_path):
    parent = _copy_valid(tmp_path / "parent")
    child = tmp_path / "child"
    child.mkdir()
    manifest = (parent / "manifest.yaml").read_text()
    (child / "manifest.yaml").write_text(
        manifest.replace("id: test/valid", "id: test/child") + "extends: ../parent\n"
    )
    first = load_pack(child)
    parameters = parent / "parameters.yaml"
    parameters.write_text(parameters.read_text().replace("2014-08-01: 2}", "2014-08-01: 4}"))

    again = load_pack(child)

    assert again.parameters.number("meeting_max_hours", date(2025, 8, 13)) == 4
    assert first.parameters.number("meeting_max_hours", date(2025, 8, 13)) == 2


def test_a_broken_pack_is_reported_every_time_it_is_loaded(tmp_path):
    folder = _copy_valid(tmp_path / "pack")
    load_pack(folder)
    (folder / "rules.yaml").write_text("- id: [unclosed\n")

    for _ in range(2):
        with pytest.raises(InputError):
            load_pack(folder)
