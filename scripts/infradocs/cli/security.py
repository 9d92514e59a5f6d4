"""Command line: ``enrich INVENTORY SOURCE...`` adds findings; ``posture INVENTORY`` sums them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from infradocs.core.archmodel import ModelError, load_model
from infradocs.core.archmodel.load import MODEL_DIR
from infradocs.core.inventory import snapshot
from infradocs.core.inventory.document import write
from infradocs.core.inventory.validate import errors as schema_errors
from infradocs.core.security import sources, zizmor
from infradocs.core.security.enrich import Options, enrich
from infradocs.core.security.posture import posture
from infradocs.core.security.secret_scope import scope_from_model
from infradocs.core.security.tokens import token_map


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m infradocs.cli.security", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("enrich", help="add findings to an inventory (zizmor + our checks)")
    e.add_argument("inventory", help="inventory JSON written by python -m infradocs.cli.inventory")
    e.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="repository folders, or folders of them"
    )
    e.add_argument("-o", "--output", help="write here (default: replace INVENTORY)")
    e.add_argument("--model", type=Path, default=MODEL_DIR, help="curated model folder")
    e.add_argument("--zizmor", default=None, help="zizmor program (default: found on PATH)")
    s = sub.add_parser("posture", help="write the posture data (counts, worst, trends, tokens)")
    s.add_argument("inventory")
    s.add_argument("--previous", help="an older enriched inventory, for trends")
    s.add_argument("--model", type=Path, default=MODEL_DIR)
    s.add_argument("-o", "--output", help="write here instead of stdout")
    return p


def _load(path: str) -> dict:
    try:
        return snapshot.load(path)
    except snapshot.SnapshotError as exc:
        raise SystemExit(f"security: {exc}") from None


def _model(path: Path):
    try:
        return load_model(path)
    except ModelError as exc:
        raise SystemExit(f"security: the model has problems:\n{exc}") from None


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "enrich":
        return _enrich(args)
    return _posture(args)


def _enrich(args) -> int:
    doc = _load(args.inventory)
    model = _model(args.model)
    found, errors = sources.index(args.sources)
    exe = args.zizmor or zizmor.executable()
    scope = scope_from_model(model)
    uploads = frozenset(n for c in model if c.kind == "token" for n in c.get("credentials", []))
    opts = Options(zizmor_exe=exe, scope=scope, upload_names=uploads)

    def files_of(repo: dict):
        folder = sources.lookup(found, repo["name"])
        return sources.read(folder, repo["commit"]) if folder else None

    enrich(doc, files_of, opts)
    bad = schema_errors(doc)
    if bad:
        for err in bad[:20]:
            print(f"security: {args.inventory}: schema: {err}", file=sys.stderr)
        return 1
    out = args.output or args.inventory
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        write(doc, fh)
    os.replace(tmp, out)
    n = sum(len(w["findings"]) for r in doc["repos"] for w in r["workflows"])
    missing = [r["name"] for r in doc["repos"] if not sources.lookup(found, r["name"])]
    print(
        f"security: {n} findings in {len(doc['repos'])} repositories "
        f"(zizmor {doc['security']['tools']['zizmor'] or 'missing'}); "
        f"{len(missing)} without a source",
        file=sys.stderr,
    )
    for err in errors:
        print(f"  source: {err}", file=sys.stderr)
    for name in missing:
        print(f"  no source for {name}", file=sys.stderr)
    return 1 if errors else 0


def _posture(args) -> int:
    doc = _load(args.inventory)
    previous = _load(args.previous) if args.previous else None
    data = posture(doc, previous)
    data["tokens"] = token_map(doc, _model(args.model))
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
