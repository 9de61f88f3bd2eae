"""How deep a school-year file nests, found before the YAML reader sees it.

The YAML reader takes seconds to fail on a few hundred kilobytes of ``[[[[…``, and runs
out of stack on deep indentation, while a school year needs about five levels. This is
one pass over the text, used by every reader of school-year files: the command line's
(``fairload.io.school_file``) and the web import's.
"""

from __future__ import annotations

import re

from fairload.core.errors import InputError, Location

#: The most levels a school-year file may nest (it needs about five).
MOST_DEPTH = 60

_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')
_DASHES = re.compile(r"(?:-[ \t]+)+")
_BRACKET = re.compile(r"[\[\]{}]")
_HINT = "A school-year file is a few levels deep; check the brackets and the indentation."


def nesting_problems(text: str, source: str) -> list[InputError]:
    """The line where the text first nests more than ``MOST_DEPTH`` levels, if it does.

    It counts flow brackets (``[`` and ``{``, outside quotes and comments, where a value
    starts or inside another bracket) and block levels (indentation and leading ``- ``)."""
    flow = 0
    for number, row in enumerate(text.splitlines(), 1):
        cleaned = _QUOTED.sub('""', row)
        cleaned = cleaned.split(" #", 1)[0] if not cleaned.startswith("#") else ""
        stripped = cleaned.lstrip(" ")
        dashes = _DASHES.match(stripped)
        block = (len(cleaned) - len(stripped)) // 2 + (dashes.group(0).count("-") if dashes else 0)
        too_deep = block + flow > MOST_DEPTH
        for match in _BRACKET.finditer(cleaned):
            if too_deep:
                break
            if match.group(0) in "[{":
                if flow or _value_starts(cleaned, match.start()):
                    flow += 1
                    too_deep = block + flow > MOST_DEPTH
            elif flow:
                flow -= 1
        if too_deep:
            return [
                InputError(
                    f"the file is nested more than {MOST_DEPTH} levels deep here",
                    Location(source, number),
                    _HINT,
                )
            ]
    return []


def _value_starts(row: str, at: int) -> bool:
    """Whether a bracket at ``at`` starts a value: first on its line, or after ``:``, ``-``
    or ``,`` (within a plain scalar, ``Meeting [draft]``, it is only a character)."""
    before = at - 1
    while before >= 0 and row[before] in " \t":
        before -= 1
    return before < 0 or row[before] in ":-,"


def nested(source: str) -> InputError:
    """The error for a file the reader ran out of stack on (the scan let it through)."""
    return InputError(
        "the file is nested too deeply to read",
        Location(source),
        "A school-year file is a few levels deep; check the brackets.",
    )
