"""The rule templates: few, generic, and instantiated by packs' YAML."""

from __future__ import annotations

from fairload.core.templates.agreement import (
    AllocationByAgreement,
    BudgetReconciles,
    CalendarDays,
    CommitteeComposition,
    ProcessStep,
    ProformaReconciles,
)
from fairload.core.templates.base import Template
from fairload.core.templates.event_caps import (
    EveningsPerWeekCap,
    EventDurationCap,
    PeriodCap,
    WeeklyAverageCap,
)
from fairload.core.templates.requirements import (
    AllowedActivities,
    AttributeRequirement,
    ProhibitedPractice,
)
from fairload.core.templates.staff_limits import RatioFloor, TableMinimum, WeeklyContactCap

TEMPLATES: dict[str, Template] = {
    template.name: template
    for template in (
        EventDurationCap(),
        PeriodCap(),
        WeeklyAverageCap(),
        EveningsPerWeekCap(),
        WeeklyContactCap(),
        RatioFloor(),
        TableMinimum(),
        AttributeRequirement(),
        AllowedActivities(),
        ProhibitedPractice(),
        ProcessStep(),
        AllocationByAgreement(),
        CalendarDays(),
        BudgetReconciles(),
        ProformaReconciles(),
        CommitteeComposition(),
    )
}

__all__ = ["TEMPLATES", "Template"]
