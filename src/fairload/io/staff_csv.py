"""Staff lists as CSV: read into the school-year format's ``staff`` rows, and written back.

The columns are the fields of a staff row in ``fairload/school-year@1`` (see
docs/import-formats.md): ``id``, ``name`` and ``post`` are required, every other column
is optional and may be left out of the file or left empty in a row. Column names ignore
case, spaces and hyphens (``Contact hours per week`` is ``contact_hours_per_week``).
Yes/no columns take ``yes``/``no``/``true``/``false``/``y``/``n``/``1``/``0``; number
columns take a point for decimals (``0.6``).

Every problem is reported at once (``InputErrors``), each located by file, line and
column, up to ``MOST_ERRORS``: each row is checked as it is read, and once there are
more problems than that reading stops, and one more problem says so (a file with one bad
column in 100,000 rows is 50 messages and 51 rows read, not 100,000 of each). A header
the rows cannot be read by (columns separated by semicolons, a required column missing)
is refused before any row is read.
``staff_to_csv`` writes what ``parse_staff_csv`` reads: reading a written file gives back
the same staff.

This module also holds the CSV machinery ``fairload.io.events_csv`` shares: reading a
table with a header, checking a value against the format's JSON Schema, and keeping a
spreadsheet from running a cell as a formula.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.school_format import schema
from fairload.core.school_year import StaffMember

#: Words a yes/no column accepts (case does not matter).
TRUE_WORDS = ("yes", "true", "y", "1")
FALSE_WORDS = ("no", "false", "n", "0")

#: A cell starting with one of these is a formula to a spreadsheet. Written cells that
#: start with one get a leading apostrophe (which spreadsheets hide), removed on reading.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The most problems reported one by one: the web import and the command line read a file
#: no further once it has more ("and more problems after line 51").
MOST_ERRORS = 50

#: Schema keywords ``check_value`` understands; tests hold the format's columns to them.
CHECKED_KEYWORDS = frozenset(
    {"type", "enum", "pattern", "minimum", "exclusiveMinimum", "maximum", "format", "$ref"}
    | {"description", "items", "minItems"}
)
#: a list in one cell (contact week by week across a timetable cycle): "25; 20"
LIST_SEPARATOR = ";"


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One data row: the school-year format's fields, and the line the row starts on."""

    fields: dict[str, Any]
    line: int


#: Checks one data row as it is read (line, its cells by column, the file's columns) and
#: gives its problems; ``read_table`` stops reading once there are too many.
RowCheck = Callable[[int, dict[str, str], tuple[str, ...]], list[InputError]]


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file's header (normalised column names, in order) and its non-blank rows."""

    source: str
    columns: tuple[str, ...]
    header_line: int
    rows: tuple[tuple[int, dict[str, str]], ...]


