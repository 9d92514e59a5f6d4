"""Screenshots for review: home (light, dark), every diagram page (light and dark, desktop and
phone), the inventory tables, a phone.

Written to build/screenshots/ (or $SCREENSHOTS_DIR) by `nox -s screenshots` and the weekly
bench-tests workflow (marked ``bench``: left out of the suite). The suite keeps one small test of
what they check: a screenshot is a PNG of the screen's size, not blank, dark in dark mode.
"""

from __future__ import annotations

import base64
import os
import struct
from pathlib import Path

import pytest
from browser_support import wait_for_diagrams

from infradocs.core.siteconfig import BUILD

pytestmark = pytest.mark.slow

# A PNG drawn on a canvas in the page: its size, how many colours a sample of its pixels has,
# and its mean luminance (0 black to 255 white).
PIXELS = """async (b64) => {
  const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
  const img = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(img.width, img.height);
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, img.width, img.height).data;
  const colours = new Set();
  let sum = 0, n = 0;
  for (let i = 0; i < d.length; i += 4 * 13) {
    colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    sum += 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
    n++;
  }
  return {width: img.width, height: img.height, colours: colours.size, luminance: sum / n};
}"""

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# name -> (page, colour scheme, full page?, context options)
SHOTS = {
    "home-light": ("index.html", "light", False, DESKTOP),
    "home-dark": ("index.html", "dark", False, DESKTOP),
    "diagram-architecture": ("diagrams/architecture.html", "light", True, DESKTOP),
    "inventory-tables": ("reference/inventory.html", "light", True, DESKTOP),
    "phone-component": (
        "reference/delivery/cf-staging-channel.html",
        "light",
        False,
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    ),
}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Every page of diagrams (and a component page's neighbourhood): light and dark, desktop and
# phone, whole pages, to look at before calling a diagram change done.
DIAGRAM_PAGES = {
    "architecture": "diagrams/architecture.html",
    "life-of-a-package": "diagrams/life-of-a-package.html",
    "token-map": "diagrams/token-map.html",
    "repositories": "diagrams/repositories.html",
    "neighbourhood": "reference/delivery/upload-validation.html",
}
for _stem, _path in DIAGRAM_PAGES.items():
    for _scheme in ("light", "dark"):
        SHOTS[f"diagrams-{_stem}-{_scheme}-desktop"] = (_path, _scheme, True, DESKTOP)
        SHOTS[f"diagrams-{_stem}-{_scheme}-phone"] = (_path, _scheme, True, PHONE)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's header (fails if it is not a PNG)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def out_dir() -> Path:
    """Where the screenshots go."""
    path = Path(os.environ.get("SCREENSHOTS_DIR") or BUILD / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def shoot(new_context, site_url: str, out_dir: Path, name: str) -> Path:
    """Take screenshot ``name`` of SHOTS; check it is a PNG of the expected size; its path."""
    path, scheme, full, options = SHOTS[name]
    context, _ = new_context(color_scheme=scheme, **options)
    page = context.new_page()
    page.goto(site_url + path)
    wait_for_diagrams(page)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    target = out_dir / f"{name}.png"
    target.unlink(missing_ok=True)
    page.screenshot(path=target, full_page=full, animations="disabled")
    width, height = png_size(target)
    viewport = options["viewport"]
    assert width == viewport["width"]
    assert height >= viewport["height"] if full else height == viewport["height"]
    print(f"{target}: {width}x{height}")
    return target


def test_home_screenshots_show_the_page_light_and_dark(new_context, site_url: str) -> None:
    """What every screenshot checks, on the home page: a PNG of the screen's size; and that it
    shows the page (many colours, not a blank screen), light or dark as asked."""
    figures = {}
    for scheme in ("light", "dark"):
        path, _, _, options = SHOTS[f"home-{scheme}"]
        context, _ = new_context(color_scheme=scheme, **options)
        page = context.new_page()
        page.goto(site_url + path)
        wait_for_diagrams(page)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        png = page.screenshot(animations="disabled")
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        figures[scheme] = page.evaluate(PIXELS, base64.b64encode(png).decode())
        size = options["viewport"]
        assert (figures[scheme]["width"], figures[scheme]["height"]) == (
            size["width"],
            size["height"],
        )
        assert figures[scheme]["colours"] >= 20, (scheme, figures[scheme])
    assert figures["light"]["luminance"] > 128 > figures["dark"]["luminance"], figures


@pytest.mark.bench
def test_home_light_and_dark(new_context, site_url: str, out_dir: Path) -> None:
    light = shoot(new_context, site_url, out_dir, "home-light")
    dark = shoot(new_context, site_url, out_dir, "home-dark")
    assert light.read_bytes() != dark.read_bytes()


@pytest.mark.bench
@pytest.mark.parametrize("name", sorted(n for n in SHOTS if not n.startswith("home-")))
def test_screenshot(new_context, site_url: str, out_dir: Path, name: str) -> None:
    shoot(new_context, site_url, out_dir, name)
