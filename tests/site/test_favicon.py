"""The favicon: rendered from the logo, committed, and served at the site root."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from infradocs.core.favicon import FAVICON, SIZES, ico
from infradocs.core.siteconfig import ROOT

PNG = b"\x89PNG\r\n\x1a\n"


def entries(data: bytes) -> dict[int, bytes]:
    """Size -> image bytes of an .ico file, read from its directory."""
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    out = {}
    for i in range(count):
        w, h, _, _, planes, bits, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert (w, planes, bits) == (h, 1, 32)
        out[w or 256] = data[offset : offset + size]
    return out


def test_ico_container_holds_each_png_at_its_offset() -> None:
    pngs = {16: PNG + b"a" * 5, 32: PNG + b"b" * 9, 256: PNG + b"c"}
    assert entries(ico(pngs)) == pngs


def test_committed_favicon_holds_the_three_sizes() -> None:
    found = entries(FAVICON.read_bytes())
    assert sorted(found) == list(SIZES)
    assert all(png.startswith(PNG) for png in found.values())


@pytest.mark.slow
def test_committed_favicon_is_rendered_from_the_current_logo() -> None:
    # A process of its own: Playwright's sync API cannot start inside the browser tests' loop.
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.favicon", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ},
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_built_site_serves_it_at_its_root(built_site: Path) -> None:
    assert (built_site / "favicon.ico").read_bytes() == FAVICON.read_bytes()
    assert '<link rel="icon" href="_static/logo.svg"/>' in (built_site / "index.html").read_text()
