"""Bad input exits 2 with a located message on stderr, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cli_support import FIXTURE, Run, WriteSchool


def test_it_exits_2_on_bad_yaml_naming_the_file_and_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: fairload/school-year@1\nschool:\n  id: [unclosed\n  name: x\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert "broken.yaml:4" in result.stderr
    assert "not valid YAML" in result.stderr


def test_it_exits_2_on_an_unknown_key_naming_the_key_and_its_line(run: Run, tmp_path: Path) -> None:
    text = FIXTURE.read_text().replace("  roll: 600\n", "  roll: 600\n  rolll: 600\n")
    path = tmp_path / "typo.yaml"
    path.write_text(text)
    line = text.splitlines().index("  rolll: 600") + 1
    result = run("check", path)
    assert result.exit_code == 2
    assert f"typo.yaml:{line}" in result.stderr
    assert "unknown key 'rolll'" in result.stderr


def test_it_reports_every_problem_of_a_file_at_once(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    school_document["staff"][0]["post"] = "janitor"
    school_document["school"]["roll"] = -1
    result = run("check", write_school(school_document))
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 2


def test_it_exits_2_for_a_missing_file(run: Run, tmp_path: Path) -> None:
    result = run("check", tmp_path / "nowhere.yaml")
    assert result.exit_code == 2
    assert "nowhere.yaml: file not found" in result.stderr


def test_it_exits_2_for_a_file_that_is_not_yaml_or_json(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "school.csv"
    path.write_text("id,name\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert ".yaml, .yml or .json" in result.stderr


def test_it_exits_2_for_an_unknown_pack_listing_the_known_ones(run: Run) -> None:
    result = run("check", FIXTURE, "--pack", "atlantis/none")
    assert result.exit_code == 2
    assert "no pack 'atlantis/none'" in result.stderr
    assert "scotland/south-ayrshire-jnct-2.7" in result.stderr


def test_it_exits_2_for_a_date_before_the_pack_took_effect(run: Run) -> None:
    result = run("check", FIXTURE, "--at", "2010-01-01")
    assert result.exit_code == 2
    assert "takes effect on 2014-08-01" in result.stderr


def test_it_exits_2_for_a_date_that_is_not_a_date(run: Run) -> None:
    assert run("check", FIXTURE, "--at", "2025-13-01").exit_code == 2


def test_it_exits_2_for_an_unknown_output_format(run: Run) -> None:
    assert run("check", FIXTURE, "--format", "xml").exit_code == 2


def test_it_exits_2_when_no_school_file_is_given(run: Run) -> None:
    assert run("check").exit_code == 2


def test_it_exits_2_for_two_files_with_the_same_school_id(run: Run) -> None:
    result = run("check", FIXTURE, FIXTURE)
    assert result.exit_code == 2
    assert "appears twice" in result.stderr


def test_it_never_prints_a_traceback_for_bad_input(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "must be a mapping" in result.stderr


def test_it_prints_its_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("fairload ")


def _deep(tmp_path: Path, name: str, nesting: str) -> Path:
    path = tmp_path / name
    path.write_text(f"format: fairload/school-year@1\nschool: {nesting}\n")
    return path


def test_it_exits_2_at_the_line_of_a_file_nested_50000_brackets_deep(
    run: Run, tmp_path: Path
) -> None:
    """The scan the web import runs, before the YAML reader sees the file (libyaml said
    only "exceeded maximum nesting depth"; the pure reader took seconds, then ran out of
    stack)."""
    result = run("check", _deep(tmp_path, "deep.yaml", "[" * 50_000 + "]" * 50_000))
    assert result.exit_code == 2
    assert "deep.yaml:2: the file is nested more than 60 levels deep here" in result.stderr


def test_it_exits_2_not_with_a_traceback_for_a_file_nested_900_deep(
    run: Run, tmp_path: Path
) -> None:
    """Under libyaml's own limit, so the reader built it and ran out of stack: exit 1."""
    result = run("check", _deep(tmp_path, "deep.json", "[" * 900 + "]" * 900))
    assert result.exit_code == 2
    assert "deep.json:2: the file is nested more than 60 levels deep here" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_it_exits_2_at_the_line_of_a_file_nested_by_dashes(run: Run, tmp_path: Path) -> None:
    result = run("check", _deep(tmp_path, "dashes.yaml", "\n  " + "- " * 50_000 + "x"))
    assert result.exit_code == 2
    assert "dashes.yaml:3: the file is nested more than 60 levels deep here" in result.stderr
