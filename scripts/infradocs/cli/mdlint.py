"""Command line: ``python -m infradocs.cli.mdlint DIR...`` prints findings and exits 1 when there
are any."""

from __future__ import annotations

import sys
from pathlib import Path

from infradocs.core.mdlint.check import check_tree


def main(argv: list[str]) -> int:
    """Check each folder given (default: docs) and report."""
    problems = [p for root in (argv or ["docs"]) for p in check_tree(Path(root))]
    for problem in problems:
        print(problem)
    print(f"mdlint: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
