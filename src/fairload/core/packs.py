"""Packs: an agreement as data. A folder with a manifest, parameters, rules, an optional
budget and workload questions, and YAML test cases. Loading is strict and located.

A pack may ``extends`` another: it inherits documents, parameters, rules, questions and
budget, and may override any of them by name or id (or ``disable`` inherited rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from fairload.core import diskcache, pack_schema
from fairload.core.budgets import BudgetLine, BudgetSpec
from fairload.core.errors import InputError, InputErrors, Location, PackError
from fairload.core.expressions import validate_expression
from fairload.core.findings import Severity
from fairload.core.pack_files import (  # where packs are found: light, for the replay too
    PACK_PATH_VARIABLE as PACK_PATH_VARIABLE,
)
from fairload.core.pack_files import Fingerprint, fingerprint
from fairload.core.pack_files import discover as discover
from fairload.core.pack_files import pack_roots as pack_roots
from fairload.core.pack_files import resolve as _resolve
from fairload.core.parameters import DatedValue, Parameter, ParameterSet
from fairload.core.prose import PROSE_FIELDS, prose_problem
from fairload.core.reference import Document, Reference
from fairload.core.rules import Rule
from fairload.core.templates import TEMPLATES
from fairload.core.validation import validate
from fairload.core.yamlfile import LocatedDict, line_of, load_file

if TYPE_CHECKING:
    # A pack's process is read (read_process) only with its YAML: one from the disk cache
    # unpickles fairload.core.process_spec's classes, not the record's functions.
    from fairload.core.process_spec import Process


@dataclass(frozen=True, slots=True)
class Question:
    """A workload question of a union's guidance, used as an audit checklist item."""

    id: str
    text: str
    reference: Reference
    instructions: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Mandate:
    """When a pack's own rules are in force as instructions: a union's list rests on a
    ballot, and a new list is a new dated pack version."""

    pack_id: str
    title: str
    start: date
    end: date | None
    reference: Reference
    rules: frozenset[str]
    note: str = ""

    def covers(self, when: date) -> bool:
        return self.start <= when and (self.end is None or when <= self.end)

    @property
    def span(self) -> str:
        return f"from {self.start.isoformat()}" + (
            f" to {self.end.isoformat()}" if self.end else ""
        )


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    jurisdiction: str
    version: str
    path: Path
    documents: Mapping[str, Document]
    parameters: ParameterSet
    rules: tuple[Rule, ...]
    questions: tuple[Question, ...] = ()
    budget: BudgetSpec | None = None
    extends: str | None = None
    effective_from: date | None = None
    description: str = ""
    lineage: tuple[str, ...] = field(default=())
    mandates: tuple[Mandate, ...] = ()
    #: how a school reaches the agreement (process.yaml), its own or the extended pack's
    process: Process | None = None
    #: what follows a failure to agree (appeal.yaml, in process.yaml's shape), its own or
    #: the extended pack's
    appeal: Process | None = None

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def test_files(self) -> list[Path]:
        """This pack's own test files (an extending pack runs its parent's separately)."""
        folder = self.path / "tests"
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _fail(
    message: str, source: Path, document: Any, path: list[str | int], hint: str = ""
) -> PackError:
    from fairload.core.yamlfile import field_path

    return PackError(
        message, Location(str(source), line_of(document, path), field_path(path)), hint
    )


def _reference(
    data: Mapping[str, Any],
    documents: Mapping[str, Document],
    source: Path,
    doc: Any,
    path: list[Any],
) -> Reference:
    if data["document"] not in documents:
        raise _fail(
            f"unknown document '{data['document']}'",
            source,
            doc,
            [*path, "document"],
            "Declare it under 'documents' in manifest.yaml; known: " + ", ".join(sorted(documents)),
        )
    return Reference(
        documents[data["document"]], str(data["clause"]), data.get("quote"), data.get("url")
    )


def _as_date(value: Any, source: Path, doc: Any, path: list[Any]) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(
            f"{value!r} is not a date", source, doc, path, "Write dates as YYYY-MM-DD."
        ) from None


