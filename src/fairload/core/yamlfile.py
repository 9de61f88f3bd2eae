"""YAML that remembers where each value came from.

Mappings and sequences load as ``dict``/``list`` subclasses carrying the line of
every key and item, so an error found long after parsing can still say
``rules.yaml:42: unknown key 'limt'``.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from fairload.core.errors import InputError, Location


class LocatedDict(dict[Any, Any]):
    """A mapping with the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LocatedList(list[Any]):
    """A sequence with the 1-based line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):  # a mapping or list as a key: `{{a: 1}: 2}`
            raise yaml.constructor.ConstructorError(
                None, None, "a key is a mapping or a list, not a name", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # Dates stay ISO text until a schema has checked them, so YAML and JSON files
    # validate alike and a bad date is reported where it is rather than mis-parsed.
    return str(loader.construct_scalar(node))


def _locating(base: type[Any]) -> type[Any]:
    """A loader on ``base``'s parser that builds located mappings and sequences."""
    members: dict[str, Any] = {}
    if not base.yaml_path_resolvers:  # PyYAML's safe loaders: a plain value's tag is its text's
        members["resolve"] = _remembering_resolve(base.resolve)
    loader: type[Any] = type(f"Locating{base.__name__}", (base,), members)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return loader


def _remembering_resolve(resolve: Any) -> Any:
    """``resolve``, remembering for the document being read the tag of each plain value's
    text: the parser asks for every scalar (a school file has thousands, a few hundred
    of them different), and each answer is the implicit resolvers' regular expressions
    tried in turn. Only without path resolvers, where the text and its quoting decide."""

    def remembering(loader: Any, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return resolve(loader, kind, value, implicit)
        try:
            known = loader.fairload_tags
        except AttributeError:
            known = loader.fairload_tags = {}
        key = (value, implicit)
        tag = known.get(key)
        if tag is None:
            tag = known[key] = resolve(loader, kind, value, implicit)
        return tag

    return remembering


#: The pure-Python parser, and libyaml's (about 9x faster on a school file) when PyYAML
#: was built with it. libyaml's nodes carry the same line and column marks, so values
#: and errors are located alike; where it is missing the pure parser is used.
PURE_LOADER = _locating(yaml.SafeLoader)
LOADER = _locating(yaml.CSafeLoader) if yaml.__with_libyaml__ else PURE_LOADER


_MAPPING = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQUENCE = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_STRING = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
#: Keys ``flatten_mapping`` rewrites: merges (``<<: *base``) and ``=``.
_FLATTENED = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


def _construct(loader: Any, root: yaml.Node) -> Any:
    """What ``loader.construct_document(root)`` makes with the constructors above, in
    about a third of the time: PyYAML's ``construct_object`` costs several calls a value
    (a school file has thousands), this one a loop. Mappings, sequences and plain text
    are built here; any other value is made by the loader's own constructor for its tag
    (numbers, booleans, dates, ``!!set``, an unknown tag's error), as before. A node met
    again through an alias gives the same object; one that contains itself is refused,
    and so is a value its tag's constructor cannot read (``!!int x``), at its line.
    tests/core/test_yamlfile.py holds it to the loader's own on the same documents."""
    scalars = loader.yaml_constructors
    made: dict[int, Any] = {}
    building: set[int] = set()

    def build(node: Any) -> Any:
        tag = node.tag
        if tag == _STRING and node.__class__ is yaml.ScalarNode:
            return node.value
        if tag == _MAPPING and node.__class__ is yaml.MappingNode:
            shape: Any = LocatedDict
        elif tag == _SEQUENCE and node.__class__ is yaml.SequenceNode:
            shape = LocatedList
        elif node.__class__ is yaml.ScalarNode and tag in scalars:
            try:
                return scalars[tag](loader, node)
            except (ValueError, KeyError):  # `!!int x`, `!!bool maybe`: PyYAML's crash
                kind = tag.rsplit(":", 1)[-1]
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{node.value!r} cannot be read as {kind}, as its !!{kind} tag asks: "
                    "write a value of that type there, or remove the tag",
                    node.start_mark,
                ) from None
        else:
            return loader.construct_object(node, deep=True)
        identity = id(node)
        if identity in made:
            return made[identity]
        if identity in building:
            raise yaml.constructor.ConstructorError(
                None, None, "found unconstructable recursive node", node.start_mark
            )
        building.add(identity)
        if shape is LocatedList:
            result: Any = LocatedList([build(child) for child in node.value])
            result.item_lines = [child.start_mark.line + 1 for child in node.value]
        else:
            if any(key.tag in _FLATTENED for key, _ in node.value):
                loader.flatten_mapping(node)
            result = LocatedDict()
            lines: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = build(key_node)
                if key.__class__ is not str and not isinstance(key, Hashable):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key is a mapping or a list, not a name", key_node.start_mark
                    )
                if key in result:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                result[key] = build(value_node)
                lines[key] = key_node.start_mark.line + 1
            result.key_lines = lines
        result.line = node.start_mark.line + 1
        building.discard(identity)
        made[identity] = result
        return result

    return build(root)


def _load(text: str) -> Any:
    """``yaml.load(text, Loader=LOADER)``, the document built by ``_construct``."""
    loader = LOADER(text)
    try:
        root = loader.get_single_node()
        return None if root is None else _construct(loader, root)
    finally:
        loader.dispose()


def load_text(text: str, source: str) -> Any:
    """Parse YAML (or JSON, which is YAML) text; a syntax error names the source and line."""
    try:
        return _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            f"not valid YAML: {exc.problem or exc.context}",
            Location(source, line),
            "Check the indentation and quoting on that line.",
        ) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", Location(source)) from exc


def load_file(path: Path) -> Any:
    """Read and parse a YAML file; a missing or unreadable file is an InputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError("file not found", Location(str(path))) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", Location(str(path))) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", Location(str(path))) from exc
    return load_text(text, str(path))


def line_of(document: Any, path: list[str | int]) -> int | None:
    """The line of the value at ``path`` inside a located document, or the nearest parent's."""
    node = document
    line: int | None = getattr(node, "line", None)
    for step in path:
        if isinstance(node, LocatedDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def field_path(path: list[str | int]) -> str:
    """A field path a person can read: ``staff[3].fte``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text
