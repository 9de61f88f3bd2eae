"""Limits on what one upload may ask of the server, checked before the file is read.

A file under the size limit can still ask for far more work than its size suggests: YAML
aliases (``*name``) repeat a value without writing it out, so a few kilobytes can stand
for billions of values; and an iCalendar rule repeating every minute is half a million
events a year. These are refused, with the line to look at, before anything expands them.
"""

from __future__ import annotations

import re

import yaml

from fairload.core.errors import InputError, Location
from fairload.core.nesting import nested
from fairload.io.ical import logical_lines, property_name

#: The most values a school-year file may hold once its YAML aliases are written out. The
#: largest demo secondary holds about 5,000.
MOST_VALUES = 200_000
#: The most repeating events (RRULE) one calendar file may hold; each is at most a year of
#: days, since repeats more often than daily are refused.
MOST_REPEATING_EVENTS = 30
#: The most staff and events a year may hold after an import.
MOST_STAFF = 1_000
MOST_EVENTS = 5_000

_SUB_DAILY = re.compile(r"FREQ=(SECONDLY|MINUTELY|HOURLY)|BY(HOUR|MINUTE|SECOND)=", re.IGNORECASE)


def yaml_problems(text: str, source: str) -> list[InputError]:
    """Aliases that make a school-year file far bigger than it looks, or loop."""
    if "*" not in text:  # no alias, so the file is as big as it looks
        return []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # reading the file reports it, with its line
    except RecursionError:
        return [nested(source)]
    if root is None:
        return []
    state: dict[int, int] = {id(root): 1}  # 1: being counted, 2: counted
    sizes: dict[int, int] = {}
    stack = [(root, iter(_children(root)))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            state[id(node)] = 2
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[id(node)] > MOST_VALUES:
                return [_too_many(source, node)]
        elif state.get(id(child)) == 1:
            return [
                InputError(
                    "a YAML alias refers to a value it is part of, so the value never ends",
                    Location(source, child.start_mark.line + 1),
                    "Write the value out instead of using the alias.",
                )
            ]
        elif id(child) not in state:
            if len(stack) > 200:
                return [nested(source)]
            state[id(child)] = 1
            stack.append((child, iter(_children(child))))
    return []


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _too_many(source: str, node: yaml.Node) -> InputError:
    return InputError(
        f"with its YAML aliases (*name) written out the file holds more than "
        f"{MOST_VALUES:,} values",
        Location(source, node.start_mark.line + 1),
        "Write the values out instead of repeating them through aliases.",
    )


def ics_problems(text: str, source: str) -> list[InputError]:
    """Repeating events that would expand into more events than a school year holds."""
    problems = []
    repeating = events = 0
    for line, row in logical_lines(text):
        name = property_name(row)
        if name == "BEGIN" and row.partition(":")[2].strip().upper() == "VEVENT":
            events += 1
        if name != "RRULE":
            continue
        repeating += 1
        if _SUB_DAILY.search(row):
            problems.append(
                InputError(
                    "this event repeats more often than once a day",
                    Location(source, line, "RRULE"),
                    "School events repeat daily at most; give each time its own event.",
                )
            )
    if events > MOST_EVENTS:
        problems.append(
            InputError(
                f"the file has {events:,} events; the most a school year may have is "
                f"{MOST_EVENTS:,}",
                Location(source),
                "Check that the calendar holds one school's events for one year.",
            )
        )
    if repeating > MOST_REPEATING_EVENTS:
        problems.append(
            InputError(
                f"the file has {repeating} repeating events; the most one file may have is "
                f"{MOST_REPEATING_EVENTS}",
                Location(source),
                "Split the calendar into several files, or export the events one by one.",
            )
        )
    return problems


def size_problems(staff: int, events: int, source: str) -> list[InputError]:
    """Staff and events beyond what one school year may hold."""
    problems = []
    for count, most, what in ((staff, MOST_STAFF, "staff"), (events, MOST_EVENTS, "events")):
        if count > most:
            problems.append(
                InputError(
                    f"the year would have {count:,} {what}; the most one school year may "
                    f"have is {most:,}",
                    Location(source),
                    "Check that the file holds one school's year.",
                )
            )
    return problems