def column_key(name: str) -> str:
    """``Contact hours per week`` -> ``contact_hours_per_week``."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def escape_formula(value: str) -> str:
    """Text a spreadsheet will show rather than run; ``unescape_formula`` undoes it."""
    if value[:1] in FORMULA_STARTS or (value[:1] == "'" and value[1:2] in (*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    if value[:1] == "'" and value[1:2] in (*FORMULA_STARTS, "'"):
        return value[1:]
    return value


def read_table(
    text: str,
    source: str,
    known: Sequence[str],
    required: Sequence[str],
    errors: list[InputError],
    most_rows: int | None = None,
    check_row: RowCheck | None = None,
) -> Table | None:
    """Read CSV text with a header row; problems are added to ``errors``.

    Unknown columns are errors (with the nearest known name as a hint), as are required
    columns that are missing and columns named twice. Cells are stripped of surrounding
    spaces; blank rows are skipped; ``check_row`` checks each row as it is read. Returns
    None when there is nothing to read: the header cannot be read by (``_check_header``),
    there are more than ``most_rows`` rows (then the rest are only counted, not read), or
    more than ``MOST_ERRORS`` problems (then the rest of the file is not read).
    """
    text = text.removeprefix("\ufeff")
    # Strict: a quote left open is an error on its line, not the rest of the file in a cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    header: list[str] | None = None
    header_line = 0
    columns: tuple[str, ...] = ()
    before_rows = len(errors)
    rows: list[tuple[int, dict[str, str]]] = []
    previous = 0
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = [column_key(c) for c in cells], line
                if not _check_header(header, source, line, known, required, errors):
                    return None
                columns = tuple(c for c in header if c in known)
                before_rows = len(errors)
                continue
            too_many = len(errors) > MOST_ERRORS
            if too_many or (most_rows is not None and len(rows) >= most_rows):
                more = 0
                if most_rows is not None:  # the rest are counted: a file too long is refused
                    more = sum(1 for rest in reader if any(cell.strip() for cell in rest))
                if most_rows is not None and len(rows) + 1 + more > most_rows:
                    del errors[before_rows:]  # by its length, whatever its rows say
                    errors.append(_too_many_rows(source, len(rows) + 1 + more, most_rows))
                else:  # the rest of the file is not read
                    errors[:] = capped(
                        [*errors, MoreProblems(None, Location(source), None)], source
                    )
                return None
            if len(cells) > len(header):
                extra = [c for c in cells[len(header) :] if c.strip()]
                if extra:
                    errors.append(
                        InputError(
                            f"this row has {len(cells)} values but the header names "
                            f"{len(header)} columns",
                            Location(source, line),
                            "Put values containing a comma in double quotes, "
                            "or add a name for the extra column.",
                        )
                    )
                    continue
            unnamed = [
                n
                for n, (name, cell) in enumerate(zip(header, cells, strict=False), 1)
                if not name and cell.strip()
            ]
            if unnamed:
                errors.append(
                    InputError(
                        f"there is a value in column {unnamed[0]}, which has no name",
                        Location(source, line),
                        "Give the column a name in the first row, or delete the value.",
                    )
                )
                continue
            values = {
                name: unescape_formula(cell.strip())
                for name, cell in zip(header, cells, strict=False)
                if name in known
            }
            rows.append((line, values))
            if check_row is not None:
                errors.extend(check_row(line, values, columns))
    except csv.Error as exc:
        errors.append(
            InputError(
                f"cannot read this line as CSV: {exc}",
                Location(source, previous + 1),
                "Check the double quotes on this line: a value in quotes starts and ends "
                "with one, with only a comma after it.",
            )
        )
        return None
    if header is None:
        errors.append(
            InputError(
                "the file is empty",
                Location(source),
                "The first row names the columns: " + ", ".join(required) + ", ….",
            )
        )
        return None
    return Table(source, columns, header_line, tuple(rows))


def _too_many_rows(source: str, rows: int, most: int) -> InputError:
    return InputError(
        f"the file has {rows:,} rows; the most it may have is {most:,}",
        Location(source),
        "Check that it is the right file: one row for each member of one school's staff, "
        "or for each of one school's events.",
    )


def _check_header(
    header: list[str],
    source: str,
    line: int,
    known: Sequence[str],
    required: Sequence[str],
    errors: list[InputError],
) -> bool:
    """Add the header's problems to ``errors``; False when its rows cannot be read (its
    columns are separated by semicolons, or a required column is missing), so that the
    rows are not read at all."""
    if len(header) == 1 and ";" in header[0]:
        errors.append(
            InputError(
                "the columns are separated by semicolons",
                Location(source, line),
                "Save the file as 'CSV UTF-8 (comma delimited)'.",
            )
        )
        return False
    seen: set[str] = set()
    for name in header:
        if not name:
            continue  # an empty column is ignored; a value under it is reported by its row
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"Did you mean '{close[0]}'? " if close else ""
            errors.append(
                InputError(
                    f"unknown column '{name}'",
                    Location(source, line, name),
                    hint + "Columns: " + ", ".join(known) + ".",
                )
            )
        elif name in seen:
            errors.append(
                InputError(
                    f"the column '{name}' is named twice",
                    Location(source, line, name),
                    "Keep one of them.",
                )
            )
        seen.add(name)
    missing = [name for name in required if name not in header]
    for name in missing:
        errors.append(
            InputError(
                f"the column '{name}' is missing",
                Location(source, line),
                f"Add a column named '{name}'.",
            )
        )
    return not missing


@cache
def _definitions() -> dict[str, Any]:
    defs: dict[str, Any] = schema()["$defs"]
    return defs


def properties(definition: str) -> dict[str, Any]:
    """The format's JSON Schema for each field of a staff row or an event."""
    props: dict[str, Any] = _definitions()[definition]["properties"]
    return props


def required_fields(definition: str) -> tuple[str, ...]:
    return tuple(_definitions()[definition]["required"])


