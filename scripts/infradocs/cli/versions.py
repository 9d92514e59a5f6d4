"""CLI: ``python -m infradocs.cli.versions [build|list|serve]`` — the versioned site."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tomllib
from pathlib import Path

from infradocs.core.redact import redact
from infradocs.core.siteconfig import BUILD, ROOT
from infradocs.core.versions.build import Result, build_all
from infradocs.core.versions.config import ConfigError, VersionsConfig, load_config
from infradocs.core.versions.refs import Plan, plan
from infradocs.core.versions.site import assemble


def read_config(path: Path, base_url: str | None) -> VersionsConfig:
    """The versions settings from ``path`` (a pyproject.toml), with an optional base URL."""
    try:
        with open(path, "rb") as fh:
            site = tomllib.load(fh)["tool"]["infra-docs"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.infra-docs]: {exc}") from exc
    config = load_config(site, str(path))
    return config.with_base_url(base_url) if base_url else config


def print_plan(found: Plan) -> None:
    """List the versions that would be built and the tags left out."""
    for target in found.targets:
        kind = "release" if target.is_release else f"dev from {target.ref.name}"
        print(f"{target.name:<16} {target.commit[:12]}  {kind}")
    for name, reason in found.skipped:
        print(f"{name:<16} skipped: {reason}")


def report(results: list[Result], found: Plan, out: Path, stable: str) -> int:
    """Print and save what happened; return the exit status (0 ok, 2 some failed, 1 none built)."""
    lines = []
    for r in results:
        lines.append(f"{r.status:<7} {r.target.name:<16} {r.target.commit[:12]}")
        if r.status == "failed":
            lines.append(f"  error building {r.target.name} (log: {r.log}):")
            lines.extend("    " + line for line in r.error.splitlines())
    lines.extend(f"skipped {name:<16} {reason}" for name, reason in found.skipped)
    published = [r for r in results if r.html is not None]
    lines.append(f"site: {out} (stable = {stable or 'none: no release built'})")
    print("\n".join(lines))
    data = [
        {"name": r.target.name, "commit": r.target.commit, "status": r.status, "error": r.error}
        for r in results
    ]
    (out.parent / "versions-report.json").write_text(json.dumps(data, indent=1) + "\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a") as fh:
            fh.write("## Versioned site\n\n```\n" + "\n".join(lines) + "\n```\n")
    if not published:
        return 1
    return 2 if len(published) < len(results) else 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m infradocs.cli.versions", description=__doc__)
    parser.add_argument("command", nargs="?", default="build", choices=["build", "list", "serve"])
    parser.add_argument("--repo", type=Path, default=ROOT, help="git repository (default: here)")
    parser.add_argument("--config", type=Path, help="pyproject.toml (default: the repo's)")
    parser.add_argument("--base-url", help="override base_url, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--dev-ref", help="build dev from this ref instead of the branch")
    parser.add_argument("--out", type=Path, default=BUILD / "site")
    parser.add_argument("--cache", type=Path, default=BUILD / ".version-cache")
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j for each version")
    parser.add_argument("--port", type=int, default=8000, help="port for serve")
    args = parser.parse_args(argv)

    if args.command == "serve":
        from infradocs.core.localsite import make_server

        server = make_server(args.out, args.port, verbose=True)
        print(f"Serving {args.out} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
        return 0

    repo = args.repo.resolve()
    try:
        config = read_config(args.config or repo / "pyproject.toml", args.base_url)
        found = plan(repo, config, args.dev_ref)
    except (ConfigError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.command == "list":
        print_plan(found)
        return 0
    print(f"Building {len(found.targets)} version(s) for {redact(config.base_url)}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = build_all(
        repo, args.cache.resolve(), found, config, config.base_url + "switcher.json", args.jobs
    )
    site = assemble(results, config, args.out.resolve())
    return report(results, found, args.out, site.stable_label)


if __name__ == "__main__":
    sys.exit(main())
