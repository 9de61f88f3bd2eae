"""`make bench` (d): what refusing a bad upload costs, through the web import.

A throwaway SQLite database in a temporary directory (the test settings: the production
settings with a throwaway key), migrated and holding one school (the South Ayrshire
pack's fixture) and its head teacher. Each bad file is uploaded and its preview opened
through Django's test client, as the browser does; the time is from the upload to the
preview page that lists the problems. The same files are read by the io functions the
CLI uses, for comparison. Targets: each refusal through the web under 2 s.

- a 100,000-row staff CSV (about 2.7 MB) whose fte column is bad in every row (the io
  reader stops at the first 50 problems; the web refuses the file by its row count);
- a school-year file nested 50,000 brackets deep.

Run on its own: ``python -m bench.refusing``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHOOL = ROOT / "src/fairload/packs/scotland/south-ayrshire-jnct-2.7/tests/school.yaml"
ROWS = 100_000
DEPTH = 50_000
TARGET_S = 2.0


def bad_staff_csv(rows: int = ROWS) -> str:
    """One bad column: every fte is '0.x'."""
    return "id,name,post,fte\n" + "".join(f"x{n},T {n},teacher,0.x\n" for n in range(rows))


def deep_school_year(depth: int = DEPTH) -> str:
    return "format: fairload/school-year@1\nschool: " + "[" * depth + "]" * depth + "\n"


def _timed(work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> None:
    data = tempfile.mkdtemp(prefix="fairload-bench-refusing-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        FAIRLOAD_DATA_DIR=data,
        FAIRLOAD_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="fairload.web.test_settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from fairload.core.errors import InputError, InputErrors
    from fairload.core.yamlfile import load_file
    from fairload.io.school_file import load_school_document
    from fairload.io.staff_csv import parse_staff_csv
    from fairload.web.accounts.models import Membership, Role
    from fairload.web.schools.services import school_year_import

    call_command("migrate", verbosity=0)
    year = school_year_import(document=load_file(SCHOOL), source=str(SCHOOL))
    head = get_user_model().objects.create_user("head", password="not-used")
    Membership.objects.create(user=head, role=Role.HEAD, school=year.school)
    client = Client()
    client.force_login(head)
    start_url = f"/schools/{year.school.slug}/import/"

    def refuse(kind: str, name: str, text: str) -> tuple[float, int]:
        def work() -> int:
            file = SimpleUploadedFile(name, text.encode())
            response = client.post(start_url, {"kind": kind, "file": file})
            assert response.status_code == 302, response.status_code
            page = client.get(response["Location"]).content.decode()
            return page.count("data-problem>")

        seconds, problems = _timed(work)
        return seconds, int(problems)  # type: ignore[call-overload]

    print("(d) Refusing bad uploads (web: upload and preview; io: the CLI's reader)")
    staff = bad_staff_csv()
    seconds, problems = refuse("staff-csv", "staff.csv", staff)
    verdict = "PASS" if seconds <= TARGET_S else "MISS"
    print(
        f"    refusing a bad {ROWS:,}-row staff CSV ({len(staff) / 1e6:.1f} MB), web   "
        f"{seconds:7.2f} s, {problems:,} problems listed   [target <= {TARGET_S:.0f} s: {verdict}]"
    )

    def read_staff() -> int:
        try:
            parse_staff_csv(staff, "staff.csv")
        except InputErrors as many:
            return len(many.errors)
        return 0

    seconds, listed = _timed(read_staff)
    print(f"    the same file, io.staff_csv.parse_staff_csv  {seconds:7.2f} s, {listed:,} problems")
    deep = deep_school_year()
    seconds, problems = refuse("school-year", "deep.yaml", deep)
    verdict = "PASS" if seconds <= TARGET_S else "MISS"
    print(
        f"    refusing a school-year file nested {DEPTH:,} deep, web    {seconds:7.2f} s, "
        f"{problems:,} problems listed   [target <= {TARGET_S:.0f} s: {verdict}]"
    )
    deep_path = Path(data) / "deep.yaml"
    deep_path.write_text(deep, encoding="utf-8")

    def read_deep() -> str:
        try:
            load_school_document(deep_path)
        except InputError as error:
            return str(error.location)
        return "read"

    seconds, where = _timed(read_deep)
    print(
        f"    the same file, io.school_file (fairload check) {seconds:7.2f} s, refused at {where}"
    )


if __name__ == "__main__":
    main()
