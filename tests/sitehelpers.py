"""Helpers for tests that build the site or a copy of it with the project's strict settings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from infradocs.core.siteconfig import DIAGRAMS, DOCS, ROOT, sphinx_build_args


def sphinx_build(
    source: Path, out: Path, *extra: str, jobs: str = "1"
) -> subprocess.CompletedProcess:
    """Run a strict sphinx-build of ``source`` with the real conf.py."""
    args = [
        sys.executable,
        "-m",
        "sphinx",
        *sphinx_build_args(source, out, jobs=jobs),
        "--no-color",
        *extra,
    ]
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def copy_site(dest: Path) -> Path:
    """Copy docs/ and diagrams/ under ``dest`` (same relative layout); return the docs copy."""
    shutil.copytree(DOCS, dest / "docs", ignore=shutil.ignore_patterns("vendor"))
    shutil.copytree(DOCS / "_static" / "vendor", dest / "docs" / "_static" / "vendor")
    shutil.copytree(DIAGRAMS, dest / "diagrams")
    return dest / "docs"


def shared_root(factory: pytest.TempPathFactory) -> Path:
    """A folder every pytest-xdist worker of this run shares (this run's own temp folder)."""
    base = factory.getbasetemp()
    # Under xdist each worker's base is <run>/popen-gwN; without it the base is <run> itself.
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(root: Path, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """``root/name`` made by ``make(folder)`` in the first process that asks, the others
    waiting on a file lock and then reusing it; the folder and what ``make`` returned (JSON)."""
    folder = root / name

    def made() -> dict:
        shutil.rmtree(folder, ignore_errors=True)  # a half-made one from a crashed worker
        folder.mkdir()
        return make(folder)

    return folder, _claim(root, name, made, blocking=True)


def shared(root: Path, jobs: dict[str, Callable[[], dict]]) -> dict[str, dict]:
    """What each job returned (JSON), each job run by one process only: this one runs the jobs
    no other process holds, then waits for the ones others are running and reads theirs."""
    results = {name: _claim(root, name, job, blocking=False) for name, job in jobs.items()}
    return {
        name: result if result is not None else _claim(root, name, jobs[name], blocking=True)
        for name, result in results.items()
    }


def _claim(root: Path, name: str, make: Callable[[], dict], blocking: bool) -> dict | None:
    """``make()``'s result kept as ``root/name.json``, made under a file lock unless kept
    already; None when ``blocking`` is false and another process holds the lock."""
    record = root / f"{name}.json"
    lock = FileLock(root / f"{name}.lock")
    try:
        lock.acquire(blocking=blocking)
    except Timeout:
        return None
    try:
        if not record.exists():
            partial = root / f"{name}.json.partial"
            partial.write_text(json.dumps(make()), encoding="utf-8")
            partial.replace(record)
    finally:
        lock.release()
    return json.loads(record.read_text(encoding="utf-8"))


# A component the planted copy's model adds without a page (an entry of diagrams/model/*.yaml).
LONELY = """components:
  - id: lonely-team
    title: Lonely team
    kind: team
    status: active
    group: organisations
    owner: core-team
    summary: A team that owns things.
    sources:
      - title: src
        url: https://example.org/
"""


def plant(page: Path, text: str) -> str:
    """Append ``text`` to ``page``; ``file:line`` where it starts."""
    lines = page.read_text().splitlines()
    page.write_text("\n".join([*lines, "", text, ""]))
    return f"{page}:{len(lines) + 2}"


def build_planted(folder: Path) -> dict:
    """Copy the site into ``folder``, plant one mistake of each kind, build it once (strict,
    ``--keep-going``); the build's exit status and output, and where each mistake is."""
    docs = copy_site(folder)
    model = folder / "diagrams" / "model"
    howto = docs / "how-to"
    at = {
        "ref": plant(docs / "contributing" / "preview.md", "See {ref}`a-label-not-there`."),
        "directive": plant(howto / "add-a-component.md", "```{no-such-directive}\nbody\n```"),
    }
    # A page in no toctree: how-to's toctree lists its pages by name instead of by glob.
    listed = sorted(p.stem for p in howto.glob("*.md") if p.stem != "index")
    (howto / "orphan.md").write_text("# Orphan\n\nNobody links here.\n")
    (howto / "index.md").write_text(
        "# How-to guides\n\n```{toctree}\n" + "\n".join(listed) + "\n```\n"
    )
    at["orphan"] = str(howto / "orphan.md")
    # The model's own mistakes: a component without a page, a page for a component the model
    # lacks, and a page whose title is not the model's.
    (model / "zz.yaml").write_text(LONELY)
    at["no-page"] = f"{model / 'zz.yaml'}:2"
    ghost = docs / "reference" / "organisations" / "ghost.md"
    ghost.write_text("# Ghost\n\n```{component} ghost\n```\n")
    at["unknown-component"] = f"{ghost}:3"
    core = docs / "reference" / "organisations" / "core-team.md"
    core.write_text(core.read_text().replace("# conda-forge core team", "# The core team", 1))
    at["title"] = f"{core}:1"
    proc = sphinx_build(docs, folder / "out", "-D", f"archmodel_dir={model}")
    return {"returncode": proc.returncode, "stderr": proc.stderr, "at": at}
