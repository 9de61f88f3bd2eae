"""The pack author's reference (docs/packs.md), generated so it cannot go stale.

Everything in it is read from the code and the packs: the pack files' JSON Schemas
(``pack_schema``), every rule template's summary, docstring and settings schema, an
example of each template from a shipped pack's ``rules.yaml`` as written, the budget
line kinds, the columns a ``where`` may name (``tables.SCHEMAS``), how the year is
divided into weeks (``calendar``), and the school-year format's required fields.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from fairload.core import (
    appeal,
    budgets,
    calendar,
    dispute_ladder,
    disputes,
    expressions,
    industrial_action,
    pack_schema,
    pack_tests,
    process,
    prose,
    workload_audit,
)
from fairload.core.packs import Pack, discover, load_pack
from fairload.core.school_format import schema as school_year_schema
from fairload.core.tables import SCHEMAS
from fairload.core.templates import TEMPLATES, Template
from fairload.core.yamlfile import LocatedList, load_file

#: Which frame a template's ``where`` selects rows of (the rest read teachers).
_EVENT_TEMPLATES = {
    "event_duration_cap": "events",
    "period_cap": "attended events (events, or per teacher attendance joined to events)",
    "weekly_average_cap": "attended events",
    "evenings_per_week_cap": "attended events",
}


def _type(spec: Mapping[str, Any]) -> str:
    """A setting's type in a few words."""
    if "enum" in spec:
        return " \\| ".join(f"`{v}`" for v in spec["enum"])
    if "oneOf" in spec:
        return "expression"
    kind = spec.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array" and "items" in spec:
        return f"list of {_type(spec['items'])}"
    if kind == "object" and spec is not None and "properties" in spec:
        return "mapping of " + ", ".join(f"`{k}`" for k in spec["properties"])
    return str(kind or "any")


def _describe(spec: Mapping[str, Any]) -> str:
    return str(spec.get("description", "")).replace("|", "\\|").replace("\n", " ")


def _default(spec: Mapping[str, Any]) -> str:
    if "default" not in spec:
        return "—"
    value = spec["default"]
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    return f"`{value}`"


def _fields_table(
    properties: Mapping[str, Any],
    required: Iterable[str] = (),
    figures: Iterable[str] = (),
    parameters: Iterable[str] = (),
) -> list[str]:
    needed, figure, named = set(required), set(figures), set(parameters)
    rows = ["| Key | Type | Required | Default | What it says |", "|---|---|---|---|---|"]
    for key, spec in properties.items():
        kind = _type(spec)
        if key in figure:
            kind = "expression over parameters"
        elif key in named:
            kind = "parameter name"
        rows.append(
            f"| `{key}` | {kind} | {'yes' if key in needed else ''} | {_default(spec)} | "
            f"{_describe(spec)} |"
        )
    return rows


def _docstring(thing: Any) -> str:
    text = inspect.getdoc(thing) or ""
    return text.strip()


def _rule_texts(pack: Pack) -> dict[str, tuple[str, str]]:
    """Each rule id of a pack -> (its template, its YAML exactly as the pack writes it)."""
    source = pack.path / "rules.yaml"
    if not source.exists():
        return {}
    document = load_file(source)
    if not isinstance(document, LocatedList):
        return {}
    lines = source.read_text(encoding="utf-8").splitlines()
    starts = [n - 1 for n in document.item_lines] + [len(lines)]
    texts = {}
    for index, raw in enumerate(document):
        chunk = lines[starts[index] : starts[index + 1]]
        while chunk and (not chunk[-1].strip() or chunk[-1].lstrip().startswith("#")):
            chunk.pop()
        texts[str(raw["id"])] = (str(raw["template"]), "\n".join(chunk))
    return texts


def _examples(packs: list[Pack]) -> dict[str, tuple[str, str]]:
    """The first rule of each template in the shipped packs: (pack id, YAML)."""
    found: dict[str, tuple[str, str]] = {}
    for pack in packs:
        for template, text in _rule_texts(pack).values():
            found.setdefault(template, (pack.id, text))
    return found


