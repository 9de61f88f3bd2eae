"""`make bench` (c): the school dashboard's response time under 20 concurrent clients.

A production-like server on loopback: gunicorn (2 worker processes x 4 threads, for 2
cores) serving fairload with DEBUG off on a throwaway SQLite database in a temporary
directory, migrated, loaded with the demo schools (``load_demo``) and with its static
files collected (DEBUG off means the manifest storage, which the pages' ``{% static %}``
tags need). One client signs in as the demo head through the real form; then 20 client
threads, each on its own keep-alive connection with that session, ask for the largest
demo school's dashboard as fast as the server answers (a bounded number of requests
and a time limit), and then do the same for a trivial page on the same server: the
sign-in page, which goes through the same middleware and page template with no data.
The figures are the median and 95th percentile of each, and the ratio of the medians.
Targets: dashboard median under 100 ms, ratio under 5. The bare ``/healthz`` answer (no
template, no session) is measured too and its ratio printed, as the server's floor.

Each worker keeps the checks of the years it served (FAIRLOAD_CHECK_CACHE_SIZE), keyed
by the year's revision, so the dashboard is warmed with enough concurrent requests to
reach every worker before timing. The server is always stopped (its whole process
group), and nothing but 127.0.0.1 is ever asked.

Run on its own: ``python -m bench.web`` (``--requests``, ``--clients``, ``--keep``).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
USERNAME, PASSWORD = "head", "fairload-demo"  # the demo head teacher of Auchenlea Academy
TRIVIAL = "/sign-in/"  # a page: the site's template and middleware, no data
FLOOR = "/healthz"  # not a page: two bytes, no session, no template
CLIENTS = 20
REQUESTS = 400  # per page, over all clients
PHASE_LIMIT_S = 60.0  # per page: stop early (and say so) if the server is this slow
WORKERS, THREADS = 2, 4
MEDIAN_TARGET_MS = 100.0
RATIO_TARGET = 5.0
START_TIMEOUT_S = 60.0


def say(message: str) -> None:
    print(f"    {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    """Development (so the demo's known passwords may be loaded), but DEBUG off."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("PG")}
    env.update(
        FAIRLOAD_ENV="development",
        FAIRLOAD_DEBUG="0",
        FAIRLOAD_DATA_DIR=str(data_dir),
        FAIRLOAD_ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="fairload.web.settings",
    )
    env.pop("FAIRLOAD_CHECK_CACHE_SIZE", None)  # the production default
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command in the bench's data dir; its output, or fail loudly."""
    result = subprocess.run(
        [sys.executable, "-m", "fairload.web.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


STAFF_COUNTS = """
import json
from django.db.models import Count
from fairload.web.schools.models import School
print(json.dumps({s.slug: s.staff for s in School.objects.annotate(staff=Count("years__staff"))}))
"""


@contextlib.contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn on HOST:port, in its own process group, killed on the way out."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "fairload.web.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{log.read_text()}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", TRIVIAL)
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer in {START_TIMEOUT_S:.0f} s")
            time.sleep(0.1)
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def sign_in(base: str) -> str:
    """Sign in through the form as a browser would; returns the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/sign-in/", timeout=30) as response:
        form = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if not match:
        raise RuntimeError("no CSRF token in the sign-in form")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": USERNAME, "password": PASSWORD}
    ).encode()
    with opener.open(f"{base}/sign-in/", data=data, timeout=30) as response:
        landed = urllib.parse.urlsplit(response.geturl()).path
    if landed.startswith("/sign-in/"):
        raise RuntimeError(f"could not sign in as {USERNAME!r}")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError("signed in, but no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


@dataclass
class Phase:
    path: str
    timings_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    stopped_early: bool = False

    def median(self) -> float:
        return statistics.median(self.timings_ms)

    def p95(self) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def hammer(port: int, path: str, cookie: str, clients: int, requests: int, expect: bytes) -> Phase:
    """`clients` threads share `requests` GETs of `path`, each on its own connection."""
    phase = Phase(path)
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + PHASE_LIMIT_S
    start_gate = threading.Barrier(clients)

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Cookie": cookie, "Connection": "keep-alive"}
        start_gate.wait()
        try:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    if time.monotonic() > deadline:
                        phase.stopped_early = True
                        return
                    remaining[0] -= 1
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                    with lock:
                        phase.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    if response.status == 200 and expect in body:
                        phase.timings_ms.append(elapsed)
                    else:
                        phase.errors.append(f"HTTP {response.status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PHASE_LIMIT_S + 60)
    phase.wall_s = time.perf_counter() - began
    return phase


def describe(label: str, phase: Phase) -> None:
    if not phase.timings_ms:
        say(f"{label:<10} no successful request ({len(phase.errors)} errors: {phase.errors[:3]})")
        return
    rate = len(phase.timings_ms) / phase.wall_s
    errors = f", {len(phase.errors)} errors ({phase.errors[0]})" if phase.errors else ""
    early = f", stopped at the {PHASE_LIMIT_S:.0f} s limit" if phase.stopped_early else ""
    say(
        f"{label:<10} median {phase.median():7.1f} ms   p95 {phase.p95():7.1f} ms   "
        f"({len(phase.timings_ms)} requests, {rate:,.0f}/s{errors}{early})"
    )


def bench_web(clients: int = CLIENTS, requests: int = REQUESTS, keep: bool = False) -> bool:
    """Run the benchmark and print it; True if both targets are met."""
    print(f"(c) Dashboard response time under {clients} concurrent clients")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    say(f"{os.cpu_count()} CPUs here, load average {load} before the run")
    data_dir = Path(tempfile.mkdtemp(prefix="fairload-bench-web-"))

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # so the `finally`s stop the server and tidy up

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        env = server_env(data_dir)
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")
        staff = json.loads(manage(env, "shell", "-c", STAFF_COUNTS).strip().splitlines()[-1])
        slug = max(staff, key=staff.get)
        say(
            f"demo loaded in {time.perf_counter() - started:.1f} s; largest school by staff: "
            f"{slug} ({staff[slug]} staff; "
            + ", ".join(f"{s} {n}" for s, n in staff.items() if s != slug)
            + ")"
        )
        dashboard = f"/schools/{slug}/"
        port = free_port()
        with gunicorn(env, port, data_dir / "gunicorn.log"):
            say(
                f"gunicorn on {HOST}:{port}: {WORKERS} workers x {THREADS} threads (gthread), "
                "DEBUG off, SQLite"
            )
            cookie = sign_in(f"http://{HOST}:{port}")
            say(f"signed in as {USERNAME!r} through the sign-in form")
            # Warm every worker's check cache and code paths (gunicorn hands connections
            # to whichever worker accepts first, so ask often and concurrently).
            warm = hammer(port, dashboard, cookie, clients, 4 * clients, b"<h1")
            health_warm = hammer(port, TRIVIAL, cookie, clients, 2 * clients, b"<h1")
            if warm.errors or health_warm.errors:
                raise RuntimeError(f"warm-up failed: {(warm.errors + health_warm.errors)[:3]}")
            say(f"warmed with {len(warm.timings_ms) + len(health_warm.timings_ms)} requests")
            page = hammer(port, dashboard, cookie, clients, requests, b"<h1")
            trivial = hammer(port, TRIVIAL, cookie, clients, requests, b"<h1")
            floor = hammer(port, FLOOR, cookie, clients, requests, b"ok")
        describe(dashboard, page)
        describe(TRIVIAL, trivial)
        describe(FLOOR, floor)
        if not page.timings_ms or not trivial.timings_ms:
            say("MISS: no figures")
            return False
        ratio = page.median() / trivial.median()
        median_ok = page.median() < MEDIAN_TARGET_MS and not page.errors
        ratio_ok = ratio < RATIO_TARGET
        if floor.timings_ms:
            say(
                f"ratio to the bare {FLOOR} answer {page.median() / floor.median():.2f} (no target)"
            )
        say(
            f"dashboard median {page.median():.1f} ms   [target < {MEDIAN_TARGET_MS:.0f} ms: "
            f"{'PASS' if median_ok else 'FAIL'}]"
        )
        say(
            f"ratio of medians {ratio:.2f}   [target < {RATIO_TARGET:.0f}: "
            f"{'PASS' if ratio_ok else 'FAIL'}]"
        )
        return median_ok and ratio_ok
    finally:
        signal.signal(signal.SIGTERM, previous)
        if keep:
            say(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="fairload dashboard response time")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="per page, all clients")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args(argv)
    bench_web(args.clients, args.requests, args.keep)


if __name__ == "__main__":
    main()
