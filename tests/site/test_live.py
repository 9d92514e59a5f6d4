"""``nox -s live`` serves the site on 127.0.0.1 and rebuilds a page after an edit, of the page or
of the curated model, in the copy it runs in (not in the checkout the package is installed from)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from infradocs.core.siteconfig import ROOT

PATH = os.environ.get("PATH", "")

COPY = [
    "conf.py",
    "noxfile.py",
    "pyproject.toml",
    "requirements.txt",
    "requirements-test.txt",
    "scripts",
    "docs",
    "diagrams",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode()
    except (OSError, http.client.HTTPException):
        # Not up yet, or the page is being rewritten by a rebuild: poll again.
        return ""


def _wait_for(url: str, text: str, proc: subprocess.Popen, limit: float = 240) -> bool:
    """Poll ``url`` until it contains ``text``; False if the server died or ``limit`` passed."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if text in _fetch(url):
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, tmp_path / name)
    return tmp_path


@pytest.mark.slow
def test_live_preview_rebuilds_after_edit(repo_copy: Path) -> None:
    port = _free_port()
    # --no-venv: the session runs in this test environment (it has the build requirements),
    # so nothing is installed from the package index.
    cmd = [
        sys.executable,
        "-m",
        "nox",
        "-f",
        str(repo_copy / "noxfile.py"),
        "--no-venv",
        "-s",
        "live",
        "--",
        "--port",
        str(port),
    ]
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), PATH])}
    log = repo_copy / "live.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=repo_copy,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/contributing/preview.html"
    page = repo_copy / "docs" / "contributing" / "preview.md"
    try:
        assert _wait_for(url, "Live preview", proc), log.read_text()[-3000:]
        page.write_text(page.read_text() + "\nA sentence added while the preview runs.\n")
        assert _wait_for(url, "A sentence added while the preview runs.", proc), log.read_text()[
            -3000:
        ]
        # The component's summary block is rendered from the copy's own model.
        model = repo_copy / "diagrams" / "model" / "ci.yaml"
        text = model.read_text()
        summary = "Microsoft's hosted CI, the default builder"
        assert summary in text
        edited = text.replace(summary, "Microsoft's hosted CI (edited), the default builder")
        model.write_text(edited)
        component = f"http://127.0.0.1:{port}/reference/ci/azure-pipelines.html"
        assert _wait_for(component, "hosted CI (edited)", proc), log.read_text()[-3000:]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    text = log.read_text()
    assert f"http://127.0.0.1:{port}/" in text
    assert "pip install" not in text and "Creating virtual environment" not in text
