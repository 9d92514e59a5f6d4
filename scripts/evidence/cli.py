"""``python -m evidence verify``: re-check every evidence item; exit 1 when a fact fails."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archmodel import ModelError, load_model
from archmodel.facts import coverage
from archmodel.load import MODEL_DIR
from siteconfig import DOCS

from . import report
from .items import from_model, from_pages
from .sources import Clones, Remote
from .verify import verify

GIT_BASE = "https://github.com"
API_BASE = "https://api.github.com"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m evidence", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="re-check the evidence against the repositories")
    v.add_argument("--clones", metavar="DIR", help="read local clones DIR/OWNER/NAME (no network)")
    v.add_argument("--git-base", default=GIT_BASE, help=f"git URL base (default {GIT_BASE})")
    v.add_argument(
        "--api-base",
        default=None,
        help=f"GitHub API base for archived state and renames (default {API_BASE}; "
        "with --clones only when given)",
    )
    v.add_argument("--model", default=str(MODEL_DIR), help="the model folder (*.yaml)")
    v.add_argument("--docs", default=str(DOCS), help="the pages folder (component pages)")
    v.add_argument("--json", metavar="FILE", help="write the report as JSON")
    v.add_argument("--markdown", metavar="FILE", help="also write the Markdown report to FILE")
    v.add_argument("--update", action="store_true", help="rewrite verified: of passing items")
    v.add_argument("--jobs", type=int, default=8, help="repositories read in parallel")
    v.add_argument("--workdir", help="remote mode: where the shallow clones go (default: temp)")
    v.add_argument("--bench", action="store_true", help="print the wall time and load")
    v.add_argument("--quiet", action="store_true", help="print only the summary line")
    return parser


def _source(args, workdir: Path):
    token = os.environ.get("GITHUB_TOKEN") or None
    if args.clones:
        return Clones(args.clones, args.api_base, token)
    return Remote(args.git_base, args.api_base or API_BASE, token, workdir)


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 when every fact holds, 1 when any fails, 2 on bad input."""
    args = _parser().parse_args(argv)
    start = time.perf_counter()
    try:
        model = load_model(Path(args.model))
    except ModelError as exc:
        print(f"the model has problems:\n{exc}", file=sys.stderr)
        return 2
    items = from_model(model, Path(args.docs))
    claims, problems = from_pages(model, Path(args.docs))
    if problems:
        print("the pages' {fact} claims have problems:\n" + "\n".join(problems), file=sys.stderr)
        return 2
    items += claims
    with tempfile.TemporaryDirectory(prefix="evidence-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        source = _source(args, workdir)
        results, snaps = verify(items, source, args.jobs)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    doc = report.build(results, snaps, source.mode, today, coverage(model))
    text = report.markdown(doc)
    for out in filter(None, (args.json, args.markdown)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    if args.markdown:
        Path(args.markdown).write_text(text)
    print(text.splitlines()[0] if args.quiet else text)
    if args.update:
        from .update import update

        for line in update(results, today):
            print(line)
    if args.bench:
        _bench(start, doc)
    return 1 if doc["counts"]["facts_failing"] else 0


def _bench(start: float, doc: dict) -> None:
    wall = time.perf_counter() - start
    c = doc["counts"]
    print(
        f"bench: {c['items']} evidence items, {c['repositories']} repositories, "
        f"{doc['mode']}: {wall:.2f} s wall"
    )
    with contextlib.suppress(OSError):
        print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
