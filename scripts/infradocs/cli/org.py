"""The whole org in the inventory: the steps of ``.github/workflows/inventory.yml``.

``python -m infradocs.cli.org list`` writes the sources (every feedstock in conda-forge/feedstocks'
``.gitmodules``, plus the manifest), ``shard I`` inventories and audits shard I of N, ``merge``
joins the shard outputs and says which shards are missing, ``single`` runs every source in
one process (the baseline a merge must equal), ``publish`` uploads the snapshot as
a release asset, and ``all`` runs list, every shard and merge here, one after the other. The
workflow only wires these commands; each runs the same on a laptop. N is ``inventory_shards``
in ``[tool.infra-docs]`` of pyproject.toml.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

from infradocs.cli import inventory as cli
from infradocs.core.inventory.fetch import refresh
from infradocs.core.inventory.sources import FEEDSTOCKS, feedstocks_from_gitmodules, manifest_names
from infradocs.core.inventory.validate import errors
from infradocs.core.orgdata import derived
from infradocs.core.orgdata.derived import derive
from infradocs.core.siteconfig import DIAGRAMS, settings

# Relative to the working folder, as the workflow's paths are (the checkout's root there).
OUT = Path("build/org")
CACHE = Path("build/org-cache")
MANIFEST = DIAGRAMS / "inventory" / "manifest.txt"
SNAPSHOT = "inventory.json"
DERIVED = "inventory-derived.tar"  # the release asset of the data derived from the snapshot
# The GitHub release whose asset the org-wide snapshot is (see docs/reference/inventory.md).
RELEASE = "inventory-org"


def shard_count() -> int:
    """N: how many shard jobs refresh the org (one place: pyproject.toml)."""
    return int(settings()["inventory_shards"])


def _github(kind: str, text: str) -> None:
    """Append to the GitHub Actions file ``kind`` (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) if set."""
    path = os.environ.get(kind)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(text)


def list_sources(out: Path, base_url: str, manifest: Path) -> int:
    """Write ``out/sources.txt``: every feedstock, then the manifest's repositories."""
    out.mkdir(parents=True, exist_ok=True)
    dest = out / "feedstocks"
    url = f"{base_url.rstrip('/')}/{FEEDSTOCKS}"
    _, error = refresh(url, str(dest), ["/.gitmodules"])
    if error:
        print(f"inventory list: {FEEDSTOCKS}: {error}", file=sys.stderr)
        return 1
    names = feedstocks_from_gitmodules(str(dest / ".gitmodules"))
    extra = manifest_names(manifest)
    lines = sorted(set(names) | set(extra))
    (out / "sources.txt").write_text("".join(f"{n}\n" for n in lines), encoding="utf-8")
    count = shard_count()
    print(
        f"inventory list: {len(names)} feedstocks + {len(extra)} from {manifest.name}; "
        f"{count} shards"
    )
    _github("GITHUB_OUTPUT", f"shards={json.dumps(list(range(1, count + 1)))}\ncount={count}\n")
    return 0


def shard(index: int | None, out: Path, cache: Path, base_url: str, audit: bool) -> int:
    """Inventory shard ``index`` of N into ``out/shard-INDEX.json``, then audit it; with
    ``index`` None, every source in one process into ``out/single.json`` (the baseline)."""
    count = shard_count()
    label = f"shard {index}/{count}" if index else "single"
    target = out / (f"shard-{index:03d}.json" if index else "single.json")
    status = cli.main(
        [
            "--no-progress",
            "--generated",
            *(["--shard", f"{index}/{count}"] if index else []),
            "--cache",
            str(cache),
            "--base-url",
            base_url,
            "-o",
            str(target),
            f"@{out / 'sources.txt'}",
        ]
    )
    if not target.exists():
        print(f"inventory {label}: no output written", file=sys.stderr)
        return 2
    if audit:
        from infradocs.cli.security import main as security_main

        clones = cache / "clones"
        clones.mkdir(parents=True, exist_ok=True)
        if security_main(["enrich", str(target), str(clones)]) != 0:
            status = status or 1
    doc = json.loads(target.read_text(encoding="utf-8"))
    failed = [r["name"] for r in doc["repos"] if r["commit"] is None]
    _github(
        "GITHUB_STEP_SUMMARY",
        f"Inventory {label}: {len(doc['repos'])} repositories, {len(failed)} not fetched"
        + "".join(f"\n- {n}" for n in failed[:50])
        + "\n",
    )
    for name in failed:
        print(f"::warning::inventory {label}: {name} could not be fetched")
    # Repositories that failed are in the output with their problem; the shard still counts.
    return 0 if status in (0, 1) else status


