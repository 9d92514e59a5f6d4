"""Command line: ``python -m infradocs.cli.inventory [options] SOURCE...``, plus ``merge``
and ``feedstocks``."""

from __future__ import annotations

import argparse
import json
import os
import sys

from infradocs.core.inventory import SCHEMA_VERSION
from infradocs.core.inventory.document import document, merge, timestamp, write, write_lines
from infradocs.core.inventory.gitmeta import commit_date
from infradocs.core.inventory.run import Settings, run
from infradocs.core.inventory.sources import expand, feedstocks_from_gitmodules, unread
from infradocs.core.inventory.syncsection import REPO as SYNC_REPO
from infradocs.core.inventory.syncsection import with_missing


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard wants I/N, got {text!r}") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"--shard {text}: need 1 <= I <= N")
    return index, count


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m infradocs.cli.inventory",
        description="Inventory the CI providers, workflows, secret names and services of "
        "repositories. Subcommands: 'merge DOC...' joins shard outputs; "
        "'feedstocks GITMODULES' lists feedstocks as a manifest.",
    )
    p.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="a local folder, a git URL, or @FILE (a manifest of sources)",
    )
    p.add_argument("--format", choices=["json", "yaml"], default="json")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    p.add_argument("--cache", metavar="DIR", help="cache folder (facts, clones of URLs)")
    p.add_argument("--shard", type=_shard, default=(1, 1), metavar="I/N")
    p.add_argument("--max-file-size", type=int, default=1 << 20, metavar="BYTES")
    p.add_argument(
        "--base-url",
        default="https://github.com/",
        help="where owner/name manifest entries are cloned from",
    )
    p.add_argument(
        "--clones",
        metavar="DIR",
        help="read owner/name manifest entries from local clones in DIR instead",
    )
    p.add_argument(
        "--generated",
        action="store_true",
        help="add a 'generated' section: time and each repository's origin and commit",
    )
    p.add_argument("--no-progress", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (1 when any source failed)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "merge":
        return _merge(argv[1:])
    if argv and argv[0] == "feedstocks":
        return _feedstocks(argv[1:])
    args = _parser().parse_args(argv)
    errors: list[str] = []
    sources = expand(args.sources, args.base_url, args.clones, errors)
    settings = Settings(
        jobs=max(1, args.jobs),
        cache_dir=args.cache,
        max_bytes=args.max_file_size,
        shard=args.shard,
        progress=not args.no_progress,
    )
    outcome = run(sources, settings)
    generated = None
    if args.generated:
        for src in outcome.sources:
            date = commit_date(outcome.roots.get(src["name"], ""), src["commit"])
            if date:
                src["date"] = date
        generated = {
            "at": timestamp(),
            "sources": sorted(outcome.sources, key=lambda s: (s["name"], s["commit"] or "")),
        }
    rows = sorted(outcome.repos)
    extra = _secret_sync(args.sources, outcome, errors, args.shard != (1, 1))
    _emit_rows(rows, generated, args.output, args.format, extra)
    outcome.finish()
    failures = errors + outcome.failures
    problems = sum(line.count('"message": ') for _, _, line in rows)
    print(
        f"inventory: {len(rows)} repositories, {problems} problems in files, "
        f"{len(failures)} failed sources",
        file=sys.stderr,
    )
    for failure in failures:
        print(f"  failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _secret_sync(sources: list[str], outcome, errors: list[str], sharded: bool) -> dict:
    """``unread`` (manifest entries marked not read) and, when conda-forge/infrastructure was
    inventoried (or for every shard, whose references a merge joins), ``secret_sync``."""
    skipped: list[dict] = []
    for arg in sources:
        if arg.startswith("@"):
            try:
                skipped += [{"manifest": arg[1:], **u} for u in unread(arg[1:])]
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"{arg[1:]}: cannot read manifest: {exc}")
    extra: dict = {"unread": skipped} if skipped else {}
    root = outcome.roots.get(SYNC_REPO)
    if root is None and not sharded:
        return extra
    commit = next((c for n, c, _ in outcome.repos if n == SYNC_REPO), None) or None
    repos = [json.loads(line) for _, _, line in outcome.repos]
    from infradocs.core.inventory.secretrefs import section  # only for the infrastructure repo

    sync = section(root, commit, repos, outcome.roots)
    extra["secret_sync"] = with_missing(sync, {r["name"] for r in repos}, skipped)
    return extra


def _emit_rows(
    rows: list, generated: dict | None, output: str | None, fmt: str, extra: dict | None = None
) -> None:
    """Write pre-serialised, sorted repository rows (YAML goes through the document form)."""
    if fmt == "yaml":
        doc = document([json.loads(line) for _, _, line in rows], generated)
        repos = doc.pop("repos")
        doc = {**doc, **(extra or {}), "repos": repos}
        _emit(doc, output, fmt)
        return
    head = {"schema_version": SCHEMA_VERSION, **({"generated": generated} if generated else {})}
    head.update(extra or {})
    if output:
        tmp = output + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            write_lines(head, [line for _, _, line in rows], fh)
        os.replace(tmp, output)
    else:
        write_lines(head, [line for _, _, line in rows], sys.stdout)


def _emit(doc: dict, output: str | None, fmt: str) -> None:
    if output:
        tmp = output + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            write(doc, fh, fmt)
        os.replace(tmp, output)
    else:
        write(doc, sys.stdout, fmt)


def _merge(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m infradocs.cli.inventory merge")
    p.add_argument("docs", nargs="+", metavar="DOC")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--format", choices=["json", "yaml"], default="json")
    args = p.parse_args(argv)
    docs = []
    for path in args.docs:
        try:
            with open(path, encoding="utf-8") as fh:
                docs.append(json.load(fh))
        except (OSError, ValueError) as exc:
            print(f"inventory merge: {path}: {exc}", file=sys.stderr)
            return 1
    try:
        merged = merge(docs)
    except (ValueError, KeyError) as exc:
        print(f"inventory merge: {exc}", file=sys.stderr)
        return 1
    _emit(merged, args.output, args.format)
    return 0


def _feedstocks(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="python -m infradocs.cli.inventory feedstocks",
        description="Print a manifest of every feedstock in conda-forge/feedstocks' .gitmodules",
    )
    p.add_argument("gitmodules")
    args = p.parse_args(argv)
    try:
        names = feedstocks_from_gitmodules(args.gitmodules)
    except Exception as exc:  # configparser raises several types for malformed files
        print(f"inventory feedstocks: {args.gitmodules}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write("".join(f"{n}\n" for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
