"""`make bench` (g): casting votes in a secret ballot under 50 concurrent voters.

The ballot service itself (fairload.web.ballots.services.ballot_vote: the elector's row
lock, the participation, the vote and its receipt, in one transaction) against a real
database: a throwaway PostgreSQL 15 cluster (scripts/throwaway_postgres.py) where its
server programs are installed, else a throwaway SQLite file, and the output says which.
The database is migrated and given the South Ayrshire test school, a ballot is opened
for ``--electors`` electors, and ``--voters`` threads, each on its own connection, cast
every elector's vote as fast as they can. The figures: votes per second over the whole
run, and the median and 95th percentile time to cast one vote (which, with 50 voters on
a few cores, is mostly waiting for a turn). Then the ballot is closed, and the count
checked against the votes cast.

Run on its own: ``python -m bench.ballots`` (``--electors``, ``--voters``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOTERS = 50
ELECTORS = 2000
OPENED = datetime(2026, 6, 1, 9, tzinfo=UTC)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairload.web.test_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _measure(electors: int, voters: int) -> None:
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from fairload.core.ballots import AGREEMENT_APPROVAL, Choice
    from fairload.core.yamlfile import load_file
    from fairload.web.accounts.models import Membership, Role
    from fairload.web.ballots.policies import AGREEMENT
    from fairload.web.ballots.selectors import ElectorIn
    from fairload.web.ballots.services import ballot_close, ballot_open, ballot_vote
    from fairload.web.schools.services import school_year_import

    fixture = ROOT / "src/fairload/packs/scotland/south-ayrshire-jnct-2.7/tests/school.yaml"
    school_year_import(document=load_file(fixture), source=str(fixture))
    from fairload.web.schools.models import School

    school = School.objects.get(slug="test-academy")
    users = get_user_model()
    head = users.objects.create_user(username="bench-head", password="not-used")
    Membership.objects.create(user=head, role=Role.HEAD, school=school)
    users.objects.bulk_create(users(username=f"bench-voter-{i}") for i in range(electors))
    people = list(users.objects.filter(username__startswith="bench-voter-").order_by("pk"))
    ballot = ballot_open(
        actor=head,
        school=school,
        subject_kind="agreement",
        subject_id="2025-26",
        question="Do you approve the working time agreement?",
        paper_text="The final version.",
        electorate=[ElectorIn(name=p.get_username(), person_id=p.pk) for p in people],
        policy=AGREEMENT,
        parameters=AGREEMENT_APPROVAL,
        now=OPENED,
    )
    during = OPENED + timedelta(days=1)
    timings: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(voters)

    def vote_for(share: list[object]) -> None:
        mine = []
        try:
            start.wait()
            for index, person in enumerate(share):
                began = time.perf_counter()
                ballot_vote(
                    ballot=ballot,
                    voter=person,  # type: ignore[arg-type]
                    choice=Choice.YES if index % 2 else Choice.NO,
                    now=during,
                )
                mine.append((time.perf_counter() - began) * 1000)
        finally:
            connections.close_all()
            with lock:
                timings.extend(mine)

    threads = [threading.Thread(target=vote_for, args=(people[i::voters],)) for i in range(voters)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    closed = ballot_close(actor=head, ballot=ballot, now=OPENED + timedelta(days=11))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database += " " + cursor.fetchone()[0].split()[0]
    print(f"(g) Secret ballot: {electors:,} electors, {voters} concurrent voters, on {database}")
    print(f"    votes cast                {len(timings):10,} in {wall:.1f} s")
    print(f"    votes per second          {len(timings) / wall:10,.0f}")
    print(f"    time to cast a vote: median {statistics.median(timings):6.1f} ms")
    print(f"                         p95    {p95:6.1f} ms")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"    (the voters share {os.cpu_count()} CPUs with the database; load average {load})")
    tally = closed.result["tally"] if closed.result else {}
    counted = tally.get("votes_cast") == len(timings) == electors
    verdict = "PASS" if counted else "MISS"
    print(f"    counted at close          {tally.get('votes_cast', 0):10,} [{verdict}]")


def bench_ballots(electors: int = ELECTORS, voters: int = VOTERS) -> None:
    """Run the measurement in a child process on a throwaway database."""
    command = [sys.executable, "-m", "bench.ballots", "--inside"]
    command += ["--electors", str(electors), "--voters", str(voters)]
    programs = all(shutil.which(p) for p in ("initdb", "pg_ctl", "postgres")) or any(
        Path("/usr/lib/postgresql").glob("*/bin/initdb")
    )
    with tempfile.TemporaryDirectory(prefix="fairload-bench-ballots-") as data:
        env = {**os.environ, "FAIRLOAD_DATA_DIR": data}
        if programs:
            command = [sys.executable, str(ROOT / "scripts/throwaway_postgres.py"), "--", *command]
        else:
            print("(g) PostgreSQL's server programs are absent: measuring on SQLite instead")
            sys.stdout.flush()
            env["DATABASE_URL"] = f"sqlite:///{data}/bench.sqlite3"
        sys.stdout.flush()  # the child writes to the same stream
        subprocess.run(command, cwd=ROOT, env=env, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="secret ballot benchmark")
    parser.add_argument("--electors", type=int, default=ELECTORS)
    parser.add_argument("--voters", type=int, default=VOTERS)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        _measure(args.electors, args.voters)
    else:
        bench_ballots(args.electors, args.voters)


if __name__ == "__main__":
    main()
