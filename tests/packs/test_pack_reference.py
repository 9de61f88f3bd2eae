"""docs/packs.md, the pack author's reference, is generated and current."""

from __future__ import annotations

from pathlib import Path

from fairload.core.pack_guide import pack_guide_markdown
from fairload.core.pack_schema import BUDGET_LINE
from fairload.core.tables import SCHEMAS
from fairload.core.templates import TEMPLATES

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "packs.md"
GUIDE = pack_guide_markdown()


def test_docs_packs_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == GUIDE, "docs/packs.md is stale: run `make docs`"


def test_every_template_has_a_section_with_every_setting() -> None:
    for name, template in TEMPLATES.items():
        section = GUIDE.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        assert template.summary in section
        for setting in template.settings_schema["properties"]:
            assert f"| `{setting}` |" in section, (name, setting)


def test_a_template_a_shipped_pack_uses_shows_that_packs_rule_as_written() -> None:
    section = GUIDE.split("### `weekly_contact_cap`", 1)[1].split("\n### ", 1)[0]
    assert "Example, from `scotland/south-ayrshire-jnct-2.7`:" in section
    assert "  max_hours_per_week: class_contact_max_hours_per_week" in section


def test_every_budget_line_key_and_kind_is_described() -> None:
    for key in BUDGET_LINE["properties"]:
        assert f"| `{key}` |" in GUIDE, key
    for kind in ("allocation", "weekly", "calendar", "remainder"):
        assert f": {kind}\n" in GUIDE or f": {kind} with" in GUIDE, kind


def test_the_columns_a_where_may_name_are_listed() -> None:
    for frame in ("staff", "events", "schools"):
        for column in SCHEMAS[frame]:
            if column != "school_id":
                assert f"`{column}`" in GUIDE, (frame, column)


def test_readme_and_contributing_link_to_the_reference() -> None:
    for name in ("README.md", "CONTRIBUTING.md"):
        assert "docs/packs.md" in (ROOT / name).read_text(encoding="utf-8"), name


def test_every_process_yaml_key_is_described_with_an_example() -> None:
    from fairload.core.pack_schema import PROCESS, PROCESS_STEP

    section = GUIDE.split("## process.yaml", 1)[1].split("\n## ", 1)[0]
    for key in [*PROCESS["properties"], *PROCESS_STEP["properties"]]:
        assert f"| `{key}` |" in section, key
    assert "Example, from `england/neu-asos-2015`:" in section
    assert "glenmore-example/process.yaml" in section
