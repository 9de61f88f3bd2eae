"""The school-year file a school downloads: the fairload/school-year@1 format, as YAML.

Written from the core's own SchoolYear (``dump_school_year(to_core(year))``), so the file
is exactly what the core checks, and importing it gives the same year back.
"""

from __future__ import annotations

import re
from datetime import date

import yaml

from fairload.io.school_file import dump_school_year
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.to_core import to_core

#: A clock time or an ISO date, written in quotes so that every YAML reader, and every
#: person editing the file, reads it as text (PyYAML quotes '15:30' but not 08:50).
_CLOCK_OR_DATE = re.compile(r"^\d{1,2}:\d{2}$|^\d{4}-\d{2}-\d{2}$")


class _SchoolFileDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if _CLOCK_OR_DATE.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_SchoolFileDumper.add_representer(str, _represent_str)


def school_year_yaml(year: SchoolYear, *, today: date) -> str:
    """The year as a school-year file, with a comment saying what it is and when it was made."""
    school = year.school
    header = (
        f"# {school.name}, school year {year.label}: a fairload/school-year@1 file,\n"
        f"# exported on {today:%Y-%m-%d}. Check it with `fairload check FILE`,\n"
        "# or import it on the school's Import page.\n"
    )
    return header + yaml.dump(
        dump_school_year(to_core(year)),
        Dumper=_SchoolFileDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