def _template_section(template: Template, example: tuple[str, str] | None) -> list[str]:
    own = template.settings_schema
    lines = [f"### `{template.name}`", "", template.summary, ""]
    doc = _docstring(type(template))
    if doc:
        lines += [doc, ""]
    lines += _fields_table(
        own["properties"], own.get("required", ()), template.figures, template.parameter_settings
    )
    reads = _EVENT_TEMPLATES.get(template.name, "teachers (or schools, where it says so)")
    lines += ["", f"Its `where` selects rows of: {reads}.", ""]
    if example:
        pack_id, text = example
        lines += [f"Example, from `{pack_id}`:", "", "```yaml", text, "```", ""]
    else:
        lines += ["No shipped pack uses it yet.", ""]
    return lines


def _columns(frame: str) -> str:
    return ", ".join(f"`{name}`" for name in SCHEMAS[frame] if name != "school_id")


def _budget_examples(packs: list[Pack]) -> list[str]:
    """One line of each kind from the shipped budgets, as written."""
    shown: dict[str, str] = {}
    for pack in packs:
        source = pack.path / "budget.yaml"
        if not source.exists() or pack.extends:
            continue
        document = load_file(source)
        text = source.read_text(encoding="utf-8").splitlines()
        items = document["lines"]
        starts = [n - 1 for n in items.item_lines] + [None]
        for index, raw in enumerate(items):
            kind = str(raw.get("teacher", "allocation"))
            for key in ("per_pupil_week", "returns_unused_to", "of"):
                if key in raw:
                    kind = f"{kind} with `{key}`"
            chunk = text[starts[index] : starts[index + 1]]
            while chunk and (not chunk[-1].strip() or chunk[-1].lstrip().startswith("#")):
                chunk.pop()
            shown.setdefault(kind, f"# {pack.id}: {kind}\n" + "\n".join(chunk))
    return ["```yaml", "\n\n".join(shown[k] for k in sorted(shown)), "```"]


def _required_fields() -> list[str]:
    document = school_year_schema()
    defs = document["$defs"]
    sections = [
        ("the file", document),
        ("`school`", document["properties"]["school"]),
        ("`year`", document["properties"]["year"]),
        (
            "each of `year.terms` and `year.closures`",
            document["properties"]["year"]["properties"]["terms"]["items"],
        ),
        ("each `staff` member", defs["staff"]),
        ("each `events` entry", defs["event"]),
    ]
    return [
        f"- {where}: " + ", ".join(f"`{name}`" for name in spec.get("required", []))
        for where, spec in sections
    ]


def _process_section(packs: list[Pack]) -> list[str]:
    """process.yaml: how a school reaches the agreement, with a shipped pack's as written."""
    schema = pack_schema.PROCESS
    window = schema["properties"]["windows"]["additionalProperties"]
    stage = schema["properties"]["stages"]["items"]
    shortest = min(
        (p for p in packs if (p.path / "process.yaml").exists()),
        key=lambda p: len((p.path / "process.yaml").read_text(encoding="utf-8")),
    )
    example = (shortest.path / "process.yaml").read_text(encoding="utf-8").rstrip()
    return [
        "## process.yaml",
        "",
        _docstring(process),
        "",
        *_fields_table(schema["properties"], schema["required"]),
        "",
        "Each of `windows` (by an id steps name in `during` and `once_ended`):",
        "",
        *_fields_table(window["properties"], window["required"]),
        "",
        "Each of `steps`, in the order they are taken:",
        "",
        *_fields_table(
            pack_schema.PROCESS_STEP["properties"], pack_schema.PROCESS_STEP["required"]
        ),
        "",
        "Each of `stages`:",
        "",
        *_fields_table(stage["properties"], stage["required"]),
        "",
        "The record fields a step `reads` or a window opens and closes on (the school-year",
        "file's `agreement.process`, [format](school-year-format.md)): "
        + ", ".join(f"`{f}`" for f in pack_schema.RECORD_FIELDS)
        + ". The roles: "
        + ", ".join(f"`{r}`" for r in pack_schema.ROLES)
        + ".",
        "",
        "A step is *done* when the record has one of the fields it reads and its gate is",
        "met; a stage is reached when its steps and every earlier stage's are done. A",
        "`ballot` gate reads its parameters at the ballot's opening, like the ballot",
        "service. A step is checked against the pack when it loads: an `after` naming a",
        "step not above it, an unknown parameter, window or rule, a needed step in no",
        "stage, or a figure in a label that names no parameter is an error naming the",
        "file, line and key.",
        "",
        f"Example, from `{shortest.id}`:",
        "",
        "```yaml",
        example,
        "```",
        "",
        "Another council's process, with fewer steps and a majority of the votes cast",
        "with a turnout, is `tests/packs/fixtures/scotland/glenmore-example/process.yaml`:",
        "YAML only, read by the same functions.",
        "",
    ]


