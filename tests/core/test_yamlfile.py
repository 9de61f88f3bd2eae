"""YAML that remembers where each value came from, so errors can say file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fairload.core import yamlfile
from fairload.core.errors import InputError
from fairload.core.yamlfile import (
    LocatedDict,
    LocatedList,
    field_path,
    line_of,
    load_file,
    load_text,
)

RULES = """\
# a comment, so nothing starts on line 1
- id: meeting-max-duration
  template: event_duration_cap
  where: {category: [staff-meeting, briefing]}
  max_hours: meeting_max_hours

- id: parents-evening-appointments
  template: event_duration_cap
  max_hours: parents_evening_appointments_max_hours
"""


def test_it_records_the_line_of_every_key():
    rules = load_text(RULES, "rules.yaml")

    assert rules[0].key_lines == {"id": 2, "template": 3, "where": 4, "max_hours": 5}
    assert rules[1].key_lines["max_hours"] == 9


def test_it_records_the_line_of_every_item():
    rules = load_text(RULES, "rules.yaml")

    assert isinstance(rules, LocatedList)
    assert rules.item_lines == [2, 7]


def test_it_records_the_line_of_items_in_a_flow_list():
    rules = load_text(RULES, "rules.yaml")

    categories = rules[0]["where"]["category"]
    assert categories == ["staff-meeting", "briefing"]
    assert categories.item_lines == [4, 4]


def test_mappings_and_sequences_still_compare_equal_to_plain_ones():
    assert load_text("a: [1, 2]\nb: {c: d}\n", "x.yaml") == {"a": [1, 2], "b": {"c": "d"}}


def test_a_located_mapping_knows_its_own_first_line():
    rules = load_text(RULES, "rules.yaml")

    assert isinstance(rules[1], LocatedDict)
    assert rules[1].line == 7


@pytest.mark.parametrize(
    ("path", "line"),
    [
        pytest.param([1, "max_hours"], 9, id="a key in the second rule"),
        pytest.param([0, "where", "category", 1], 4, id="an item of a flow list"),
        pytest.param([0, "no-such-key"], 2, id="a missing key falls back to its mapping"),
        pytest.param([5], 2, id="an item past the end falls back to the list"),
    ],
)
def test_line_of_finds_the_line_of_a_path(path, line):
    assert line_of(load_text(RULES, "rules.yaml"), path) == line


def test_line_of_a_plain_document_is_unknown():
    assert line_of({"a": 1}, ["a"]) is None


def test_a_duplicate_key_is_rejected_with_its_line():
    text = "meeting_max_hours: 2\nplanning_hours_per_year: 25\nmeeting_max_hours: 3\n"

    with pytest.raises(InputError) as caught:
        load_text(text, "parameters.yaml")

    assert caught.value.location.file == "parameters.yaml"
    assert caught.value.location.line == 3
    assert "duplicate key 'meeting_max_hours'" in caught.value.message


@pytest.mark.parametrize("text", ['{\n{"format": "x"}: 1}', "? [a, b]\n: 1\n"])
def test_a_mapping_or_list_as_a_key_is_a_located_error_not_a_crash(text: str) -> None:
    # Found by the importers' fuzz: `{{...}}` in a JSON file (a key that is a mapping).
    with pytest.raises(InputError) as caught:
        load_text(text, "school.json")

    assert caught.value.location.line in (1, 2)
    assert "a key is a mapping or a list" in caught.value.message


def test_a_duplicate_key_in_a_nested_mapping_is_rejected_too():
    text = "school:\n  id: a\n  name: A\n  id: b\n"

    with pytest.raises(InputError) as caught:
        load_text(text, "school.yaml")

    assert caught.value.location.line == 4


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("a: 1\nb: [1, 2\nc: 3\n", 3, id="an unclosed flow list"),
        pytest.param("a: 1\n b: 2\n", 2, id="a key indented under a scalar"),
        pytest.param("a: 'unterminated\n", 2, id="an unterminated quote"),
        pytest.param("- a\nb: 1\n", 2, id="a mapping after a list item"),
    ],
)
def test_a_syntax_error_is_located(text, line):
    with pytest.raises(InputError) as caught:
        load_text(text, "broken.yaml")

    assert str(caught.value).startswith(f"broken.yaml:{line}: not valid YAML")
    assert "indentation and quoting" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("d: 2025-08-13", "2025-08-13", id="a bare date"),
        pytest.param("d: 2025-8-3", "2025-8-3", id="a date without leading zeros"),
        pytest.param("d: 2025-08-13 16:45:00", "2025-08-13 16:45:00", id="a date and time"),
        pytest.param("d: '2025-08-13'", "2025-08-13", id="a quoted date"),
    ],
)
def test_dates_are_kept_as_the_iso_text_written(text, expected):
    assert load_text(text, "x.yaml") == {"d": expected}


def test_dates_used_as_keys_are_kept_as_text():
    values = load_text("values: {2014-08-01: 35, 2006-08-01: 22.5}", "x.yaml")["values"]

    assert list(values) == ["2014-08-01", "2006-08-01"]


def test_json_is_read_as_yaml():
    assert load_text('{"hours": [1.5, 2], "ok": true}', "x.json") == {"hours": [1.5, 2], "ok": True}


def test_a_missing_file_is_an_input_error_naming_it(tmp_path: Path):
    with pytest.raises(InputError, match="file not found") as caught:
        load_file(tmp_path / "missing.yaml")

    assert caught.value.location.file.endswith("missing.yaml")


def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Seòras\n".encode("latin-1"))

    with pytest.raises(InputError, match="not UTF-8"):
        load_file(path)


def test_a_file_is_located_by_its_path(tmp_path: Path):
    path = tmp_path / "rules.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")

    with pytest.raises(InputError) as caught:
        load_file(path)

    assert str(caught.value).startswith(f"{path}:2:")


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param(["staff", 3, "fte"], "staff[3].fte", id="a list index"),
        pytest.param([2, "max_hours"], "[2].max_hours", id="a rule in a list"),
        pytest.param(["school"], "school", id="a single key"),
        pytest.param([], "", id="the whole document"),
    ],
)
def test_field_path_reads_as_a_person_writes_it(path, text):
    assert field_path(path) == text


# libyaml's parser (yamlfile.LOADER when PyYAML has it) and the pure one must agree on
# every value, every line and every located error: the pure one is the fallback.

LOADERS = [pytest.param("LOADER", id="libyaml"), pytest.param("PURE_LOADER", id="pure")]


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch):
    from fairload.core import yamlfile

    chosen = getattr(yamlfile, request.param)
    monkeypatch.setattr(yamlfile, "LOADER", chosen)
    return chosen


def test_libyaml_is_used_where_pyyaml_has_it():
    import yaml

    from fairload.core import yamlfile

    assert yaml.__with_libyaml__, "PyYAML here was built without libyaml"
    assert issubclass(yamlfile.LOADER, yaml.CSafeLoader)
    assert not issubclass(yamlfile.PURE_LOADER, yaml.CSafeLoader)


def test_both_parsers_give_the_same_values_and_lines(loader):
    text = (Path(__file__).parents[2] / "examples" / "south-ayrshire-secondary.yaml").read_text()
    document = load_text(text, "school.yaml")
    from fairload.core import yamlfile

    pure = yaml_with(yamlfile.PURE_LOADER, text)
    assert document == pure
    assert _lines(document) == _lines(pure)
    assert load_text(RULES, "rules.yaml")[1].key_lines["max_hours"] == 9


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", 3),
        ("a: 1\n b: 2\n", 2),
        ("a: 'unterminated\n", 2),
        ("- a\nb: 1\n", 2),
        ("a: 1\nb: 2\na: 3\n", 3),
    ],
)
def test_both_parsers_locate_errors_on_the_same_line(loader, text, line):
    with pytest.raises(InputError) as caught:
        load_text(text, "broken.yaml")

    assert caught.value.location.line == line


def yaml_with(loader_class, text):
    import yaml

    return yaml.load(text, Loader=loader_class)


def _lines(node):
    """Every recorded line of a located document, in order."""
    if isinstance(node, LocatedDict):
        return [node.line, node.key_lines, *(_lines(v) for v in node.values())]
    if isinstance(node, LocatedList):
        return [node.line, node.item_lines, *(_lines(v) for v in node)]
    return None


# load_text builds documents itself (yamlfile._construct), faster than PyYAML's
# construct_object: it must give what the loader's own constructors give, value for
# value, type for type and line for line, on every shape YAML can write.

SHAPES = [
    pytest.param("a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: text\ng: '1'\n", id="scalars"),
    pytest.param("n: [0x1f, 0o17, 1_000, -2, .inf, -.nan, 1e3]\n", id="numbers"),
    pytest.param("d: 2025-08-13\nt: 2025-08-13 16:45:00\n", id="dates as text"),
    pytest.param("base: &b {x: 1, y: [1, 2]}\nuse: *b\nmore: [*b, *b]\n", id="aliases"),
    pytest.param("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  z: 3\n", id="a merge key"),
    pytest.param("base: &b {x: 1}\nuse:\n  <<: *b\n  x: 3\n", id="a merge key overridden"),
    pytest.param(
        "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n", id="a merge of a list"
    ),
    pytest.param("s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n", id="sets and ordered maps"),
    pytest.param("b: !!binary aGVsbG8=\nf: !!float 1\ni: !!str 12\n", id="explicit tags"),
    pytest.param("- [a, [b, [c, {d: [e]}]]]\n- {}\n- []\n", id="nested flow"),
    pytest.param("1: one\n2.5: two\nfalse: three\nnull: four\n", id="keys that are not text"),
    pytest.param("1: one\ntrue: two\n", id="keys equal as values"),
    pytest.param("a: {b: 1}\nc: {b: 2, b: 3}\n", id="a duplicate key"),
    pytest.param("", id="an empty document"),
    pytest.param("just text\n", id="a scalar document"),
]


@pytest.mark.parametrize("text", SHAPES)
def test_load_text_builds_what_the_loaders_constructors_build(loader, text: str) -> None:
    import yaml

    try:
        expected = yaml_with(loader, text)
    except yaml.MarkedYAMLError as refused:
        with pytest.raises(InputError) as caught:
            load_text(text, "x.yaml")
        assert caught.value.message == f"not valid YAML: {refused.problem}"
        assert caught.value.location.line == refused.problem_mark.line + 1
        return
    built = load_text(text, "x.yaml")

    assert _typed(built) == _typed(expected)
    assert _lines(built) == _lines(expected)


def test_an_alias_gives_the_same_object_as_its_anchor() -> None:
    document = load_text("base: &b {x: [1]}\nuse: *b\n", "x.yaml")

    assert document["use"] is document["base"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a: &a [*a]\n", "recursive", id="a list containing itself"),
        pytest.param("a: !nosuch 1\n", "could not determine a constructor", id="an unknown tag"),
        # Both crashed PyYAML's constructors with a ValueError or a KeyError: a traceback.
        pytest.param(
            "a: !!int x\n",
            "'x' cannot be read as int, as its !!int tag asks: "
            "write a value of that type there, or remove the tag",
            id="a bad explicit int",
        ),
        pytest.param(
            "a: !!bool maybe\n", "'maybe' cannot be read as bool", id="a bad explicit bool"
        ),
    ],
)
def test_a_value_no_constructor_makes_is_a_located_error(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, "x.yaml")

    assert caught.value.location.line == 1
    assert message in caught.value.message


def _typed(node):
    """A document with the type of every value beside it (1 == 1.0 == True otherwise)."""
    if isinstance(node, dict):
        return [type(node), [(_typed(k), _typed(v)) for k, v in node.items()]]
    if isinstance(node, list):
        return [type(node), [_typed(v) for v in node]]
    if isinstance(node, float) and node != node:
        return [float, "nan"]
    return [type(node), node]


def test_a_text_met_again_in_a_document_is_read_as_its_quoting_says() -> None:
    # The loader remembers each plain value's tag within a document: by text and quoting.
    text = 'a: 1\nb: "1"\nc: 1\nd: true\ne: "true"\nf: [true, null, "null", null]\n'
    document = yamlfile.load_text(text, "t.yaml")

    assert document == {"a": 1, "b": "1", "c": 1, "d": True, "e": "true"} | {
        "f": [True, None, "null", None]
    }
    assert document == yaml.load(text, Loader=yamlfile.PURE_LOADER)
