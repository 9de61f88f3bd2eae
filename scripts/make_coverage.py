"""Write docs/coverage.md from the packs (run by `make docs`)."""

from pathlib import Path

from fairload.core.coverage import write_coverage

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "coverage.md"
    write_coverage(target)
    print(f"wrote {target}")
