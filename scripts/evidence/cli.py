"""``python -m evidence verify``: re-check every evidence item; exit 1 when a fact fails."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from archmodel import ModelError, load_model
from archmodel.facts import coverage
from archmodel.load import MODEL_DIR
from siteconfig import DOCS

from . import STARTED, report
from .holders import compare
from .holders import report as holders_report
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
    v.add_argument("--repo", action="append", help="check only this repository (repeatable)")
    v.add_argument("--component", action="append", help="check only this component (repeatable)")
    u = sub.add_parser("upgrade-yaml", help="turn text checks on YAML files into yaml: checks")
    u.add_argument("--clones", metavar="DIR", required=True, help="local clones DIR/OWNER/NAME")
    u.add_argument("--model", default=str(MODEL_DIR), help="the model folder (*.yaml)")
    u.add_argument("--docs", default=str(DOCS), help="the pages folder ({fact} claims)")
    c = sub.add_parser("coverage", help="count the facts with and without evidence (no network)")
    c.add_argument("--model", default=str(MODEL_DIR), help="the model folder (*.yaml)")
    c.add_argument("--missing", action="store_true", help="list each fact without evidence")
    return parser


def _coverage(args) -> int:
    """Print the closing figures: facts, with evidence, verified items; list gaps on request."""
    try:
        model = load_model(Path(args.model))
    except ModelError as exc:
        print(f"the model has problems:\n{exc}", file=sys.stderr)
        return 2
    cov = coverage(model)
    items = [ev for comp in model for ev in comp.evidence]
    verified = sum(1 for ev in items if ev.fields.get("verified"))
    print(
        f"structured facts: {cov.facts}; with evidence: {cov.with_evidence} ({cov.percent:.1f} %), "
        f"of which only unverifiable: {cov.unverifiable}; without: {len(cov.missing)}\n"
        f"evidence items: {len(items)}; with verified: {verified}"
    )
    for fact in cov.missing if args.missing else []:
        print(f"{fact.where}: {fact.component}: {fact.selector}")
    return 0


def _source(args, workdir: Path):
    token = os.environ.get("GITHUB_TOKEN") or None
    if args.clones:
        return Clones(args.clones, args.api_base, token)
    return Remote(args.git_base, args.api_base or API_BASE, token, workdir)


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 when every fact holds, 1 when any fails (or a claim is invalid), 2 when
    the model is invalid."""
    args = _parser().parse_args(argv)
    if args.command == "coverage":
        return _coverage(args)
    if args.command == "upgrade-yaml":
        from .upgrade import upgrade

        messages = upgrade(args.clones, Path(args.model), Path(args.docs))
        print("\n".join(messages))
        return 1 if any("NOT" in m for m in messages) else 0
    clock = [("start and imports", STARTED), ("", time.perf_counter())]
    try:
        model = load_model(Path(args.model))
    except ModelError as exc:
        print(f"the model has problems:\n{exc}", file=sys.stderr)
        return 2
    clock.append(("load the model", time.perf_counter()))
    items = from_model(model, Path(args.docs))
    claims, invalid = from_pages(model, Path(args.docs))  # reported; the rest still checked
    items += claims
    if args.repo:
        items = [i for i in items if i.repo in args.repo]
    if args.component:
        items = [i for i in items if i.component in args.component]
    clock.append(("collect items and claims", time.perf_counter()))
    with tempfile.TemporaryDirectory(prefix="evidence-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        source = _source(args, workdir)
        results, snaps = verify(items, source, args.jobs)
        held, unread = ([], []) if args.repo or args.component else compare(model, source)
    clock.append(("verify", time.perf_counter()))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    doc = report.build(results, snaps, source.mode, today, coverage(model), invalid)
    text = report.markdown(doc)
    for out in filter(None, (args.json, args.markdown)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if args.json:
        Path(args.json).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    if args.markdown:
        Path(args.markdown).write_text(text)
    print(text.splitlines()[0] if args.quiet else text)
    print(holders_report(held, unread, args.quiet))
    clock.append(("report", time.perf_counter()))
    if args.update:
        from .update import update

        for line in update(results, today):
            print(line)
        clock.append(("update", time.perf_counter()))
    if args.bench:
        _bench(args, items, clock)
    return 1 if doc["counts"]["facts_failing"] or invalid or held else 0


def _bench(args, items, clock: list[tuple[str, float]]) -> None:
    """Print each phase's wall time and, over local clones, the per-file baseline."""
    phases = {"start and imports": clock[1][1] - clock[0][1]}
    phases |= {name: t - clock[i - 1][1] for i, (name, t) in enumerate(clock) if i > 1}
    total = clock[-1][1] - clock[0][1]
    if not args.clones:
        print(f"bench: {len(items)} evidence items from GitHub: {total:.2f} s wall")
        return
    from .bench import run

    print("\n".join(run(items, args.clones, args.jobs, total, phases)))
