"""Two versions side by side: what changed in the allocations, the text and the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fairload.web.agreements.models import AgreementVersion
from fairload.web.agreements.record import TEXT_PARTS
from fairload.web.agreements.selectors import Heading


@dataclass(frozen=True)
class Change:
    what: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Comparison:
    allocations: list[Change]
    text: list[Change]
    events_added: list[dict[str, Any]]
    events_removed: list[dict[str, Any]]
    events_changed: list[Change]

    @property
    def nothing(self) -> bool:
        return not (
            self.allocations
            or self.text
            or self.events_added
            or self.events_removed
            or self.events_changed
        )


def _event_words(event: dict[str, Any]) -> str:
    return (
        f"{event['title']}, {event['date']} {event['start']}–{event['end']}, "
        f"{len(event.get('attendees', []))} attending"
    )


def versions_compare(
    a: AgreementVersion, b: AgreementVersion, headings: list[Heading]
) -> Comparison:
    allocations = []
    for heading in headings:
        before = a.allocations.get(heading.id, heading.default)
        after = b.allocations.get(heading.id, heading.default)
        if before != after:
            allocations.append(Change(heading.label, before, after))
    text = [
        Change(f"{label} ({clause})", getattr(a, name), getattr(b, name))
        for name, label, clause in TEXT_PARTS
        if getattr(a, name) != getattr(b, name)
    ]
    old = {e["id"]: e for e in a.calendar}
    new = {e["id"]: e for e in b.calendar}
    return Comparison(
        allocations=allocations,
        text=text,
        events_added=[new[k] for k in new if k not in old],
        events_removed=[old[k] for k in old if k not in new],
        events_changed=[
            Change(new[k]["title"], _event_words(old[k]), _event_words(new[k]))
            for k in new
            if k in old and old[k] != new[k]
        ],
    )