def _inherit(doc: Any, inherited: Mapping[str, Parameter]) -> None:
    """An extending pack may give a parent's parameter new values alone (one line of
    YAML): its description, unit, reference and reading carry over."""
    for name, spec in doc.items():
        parent = inherited.get(name)
        if parent is None or not isinstance(spec, dict):
            continue
        spec.setdefault("description", parent.description)
        spec.setdefault("unit", parent.unit)
        if "reference" not in spec:
            ref = parent.values[-1].reference
            spec["reference"] = {
                k: v
                for k, v in {
                    "document": ref.document.id,
                    "clause": ref.clause,
                    "quote": ref.quote,
                    "url": ref.url,
                }.items()
                if v is not None
            }
        if parent.reading and "reading" not in spec:
            spec["reading"] = parent.reading


def _load_parameters(
    folder: Path,
    pack_id: str,
    documents: Mapping[str, Document],
    inherited: Mapping[str, Parameter] | None = None,
) -> dict[str, Parameter]:
    source = folder / "parameters.yaml"
    if not source.exists():
        return {}
    doc = load_file(source) or LocatedDict()
    if isinstance(doc, dict):
        _inherit(doc, inherited or {})
    validate(doc, pack_schema.PARAMETERS, str(source), error_type=PackError)
    parameters = {}
    for name, spec in doc.items():
        default_ref = _reference(spec["reference"], documents, source, doc, [name, "reference"])
        values = []
        for when, raw in spec["values"].items():
            effective = _as_date(when, source, doc, [name, "values", when])
            reference = default_ref
            value = raw
            provisional = None
            if isinstance(raw, dict) and "value" in raw:
                validate(
                    raw,
                    pack_schema.DATED_VALUE,
                    str(source),
                    error_type=PackError,
                    base_path=[name, "values", str(when)],
                )
                value = raw["value"]
                provisional = raw.get("provisional")
                if "reference" in raw:
                    reference = _reference(
                        raw["reference"],
                        documents,
                        source,
                        doc,
                        [name, "values", when, "reference"],
                    )
            values.append(DatedValue(effective, value, reference, provisional))
        values.sort(key=lambda v: v.effective)
        parameters[name] = Parameter(
            name, spec["description"], spec["unit"], tuple(values), pack_id, spec.get("reading")
        )
    return parameters


def _check_settings(
    rule: Rule, parameters: ParameterSet, source: Path, doc: Any, index: int
) -> None:
    """Figures must be expressions over known parameters; named parameters must exist."""
    template = TEMPLATES[rule.template]
    for key in template.figures:
        if key in rule.settings:
            try:
                validate_expression(rule.settings[key], parameters, f"rule {rule.id}, '{key}'")
            except PackError as exc:
                raise _fail(exc.message, source, doc, [index, key], exc.hint) from None
    for key in template.parameter_settings:
        if key in rule.settings and rule.settings[key] not in parameters:
            raise _fail(f"unknown parameter '{rule.settings[key]}'", source, doc, [index, key])
    _check_where_figures(rule.settings, parameters, source, doc, [index])


def _check_prose(rule: Rule, parameters: ParameterSet, source: Path, doc: Any, index: int) -> None:
    """A figure in prose names its parameter; a placeholder naming none is refused."""
    for key in PROSE_FIELDS:
        text = getattr(rule, key)
        if text and (problem := prose_problem(text, key, parameters)):
            raise _fail(problem[0], source, doc, [index, key], problem[1])


def _check_where_figures(
    settings: Any, parameters: ParameterSet, source: Path, doc: Any, path: list[Any]
) -> None:
    """Numbers in conditions ({at_least: …}) must name parameters too."""
    if isinstance(settings, Mapping):
        for key, value in settings.items():
            if key in ("at_least", "more_than", "at_most", "less_than"):
                try:
                    validate_expression(value, parameters, f"condition '{key}'")
                except PackError as exc:
                    raise _fail(exc.message, source, doc, [*path, key], exc.hint) from None
            else:
                _check_where_figures(value, parameters, source, doc, [*path, key])
    elif isinstance(settings, list):
        for position, item in enumerate(settings):
            _check_where_figures(item, parameters, source, doc, [*path, position])


