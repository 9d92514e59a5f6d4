"""The weekly verify workflow: pinned actions, read-only, no persisted credentials, zizmor-clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from infradocs.core.siteconfig import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "verify.yml"


def test_workflow_runs_verify_weekly_with_least_privilege() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
    on = doc[True]  # YAML 1.1 reads the key `on` as true
    assert on["schedule"][0]["cron"] and "workflow_dispatch" in on
    assert doc["permissions"] == {"contents": "read"}
    steps = doc["jobs"]["verify"]["steps"]
    uses = [s for s in steps if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", s["uses"]) for s in uses)
    for line in WORKFLOW.read_text().splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+$", line), line
    checkout = next(s for s in uses if s["uses"].startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    run = " ".join(s.get("run", "") for s in steps)
    assert 'nox -s verify -- --markdown "$GITHUB_STEP_SUMMARY"' in run


def test_workflow_passes_zizmor_offline() -> None:
    exe = shutil.which("zizmor") or str(Path(sys.executable).with_name("zizmor"))
    proc = subprocess.run(
        [exe, "--offline", "--persona", "pedantic", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout + proc.stderr
