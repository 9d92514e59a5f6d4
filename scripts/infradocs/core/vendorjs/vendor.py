"""Fetch a pinned npm package with ``npm pack`` and copy its served files into the site."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from infradocs.core.siteconfig import DOCS
from infradocs.core.vendorjs.packages import Package

VENDOR_DIR = DOCS / "_static" / "vendor"


def unpack(pkg: Package, workdir: Path) -> Path:
    """Download ``pkg`` as a tarball with npm and unpack it; return the package root."""
    out = subprocess.run(
        ["npm", "pack", "--json", f"{pkg.name}@{pkg.version}"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = workdir / json.loads(out.stdout)[0]["filename"]
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package"


def vendor(pkg: Package, dest_root: Path = VENDOR_DIR) -> list[Path]:
    """Replace ``dest_root/<name>`` with the package's selected files; return what was written."""
    dest = dest_root / pkg.name
    with tempfile.TemporaryDirectory() as tmp:
        root = unpack(pkg, Path(tmp))
        if dest.exists():
            shutil.rmtree(dest)
        written = []
        for pattern in pkg.files:
            matches = sorted(root.glob(pattern))
            if not matches:
                raise FileNotFoundError(f"{pkg.name}@{pkg.version}: nothing matches {pattern}")
            for src in matches:
                rel = src.relative_to(root)
                rel = rel.relative_to("dist") if rel.parts[0] == "dist" else rel
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, target)
                if pkg.defines and target.suffix in (".js", ".mjs"):
                    text = target.read_text(encoding="utf-8")
                    for old, new in pkg.defines:
                        text = text.replace(old, new)
                    target.write_text(text, encoding="utf-8")
                written.append(target)
    (dest / "VERSION").write_text(f"{pkg.name}@{pkg.version}\n")
    return written
