"""Packs as the command line shows them: the list of packs, and one pack in full (its
manifest, documents, every dated parameter value and its rules), as text or JSON."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fairload.core.packs import Pack
from fairload.io.report_format import STYLES, figure, indented


def pack_summary(pack: Pack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "title": pack.title,
        "jurisdiction": pack.jurisdiction,
        "version": pack.version,
        "extends": pack.extends,
        "rules": len(pack.rules),
    }


def print_packs(packs: list[Pack], console: Console) -> None:
    """One block a pack: long titles and jurisdictions read badly in narrow columns."""
    for pack in packs:
        head = Text(pack.id, style="bold")
        head.append(f"  {pack.version}  {len(pack.rules)} rules")
        if pack.extends:
            head.append(f"  extends {pack.extends}")
        console.print(head)
        indented(console, 2, Text(pack.title))
        indented(console, 2, Text(pack.jurisdiction, style="dim"))


def pack_json(pack: Pack) -> dict[str, Any]:
    """A pack in full: its manifest, every dated parameter value, and its rules."""
    summary = {k: v for k, v in pack_summary(pack).items() if k != "rules"}
    return {
        **summary,
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "template": r.template,
                "severity": r.severity.value,
                "reference": r.reference.as_dict(),
                "effective_from": r.effective_from.isoformat() if r.effective_from else None,
                "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            }
            for r in pack.rules
        ],
        "effective_from": pack.effective_from.isoformat() if pack.effective_from else None,
        "mandates": [
            {
                "pack": m.pack_id,
                "from": m.start.isoformat(),
                "to": m.end.isoformat() if m.end else None,
                "clause": m.reference.clause,
                "note": m.note or None,
            }
            for m in pack.mandates
        ],
        "description": pack.description,
        "lineage": list(pack.lineage),
        "documents": [
            {"id": d.id, "title": d.title, "url": d.url, "date": d.date}
            for d in pack.documents.values()
        ],
        "parameters": [
            {
                "name": p.name,
                "description": p.description,
                "unit": p.unit,
                "pack": p.pack_id,
                "values": [
                    {
                        "effective": v.effective.isoformat(),
                        "value": v.value,
                        "reference": v.reference.as_dict(),
                        **({"provisional": v.provisional} if v.provisional else {}),
                    }
                    for v in p.values
                ],
            }
            for p in sorted(pack.parameters.parameters.values(), key=lambda p: p.name)
        ],
    }


def _short(value: object) -> str:
    # Look-up tables are lists of rows; their rows are in `packs show --format json`.
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return f"table of {len(value)} rows"
    return figure(value)


def print_pack(pack: Pack, console: Console) -> None:
    """A pack's manifest, documents, every dated parameter value, and its rules."""
    console.print(Text(f"{pack.title}", style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    for label, value in (
        ("Id", pack.id),
        ("Version", pack.version),
        ("Jurisdiction", pack.jurisdiction),
        ("Extends", pack.extends),
        ("In force from", pack.effective_from.isoformat() if pack.effective_from else None),
        *(
            (
                "Mandate",
                f"{m.title}: in force {m.span} ({m.reference.citation}). {m.note}".strip(),
            )
            for m in pack.mandates
        ),
        ("Documents", "; ".join(d.title for d in pack.documents.values())),
        ("Description", pack.description.strip() or None),
    ):
        if value:
            facts.add_row(label, Text(value))
    console.print(facts)
    console.print()
    console.print(Text("Parameters", style="bold underline"))
    for parameter in sorted(pack.parameters.parameters.values(), key=lambda p: p.name):
        head = Text(parameter.name, style="bold")
        head.append(f" ({parameter.unit}): {parameter.description}")
        indented(console, 2, head)
        for dated in parameter.values:
            indented(
                console,
                4,
                Text(
                    f"from {dated.effective.isoformat()}: {_short(dated.value)}"
                    f" — {dated.reference.citation}"
                    + (f" (provisional: {dated.provisional})" if dated.provisional else "")
                ),
            )
    console.print()
    console.print(Text("Rules", style="bold underline"))
    for rule in pack.rules:
        head = Text(rule.id, style="bold")
        head.append("  ")
        head.append(rule.severity.value, style=STYLES[rule.severity])
        head.append(f"  {rule.template}")
        indented(console, 2, head)
        indented(console, 4, Text(f"{rule.title} — {rule.reference.citation}"))
