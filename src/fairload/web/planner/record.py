"""A school year's ``plan`` section, stored with the year: the import keeps it
(``plan_store``, from schools/services.py) and the year's document gives it back
(``plan_part``, from schools/to_core.py), so an export, a re-import and a calendar the
planner applies all keep the school's wishes."""

from __future__ import annotations

from typing import Any

import yaml

from fairload.web.planner.models import YearPlan
from fairload.web.schools.models import SchoolYear


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


#: libyaml's safe loader where PyYAML was built with it: the same values as
#: ``yaml.safe_load`` at a tenth of the time, and every page that reads the year's
#: document reads its plan section.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def plan_section(text: str) -> Any:
    """The plan section's YAML as values (``yaml.safe_load``'s); raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def plan_text_of(section: Any) -> str:
    """The section as the YAML the wishes box shows."""
    return str(yaml.safe_dump(_plain(section), sort_keys=False, allow_unicode=True, width=100))


def plan_store(year: SchoolYear, document: dict[str, Any]) -> None:
    """Store the document's plan section (if it has one) with the year just imported."""
    if document.get("plan"):
        YearPlan.objects.update_or_create(
            year=year, defaults={"text": plan_text_of(document["plan"])}
        )


def plan_keep(year: SchoolYear, text: str) -> None:
    """The year's plan section is now ``text``, as the person wrote it (comments kept)."""
    YearPlan.objects.update_or_create(year=year, defaults={"text": text})


def year_plan_text(year: SchoolYear) -> str:
    """The year's own plan section, as YAML; empty if it has none."""
    stored = YearPlan.objects.filter(year=year).first()
    return stored.text if stored is not None else ""


def plan_part(year: SchoolYear, document: dict[str, Any]) -> None:
    """Put the year's plan section into its document, if it has one that reads as YAML."""
    text = year_plan_text(year)
    if not text:
        return
    try:
        section = plan_section(text)
    except yaml.YAMLError:
        return  # the box shows the text and says what is wrong with it
    if isinstance(section, dict):
        document["plan"] = section
