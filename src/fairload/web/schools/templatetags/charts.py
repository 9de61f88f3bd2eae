"""The dashboard's budget chart: the geometry of a horizontal bar chart, drawn by
``templates/schools/_budget_chart.html`` as inline SVG.

No JavaScript and no style attributes (the content security policy forbids both):
positions are SVG attributes, colours are classes in ``static/fairload/calendar.css``.
Widths and the figures' x positions are percentages of the chart's width, so the chart
fills a phone or a desktop without scaling its text; heights are pixels. Each bar has its
figure written beside it, and the table under the chart keeps every number.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from django import template

from fairload.core.budgets import SchoolBudget

register = template.Library()

#: Pixels: a label line, a bar, the gap under a bar, the gap after each heading.
LABEL_LINE = 20
BAR = 16
BAR_GAP = 4
GROUP_GAP = 16
#: The longest bar's share of the width (%); the rest holds its figure.
BAR_SPACE = 62.0
#: Characters on a label line before it wraps (a 320-pixel phone holds about 36).
LABEL_CHARS = 34


def _hours(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass
class Bar:
    kind: str  # default, agreed, planned
    value: float | None
    text: str
    y: int
    width: str = "0"
    text_x: str = "0"
    over: bool = False

    @property
    def text_y(self) -> int:
        return self.y + BAR - 3


@dataclass
class Group:
    id: str
    label: str
    label_lines: list[tuple[str, int]]
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    groups: list[Group]
    height: int
    description: str


def budget_chart_data(budget: SchoolBudget) -> Chart:
    """One group of bars per budget line: its default (where the pack sets one), the
    hours agreed, and the hours planned (where the calendar plans against it).

    Each heading has its own scale (its largest figure is the longest bar): the headings
    run from 3 hours to 855, and on one scale a small heading's planned hours could not
    be seen against its agreed ones. The figures are written on every bar, and the chart
    says so."""
    y = 0
    groups = []
    over_lines = []
    for line in budget.lines:
        wrapped = textwrap.wrap(line.label, LABEL_CHARS) or [line.id]
        label_lines = []
        for text in wrapped:
            y += LABEL_LINE
            label_lines.append((text, y - 5))
        y += BAR_GAP
        group = Group(line.id, line.label, label_lines)
        agreed = line.hours
        over = (
            line.planned_hours is not None
            and agreed is not None
            and line.planned_hours > agreed + 1e-9
        )
        if over:
            over_lines.append(line.label)
        figures = [v for v in (line.default_hours, agreed, line.planned_hours) if v is not None]
        top = max([v for v in figures if v > 0], default=1.0)
        bars = []
        if line.default_hours is not None:
            bars.append(("default", line.default_hours, "Default"))
        bars.append(("agreed", agreed, "Agreed"))
        if line.planned_hours is not None:
            bars.append(("planned", line.planned_hours, "Planned"))
        for kind, value, word in bars:
            text = f"{word} {_hours(value)} h" if value is not None else f"{word}: none"
            bar = Bar(kind, value, text, y)
            if kind == "planned" and over:
                assert value is not None and agreed is not None
                bar.over = True
                bar.text += f", over by {_hours(value - agreed)} h"
            share = max(value or 0.0, 0.0) / top * BAR_SPACE
            bar.width = f"{share:.2f}"
            bar.text_x = f"{share + 1:.2f}"
            y += BAR + BAR_GAP
            group.bars.append(bar)
        y += GROUP_GAP
        groups.append(group)
    description = (
        f"A bar chart of the table below, {len(groups)} headings, each drawn to its own "
        "scale: for each, the hours the pack sets by default (where it sets them), the "
        "hours agreed for a full-time teacher, and the hours planned in the busiest "
        "full-time teacher's calendar."
    )
    if over_lines:
        description += " Planned hours are over the agreed hours for: " + "; ".join(over_lines)
        description += "."
    return Chart(groups, y, description)


@register.simple_tag
def budget_chart(budget: SchoolBudget) -> Chart:
    """``{% budget_chart budget as chart %}``: the chart's geometry for the template."""
    return budget_chart_data(budget)
