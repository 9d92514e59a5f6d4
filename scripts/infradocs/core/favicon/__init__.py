"""The site's favicon.ico, rendered from docs/_static/logo.svg (16, 32 and 48 pixels).

Rendered by Debian's Chromium (the browser the tests already drive), so the icon looks as the
SVG does in a browser; cairosvg would need a system cairo in CI for the same result. The .ico
container is a header and one PNG per size (the format Windows Vista introduced, read by every
current browser): a few lines of ``struct``, where Pillow would be a dependency for one call.
"""

from __future__ import annotations

import base64
import struct
from pathlib import Path

from infradocs.core.siteconfig import DOCS

LOGO = DOCS / "_static" / "logo.svg"
# html_extra_path in conf.py copies this folder to the site root, where browsers ask for it.
FAVICON = DOCS / "_extra" / "favicon.ico"
SIZES = (16, 32, 48)


def ico(pngs: dict[int, bytes]) -> bytes:
    """An .ico file holding one PNG per size (width = height)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def render(svg: bytes, sizes: tuple[int, ...] = SIZES) -> dict[int, bytes]:
    """PNG of ``svg`` at each size, drawn by headless Chromium on a transparent background."""
    from playwright.sync_api import sync_playwright

    from infradocs.core.localsite import launch

    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    pngs = {}
    with sync_playwright() as pw:
        browser = launch(pw)
        try:
            for size in sizes:
                page = browser.new_page(viewport={"width": size, "height": size})
                page.set_content(
                    '<body style="margin:0"><img style="display:block" alt=""'
                    f' width="{size}" height="{size}" src="{src}"></body>'
                )
                page.wait_for_function("document.images[0].complete")
                pngs[size] = page.screenshot(omit_background=True)
                page.close()
        finally:
            browser.close()
    return pngs


def build(logo: Path = LOGO) -> bytes:
    """The favicon.ico for ``logo``."""
    return ico(render(logo.read_bytes()))
