"""The cache on disk between commands (fairload.core.diskcache): a pack edited since it was
kept is read again, and an entry that cannot be read is a miss, never an error.

Each command is a new process; here "a new process" is the same one with the in-process
pack cache and the bank holidays emptied, so what a command finds it finds on disk.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import FIXTURE, Run, cache_fixture, pack_fixture  # noqa: F401 (fixtures used by name)

from fairload.core import calendar, diskcache, packs
from fairload.io import check_replay

Forget = Callable[[], None]


@pytest.fixture
def new_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[Forget]:
    """Forget what this process has loaded, as a new command's process has nothing."""

    def forget() -> None:
        monkeypatch.setattr(packs, "_LOADED", {})
        calendar.bank_holidays.cache_clear()

    forget()
    yield forget
    calendar.bank_holidays.cache_clear()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The pack folders read from their YAML (not found in a cache)."""
    seen: list[Path] = []
    real = packs._read

    def counting(folder: Path, chain: tuple[str, ...]) -> packs.Pack:
        seen.append(folder)
        return real(folder, chain)

    monkeypatch.setattr(packs, "_read", counting)
    return seen


def test_a_new_command_finds_the_pack_on_disk(
    run: Run, cache: Path, new_process: Forget, reads: list[Path], pack: Path
) -> None:
    first = run("check", FIXTURE, "--pack", pack)
    assert list((cache / "packs").glob("*.pickle")), "the pack was not kept on disk"
    # The school year's bank holidays are read from the shipped snapshot, not kept.
    assert not (cache / "bank-holidays").exists()

    new_process()
    second = run("check", FIXTURE, "--pack", pack)

    assert reads == [pack]  # the first command read it; the second found it kept
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)


def test_a_changed_parameter_value_is_read_again_and_changes_the_output(
    run: Run, cache: Path, new_process: Forget, reads: list[Path], pack: Path
) -> None:
    before = run("check", FIXTURE, "--pack", pack)
    assert "1365" in before.stdout  # Appendix 1's hours a year, in the budget's total

    parameters = pack / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    assert text.count("values: {2014-08-01: 1365}") == 1
    parameters.write_text(text.replace("{2014-08-01: 1365}", "{2014-08-01: 1371}"), "utf-8")
    new_process()
    after = run("check", FIXTURE, "--pack", pack)

    assert reads == [pack, pack]
    # The headings still add up to 1365 hours: against 1371 that is now a breach.
    assert (before.exit_code, after.exit_code) == (0, 1)
    assert "not the 1371 hours of the working year" in after.stdout


def test_a_corrupt_cache_entry_is_ignored_and_rewritten(
    run: Run, cache: Path, new_process: Forget, reads: list[Path]
) -> None:
    first = run("check", FIXTURE)
    entries = sorted(cache.rglob("*.pickle"))
    assert entries  # the pack
    for entry in entries:
        entry.write_bytes(b"\x80\x05not a pickle at all")
    # The check's kept output would be replayed before any pack is read: gone, so the
    # second command reads the pack through its entry.
    shutil.rmtree(cache / check_replay.KIND)

    new_process()
    second = run("check", FIXTURE)

    assert (second.exit_code, second.stdout, second.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    assert len(reads) == 2  # read from its YAML both times
    for entry in entries:
        key, _ = pickle.loads(entry.read_bytes())  # written again, whole
        assert isinstance(key, str)


def test_an_empty_cache_variable_keeps_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_process: Forget
) -> None:
    monkeypatch.setenv(diskcache.CACHE_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    assert run("check", FIXTURE).exit_code in (0, 1)
    assert not list(tmp_path.rglob("*.pickle"))


def test_the_sealing_cipher_is_cryptographys_aes_gcm() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    # Taken from the bindings that define it, without the ciphers package: the same class.
    assert diskcache._aes_gcm() is AESGCM
