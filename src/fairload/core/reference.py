"""Where a number or a rule comes from: a document, a clause, and the words."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Document:
    """A source document a pack cites."""

    id: str
    title: str
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """A structured citation: which document, which clause, and optionally its words."""

    document: Document
    clause: str
    quote: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.clause.strip():
            raise ValueError("a reference needs a clause")

    @property
    def citation(self) -> str:
        """Short form for messages: ``South Ayrshire JNCT2.7, clause 7.3``."""
        return f"{self.document.title}, {self.clause}"

    def as_dict(self) -> dict[str, str]:
        data = {"document": self.document.title, "clause": self.clause}
        if self.quote:
            data["quote"] = self.quote
        if self.url or self.document.url:
            data["url"] = self.url or self.document.url or ""
        return data


def reference_read(
    raw: Mapping[str, Any],
    path: Sequence[str | int],
    documents: Mapping[str, Document],
    fail: Callable[[str, Sequence[str | int], str], None],
) -> Reference:
    """A pack file's ``{document, clause, quote, url}`` as a Reference; an undeclared
    document is reported through ``fail`` (message, path, hint) and stands in by its id,
    so a loader gathers every problem before it stops."""
    document = documents.get(raw["document"])
    if document is None:
        fail(
            f"unknown document '{raw['document']}'",
            [*path, "document"],
            "Declare it under 'documents' in manifest.yaml; known: " + ", ".join(sorted(documents)),
        )
        document = Document(raw["document"], raw["document"])
    return Reference(document, str(raw["clause"]), raw.get("quote"), raw.get("url"))
