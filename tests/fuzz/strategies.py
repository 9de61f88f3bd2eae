"""Shared by the importer fuzz tests: how many cases, and files made by mutating good ones.

``FAIRLOAD_FUZZ=ci`` (set by .ci/run) selects the slow run's profile, with
``FUZZ_CASES`` cases per importer (more than 10,000 over every importer); otherwise a
few cases each, so the everyday suite stays fast. Each test's own ``settings`` name its
share of the run (``fuzz_settings(weight)``).

A case is a good file with a few random edits: characters inserted, deleted or replaced,
a line repeated or dropped, and tokens the readers treat specially (quotes, separators,
brackets, YAML anchors and aliases, iCalendar property names and rule parts). Random
edits of a good file reach far deeper into a reader than random text does.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from fairload.core.errors import InputError, InputErrors

CI = os.environ.get("FAIRLOAD_FUZZ") == "ci"
#: Cases per importer in the slow run, and in the everyday suite.
FUZZ_CASES = 1_800 if CI else 25


def fuzz_settings(weight: float = 1.0) -> Any:
    return settings(
        max_examples=max(1, int(FUZZ_CASES * weight)),
        deadline=None,
        database=None,  # every run the same cases for the same seed, nothing kept
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )


TOKENS = [
    '"', "'", ",", ";", ":", "=", "\n", "\r\n", "\t", " ", "\\", "#", "-", "- ",
    "[", "]", "{", "}", "&a ", "*a", "!!python/object ", "%", "@", "|", ">", "?",
    "0", "-1", "1e309", "nan", "99999999999999999999", "0.x", "yes", "null", "~",
    "2025-02-30", "31/02/2026", "25:61", "T", "Z", "é", "\u2028", "\ufeff", "\x00",
    "BEGIN:VEVENT\n", "END:VEVENT\n", "BEGIN:VCALENDAR\n", "END:VCALENDAR\n",
    "BEGIN:VTIMEZONE\n", "TZID:", "RRULE:", "RDATE:", "EXDATE:", "DURATION:", "DTSTART:",
    "DTEND:", ";TZID=Europe/London", ";VALUE=DATE", "FREQ=", "COUNT=", "UNTIL=",
    "INTERVAL=", "BYDAY=", "WEEKLY", "DAILY", "X-FAIRLOAD-ATTENDEES:", "CATEGORIES:",
    "post:", "department:", "all", "none", "staff", "events", "attendees",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str, most_edits: int = 6) -> str:
    """``text`` with a few random edits."""
    for _ in range(draw(st.integers(min_value=1, max_value=most_edits))):
        lines = text.splitlines(keepends=True) or [""]
        edit = draw(st.sampled_from(["insert", "delete", "replace", "repeat", "drop", "token"]))
        at = draw(st.integers(min_value=0, max_value=len(text)))
        if edit == "insert":
            text = text[:at] + draw(st.text(max_size=4)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=8)) :]
        elif edit == "replace":
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
        elif edit in ("repeat", "drop"):
            n = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[n : n + 1] = [lines[n]] * (2 if edit == "repeat" else 0)
            text = "".join(lines)
        else:
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
    return text


def files(good: str) -> st.SearchStrategy[str]:
    """Cases for one importer: mostly edits of a good file, some random text."""
    return st.one_of(mutated(good), mutated(good, most_edits=30), st.text(max_size=200))


def located(error: BaseException, *sources: str) -> None:
    """Fails unless ``error`` is a located input error (or several), each in one of
    ``sources`` (the file read, or what a problem in it is about)."""
    errors = error.errors if isinstance(error, InputErrors) else [error]
    assert errors, "an empty list of problems"
    for one in errors:
        assert isinstance(one, InputError), repr(one)
        assert one.location is not None, f"no location: {one}"
        assert one.location.file in sources, one
        assert one.message, "a problem without a message"
