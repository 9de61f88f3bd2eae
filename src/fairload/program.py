"""The ``fairload`` program's entry point (``[project.scripts]``): the command line of
:mod:`fairload.cli`, with Python's cyclic garbage collector off from the start.

A command is one short process whose objects (modules, documents, records) rarely form
cycles, and the collector, run every 700 allocations, costs a few per cent of a check
while Click, Polars, Rich and the core are imported (issue 8). ``fairload.cli`` turns
it off for a command too, but only once Click and the command line are imported; here
it is off before either. A test runner imports ``fairload.cli`` itself, not this.
"""

from __future__ import annotations

import gc
from typing import NoReturn


def main() -> NoReturn:
    gc.disable()
    from fairload.cli import main as run

    run()
