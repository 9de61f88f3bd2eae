"""The ``fairload`` program's entry point (``[project.scripts]``): the command line of
:mod:`fairload.cli`, with Python's cyclic garbage collector off from the start, and the
code Python generates while modules load compiled once, not once a process.

A command is one short process whose objects (modules, documents, records) rarely form
cycles, and the collector, run every 700 allocations, costs a few per cent of a check
while Click, Polars, Rich and the core are imported (issue 8). ``fairload.cli`` turns
it off for a command too, but only once Click and the command line are imported; here
it is off before either. A test runner imports ``fairload.cli`` itself, not this.

Python keeps the compiled code of a module (``.pyc``) but not the code modules make as
they load, which a check makes again in every process (issue 8):

- a dataclass writes the source of its ``__init__``, ``__repr__``, ``__eq__``,
  ``__hash__`` (and a frozen one's ``__setattr__`` and ``__delattr__``) and compiles
  each with ``exec``: about a millisecond and a half a class on this Python, and a check
  makes some ninety (the core's school year, pack, findings and budgets; Polars' and
  Rich's), a seventh of its time (:class:`DataclassCode`);
- a regular expression compiled at import (PyYAML's reader, resolver and constructor,
  ``platform``, ``logging``...) is parsed and compiled by ``re``'s pure-Python compiler:
  some forty milliseconds of a check (:class:`RegexCode`).

Both are kept in the cache on disk (``fairload.core.diskcache``, as the packs are, under
a key naming this Python), each by what it was made from, the source text or the
pattern and flags, so a kept entry is only ever used for the very input that made it,
and it is what that input makes: ``exec`` of a code object compiled from a text (with no
inherited ``from __future__`` flags, as ``exec`` of a text from ``dataclasses`` has none)
does what ``exec`` of the text does, and a pattern's compiled form is what ``re`` hands
its engine (``_sre.compile``) for it. A missing or corrupt entry is made again.
"""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

if TYPE_CHECKING:
    from types import CodeType


def main() -> NoReturn:
    gc.disable()
    kept = [DataclassCode.installed(), RegexCode.installed()]
    from fairload.cli import main as run

    def keep() -> None:
        for code in kept:
            code.keep()

    run(before_exit=keep)


class _KeptCode:
    """What a process compiled, by a key of what it was compiled from, as marshalled
    bytes (unmarshalled only when used), read from and written to the cache on disk."""

    KIND: ClassVar[str]

    def __init__(self, known: dict[Any, bytes]) -> None:
        self.known = known
        self.compiled = 0
        self.reused = 0

    @classmethod
    def _read(cls) -> dict[Any, bytes]:
        import marshal

        from fairload.core import diskcache

        diskcache.use(diskcache.default_directory())
        data = diskcache.load_bytes(cls.KIND, cls._key())
        if not data:
            return {}
        try:
            known = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return {}
        return known if isinstance(known, dict) else {}

    #: the shape of what is kept: a new one when what ``_keep`` keeps changes
    SHAPE: ClassVar[int] = 1

    @classmethod
    def _key(cls) -> str:
        python = f"{sys.version} {sys.implementation.cache_tag} optimize={sys.flags.optimize}"
        return f"{cls.KIND} {cls.SHAPE} {python}"

    def _kept(self, key: Any) -> Any:
        """The value kept under ``key``, or None (none, or it cannot be read)."""
        import marshal

        data = self.known.get(key)
        if data is None:
            return None
        try:
            value = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        self.reused += 1
        return value

    #: the most entries kept: a pattern made from data (rare) cannot grow the file forever
    MOST: ClassVar[int] = 10_000

    def _keep(self, key: Any, value: Any) -> None:
        import marshal

        if len(self.known) >= self.MOST:
            return
        try:
            self.known[key] = marshal.dumps(value)
        except ValueError:  # not marshal's own types: made again next time
            return
        self.compiled += 1

    def keep(self) -> None:
        """Write the kept code back if this process compiled any of its own."""
        if not self.compiled:
            return
        import marshal

        from fairload.core import diskcache

        diskcache.store_bytes(self.KIND, self._key(), marshal.dumps(self.known))


class DataclassCode(_KeptCode):
    """The compiled code of dataclasses' generated methods, by the hash of their text;
    ``exec`` in ``dataclasses`` reads it (``installed``)."""

    KIND = "dataclass-code"

    @classmethod
    def installed(cls) -> DataclassCode:
        """The kept code read (none where the cache is off), and ``dataclasses`` made to
        run it rather than compile its text again."""
        import dataclasses

        code = cls(cls._read())
        # ``dataclasses`` calls exec by its global name: this module attribute is the one
        # it finds, ahead of the builtin.
        dataclasses.exec = code.exec  # type: ignore[attr-defined]
        return code

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        """``exec(source, globals, locals)``, with the code kept for ``source``'s text."""
        if isinstance(source, str):
            source = self._code(source)
        exec(source, globals, locals)  # what dataclasses asked for

    def _code(self, text: str) -> CodeType:
        import hashlib
        from types import CodeType

        name = hashlib.blake2b(text.encode(), digest_size=16).digest()
        code = self._kept(name)
        if isinstance(code, CodeType):
            return code
        code = compile(text, "<string>", "exec", dont_inherit=True)
        self._keep(name, code)
        return code


class RegexCode(_KeptCode):
    """Regular expressions as ``re`` compiles them for its engine, by pattern and flags;
    ``re``'s compiler reads them (``installed``) on the Pythons whose compiler is the
    one this copies the last step of (3.11 to 3.13), and is left alone on any other."""

    KIND = "regex-code"
    PYTHONS = ((3, 11), (3, 12), (3, 13))

    @classmethod
    def installed(cls) -> RegexCode:
        import re  # noqa: F401 (and with it re._compiler)

        compiler = _re_compiler()
        code = cls(cls._read() if compiler is not None else {})
        if compiler is not None:
            code.original = compiler.compile
            compiler.compile = code.compile
        return code

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        """``re._compiler.compile(pattern, flags)``: the compiled form kept for a text
        pattern and its flags, else made as ``re`` makes it (and kept)."""
        import re

        compiler = _re_compiler()
        if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
            return self.original(pattern, flags)
        key = (pattern, int(flags))
        args = self._kept(key)
        if not (isinstance(args, tuple) and len(args) == 5):
            # What re._compiler.compile does, its arguments to the engine kept.
            parsed = compiler._parser.parse(pattern, flags)
            groupindex = parsed.state.groupdict
            indexgroup: list[str | None] = [None] * parsed.state.groups
            for name, index in groupindex.items():
                indexgroup[index] = name
            code = compiler._code(parsed, flags)
            args = (
                int(flags | parsed.state.flags),
                [int(op) for op in code],  # opcodes are named ints: the engine reads ints
                parsed.state.groups - 1,
                dict(groupindex),
                tuple(indexgroup),
            )
            self._keep(key, args)
        return compiler._sre.compile(pattern, *args)

    original: Any = None


def _re_compiler() -> Any:
    """``re``'s compiler module on the Pythons ``RegexCode`` knows, else None."""
    if sys.version_info[:2] not in RegexCode.PYTHONS:
        return None
    return sys.modules.get("re._compiler")
