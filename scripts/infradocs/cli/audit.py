"""Command line: ``python -m infradocs.cli.audit check`` and ``python -m infradocs.cli.audit stale
--clones DIR``."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from infradocs.core.audit.records import RESULTS, check_tree
from infradocs.core.audit.stale import moved
from infradocs.core.siteconfig import ROOT


def main(argv: list[str] | None = None) -> int:
    """Check every audit record (exit 1 on a problem), or list pages whose sources moved."""
    parser = argparse.ArgumentParser(prog="python -m infradocs.cli.audit", description=__doc__)
    parser.add_argument("command", choices=["check", "stale"])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    parser.add_argument("--clones", type=Path, help="local clones DIR/OWNER/NAME (for stale)")
    args = parser.parse_args(argv)
    records, problems = check_tree(args.docs, args.docs / "_audit")
    for problem in problems:
        print(str(problem).removeprefix(f"{Path.cwd()}/"))
    if args.command == "check":
        totals = sum((r.counts() for r in records), Counter())
        figures = ", ".join(f"{totals[k]} {k}" for k in RESULTS)
        print(
            f"audit: {len(records)} pages, {sum(totals.values())} sentences ({figures}); "
            f"{len(problems)} problem(s)"
        )
        return 1 if problems else 0
    if args.clones is None:
        parser.error("stale needs --clones DIR")
    found = moved(records, args.clones)
    for item in found:
        state = f"now {item.now[:12]}" if item.now else "no clone"
        files = f": {', '.join(item.changed_files[:8])}" if item.changed_files else ""
        print(f"docs/{item.page}: {item.repo} audited at {item.audited[:12]}, {state}{files}")
    print(f"audit: {len({m.page for m in found})} page(s) to re-check against moved sources")
    return 1 if problems or found else 0


if __name__ == "__main__":
    raise SystemExit(main())
