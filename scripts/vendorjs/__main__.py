"""Command line: ``python -m vendorjs`` refreshes every vendored package."""

from __future__ import annotations

from .packages import packages
from .vendor import vendor


def main() -> None:
    """Vendor each configured package and report the file count."""
    for pkg in packages():
        files = vendor(pkg)
        print(f"vendored {pkg.name}@{pkg.version}: {len(files)} files")


if __name__ == "__main__":
    main()
