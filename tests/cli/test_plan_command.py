

def test_previous_keeps_close_to_last_years_days(
    run: Run, write_school: WriteSchool, school_document: dict[str, Any], tmp_path: Path
) -> None:
    last = json.loads(json.dumps(school_document, default=str))
    last["events"].append(
        {
            "id": "prd",
            "title": "PRD review",
            "category": "review",
            "date": "2026-02-04",
            "start": "15:45",
            "end": "16:45",
        }
    )
    previous = write_school(last, "last-year.yaml")
    wish = {
        "id": "prd",
        "title": "PRD review",
        "category": "review",
        "minutes": 60,
        "count": 1,
        "terms": ["Spring"],
        "earliest_start": "15:45",
    }
    path = write_school(_planned(school_document, wish))
    result = run("plan", path, *FAST, "--previous", previous, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [e["date"] for e in report["events"]] == ["2026-02-04"]
    assert report["objective"]["events away from the current or last year's days"] == 0