def _load_rules(
    folder: Path, pack_id: str, documents: Mapping[str, Document], parameters: ParameterSet
) -> list[Rule]:
    source = folder / "rules.yaml"
    if not source.exists():
        return []
    doc = load_file(source) or []
    if not isinstance(doc, list):
        raise PackError("rules.yaml must be a list of rules", Location(str(source), 1))
    rules: list[Rule] = []
    problems: list[InputError] = []
    seen: set[str] = set()
    common = set(pack_schema.RULE_COMMON)
    for index, raw in enumerate(doc):
        try:
            if not isinstance(raw, dict):
                raise _fail("each rule must be a mapping", source, doc, [index])
            name = raw.get("template")
            if name not in TEMPLATES:
                raise _fail(
                    f"unknown template {name!r}",
                    source,
                    doc,
                    [index, "template"],
                    "Known templates: " + ", ".join(sorted(TEMPLATES)),
                )
            validate(
                raw,
                pack_schema.rule_schema(TEMPLATES[name]),
                str(source),
                error_type=PackError,
                base_path=[index],
            )
            if raw["id"] in seen:
                raise _fail(f"duplicate rule id '{raw['id']}'", source, doc, [index, "id"])
            seen.add(raw["id"])
            rule = Rule(
                id=raw["id"],
                template=name,
                title=raw["title"],
                severity=Severity(raw["severity"]),
                reference=_reference(
                    raw["reference"], documents, source, doc, [index, "reference"]
                ),
                settings={k: v for k, v in raw.items() if k not in common},
                pack_id=pack_id,
                refuse=raw.get("refuse"),
                fix=raw.get("fix"),
                message=raw.get("message"),
                effective_from=_as_date(
                    raw["effective_from"], source, doc, [index, "effective_from"]
                )
                if "effective_from" in raw
                else None,
                effective_to=_as_date(raw["effective_to"], source, doc, [index, "effective_to"])
                if "effective_to" in raw
                else None,
                instruction=raw.get("instruction"),
            )
            _check_settings(rule, parameters, source, doc, index)
            _check_prose(rule, parameters, source, doc, index)
            rules.append(rule)
        except InputErrors as many:
            problems.extend(many.errors)
        except InputError as one:
            problems.append(one)
    if problems:
        raise InputErrors(problems)
    return rules


def _check_policy_conditions(
    rules: list[Rule], questions: Mapping[str, Question], source: Path
) -> None:
    """A ``policy: {question: answer}`` condition must name a workload question of the pack."""

    def walk(node: Any) -> Iterator[tuple[str, Any]]:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key == "policy" and isinstance(value, Mapping):
                    yield from ((question, value) for question in value)
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    for rule in rules:
        for question, holder in walk(rule.settings):
            if question not in questions:
                raise PackError(
                    f"rule {rule.id}: 'policy' names no workload question '{question}'",
                    Location(str(source), getattr(holder, "line", None), "policy"),
                    "Declare it in questions.yaml; known: "
                    + (", ".join(sorted(questions)) or "none"),
                )


def _load_budget(
    folder: Path, documents: Mapping[str, Document], parameters: ParameterSet
) -> BudgetSpec | None:
    source = folder / "budget.yaml"
    if not source.exists():
        return None
    doc = load_file(source)
    validate(doc, pack_schema.BUDGET, str(source), error_type=PackError)
    lines = []
    ids = {raw["id"] for raw in doc["lines"]}
    for index, raw in enumerate(doc["lines"]):
        for key in ("hours", "weeks"):
            if key in raw:
                try:
                    validate_expression(raw[key], parameters, f"budget line {raw['id']}, '{key}'")
                except PackError as exc:
                    raise _fail(exc.message, source, doc, ["lines", index, key], exc.hint) from None
        for other in [
            *raw.get("of", []),
            *([raw["returns_unused_to"]] if "returns_unused_to" in raw else []),
        ]:
            if other not in ids:
                raise _fail(f"unknown budget line '{other}'", source, doc, ["lines", index])
        teacher = raw.get("teacher", "allocation")
        if teacher == "weekly" and "column" not in raw:
            raise _fail("a weekly line needs 'column'", source, doc, ["lines", index])
        if teacher == "allocation" and "column" in raw and "weeks" not in raw:
            raise _fail(
                "an allocation line with 'column' needs 'weeks'", source, doc, ["lines", index]
            )
        reference = (
            _reference(raw["reference"], documents, source, doc, ["lines", index, "reference"])
            if "reference" in raw
            else None
        )
        lines.append(
            BudgetLine(
                id=raw["id"],
                label=raw["label"],
                teacher=teacher,
                hours=raw.get("hours"),
                reference=reference,
                categories=tuple(raw.get("categories", ())),
                column=raw.get("column"),
                weeks=raw.get("weeks"),
                per_pupil_week=raw.get("per_pupil_week", False),
                of=tuple(raw.get("of", ())),
                school=raw.get("school", True),
                returns_unused_to=raw.get("returns_unused_to"),
            )
        )
    try:
        validate_expression(doc["total"], parameters, "budget total")
    except PackError as exc:
        raise _fail(exc.message, source, doc, ["total"], exc.hint) from None
    _check_where_figures(doc.get("staff"), parameters, source, doc, ["staff"])
    return BudgetSpec(
        doc["title"],
        doc["total"],
        _reference(doc["reference"], documents, source, doc, ["reference"]),
        tuple(lines),
        staff=doc.get("staff"),
    )


