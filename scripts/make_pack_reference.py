"""Write docs/packs.md, the pack author's reference, from the code (run by `make docs`)."""

from pathlib import Path

from fairload.core.pack_guide import write_pack_guide

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "docs" / "packs.md"
    write_pack_guide(target)
    print(f"wrote {target}")
