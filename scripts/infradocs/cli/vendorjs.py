"""Command line: ``python -m infradocs.cli.vendorjs`` refreshes every vendored package."""

from __future__ import annotations

from infradocs.core.vendorjs.packages import packages
from infradocs.core.vendorjs.vendor import vendor


def main() -> None:
    """Vendor each configured package and report the file count."""
    for pkg in packages():
        files = vendor(pkg)
        print(f"vendored {pkg.name}@{pkg.version}: {len(files)} files")


if __name__ == "__main__":
    main()
