"""Command line: check external links, check a built site's internal links."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from infradocs.core.links import report
from infradocs.core.links.cache import Cache
from infradocs.core.links.config import ConfigError, load, patterns
from infradocs.core.links.lychee import LycheeError, check
from infradocs.core.links.record import RecordError
from infradocs.core.links.record import load as load_record


def _defaults() -> tuple[Path, Path]:
    from infradocs.core.siteconfig import BUILD, ROOT

    return BUILD / "doctrees-html" / "links.json", ROOT


def cmd_check(args: argparse.Namespace) -> int:
    """Check every external URL of the record; write the reports; 1 when anything is broken."""
    record, root = _defaults() if args.record is None else (args.record, Path.cwd())
    try:
        settings = load(args.config)
        links, errors = load_record(record)
        include = patterns("command line", "--include", args.include) if args.include else None
    except (ConfigError, RecordError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    ext = settings.external.with_overrides(
        include=include,
        concurrency=args.concurrency,
        per_host=args.per_host,
        timeout=args.timeout,
        retries=args.retries,
        cache_max_age_hours=args.max_age_hours,
    )
    cache = None
    if not args.no_cache:
        cache = Cache(
            Path(args.cache or root / ext.cache_dir),
            ext.cache_max_age_hours * 3600,
            ext.cache_broken_max_age_minutes * 60,
        )
        errors += [cache.problem] if cache.problem else []
    for msg in errors:
        print(f"warning: {msg}", file=sys.stderr)
    if ext.include:
        total = len(links)
        links = {url: locs for url, locs in links.items() if ext.included(url)}
        if not args.quiet:
            print(f"{len(links)} of {total} external URLs match --include; only they are checked")
    start = time.perf_counter()
    try:
        results, requests, warnings = check(links, ext, cache)
    except LycheeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    if cache is not None:
        cache.save()
    for msg in warnings:
        print(f"warning: {msg}", file=sys.stderr)
    if not args.quiet:
        print(report.console(results, seconds, requests))
    if args.json:
        Path(args.json).write_text(report.to_json(results, seconds, requests), encoding="utf-8")
    summary = args.markdown or os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(report.markdown(results, seconds, requests))
    failed = [r for r in results if r.failed(ext.timeout_is_broken)]
    return 1 if failed or errors else 0


def cmd_internal(args: argparse.Namespace) -> int:
    """Check the relative links and anchors of a built HTML site; 1 when any is broken."""
    from infradocs.core.links.internal import (
        check_site,  # not needed by ``check``: its start stays short
    )

    try:
        settings = load(args.config)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not args.site.is_dir():
        print(f"error: {args.site}: no such directory; build the site first", file=sys.stderr)
        return 2
    problems, checked = check_site(args.site, settings.internal.ignore, settings.internal.skip_dirs)
    for p in problems:
        print(f"{args.site / p.page}: broken link {p.href!r}: {p.reason}")
    print(f"{checked} internal links checked, {len(problems)} broken")
    return 1 if problems else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m infradocs.cli.links", description=__doc__)
    p.add_argument(
        "--config",
        type=Path,
        help="settings file (default: scripts/infradocs/core/links/config.toml)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check the external URLs recorded by the last build")
    c.add_argument("record", nargs="?", type=Path, help="links.json (default: build/doctrees-html)")
    c.add_argument("--cache", type=Path, help="cache folder (default: external.cache_dir)")
    c.add_argument("--no-cache", action="store_true", help="check everything, keep no cache")
    c.add_argument("--max-age-hours", type=float, help="re-check good URLs older than this")
    c.add_argument("--concurrency", type=int, help="requests in flight in total")
    c.add_argument("--per-host", type=int, help="requests in flight per host")
    c.add_argument("--timeout", type=float, help="seconds per request")
    c.add_argument("--retries", type=int, help="extra attempts after a failure")
    c.add_argument(
        "--include",
        action="append",
        metavar="REGEX",
        help="check only URLs this regular expression finds (repeatable; like lychee's "
        "--include; replaces external.include of the settings)",
    )
    c.add_argument("--json", type=Path, help="write the full report as JSON here")
    c.add_argument(
        "--markdown",
        type=Path,
        help="append a Markdown summary here (default: $GITHUB_STEP_SUMMARY when set)",
    )
    c.add_argument("-q", "--quiet", action="store_true", help="no console report")
    c.set_defaults(func=cmd_check)
    i = sub.add_parser("internal", help="check relative links and anchors of a built site")
    i.add_argument("site", type=Path, help="the built HTML folder, e.g. build/html")
    i.set_defaults(func=cmd_internal)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