def _load_questions(folder: Path, documents: Mapping[str, Document]) -> list[Question]:
    source = folder / "questions.yaml"
    if not source.exists():
        return []
    doc = load_file(source)
    validate(doc, pack_schema.QUESTIONS, str(source), error_type=PackError)
    return [
        Question(
            q["id"],
            q["text"],
            _reference(q["reference"], documents, source, doc, [i, "reference"]),
            tuple(q.get("instructions", ())),
        )
        for i, q in enumerate(doc)
    ]


def load_pack(pack: str | Path) -> Pack:
    """Load a pack by id or folder, with everything it extends."""
    return _load(str(Path(pack)) if isinstance(pack, Path) else pack, ())


@cache
def load_bundled(pack_id: str) -> Pack:
    """A bundled pack, loaded once per process."""
    return load_pack(pack_id)


#: Files and a hash of their contents, per pack folder: what a cached pack was read from.
_Fingerprint = Fingerprint
#: Packs already loaded, by folder, with the fingerprints of the folders they were read
#: from (theirs and every pack they extend). Reading a pack costs a fifth of a second
#: or more (YAML, schemas, expressions); a process that checks several schools, or lists
#: packs that extend one another, reads each once, and again only if a file changes.
#: The key is the folder as spelt and where it really is: a pack's path (in its errors
#: and its Pack.path) is as spelt.
_Entry = tuple[Pack, tuple[tuple[Path, _Fingerprint], ...]]
_LOADED: dict[tuple[Path, Path], _Entry] = {}


def _load(pack: str, chain: tuple[str, ...], relative_to: Path | None = None) -> Pack:
    folder = _resolve(pack, relative_to)
    key = (folder, folder.resolve())
    # A new process (the command line) finds the pack another one read and checked, kept
    # on disk under the same fingerprints, when a shell has turned that cache on.
    disk_key = f"{key[0]}\0{key[1]}"
    cached = _LOADED.get(key) or _stored(disk_key)
    fresh = cached is not None and all(fingerprint(f) == p for f, p in cached[1])
    if cached is not None and fresh and cached[0].id not in chain:  # a cycle still fails
        _LOADED[key] = cached
        return cached[0]
    fingerprint_now = fingerprint(folder)
    loaded = _read(folder, chain)
    sources = [(folder, fingerprint_now)]
    if loaded.extends is not None:
        parent_folder = _resolve(loaded.extends, folder)
        parent = _LOADED.get((parent_folder, parent_folder.resolve()))
        sources += parent[1] if parent else [(parent_folder, ())]  # () never matches
    _LOADED[key] = (loaded, tuple(sources))
    diskcache.store(_DISK_KIND, disk_key, _LOADED[key])
    return loaded


def read_from(folder: Path) -> tuple[tuple[Path, Fingerprint], ...] | None:
    """The folders, and their fingerprints, that the pack in ``folder`` (as resolved)
    was last read from in this process: its own and every pack it extends."""
    entry = _LOADED.get((folder, folder.resolve()))
    return entry[1] if entry is not None else None


#: Where packs are kept in the cache on disk (fairload.core.diskcache).
_DISK_KIND = "packs"


def _stored(disk_key: str) -> _Entry | None:
    """A pack and the fingerprints it was read under, from the cache on disk, if there."""
    entry = diskcache.load(_DISK_KIND, disk_key)
    if (
        isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], Pack)
        and isinstance(entry[1], tuple)
    ):
        return cast(_Entry, entry)
    return None