def resolved(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    """A field's schema with a ``$ref`` (a date, a time, who attends) filled in."""
    if "$ref" in spec:
        return {**_definitions()[spec["$ref"].rsplit("/", 1)[1]], **spec}
    return spec


def convert(spec: Mapping[str, Any], text: str) -> tuple[Any, str, str]:
    """A cell's text as the value the schema asks for: (value, problem, hint).

    The problem is empty when the text is a good value. Enumerated names ignore case,
    and spaces become hyphens (``Principal Teacher`` is ``principal-teacher``).
    """
    spec = resolved(spec)
    kind = spec.get("type")
    value: Any = text
    if kind == "array":
        items = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
        values = []
        for item in items:
            one, problem, hint = convert(spec["items"], item)
            if problem:
                return None, problem, hint or f"Separate the figures with '{LIST_SEPARATOR}'."
            values.append(one)
        if len(values) < spec.get("minItems", 0):
            return None, "no figures given", f"Separate the figures with '{LIST_SEPARATOR}'."
        return values, "", ""
    if kind == "boolean":
        word = text.lower()
        if word in TRUE_WORDS:
            value = True
        elif word in FALSE_WORDS:
            value = False
        else:
            return None, f"'{text}' is not yes or no", "Write yes or no."
    elif kind in ("number", "integer"):
        try:
            number = float(text)
            if not math.isfinite(number):
                raise ValueError(text)
        except ValueError:
            hint = "Write a number, with a point for decimals (0.6)."
            if re.fullmatch(r"\d+,\d+", text):
                hint = f"Write {text.replace(',', '.')}: use a point for decimals."
            return None, f"'{text}' is not a number", hint
        if kind == "integer":
            if not number.is_integer():
                return None, f"'{text}' is not a whole number", "Write a whole number."
            value = int(number)
        else:
            value = number
    elif "enum" in spec:
        normal = re.sub(r"[\s_]+", "-", text.strip().lower()).replace("'", "").replace("’", "")
        value = normal if normal in spec["enum"] else text
    problem, hint = check_value(spec, value)
    return (value if not problem else None), problem, hint


def check_value(spec: Mapping[str, Any], value: Any) -> tuple[str, str]:
    """A value against one field's schema: (problem, hint), both empty when it fits."""
    spec = resolved(spec)
    if "enum" in spec and value not in spec["enum"]:
        options = [str(o) for o in spec["enum"]]
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        return f"'{value}' is not allowed here", hint + "Expected one of: " + ", ".join(options)
    if "pattern" in spec and not re.search(spec["pattern"], str(value)):
        return f"'{value}' is not in the expected form", spec.get("description", "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = format_number(value)
        if "minimum" in spec and value < spec["minimum"]:
            return f"{shown} is less than {format_number(spec['minimum'])}", ""
        if "exclusiveMinimum" in spec and value <= spec["exclusiveMinimum"]:
            return f"{shown} must be more than {format_number(spec['exclusiveMinimum'])}", ""
        if "maximum" in spec and value > spec["maximum"]:
            return f"{shown} is more than {format_number(spec['maximum'])}", ""
    return "", ""


def format_number(value: float) -> str:
    """A number as written in a CSV cell: ``1`` not ``1.0``, and exact (``repr``) otherwise."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, tuple | list):
        return f"{LIST_SEPARATOR} ".join(format_value(v) for v in value)
    return escape_formula(str(getattr(value, "value", value)))


def record_reader(
    definition: str,
    source: str,
    records: list[CsvRecord],
    special: Mapping[str, Callable[[str], tuple[Any, str, str]]] | None = None,
) -> RowCheck:
    """A ``RowCheck`` that reads each row's cells as the format's fields (an empty cell
    leaves the field out) and adds each good row to ``records``."""
    specs = properties(definition)
    required = required_fields(definition)

    def read(line: int, cells: dict[str, str], columns: tuple[str, ...]) -> list[InputError]:
        row: dict[str, Any] = {}
        problems = []
        for name in columns:
            text = cells.get(name, "")
            if not text:
                if name in required:
                    problems.append(
                        InputError(
                            f"no {name.replace('_', ' ')} given",
                            Location(source, line, name),
                            f"Every row needs a value in the '{name}' column.",
                        )
                    )
                continue
            reader = (special or {}).get(name)
            value, problem, hint = reader(text) if reader else convert(specs[name], text)
            if problem:
                problems.append(InputError(problem, Location(source, line, name), hint))
            else:
                row[name] = value
        if not problems:
            records.append(CsvRecord(row, line))
        return problems

    return read


def write_table(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV text with a header, every value written as ``format_value`` writes it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_value(row.get(name)) for name in columns])
    return out.getvalue()


def by_line(errors: list[InputError]) -> list[InputError]:
    """Problems in the order of the file (a stable sort: a line's problems keep theirs)."""
    return sorted(errors, key=lambda e: (e.location.line or 0) if e.location else 0)


class MoreProblems(InputError):
    """Stands for ``count`` problems found but not listed; None: some, not counted, since
    reading stopped."""

    def __init__(self, count: int | None, location: Location, after: int | None) -> None:
        self.count = count
        where = f" after line {after}" if after else ""
        if count is None:
            message = f"and more problems{where}: the file was read no further"
        else:
            message = f"and {count:,} more problem{'s' if count != 1 else ''}{where}"
        super().__init__(
            message,
            location,
            "Mend the problems above (often one mistake repeated down a column) and "
            "check the file again to see the rest.",
        )


def capped(errors: Sequence[InputError], source: str, most: int = MOST_ERRORS) -> list[InputError]:
    """The first ``most`` problems, and one that counts the rest (capping twice is once;
    once uncounted, the rest stay uncounted)."""
    listed = [e for e in errors if not isinstance(e, MoreProblems)]
    counts = [e.count for e in errors if isinstance(e, MoreProblems)]
    uncounted = None in counts
    rest = sum(c for c in counts if c is not None) + max(0, len(listed) - most)
    if not rest and not uncounted:
        return listed
    last = listed[min(most, len(listed)) - 1].location if listed else None
    more = MoreProblems(None if uncounted else rest, Location(source), last.line if last else None)
    return [*listed[:most], more]


def id_checker(source: str, what: str) -> Callable[[int, dict[str, str]], list[InputError]]:
    """Checks each row, as it is read, for an ``id`` an earlier row already has (whatever
    else is wrong with them)."""
    first: dict[str, int] = {}

    def check(line: int, cells: dict[str, str]) -> list[InputError]:
        key = cells.get("id", "")
        if not key:
            return []
        if key in first:
            return [
                InputError(
                    f"{what} id '{key}' is used twice (also on line {first[key]})",
                    Location(source, line, "id"),
                    f"Give each {what} its own id.",
                )
            ]
        first[key] = line
        return []

    return check


# ---------------------------------------------------------------------- staff


def staff_columns() -> tuple[str, ...]:
    """Every staff column, in the order of the core's StaffMember fields."""
    names = [f.name for f in fields(StaffMember)]
    return tuple(n for n in names if n in properties("staff"))


@dataclass(frozen=True, slots=True)
class StaffCsv:
    """A staff CSV file read: its rows, and which columns it has (the others are kept)."""

    source: str
    columns: tuple[str, ...]
    records: tuple[CsvRecord, ...]

    @property
    def staff(self) -> list[dict[str, Any]]:
        """The ``staff`` rows of a school-year document."""
        return [dict(r.fields) for r in self.records]


def parse_staff_csv(text: str, source: str, most_rows: int | None = None) -> StaffCsv:
    """Staff rows from CSV text; every problem at once (up to ``MOST_ERRORS``, then reading
    stops), located by line and column.

    ``most_rows`` bounds the work: a file with more rows is refused before they are read."""
    errors: list[InputError] = []
    records: list[CsvRecord] = []
    read = record_reader("staff", source, records)
    repeated = id_checker(source, "staff")

    def check_row(line: int, cells: dict[str, str], columns: tuple[str, ...]) -> list[InputError]:
        return read(line, cells, columns) + repeated(line, cells)

    table = read_table(
        text, source, staff_columns(), required_fields("staff"), errors, most_rows, check_row
    )
    if table is None:
        raise InputErrors(errors)
    if errors:
        raise InputErrors(capped(by_line(errors), source))
    return StaffCsv(source, table.columns, tuple(records))


def staff_to_csv(staff: Sequence[StaffMember]) -> str:
    """A staff CSV that ``parse_staff_csv`` reads back as the same staff.

    ``id``, ``name`` and ``post`` always, then each other column that some member has a
    value for (other than the format's default), in the StaffMember's field order.
    """
    defaults = {f.name: f.default for f in fields(StaffMember)}
    always = required_fields("staff")
    columns = [
        name
        for name in staff_columns()
        if name in always or any(getattr(m, name) != defaults[name] for m in staff)
    ]
    return write_table(columns, ({n: getattr(m, n) for n in columns} for m in staff))
