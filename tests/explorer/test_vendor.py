"""The vendored row virtualiser: pinned version, licence, browser-ready modules, preloads."""

import re

import pytest

from infradocs.core.siteconfig import DOCS, settings
from infradocs.core.vendorjs.packages import packages
from infradocs.sphinxext.explorer import VIRTUAL_CORE as VENDORED
from infradocs.sphinxext.explorer import head

VIRTUAL_CORE = DOCS / "_static" / VENDORED


def test_vendored_virtual_core_matches_the_pin_and_has_its_licence():
    pin = settings()["virtual_core_version"]
    assert (VIRTUAL_CORE / "VERSION").read_text().strip() == f"@tanstack/virtual-core@{pin}"
    assert "MIT License" in (VIRTUAL_CORE / "LICENSE").read_text()
    (pkg,) = [p for p in packages() if p.name == "@tanstack/virtual-core"]
    assert pkg.version == pin
    assert not (DOCS / "_static" / "vendor" / "tabulator-tables").exists()


@pytest.mark.slow
def test_modules_run_in_a_browser_and_are_all_preloaded():
    modules = sorted((VIRTUAL_CORE / "esm").glob("*.js"))
    assert modules
    links = head("../_static/", {"explorer.bin.gz": "abc"}, DOCS / "_static")
    for path in modules:
        text = path.read_text()
        # a bundler's define, done when vendoring: browsers have no `process`
        assert "process.env" not in text, path.name
        for dep in re.findall(r'from "\./([^"]+)"', text):
            assert (path.parent / dep).exists(), f"{path.name} imports a missing {dep}"
        assert f"vendor/@tanstack/virtual-core/esm/{path.name}" in links
    assert 'href="../_static/inventory/explorer.bin.gz?v=abc"' in links
    # the data is fetched by an inline script (early.js) given the same address as the preload
    assert '<script data-src="../_static/inventory/explorer.bin.gz?v=abc">' in links
    assert "inventoryExplorerData" in links
