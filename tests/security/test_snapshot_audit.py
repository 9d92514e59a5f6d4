"""The committed snapshot's findings come from today's checks and zizmor configuration."""

import json

from infradocs.core.inventory.snapshot import PATH as SNAPSHOT
from infradocs.core.security import enrich, zizmor


def test_the_snapshot_was_audited_by_the_current_checks() -> None:
    doc = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    recorded = doc.get("security", {}).get("tools")
    assert recorded == enrich.tools(zizmor.executable()), (
        f"{SNAPSHOT.name} was audited by {recorded}, not by today's checks: "
        "re-run `nox -s security -- SOURCE...` on the folders it was taken from"
    )
