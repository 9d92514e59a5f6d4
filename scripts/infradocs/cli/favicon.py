"""``python -m infradocs.cli.favicon [--check]``: render docs/_extra/favicon.ico from the logo, or
check it."""

from __future__ import annotations

import argparse
import sys

from infradocs.core.favicon import FAVICON, LOGO, build


def main(argv: list[str] | None = None) -> int:
    """Write the favicon; with --check, write nothing and fail when the committed one differs."""
    ap = argparse.ArgumentParser(prog="python -m infradocs.cli.favicon", description=__doc__)
    ap.add_argument("--check", action="store_true", help="fail when the committed file is stale")
    args = ap.parse_args(argv)
    data = build()
    if args.check:
        if not FAVICON.is_file() or FAVICON.read_bytes() != data:
            print(f"stale: {FAVICON} (from {LOGO}): run `nox -s favicon`", file=sys.stderr)
            return 1
        print(f"{FAVICON} is up to date")
        return 0
    FAVICON.parent.mkdir(parents=True, exist_ok=True)
    FAVICON.write_bytes(data)
    print(f"wrote {FAVICON} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