def _appeal_section(packs: list[Pack]) -> list[str]:
    """appeal.yaml: what follows a failure to agree, in process.yaml's shape."""
    with_appeal = [p for p in packs if (p.path / "appeal.yaml").exists()]
    if not with_appeal:
        return []
    example = (with_appeal[0].path / "appeal.yaml").read_text(encoding="utf-8").rstrip()
    return [
        "## appeal.yaml",
        "",
        _docstring(appeal),
        "",
        "The keys are process.yaml's; a step's `reads` names the appeal record's fields "
        "(the school-year file's `agreement.appeal`, with `agreement.process.failure_reported`"
        " as `reported`): "
        + ", ".join(f"`{f}`" for f in pack_schema.APPEAL_FIELDS)
        + ". The roles: "
        + ", ".join(f"`{r}`" for r in pack_schema.APPEAL_ROLES)
        + ". A step's gate may also be `attendance`, a list of roles each of which must be "
        "among the attendees of the meeting the step reads (of: "
        + ", ".join(f"`{r}`" for r in pack_schema.ATTENDEE_ROLES)
        + ").",
        "",
        f"Example, from `{with_appeal[0].id}`:",
        "",
        "```yaml",
        example,
        "```",
        "",
    ]


def _shipped(packs: list[Pack], name: str) -> tuple[str, str] | None:
    """The first shipped pack with its own file ``name``: (pack id, its text)."""
    for pack in packs:
        if (pack.path / name).exists():
            return pack.id, (pack.path / name).read_text(encoding="utf-8").rstrip()
    return None


def _dispute_section(packs: list[Pack]) -> list[str]:
    """dispute.yaml: a union's escalation ladder, and the UK law pack it names."""
    schema = dispute_ladder.LADDER_SCHEMA
    step = schema["properties"]["steps"]["items"]
    stage = schema["properties"]["stages"]["items"]
    lines = [
        "## dispute.yaml",
        "",
        _docstring(dispute_ladder),
        "",
        _docstring(disputes),
        "",
        *_fields_table(schema["properties"], schema["required"]),
        "",
        "Each of `steps`, in order (`after` names steps above, a decision's outcome as",
        "`{step, outcome}`):",
        "",
        *_fields_table(step["properties"], step["required"]),
        "",
        "Each of `stages`:",
        "",
        *_fields_table(stage["properties"], stage["required"]),
        "",
        "What a step may `records` (every entry also has `on`, and may have `by`, `note`,"
        " `documents`; a decision has its `outcome`):",
        "",
        *_fields_table(dispute_ladder.RECORD_FIELDS),
        "",
        "The roles: " + ", ".join(f"`{r}`" for r in dispute_ladder.ROLES) + ".",
        "",
        "### The law pack (`law`)",
        "",
        _docstring(industrial_action),
        "",
        "It gives these parameters: "
        + ", ".join(f"`{n}`" for n in industrial_action.LAW_PARAMETERS)
        + ".",
        "",
    ]
    shipped = _shipped(packs, dispute_ladder.LADDER_FILE)
    if shipped:
        lines += [f"Example, from `{shipped[0]}`:", "", "```yaml", shipped[1], "```", ""]
    return lines


