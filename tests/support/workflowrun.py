"""Run ``.github/workflows/inventory.yml`` here, job by job, as GitHub Actions runs it.

Each job gets a fresh workspace (the repository's files, as the checkout gives them), its
``run:`` commands run in bash exactly as written, with the step's environment; the actions it
uses are played by local stand-ins: artifacts and caches are folders, ``setup-python`` is this
Python, and ``pip install`` is checked (its requirements file exists) but not run: the packages
are already here (the project's own package is taken from the workspace). The tests and the
benchmark use it against the local git server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from infradocs.core.siteconfig import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "inventory.yml"
# What a checkout of this repository holds that the steps read.
CHECKOUT = ("scripts", "diagrams", "pyproject.toml", "requirements.txt")
CHECKOUT_FILES = ("requirements-security.txt", "requirements-nox.txt", "requirements-test.txt")
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
PIP = re.compile(r"^python -m pip install .*-r (\S+)$")


def load(path: Path = WORKFLOW) -> dict:
    """The workflow document (``on`` stays a string key)."""
    with open(path, encoding="utf-8") as fh:
        doc = yaml.load(fh, Loader=yaml.BaseLoader)
    return doc


@dataclass
class Runner:
    """Where the jobs run: workspaces, artifacts and caches under ``base``; ``env`` is added to
    every step (e.g. INVENTORY_BASE_URL pointing at the local git server)."""

    base: Path
    env: dict[str, str] = field(default_factory=dict)
    run_id: str = "1"
    log: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        for d in ("caches", "bin"):
            (self.base / d).mkdir(parents=True, exist_ok=True)
        self.artifacts.mkdir(parents=True, exist_ok=True)
        # `python` is this interpreter (a wrapper, not a symlink: a virtual environment is
        # only recognised when its own executable path is the one started).
        python = self.base / "bin" / "python"
        python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        python.chmod(0o755)

    @property
    def artifacts(self) -> Path:
        """This run's artifacts (each run has its own, as on GitHub)."""
        return self.base / "artifacts" / self.run_id

    def workspace(self, name: str) -> Path:
        """A fresh checkout-like folder for one job."""
        ws = self.base / "jobs" / name
        shutil.rmtree(ws, ignore_errors=True)
        ws.mkdir(parents=True)
        for item in CHECKOUT:
            (ws / item).symlink_to(ROOT / item)
        for item in CHECKOUT_FILES:
            if (ROOT / item).exists():
                (ws / item).symlink_to(ROOT / item)
        return ws

    def expand(self, text: str, ctx: dict) -> str:
        """Replace the ``${{ }}`` expressions this workflow uses."""

        def value(m: re.Match) -> str:
            expr = m.group(1)
            if expr.startswith("fromJSON(") and expr.endswith(")"):
                return ctx[expr[9:-1]]
            if expr in ctx:
                return str(ctx[expr])
            raise KeyError(f"{WORKFLOW.name}: expression {expr!r} has no local value")

        return EXPR.sub(value, text)

    def run_job(self, name: str, job: dict, ctx: dict) -> tuple[int, dict[str, str]]:
        """Run one job's steps in a fresh workspace; (exit status, the job's step outputs)."""
        ws = self.workspace(name)
        outputs: dict[str, str] = {}
        status = 0
        for step in job.get("steps", []):
            if status and "always()" not in step.get("if", ""):
                continue
            if "uses" in step:
                self.use(step, ws, ctx)
                continue
            status = self.run_step(step, ws, ctx, outputs, name) or status
        return status, outputs

    def run_step(self, step: dict, ws: Path, ctx: dict, outputs: dict, job: str) -> int:
        """One ``run:`` step in bash; its GITHUB_OUTPUT lines become ``steps.ID.outputs.*``."""
        command = self.expand(step["run"], ctx)
        pip = PIP.match(command.strip())
        if pip:
            if not (ws / pip.group(1)).exists():
                raise FileNotFoundError(f"{WORKFLOW.name}: {command!r}: no {pip.group(1)}")
            return 0
        out_file = ws / f".github-output-{len(self.log)}"
        summary = ws / ".github-step-summary"
        env = {
            **os.environ,
            # This Python's folder (its tools, e.g. zizmor) as setup-python and pip would give.
            "PATH": os.pathsep.join(
                [str(self.base / "bin"), str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            # The workspace's own package first, as the editable install of its requirements
            # file (``-e .``) would give it, so a job never reads or writes the checkout it
            # was copied from.
            "PYTHONPATH": str(ws / "scripts"),
            "GITHUB_OUTPUT": str(out_file),
            "GITHUB_STEP_SUMMARY": str(summary),
            **{k: self.expand(str(v), ctx) for k, v in step.get("env", {}).items()},
            **self.env,
        }
        start = time.perf_counter()
        proc = subprocess.run(
            ["bash", "-e", "-c", command], cwd=ws, env=env, capture_output=True, text=True
        )
        self.log.append(
            {
                "job": job,
                "run": command,
                "status": proc.returncode,
                "seconds": time.perf_counter() - start,
                "stdout": proc.stdout,
                "stderr": proc.stderr,
            }
        )
        if out_file.exists() and "id" in step:
            for line in out_file.read_text().splitlines():
                key, _, value = line.partition("=")
                outputs[f"steps.{step['id']}.outputs.{key}"] = value
        return proc.returncode

    def use(self, step: dict, ws: Path, ctx: dict) -> None:
        """Play an action: artifacts and caches are folders; checkout and Python are here."""
        action = step["uses"].split("@", 1)[0]
        args = {k: self.expand(str(v), ctx) for k, v in step.get("with", {}).items()}
        if action in ("actions/checkout", "actions/setup-python"):
            return
        if action == "actions/upload-artifact":
            dest = self.artifacts / args["name"]
            files = sorted(ws.glob(args["path"]))
            if not files and args.get("if-no-files-found") == "error":
                raise FileNotFoundError(f"upload-artifact: nothing matches {args['path']}")
            dest.mkdir(parents=True, exist_ok=True)
            for f in files:
                shutil.copy2(f, dest / f.name)
        elif action == "actions/download-artifact":
            target = ws / args["path"]
            target.mkdir(parents=True, exist_ok=True)
            names = [args["name"]] if "name" in args else None
            for art in sorted(self.artifacts.iterdir()):
                pattern = args.get("pattern", "")
                wanted = art.name in names if names else _glob(pattern, art.name)
                if not wanted:
                    continue
                into = (
                    target if names or args.get("merge-multiple") == "true" else target / art.name
                )
                shutil.copytree(art, into, dirs_exist_ok=True)
        elif action == "actions/cache/restore":
            caches = self.base / "caches"
            hit = caches / args["key"]
            if not hit.exists():
                prefix = args.get("restore-keys", "").strip()
                older = [c for c in caches.iterdir() if prefix and c.name.startswith(prefix)]
                hit = max(older, key=lambda c: c.stat().st_mtime, default=None)
            if hit is not None:
                shutil.copytree(hit, ws / args["path"], symlinks=True, dirs_exist_ok=True)
        elif action == "actions/cache/save":
            dest = self.base / "caches" / args["key"]
            if (ws / args["path"]).exists() and not dest.exists():
                shutil.copytree(ws / args["path"], dest, symlinks=True)
        else:
            raise KeyError(f"{WORKFLOW.name}: no local stand-in for action {action}")

    def run(self, workflow: dict | None = None) -> dict[str, int]:
        """Every job in order (list, each shard of the matrix, merge); status per job."""
        wf = workflow or load()
        jobs = wf["jobs"]
        ctx: dict = {
            "github.run_id": self.run_id,
            "github.token": "local-token",
            "github.repository": "local/infrastructure-docs",
        }
        results: dict[str, int] = {}
        status, outputs = self.run_job("list", jobs["list"], ctx)
        results["list"] = status
        for key, expr in jobs["list"].get("outputs", {}).items():
            ctx[f"needs.list.outputs.{key}"] = self.expand(expr, {**ctx, **outputs})
        if status:
            return results
        for shard in json.loads(ctx["needs.list.outputs.shards"]):
            status, _ = self.run_job(
                f"shard-{shard}", jobs["shard"], {**ctx, "matrix.shard": shard}
            )
            results[f"shard-{shard}"] = status
        results["merge"], _ = self.run_job("merge", jobs["merge"], ctx)
        return results


def _glob(pattern: str, name: str) -> bool:
    from fnmatch import fnmatchcase

    return fnmatchcase(name, pattern)