def merge(out: Path) -> int:
    """Join every shard output in ``out`` (any depth) into ``out/inventory.json``."""
    count = shard_count()
    found = sorted(glob.glob(str(out / "**" / "shard-*.json"), recursive=True))
    present = {int(Path(p).stem.split("-")[1]) for p in found}
    missing = sorted(set(range(1, count + 1)) - present)
    if not found:
        print("inventory merge: no shard output found", file=sys.stderr)
        return 1
    status = cli.main(["merge", *found, "-o", str(out / SNAPSHOT)])
    if status:
        return status
    doc = json.loads((out / SNAPSHOT).read_text(encoding="utf-8"))
    bad = errors(doc)
    for problem in bad[:20]:
        print(f"inventory merge: {out / SNAPSHOT}: schema: {problem}", file=sys.stderr)
    if bad:
        return 1
    severities = Counter(
        f["severity"] for r in doc["repos"] for w in r["workflows"] for f in w.get("findings", [])
    )
    note = (
        f"Merged {len(found)} of {count} shards: {len(doc['repos'])} repositories, "
        f"{sum(1 for r in doc['repos'] if r['commit'] is None)} not fetched; findings: "
        + (", ".join(f"{n} {s}" for s, n in sorted(severities.items())) or "none")
        + (f"; missing shards {missing} (their repositories are not in it)" if missing else "")
    )
    # What site builds take from it, derived once here (see infradocs.core.orgdata.derived).
    derive(out / SNAPSHOT, doc=doc)
    print(f"inventory merge: {note}")
    _github("GITHUB_STEP_SUMMARY", note + "\n")
    for i in missing:
        print(f"::error::inventory shard {i}/{count} produced no output; published without it")
    return 0


def publish(out: Path, release: str | None, to: Path | None, trigger: str | None) -> int:
    """Upload the compressed snapshot and the data derived from it (``DERIVED``, a tar) as
    assets of release ``release`` (with ``gh``, which reads GH_TOKEN) or copy them into ``to``;
    optionally start workflow ``trigger``."""
    source = out / SNAPSHOT
    folder = derived.get(source).folder  # derived by merge; again only if the code changed
    packed = out / f"{SNAPSHOT}.gz"
    shutil.copyfile(folder / derived.GZIP, packed)
    bundle = out / DERIVED
    with tarfile.open(bundle, "w") as tar:
        for name in derived.FILES:
            if name != derived.GZIP:  # already an asset of its own
                tar.add(folder / name, arcname=name)
    print(f"inventory publish: {packed} ({packed.stat().st_size / 2**20:.1f} MiB), {bundle}")
    if to:
        to.mkdir(parents=True, exist_ok=True)
        for asset in (packed, bundle):
            shutil.copy2(asset, to / asset.name)
    if release:
        view = subprocess.run(["gh", "release", "view", release], capture_output=True)
        if view.returncode != 0:
            subprocess.run(
                [
                    "gh",
                    "release",
                    "create",
                    release,
                    "--title",
                    "Org-wide inventory",
                    "--notes",
                    "The inventory of every feedstock, refreshed weekly "
                    "(.github/workflows/inventory.yml).",
                    "--latest=false",
                ],
                check=True,
            )
        subprocess.run(
            ["gh", "release", "upload", release, str(packed), str(bundle), "--clobber"],
            check=True,
        )
    if trigger:
        subprocess.run(["gh", "workflow", "run", trigger], check=True)
    return 0


