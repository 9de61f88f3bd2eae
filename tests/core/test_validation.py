"""Strict, located schema validation: every problem says where it is and what was expected."""

from __future__ import annotations

import sys

import pytest

from fairload.core.errors import InputError, InputErrors, PackError
from fairload.core.validation import bundled_schema, validate
from fairload.core.yamlfile import load_text

STAFF_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9]+$", "description": "lower-case letters"},
        "post": {"enum": ["teacher", "depute-head"]},
        "fte": {"type": "number"},
        "started": {"type": "string", "format": "date"},
        "hours": {
            "description": "a parameter name or an operator mapping",
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {"multiply": {"type": "array", "items": {"type": "string"}}},
                    "additionalProperties": False,
                },
            ],
        },
    },
    "required": ["id", "post"],
    "additionalProperties": False,
}


def problems(text: str, schema=STAFF_SCHEMA, **kwargs) -> list[InputError]:
    with pytest.raises(InputErrors) as caught:
        validate(load_text(text, "staff.yaml"), schema, "staff.yaml", **kwargs)
    return caught.value.errors


def only_problem(text: str, **kwargs) -> InputError:
    (problem,) = problems(text, **kwargs)
    return problem


def test_a_valid_document_passes_silently():
    validate(load_text("id: t1\npost: teacher\nfte: 0.6\n", "x"), STAFF_SCHEMA, "x")


def test_an_unknown_key_is_named_with_the_keys_expected():
    problem = only_problem("id: t1\npost: teacher\nftee: 0.6\n")

    assert problem.message == "unknown key 'ftee'"
    assert problem.hint == "Did you mean 'fte'? Expected one of: fte, hours, id, post, started."


def test_an_unknown_key_unlike_any_expected_gets_no_suggestion():
    problem = only_problem("id: t1\npost: teacher\ncolour: blue\n")

    assert problem.hint == "Expected one of: fte, hours, id, post, started."


def test_an_unknown_key_is_located_by_file_and_field():
    problem = only_problem("id: t1\npost: teacher\nftee: 0.6\n")

    assert problem.location.file == "staff.yaml"
    assert problem.location.field == "ftee"


def test_an_unknown_key_is_located_at_its_own_line():
    problem = only_problem("id: t1\npost: teacher\nftee: 0.6\n")

    assert problem.location.line == 3


def test_a_missing_key_says_it_is_missing_and_to_add_it():
    problem = only_problem("id: t1\n")

    assert problem.message == "'post' is missing"
    assert problem.hint == "Add it."


def test_a_value_outside_an_enum_lists_the_allowed_values():
    problem = only_problem("id: t1\npost: deputy\n")

    assert problem.message == "'deputy' is not allowed here"
    assert problem.hint == "Expected one of: 'teacher', 'depute-head'."
    assert problem.location.line == 2
    assert problem.location.field == "post"


def test_a_value_of_the_wrong_type_names_the_type():
    problem = only_problem("id: t1\npost: teacher\nfte: full\n")

    assert problem.message == "'full' is not of type number"
    assert problem.location.line == 3


def test_an_impossible_date_is_not_a_valid_date():
    problem = only_problem("id: t1\npost: teacher\nstarted: 2025-02-30\n")

    assert problem.message == "'2025-02-30' is not a valid date"
    assert problem.location.line == 3


def test_a_pattern_mismatch_uses_the_schema_description_as_the_hint():
    problem = only_problem("id: T 1\npost: teacher\n")

    assert problem.message == "'T 1' is not in the expected form"
    assert problem.hint == "lower-case letters"


def test_a_number_where_an_expression_is_expected_gets_the_expression_hint():
    problem = only_problem("id: t1\npost: teacher\nhours: 2\n")

    assert problem.message == "2 does not match any accepted form"
    assert problem.hint == "a parameter name or an operator mapping"
    assert problem.location.line == 3


def test_a_one_of_reports_the_most_specific_problem_inside_it():
    problem = only_problem("id: t1\npost: teacher\nhours: {multiply: [a, 2]}\n")

    assert problem.message == "2 is not of type string"
    assert problem.location.field == "hours.multiply[1]"


def test_every_problem_is_reported_together_in_document_order():
    found = problems("post: deputy\nfte: full\nid: t1\nextra: 1\n")

    assert [p.location.field for p in found] == ["extra", "fte", "post"]
    assert {p.message for p in found} == {
        "unknown key 'extra'",
        "'full' is not of type number",
        "'deputy' is not allowed here",
    }


def test_the_error_type_is_the_callers():
    (problem,) = problems("id: t1\n", error_type=PackError)

    assert isinstance(problem, PackError)


def test_a_base_path_prefixes_the_field():
    problem = only_problem("id: t1\npost: deputy\n", base_path=["staff", 4])

    assert problem.location.field == "staff[4].post"
    assert str(problem).startswith("staff.yaml:2: staff[4].post: 'deputy' is not allowed here")


def test_the_school_year_schema_is_bundled():
    schema = bundled_schema("fairload.core", "school-year")

    assert schema["properties"]["format"]["const"] == "fairload/school-year@1"


# The fast path (jsonschema-rs says "valid"; jsonschema says what is wrong) ------------


def test_a_valid_document_is_passed_without_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # importing it now fails

    validate(load_text("id: ada\npost: teacher\nfte: 1\n", "s.yaml"), STAFF_SCHEMA, "s.yaml")
    with pytest.raises(ImportError):  # a problem still goes to jsonschema for its wording
        validate(load_text("id: ada\n", "s.yaml"), STAFF_SCHEMA, "s.yaml")


def test_a_tuple_is_not_an_array_though_jsonschema_rs_would_read_it_as_one() -> None:
    schema = {"type": "object", "properties": {"posts": {"type": "array"}}}

    with pytest.raises(InputErrors) as caught:
        validate({"posts": ("teacher",)}, schema, "built.yaml")

    assert "posts" in str(caught.value.errors[0])


@pytest.mark.parametrize(
    "value",
    [
        "2025-08-13\n",  # Python's $ matches before a final newline; ECMA-262's does not
        "٢٠٢٥-٠٨-١٣",  # Arabic-Indic digits: \d in Python's re, not in ECMA-262
    ],
)
def test_where_jsonschema_rs_is_stricter_jsonschema_still_decides(value: str) -> None:
    import jsonschema
    import jsonschema_rs

    schema = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    assert not jsonschema_rs.validator_for(schema).is_valid(value)
    assert jsonschema.Draft202012Validator(schema).is_valid(value)

    validate(value, schema, "x.yaml")  # as before the fast path: no problem reported
