"""The unit tier's Sphinx builds: small sites built in this process through ``sphinx.testing``,
strict as the site's own build (warnings fail it, after all of them are reported)."""

from __future__ import annotations

import io
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx.errors import SphinxError
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import nocolor


@dataclass
class Built:
    """What a build left: its exit status as ``sphinx-build`` gives it, its status output, its
    warnings and errors, and the folder of its pages."""

    returncode: int
    stdout: str
    stderr: str
    outdir: Path


@contextmanager
def _environ(env: dict[str, str] | None):
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build(
    src: Path,
    out: Path,
    *,
    builder: str = "html",
    overrides: dict[str, Any] | None = None,
    strict: bool = True,
    nitpicky: bool = True,
    fresh: bool = False,
    jobs: int = 0,
    env: dict[str, str] | None = None,
) -> Built:
    """Build ``src`` (its own conf.py) into ``out/<builder>`` (doctrees in ``out/doctrees``):
    ``strict`` is ``-W --keep-going``, ``nitpicky`` is ``-n``, ``jobs`` is ``-j`` (0: one
    process); ``env`` is set for the build."""
    nocolor()  # plain text, as sphinx-build --no-color writes it
    status, warning = io.StringIO(), io.StringIO()
    confoverrides = {"nitpicky": True} if nitpicky else {}
    confoverrides.update(overrides or {})
    app = None
    with _environ(env):
        try:
            app = SphinxTestApp(
                builder,
                srcdir=Path(src),
                builddir=Path(out),
                freshenv=fresh,
                confoverrides=confoverrides,
                status=status,
                warning=warning,
                warningiserror=strict,
                parallel=jobs,
            )
            app.build()
            code = app.statuscode
        except SphinxError as exc:  # what sphinx-build prints and its exit status for these
            warning.write(f"\n{exc.category}:\n{exc}\n")
            code = 2
        finally:
            if app is not None:
                app.cleanup()
    return Built(code, status.getvalue(), warning.getvalue(), Path(out) / builder)
