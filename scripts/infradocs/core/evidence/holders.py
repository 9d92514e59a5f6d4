"""verify's holder check: who holds each GitHub Actions secret that conda-forge/infrastructure
syncs, and its visibility, as the model says against the secret sync and the workflows."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from infradocs.core.inventory.locate import provider_for
from infradocs.core.inventory.secretrefs import referenced
from infradocs.core.inventory.secretsync import FILES, parse_files
from infradocs.core.inventory.syncsection import REPO


@dataclass
class ModelHolders:
    """What the model says about the holders of each secret name (see evidence.md)."""

    token: dict[str, object] = field(default_factory=dict)  # name -> token component
    uses: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> repo -> where
    unused: dict[str, dict[str, str]] = field(default_factory=dict)  # name -> repo -> where
    retired: set[str] = field(default_factory=set)  # repositories of retired components
    repos: set[str] = field(default_factory=set)  # every repository a component names

    def holds(self, name: str) -> dict[str, str]:
        """Repository -> where the model says it holds ``name`` (using it or not)."""
        return {**self.unused.get(name, {}), **self.uses.get(name, {})}


def model_holders(model) -> ModelHolders:
    """Token components govern their ``credentials``; a component with a ``repo`` (a token's
    ``repo`` too) holds the names in its ``credentials`` and ``unused_credentials``."""
    held = ModelHolders()
    for comp in model:
        repo = comp.get("repo")
        if repo and comp.status == "retired":
            held.retired.add(repo)
        if repo:
            held.repos.add(repo)
        for name in comp.get("credentials", []):
            if comp.kind == "token":
                held.token.setdefault(name, comp)
            if repo:
                held.uses.setdefault(name, {}).setdefault(repo, comp.where)
        for name in comp.get("unused_credentials", []) if repo else []:
            held.unused.setdefault(name, {}).setdefault(repo, comp.where)
    return held


def _read_sync(source) -> tuple[dict | None, str | None, str | None]:
    """(parsed sync, commit, error) from the infrastructure repository."""
    snap = source.snapshot(REPO, list(FILES), set(FILES))
    if snap.error:
        return None, None, snap.error

    def reader(rel: str) -> bytes:
        entry = snap.files.get(rel)
        if entry is None or entry.data is None:
            raise OSError(f"{rel} is not in {REPO} at {snap.commit}")
        return entry.data

    return parse_files(reader), snap.commit, None


def _workflow_refs(source, repo: str) -> tuple[dict[str, tuple[str, int | None]], str | None]:
    """(secret name -> (workflow, line) of a GitHub Actions reference, error) for ``repo``."""
    listing = source.snapshot(repo, [], set())
    if listing.error or listing.lister is None:
        return {}, listing.error or "cannot list its files"
    paths = sorted(p for p in listing.lister() if provider_for(p) == "github-actions")
    snap = source.snapshot(repo, paths, set(paths)) if paths else listing
    if snap.error:
        return {}, snap.error
    refs: dict[str, tuple[str, int | None]] = {}
    for path in paths:
        entry = snap.files.get(path)
        if entry is not None and entry.data is not None:
            for name, line in referenced(path, entry.data).items():
                refs.setdefault(name, (path, line))
    return refs, None


def compare(model, source, jobs: int = 4) -> tuple[list[str], list[str]]:
    """(failures, notes): each difference between the model's holders and visibility of a
    synced GitHub Actions secret and the secret sync or the workflows; notes name the
    repositories that could not be read (their workflows are not compared)."""
    sync, commit, error = _read_sync(source)
    if sync is None:  # unreachable, like any repository: named, not a failure
        return [], [f"holders: {REPO}: not compared ({error})"]
    at = f"{REPO}@{(commit or '')[:12]}"
    failures = [
        f"holders: {at}:{p['path']}:{p['line'] or '?'}: {p['message']}" for p in sync["problems"]
    ]
    held = model_holders(model)
    secrets = {c["name"]: c for c in sync["credentials"] if c["store"] == "github-actions"}
    repos = held.repos | {h["name"] for c in secrets.values() for h in c["holders"]}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        order = sorted(repos)
        read = dict(zip(order, pool.map(lambda r: _workflow_refs(source, r), order), strict=True))
    notes = [f"holders: {r}: workflows not compared ({err})" for r, (_, err) in read.items() if err]
    for name, cred in sorted(secrets.items()):
        failures += _one(name, cred, held, read, at)
    return failures, notes


def _one(name: str, cred: dict, held: ModelHolders, read: dict, at: str) -> list[str]:
    """The differences for one synced secret."""
    where = f"{at}:{cred['path']}"
    token = held.token.get(name)
    if token is None:
        return [f"holders: {name}: synced at {where}:{cred['line']}, but no token lists it"]
    out = []
    said = token.get("visibility")
    if said != cred["visibility"]:
        out.append(
            f"holders: {name}: visibility is {cred['visibility']} ({where}:{cred['line']}); "
            f"the model says {said or 'nothing'} ({token.where}, {token.id})"
        )
    holds = held.holds(name)
    synced = {h["name"]: h["line"] for h in cred["holders"]}
    if cred["visibility"] == "selected":
        for repo in sorted(set(synced) - set(holds)):
            out.append(
                f"holders: {name}: {repo} is given it ({where}:{synced[repo]}); "
                "no model component of that repository holds it"
            )
        for repo in sorted(set(holds) - set(synced)):
            out.append(
                f"holders: {name}: {repo} holds it in the model ({holds[repo]}); "
                f"the secret sync does not give it ({where}:{cred['line']})"
            )
    for repo, (refs, err) in sorted(read.items()):
        if err or repo in held.retired:
            continue
        ref = refs.get(name)
        unused = held.unused.get(name, {}).get(repo)
        if ref and repo not in holds:
            out.append(
                f"holders: {name}: {repo}/{ref[0]}:{ref[1] or '?'} references it; "
                "no model component of that repository holds it"
            )
        elif ref and unused and repo not in held.uses.get(name, {}):
            out.append(
                f"holders: {name}: {repo}/{ref[0]}:{ref[1] or '?'} references it; the model "
                f"lists it as unused there ({unused})"
            )
        if ref and cred["visibility"] == "selected" and repo not in synced:
            out.append(
                f"holders: {name}: {repo}/{ref[0]}:{ref[1] or '?'} references it; the secret "
                f"sync does not give it to that repository ({where}:{cred['line']})"
            )
        if not ref and repo in synced and repo in holds and not unused:
            out.append(
                f"holders: {name}: {repo} is given it and holds it in the model "
                f"({holds.get(repo, '?')}), but no workflow of that repository references it "
                "(list it in unused_credentials if that is meant)"
            )
    return out


def report(failures: list[str], notes: list[str], quiet: bool = False) -> str:
    """verify's lines about holders: each failure, the repositories not compared (unless
    ``quiet``), and "all agree" when nothing failed."""
    lines = failures + ([] if quiet else notes)
    if not failures:
        skipped = f" ({len(notes)} repositories not compared)" if notes else ""
        lines.append(f"holders: all agree{skipped}")
    return "\n".join(lines)
