"""Build each version from its own commit with sphinx-polyversion, cached by commit."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import AsyncGenerator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from subprocess import PIPE, STDOUT
from typing import Any

import sphinx
from sphinx_polyversion.builder import Builder, BuildError
from sphinx_polyversion.driver import Driver
from sphinx_polyversion.environment import Environment
from sphinx_polyversion.git import GitRef

from infradocs.core.siteconfig import sphinx_build_args
from infradocs.core.siteconfig.aio import run_sync
from infradocs.core.versions.config import VersionsConfig
from infradocs.core.versions.refs import Plan, ReleaseRefs, Target

CACHE_FORMAT = 1


@dataclass
class Result:
    """What happened to one version: ``built``, ``cached`` or ``failed``."""

    target: Target
    status: str
    html: Path | None = None
    error: str = ""
    log: Path | None = None


def _set_arg(args: list[str], flag: str, value: str) -> list[str]:
    """Return ``args`` with the value following ``flag`` replaced."""
    out = list(args)
    out[out.index(flag) + 1] = value
    return out


def error_summary(log: str, limit: int = 20) -> str:
    """The lines of a sphinx-build log that explain a failure (warnings, errors, traceback end)."""
    lines = log.splitlines()
    keys = ("WARNING", "ERROR", "CRITICAL", "Error", "Exception", "error:")
    picked = [line for line in lines if any(k in line for k in keys)]
    return "\n".join((picked or lines)[-limit:]) or "(no output)"


class CheckoutSphinxBuilder(Builder[Environment, str]):
    """Run the strict sphinx-build on a checkout, with its own conf.py and docs/ sources."""

    def __init__(self, jobs: str = "auto") -> None:
        """Use ``jobs`` sphinx workers; the interpreter is the current one (this venv)."""
        self.jobs = jobs

    async def build(self, environment: Environment, output_dir: Path, data: Any) -> str:
        """Build ``environment.path`` into ``output_dir``; return the log or raise BuildError."""
        checkout = environment.path
        with tempfile.TemporaryDirectory(prefix="doctrees-") as doctrees:
            args = sphinx_build_args(source=checkout / "docs", out=output_dir, jobs=self.jobs)
            args = _set_arg(_set_arg(args, "-c", str(checkout)), "-d", doctrees)
            # Each version is built with its own code: the checkout's package comes before the
            # one installed (editable) from the working tree. Checkouts from before the package
            # existed put their scripts/ on sys.path in their own conf.py.
            env = {**os.environ, "PYTHONPATH": str(checkout / "scripts")}
            env["DOCS_VERSION"] = data["name"]
            env["DOCS_SWITCHER_URL"] = data["switcher_url"]
            out, _, rc = await environment.run(
                sys.executable, "-m", "sphinx", *args,
                cwd=checkout, env=env, stdout=PIPE, stderr=STDOUT,
            )  # fmt: skip
        if rc:
            raise BuildError(out)
        return str(out)


class CachedDriver(Driver[GitRef, Environment]):
    """sphinx-polyversion driver that skips versions whose commit is already built."""

    def __init__(
        self,
        root: Path,
        cache_dir: Path,
        plan: Plan,
        config: VersionsConfig,
        switcher_url: str,
        jobs: str = "auto",
    ) -> None:
        """Build the targets of ``plan`` from the repository at ``root`` into ``cache_dir``."""
        super().__init__(root, cache_dir)
        self.plan = plan
        self.config = config
        self.switcher_url = switcher_url
        self.builder = CheckoutSphinxBuilder(jobs)
        self.by_ref = {t.ref: t for t in plan.targets}
        self.results: list[Result] = []

    def name_for_rev(self, rev: GitRef) -> str:
        """The site directory of a ref (``dev`` for the branch, the tag otherwise)."""
        return self.by_ref[rev].name

    async def init_vcs(self) -> ReleaseRefs:
        """Our ref selection (the plan was made with it)."""
        return ReleaseRefs(self.config)

    async def init(self) -> None:
        """Use the planned targets instead of listing refs again."""
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.vcs = await self.init_vcs()
        self.targets = [t.ref for t in self.plan.targets]

    async def init_builder(self, rev: GitRef) -> CheckoutSphinxBuilder:
        """The same strict builder for every ref."""
        return self.builder

    async def init_environment(self, path: Path, rev: GitRef) -> Environment:
        """Build with the current interpreter: every ref uses this venv's pinned tools."""
        return Environment(path, self.name_for_rev(rev))

    async def init_data(self, rev: GitRef, env: Environment) -> dict[str, str]:
        """What conf.py gets (as environment variables): version name and switcher URL."""
        target = self.by_ref[rev]
        return {"name": target.name, "commit": target.commit, "switcher_url": self.switcher_url}

    @asynccontextmanager
    async def tmp_dir(self, rev: GitRef) -> AsyncGenerator[Path, None]:
        """A temporary directory the ref is checked out into."""
        with tempfile.TemporaryDirectory(prefix=f"versions-{self.name_for_rev(rev)}-") as tmp:
            yield Path(tmp)

    def build_failed(self, rev: GitRef, exc_info: Any) -> None:
        """Unused: failures are recorded in :meth:`build_revision`."""

    async def build_root(self) -> None:
        """Nothing here: the site is assembled from :attr:`results` by
        ``infradocs.core.versions.site``."""

    def cache_key(self, target: Target) -> dict[str, str]:
        """Everything the HTML of a version depends on besides its commit's files."""
        return {
            "format": str(CACHE_FORMAT),
            "name": target.name,
            "commit": target.commit,
            "switcher_url": self.switcher_url,
            "sphinx": sphinx.__version__,
            "python": platform.python_version(),
        }

    def entry(self, target: Target) -> Path:
        """The cache directory of a version at its commit."""
        return self.output_dir / f"{target.name}@{target.commit}"

    def cached(self, target: Target) -> Path | None:
        """The cached HTML of ``target`` when its commit and settings are unchanged."""
        meta = self.entry(target) / "key.json"
        try:
            if json.loads(meta.read_text()) == self.cache_key(target):
                return self.entry(target) / "html"
        except (OSError, ValueError):
            return None
        return None

    async def build_revision(self, rev: GitRef) -> None:
        """Check out ``rev`` in a temporary worktree and build it, unless its commit is cached."""
        target = self.by_ref[rev]
        hit = self.cached(target)
        if hit is not None:
            self.results.append(Result(target, "cached", hit))
            return
        entry = self.entry(target)
        staging = entry.with_name(entry.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        log_path = self.output_dir / f"{target.name}.log"
        try:
            async with AsyncExitStack() as stack:
                path = await stack.enter_async_context(self.tmp_dir(rev))
                await self.vcs.checkout(self.root, path, rev)
                env = await stack.enter_async_context(await self.init_environment(path, rev))
                data = await self.init_data(rev, env)
                log = await self.builder.build(env, staging / "html", data=data)
        except BuildError as exc:
            text = str(exc.args[0]) if exc.args else ""
            log_path.write_text(text)
            self.results.append(Result(target, "failed", None, error_summary(text), log_path))
            shutil.rmtree(staging, ignore_errors=True)
            return
        except Exception as exc:  # checkout or environment failure: report, keep going
            message = f"{type(exc).__name__}: {exc}"
            if getattr(exc, "stderr", None):
                message += f"\n{exc.stderr.decode(errors='replace').strip()}"
            log_path.write_text(message)
            self.results.append(Result(target, "failed", None, message, log_path))
            shutil.rmtree(staging, ignore_errors=True)
            return
        log_path.write_text(log)
        (staging / "key.json").write_text(json.dumps(self.cache_key(target), indent=1))
        for old in self.output_dir.glob(f"{target.name}@*"):
            if old != staging:
                shutil.rmtree(old, ignore_errors=True)
        staging.rename(entry)
        self.results.append(Result(target, "built", entry / "html", log=log_path))


def build_all(
    root: Path,
    cache_dir: Path,
    plan: Plan,
    config: VersionsConfig,
    switcher_url: str,
    jobs: str = "auto",
) -> list[Result]:
    """Build (or reuse) every planned version, one after another; return one result each."""
    driver = CachedDriver(root, cache_dir, plan, config, switcher_url, jobs)
    run_sync(driver.srun())
    return driver.results