def download(out: Path, release: str) -> int:
    """Fetch the published snapshot and its derived data (assets of ``release``, with ``gh``)
    into ``out`` and point the site build at it (GITHUB_ENV); none published yet: say so, the
    build uses the committed snapshot. Without the derived data the build derives it."""
    out.mkdir(parents=True, exist_ok=True)
    packed = out / f"{SNAPSHOT}.gz"
    proc = _gh_download(release, packed.name, out)
    if proc.returncode != 0:
        print(
            f"inventory download: no {packed.name} in release {release} "
            f"({proc.stderr.strip()[-200:]}); the site uses the committed snapshot"
        )
        return 0
    target = (out / SNAPSHOT).resolve()
    raw = gzip.decompress(packed.read_bytes())
    target.write_bytes(raw)
    folder = derived.folder_of(target)
    shutil.rmtree(folder, ignore_errors=True)
    if _gh_download(release, DERIVED, out).returncode == 0:
        try:
            with tarfile.open(out / DERIVED) as tar:
                tar.extractall(folder, filter="data")
            shutil.copyfile(packed, folder / derived.GZIP)
        except (OSError, tarfile.TarError) as exc:
            print(f"inventory download: {out / DERIVED}: {exc}; the build derives it again")
        fresh = derived.reusable(target, raw)
        print(f"inventory download: {folder} ({'matches' if fresh else 'stale: derived again'})")
    else:
        print(f"inventory download: no {DERIVED} in release {release}; the build derives it")
    print(f"inventory download: {target}")
    _github("GITHUB_ENV", f"INVENTORY_ORG_SNAPSHOT={target}\n")
    return 0


def _gh_download(release: str, pattern: str, out: Path) -> subprocess.CompletedProcess:
    cmd = ["gh", "release", "download", release, "--pattern", pattern]
    return subprocess.run(
        [*cmd, "--dir", str(out), "--clobber"],
        capture_output=True,
        text=True,
        check=False,
    )


def run_all(out: Path, cache: Path, base_url: str, audit: bool) -> int:
    """list, every shard, merge: the whole workflow here, one step after the other."""
    status = list_sources(out, base_url, MANIFEST)
    if status:
        return status
    for i in range(1, shard_count() + 1):
        status = max(status, shard(i, out, cache / f"shard-{i}", base_url, audit))
    return max(status, merge(out))


def main(argv: list[str] | None = None) -> int:
    """Command line: list | shard I | merge | publish | all."""
    p = argparse.ArgumentParser(prog="python -m infradocs.cli.org", description=__doc__)
    p.add_argument("--out", type=Path, default=OUT, help=f"work folder (default {OUT})")
    p.add_argument(
        "--base-url",
        default=os.environ.get("INVENTORY_BASE_URL", "https://github.com/"),
        help="where owner/name sources are fetched from (env INVENTORY_BASE_URL)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="write the sources and the shard matrix")
    ls.add_argument("--manifest", type=Path, default=MANIFEST)
    sh = sub.add_parser("shard", help="inventory and audit shard I of N")
    sh.add_argument("index", type=int)
    sh.add_argument("--cache", type=Path, default=CACHE)
    sh.add_argument("--no-audit", action="store_true")
    sub.add_parser("merge", help="join the shard outputs")
    sg = sub.add_parser("single", help="every source in one process (the baseline)")
    sg.add_argument("--cache", type=Path, default=CACHE)
    sg.add_argument("--no-audit", action="store_true")
    pb = sub.add_parser("publish", help="compress and upload the snapshot")
    pb.add_argument("--release", help=f"the GitHub release whose asset it becomes ({RELEASE})")
    pb.add_argument("--to", type=Path, help="copy it into this folder instead")
    pb.add_argument("--trigger", help="then start this workflow (e.g. pages.yml)")
    dl = sub.add_parser("download", help="fetch the published snapshot for the site build")
    dl.add_argument("--release", default=RELEASE)
    al = sub.add_parser("all", help="list, every shard and merge, here")
    al.add_argument("--cache", type=Path, default=CACHE)
    al.add_argument("--no-audit", action="store_true")
    args = p.parse_args(argv)
    if args.command == "list":
        return list_sources(args.out, args.base_url, args.manifest)
    if args.command == "shard":
        if not 1 <= args.index <= shard_count():
            p.error(f"shard {args.index}: need 1 <= I <= {shard_count()}")
        return shard(args.index, args.out, args.cache, args.base_url, not args.no_audit)
    if args.command == "merge":
        return merge(args.out)
    if args.command == "download":
        return download(args.out, args.release)
    if args.command == "single":
        return shard(None, args.out, args.cache, args.base_url, not args.no_audit)
    if args.command == "publish":
        return publish(args.out, args.release, args.to, args.trigger)
    return run_all(args.out, args.cache, args.base_url, not args.no_audit)


if __name__ == "__main__":
    sys.exit(main())
