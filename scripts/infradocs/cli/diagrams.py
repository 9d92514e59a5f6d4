"""``python -m infradocs.cli.diagrams [--check | --drift]``: regenerate the diagrams, name each
stale committed
file, or print every disagreement between the model and the inventory."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infradocs.core.archmodel import ModelError, load_model
from infradocs.core.archmodel.load import MODEL_DIR
from infradocs.core.diagrams import GENERATED, INVENTORY
from infradocs.core.diagrams.extracted import load_inventory
from infradocs.core.diagrams.generate import generate, stale, write
from infradocs.core.diagrams.lifecycle import FLOWS, FlowError, load_flows
from infradocs.core.diagrams.overview_svg import OVERVIEW, OverviewError, load_overview


def main(argv: list[str] | None = None) -> int:
    """Run the generator; 0 when all is well, 1 on stale files or bad input."""
    ap = argparse.ArgumentParser(prog="python -m infradocs.cli.diagrams", description=__doc__)
    ap.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail naming each committed file that is out of date",
    )
    ap.add_argument(
        "--drift",
        action="store_true",
        help="write nothing; print each disagreement between the model and the inventory",
    )
    ap.add_argument("--model", type=Path, default=MODEL_DIR, help="model folder (*.yaml)")
    ap.add_argument("--inventory", type=Path, default=INVENTORY, help="inventory.json snapshot")
    ap.add_argument("--flows", type=Path, default=FLOWS, help="life-of-a-package flows file")
    ap.add_argument(
        "--overview",
        type=Path,
        default=None,
        help="package-path overview file (default: diagrams/overview.yaml, unless --model is set)",
    )
    ap.add_argument("--out", type=Path, default=GENERATED, help="output folder")
    args = ap.parse_args(argv)
    try:
        model = load_model(args.model)
        flows = load_flows(args.flows)
        overview_file = args.overview or (OVERVIEW if args.model == MODEL_DIR else None)
        path = load_overview(model, overview_file) if overview_file else None
    except (ModelError, FlowError, OverviewError) as exc:
        print(f"error: cannot generate diagrams:\n{exc}", file=sys.stderr)
        return 1
    inv = load_inventory(args.inventory)
    for problem in inv.problems:
        print(f"error: {problem}", file=sys.stderr)
    if inv.status == "missing":
        print(f"note: {args.inventory} not found: no extracted relations", file=sys.stderr)
    output = generate(model, inv, flows, path)
    counts = output.drift["counts"]
    summary = ", ".join(f"{k}: {v}" for k, v in counts.items()) or "none"
    if args.drift:
        for item in output.drift["items"]:
            print(f"{item['kind']}: {item['detail']}")
        print(f"{len(output.drift['items'])} differences; drift: {summary}")
        return 1 if inv.problems else 0
    if args.check:
        problems = stale(output, args.out)
        for p in problems:
            print(f"stale: {p}", file=sys.stderr)
        if problems:
            print(
                "run `nox -s diagrams` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"{len(output.files)} generated files are up to date; drift: {summary}")
        return 1 if inv.problems else 0
    for line in write(output, args.out):
        print(line)
    print(f"{len(output.files)} files in {args.out}; drift: {summary}")
    return 1 if inv.problems else 0


if __name__ == "__main__":
    sys.exit(main())
