"""Write src/fairload/core/data/bank-holidays.json from the installed ``holidays`` (run by
`make docs`): the bank holidays a check reads without importing every country."""

import json

from fairload.core.calendar import SNAPSHOT, snapshot_document

if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(snapshot_document(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