def _audit_section(packs: list[Pack]) -> list[str]:
    """audit.yaml: the workload audit over questions.yaml and rules.yaml."""
    schema = workload_audit.AUDIT_SCHEMA
    topic = schema["properties"]["topics"]["items"]
    lines = [
        "## audit.yaml",
        "",
        _docstring(workload_audit),
        "",
        *_fields_table(schema["properties"], schema["required"]),
        "",
        "Each of `topics`, in the guidance's order:",
        "",
        *_fields_table(topic["properties"], topic["required"]),
        "",
    ]
    shipped = _shipped(packs, workload_audit.AUDIT_FILE)
    if shipped:
        lines += [f"Example, from `{shipped[0]}`:", "", "```yaml", shipped[1], "```", ""]
    return lines


def pack_guide_markdown() -> str:
    """docs/packs.md."""
    packs = [load_pack(pack_id) for pack_id in sorted(discover())]
    examples = _examples(packs)
    budget_line = pack_schema.BUDGET_LINE["properties"]
    reconcile = TEMPLATES["budget_reconciles"].settings_schema["properties"]["scope"]
    lines = [
        "# Writing a pack: the reference",
        "",
        "Generated by `make docs` (`scripts/make_pack_reference.py`) from the templates'",
        "settings schemas and docstrings, the pack file schemas and the shipped packs. Do",
        "not edit by hand: a test fails when it is stale. The recipe is in",
        "[CONTRIBUTING.md](../CONTRIBUTING.md#adding-a-pack); this page is every key it uses.",
        "",
        "A pack is a folder: `manifest.yaml`, `parameters.yaml`, `rules.yaml`, optionally",
        "`budget.yaml`, `questions.yaml`, `process.yaml`, `appeal.yaml`, `dispute.yaml` and",
        "`audit.yaml`, `coverage.yaml` (the source's clauses) and",
        "`tests/` (a fixture `school.yaml` and files of cases). Every file is checked",
        "strictly when the pack loads: an unknown key, a number where a parameter name",
        "belongs, or a clause citing an undeclared document is an error naming the file,",
        "line and key. A pack outside the repository is found through `FAIRLOAD_PACK_PATH`",
        "or given as a folder to `--pack`.",
        "",
        "## manifest.yaml",
        "",
        *_fields_table(pack_schema.MANIFEST["properties"], pack_schema.MANIFEST["required"]),
        "",
        "## parameters.yaml",
        "",
        "A mapping of parameter name to:",
        "",
        *_fields_table(
            pack_schema.PARAMETERS["additionalProperties"]["properties"],
            pack_schema.PARAMETERS["additionalProperties"]["required"],
        ),
        "",
        "A `reference` is:",
        "",
        *_fields_table(pack_schema.REFERENCE["properties"], pack_schema.REFERENCE["required"]),
        "",
        "### Expressions",
        "",
        _docstring(expressions),
        "",
        "## rules.yaml",
        "",
        "A list of rules. Every rule has these keys, then its template's settings (below):",
        "",
        *_fields_table(
            pack_schema.RULE_COMMON, ["id", "template", "title", "severity", "reference"]
        ),
        "",
        "### Figures in prose",
        "",
        _docstring(prose),
        "",
        "A `message` may name `{clause}`, `{document}`, `{subject}` and the columns of the",
        "rows the template reports (each template's default message shows which).",
        "",
        "### Conditions (`where`)",
        "",
        "A `where` is a mapping of column to: a value (equal), a list (one of),",
        "`{not: value or [values]}`, `{present: true|false}` (recorded and not 0),",
        "`{at_least|more_than|at_most|less_than: expression}`; `any_of: [where, …]` is",
        "true when one of them is. Figures in conditions are parameter names too.",
        "The columns a `where` may name, by what the template reads:",
        "",
        f"- teachers (staff): {_columns('staff')}",
        f"- events: {_columns('events')}",
        f"- attended events: the event columns and {_columns('attendance')} "
        "(`role` is `attendee`, `observed` or `observer`)",
        f"- schools: {_columns('schools')}",
        "",
        "## Rule templates",
        "",
        f"There are {len(TEMPLATES)}. Settings typed *expression over parameters* are figures:",
        "a parameter name or an expression, never a number.",
        "",
    ]
    for template in TEMPLATES.values():
        lines += _template_section(template, examples.get(template.name))
    lines += [
        "## budget.yaml",
        "",
        _docstring(budgets),
        "",
        *_fields_table(pack_schema.BUDGET["properties"], pack_schema.BUDGET["required"]),
        "",
        "Each of `lines`:",
        "",
        *_fields_table(budget_line, pack_schema.BUDGET_LINE["required"]),
        "",
        "Rules check a budget with `budget_reconciles`, whose `scope` is: "
        + _describe(reconcile)
        + ". Lines from the shipped packs, one of each kind:",
        "",
        *_budget_examples(packs),
        "",
        "## questions.yaml",
        "",
        "A union's workload questions, answered in a school's `policy` section and read by",
        "`prohibited_practice` rules. A list of:",
        "",
        *_fields_table(
            pack_schema.QUESTIONS["items"]["properties"], pack_schema.QUESTIONS["items"]["required"]
        ),
        "",
        *_process_section(packs),
        *_appeal_section(packs),
        *_dispute_section(packs),
        *_audit_section(packs),
        "## How the year is divided into weeks",
        "",
        _docstring(calendar),
        "",
        f"- A working week is {calendar.DAYS_PER_WORKING_WEEK} working days: a `weekly` budget "
        "line's `weeks` is an expression over parameters (e.g. the agreement's contact weeks);",
        "  with `per_pupil_week: true` it is the school's pupil days (working days less",
        f"  in-service days) / {calendar.DAYS_PER_WORKING_WEEK} instead.",
        "- `per: week` in `period_cap` and `evenings_per_week_cap` count each school week",
        "  (Monday to Sunday, week 1 the week the year starts in); `per: term` uses the",
        "  year's `terms`; `weekly_average_cap` divides by the working weeks.",
        "- A timetable cycle (`school.timetable_cycle_weeks`): school week *n* is week",
        "  `(n - 1) mod cycle + 1` of it; see `weekly_contact_cap`.",
        "",
        "## What a school-year file must give",
        "",
        "The format is [docs/school-year-format.md](school-year-format.md). Required:",
        "",
        *_required_fields(),
        "",
        "Beyond these, a template reads the staff columns its rules name (for example",
        "`weekly_contact_cap` reads `contact_hours_per_week`, or periods converted with",
        "`school.period_minutes`); a teacher without the figure is not checked by it.",
        "",
        "## tests/",
        "",
        _docstring(pack_tests),
        "",
        "Files are YAML lists of cases beside a fixture `school.yaml` (files named",
        "`school*.yaml` are fixtures, not cases). `fairload packs test <id or folder>` runs",
        "them: exit 0 when all pass, 1 when one fails or the pack has none, 2 when the pack",
        "cannot load. Each case:",
        "",
        *_fields_table(
            pack_schema.TESTS["items"]["properties"], pack_schema.TESTS["items"]["required"]
        ),
        "",
        "## coverage.yaml",
        "",
        "`document` (a document id of the manifest) and `clauses`: each `clause`, a",
        "`summary`, and `omitted` (why it is left out) for a clause nothing cites.",
        "`make docs` turns every pack's list into [coverage.md](coverage.md).",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def write_pack_guide(path: Path) -> None:
    path.write_text(pack_guide_markdown(), encoding="utf-8")
