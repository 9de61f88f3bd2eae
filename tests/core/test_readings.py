"""A reading of the source is recorded on its parameter, shown by `fairload explain`, and
the other reading is one line of YAML in an extending pack (8.9: PT Guidance)."""

from __future__ import annotations

from pathlib import Path

from fairload.core.packs import load_pack

from .conftest import School, south_ayrshire

OTHER_READING = Path(__file__).parent / "reading_packs" / "guidance-six-plus-ten"


def _guidance_pt_with_free_periods(free: int) -> School:
    school = School()
    school.set_staff("ptg", contact_periods_per_week=33 - free)
    return school


def test_the_bundled_pack_records_its_reading_of_8_9():
    parameter = south_ayrshire().parameters.parameters["guidance_periods_before_management_time"]
    assert parameter.reading is not None
    assert parameter.reading.startswith("10 periods in total")


def test_the_other_reading_is_one_line_of_yaml():
    lines = (OTHER_READING / "parameters.yaml").read_text().splitlines()
    assert len([line for line in lines if line.strip()]) == 1


def test_under_the_other_reading_12_free_periods_lack_the_6_plus_10():
    pack = load_pack(OTHER_READING)

    finding = _guidance_pt_with_free_periods(12).check(pack).only("management-time-guidance")

    assert (finding.actual, finding.limit) == (12, 16)
    (reading,) = [p.reading for p in finding.working.parameters if p.name.startswith("guidance")]
    assert reading is not None and reading.startswith("6 + 10")


def test_under_the_other_reading_16_free_periods_are_enough():
    pack = load_pack(OTHER_READING)

    assert _guidance_pt_with_free_periods(16).check(pack).of("management-time-guidance") == []


def test_under_the_bundled_reading_12_free_periods_are_enough():
    assert _guidance_pt_with_free_periods(12).check().of("management-time-guidance") == []