def _read(folder: Path, chain: tuple[str, ...]) -> Pack:
    source = folder / "manifest.yaml"
    manifest = load_file(source)
    validate(manifest, pack_schema.MANIFEST, str(source), error_type=PackError)
    pack_id = manifest["id"]
    if pack_id in chain:
        raise PackError(
            f"pack '{pack_id}' extends itself through {' → '.join(chain)}",
            Location(str(source), line_of(manifest, ["extends"])),
        )
    parent = None
    if "extends" in manifest:
        try:
            parent = _load(manifest["extends"], (*chain, pack_id), folder)
        except PackError as exc:
            if exc.location is not None:
                raise
            where = Location(str(source), line_of(manifest, ["extends"]), "extends")
            raise PackError(exc.message, where, exc.hint) from None
    documents = {**(parent.documents if parent else {})}
    for doc_id, spec in manifest["documents"].items():
        documents[doc_id] = Document(doc_id, spec["title"], spec.get("url"), spec.get("date"))
    parameters = {**(parent.parameters.parameters if parent else {})}
    parameters.update(_load_parameters(folder, pack_id, documents, parameters))
    parameter_set = ParameterSet(parameters)
    own_rules = _load_rules(folder, pack_id, documents, parameter_set)
    own_ids = {r.id for r in own_rules}
    disabled = set(manifest.get("disable", []))
    inherited = [r for r in (parent.rules if parent else ()) if r.id not in own_ids | disabled]
    inheritable = {r.id for r in (parent.rules if parent else ())}
    unknown = disabled - inheritable
    if unknown:
        raise PackError(
            f"cannot disable unknown rule(s): {', '.join(sorted(unknown))}",
            Location(str(source), line_of(manifest, ["disable"]), "disable"),
            "Rules that can be disabled: " + (", ".join(sorted(inheritable)) or "none"),
        )
    questions = {q.id: q for q in (parent.questions if parent else ())}
    questions.update({q.id: q for q in _load_questions(folder, documents)})
    _check_policy_conditions(own_rules, questions, folder / "rules.yaml")
    budget = _load_budget(folder, documents, parameter_set) or (parent.budget if parent else None)
    effective = manifest.get("effective_from")
    mandates = tuple(
        replace(m, rules=m.rules - own_ids - disabled) for m in (parent.mandates if parent else ())
    )
    if "mandate" in manifest:
        mandates += (_mandate(manifest, pack_id, own_ids, documents, source),)
    rules = (*inherited, *own_rules)
    from fairload.core.process import read_process

    process = read_process(folder, pack_id, documents, parameter_set, (r.id for r in rules))
    appeal = read_process(
        folder,
        pack_id,
        documents,
        parameter_set,
        (r.id for r in rules),
        "appeal.yaml",
        pack_schema.APPEAL,
    )
    return Pack(
        id=pack_id,
        title=manifest["title"],
        jurisdiction=manifest["jurisdiction"],
        version=str(manifest["version"]),
        path=folder,
        documents=documents,
        parameters=parameter_set,
        rules=rules,
        questions=tuple(questions.values()),
        budget=budget,
        extends=manifest.get("extends"),
        effective_from=_as_date(effective, source, manifest, ["effective_from"])
        if effective
        else None,
        description=manifest.get("description", ""),
        lineage=(*(parent.lineage if parent else ()), pack_id),
        mandates=mandates,
        process=process or _inherited_process(parent, pack_id, parameter_set),
        appeal=appeal or _inherited_process(parent, pack_id, parameter_set, "appeal"),
    )


def _inherited_process(
    parent: Pack | None, pack_id: str, parameters: ParameterSet, which: str = "process"
) -> Process | None:
    """The extended pack's process (or ``which``: its appeal), reading this pack's
    parameters (a council's own deadline or window is a dated value in its
    parameters.yaml)."""
    inherited: Process | None = getattr(parent, which) if parent is not None else None
    if inherited is None:
        return None
    return replace(inherited, pack_id=pack_id, parameters=parameters)


def _mandate(
    manifest: Any, pack_id: str, rules: set[str], documents: Mapping[str, Document], source: Path
) -> Mandate:
    spec = manifest["mandate"]
    where = ["mandate"]
    start = _as_date(spec["from"], source, manifest, [*where, "from"])
    end = _as_date(spec["to"], source, manifest, [*where, "to"]) if "to" in spec else None
    if end is not None and end < start:
        raise _fail("the mandate ends before it starts", source, manifest, [*where, "to"])
    reference = _reference(spec["reference"], documents, source, manifest, [*where, "reference"])
    return Mandate(
        pack_id,
        manifest["title"],
        start,
        end,
        reference,
        frozenset(rules),
        spec.get("note", ""),
    )


def iter_packs() -> Iterator[Pack]:
    for pack_id in sorted(discover()):
        yield load_pack(pack_id)
