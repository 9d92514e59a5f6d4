"""Run zizmor (offline, no token, with our zizmor.yml) on workflow files; its JSON as findings."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from infradocs.core.security.findings import CONFIDENCES, SEVERITIES, finding

TOOL = "zizmor"
TOKEN_VARS = ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")
# Our policy for every audited repository; it also keeps their own zizmor.yml out.
CONFIG = Path(__file__).with_name("zizmor.yml")
ARGS = (
    "--offline",
    "--strict-collection",
    "--config",
    str(CONFIG),
    "--no-exit-codes",
    "--no-progress",
    "--format",
    "json",
)
TIMEOUT = 300


@dataclass
class Result:
    """Findings by file path, and (path, message) problems for files zizmor could not audit."""

    findings: dict[str, list[dict]] = field(default_factory=dict)
    problems: list[tuple[str | None, str]] = field(default_factory=list)


def executable(name: str = TOOL) -> str | None:
    """Path of the zizmor program: beside this Python first, then on PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


def version(exe: str | None) -> str | None:
    """zizmor's version (e.g. ``1.32.0``), or None when it is missing or broken."""
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    words = out.stdout.split()
    return words[-1] if out.returncode == 0 and words else None


def config_digest() -> str:
    """A short hash of the configuration, recorded with the findings it produced."""
    return hashlib.sha256(CONFIG.read_bytes()).hexdigest()[:12]


def run(exe: str | None, files: dict[str, bytes]) -> Result:
    """Audit ``files`` (repository path -> bytes) together; isolate failing files one by one."""
    result = Result()
    if not files:
        return result
    if not exe:
        result.problems.extend((p, "zizmor is not installed; workflow not audited") for p in files)
        return result
    with tempfile.TemporaryDirectory(prefix="zizmor-") as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        ok, out = _call(exe, root, sorted(files))
        if ok:
            _collect(out, root, result)
            return result
        for rel in sorted(files):  # one bad file must not hide the others' findings
            ok, out = _call(exe, root, [rel])
            if ok:
                _collect(out, root, result)
            else:
                result.problems.append((rel, f"zizmor failed: {out}"))
    return result


def _call(exe: str, root: Path, rels: list[str]) -> tuple[bool, str]:
    env = {k: v for k, v in os.environ.items() if k not in TOKEN_VARS}
    env.update(NO_COLOR="1", RUST_BACKTRACE="0", RUST_LIB_BACKTRACE="0")
    try:
        proc = subprocess.run(
            [exe, *ARGS, *rels],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if proc.returncode != 0:
        return False, _reason(proc.stderr) or f"exit status {proc.returncode}"
    return True, proc.stdout


def _reason(stderr: str) -> str:
    """zizmor's error in one line: its messages up to the backtrace, without log lines."""
    lines = []
    for raw in stderr.splitlines():
        ln = raw.strip()
        if ln.startswith("Stack backtrace"):
            break
        if ln and not ln.startswith(("INFO ", "WARN ", "DEBUG ", "Caused by")):
            lines.append(ln.split(": ", 1)[1] if ln[:1].isdigit() and ": " in ln else ln)
    return "; ".join(dict.fromkeys(lines))


def _collect(out: str, root: Path, result: Result) -> None:
    try:
        items = json.loads(out or "[]")
    except ValueError as exc:
        result.problems.append((None, f"zizmor printed invalid JSON: {exc}"))
        return
    for item in items:
        try:
            rel, f = _finding(item, root)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            result.problems.append((None, f"unreadable zizmor finding: {exc!r}"))
            continue
        result.findings.setdefault(rel, []).append(f)


def _finding(item: dict, root: Path) -> tuple[str, dict]:
    """(repository path, finding) from one zizmor JSON result, at its primary location."""
    locs = item["locations"]
    loc = next((x for x in locs if x["symbolic"].get("kind") == "Primary"), locs[0])
    path = Path(loc["symbolic"]["key"]["Local"]["verbatim_path"])
    rel = (path if path.is_absolute() else root / path).resolve().relative_to(root.resolve())
    det = item["determinations"]
    severity = str(det["severity"]).lower()
    severity = severity if severity in SEVERITIES else "informational"
    confidence = str(det["confidence"]).lower()
    confidence = confidence if confidence in CONFIDENCES else "low"
    note = loc["symbolic"].get("annotation") or ""
    message = f"{item['desc']}: {note}" if note else item["desc"]
    line = int(loc["concrete"]["location"]["start_point"]["row"]) + 1
    return rel.as_posix(), finding(item["ident"], severity, confidence, line, message, tool=TOOL)
