"""Scan one repository: identify it, list its CI files, and turn new file contents into facts."""

from __future__ import annotations

import hashlib
from typing import Any

from . import conda_forge_yml, extract
from .gitmeta import redact, repo_meta, repo_name
from .locate import CONDA_FORGE_YML, provider_for, read_git, read_worktree

CFY = "conda-forge.yml"


def blob_key(kind: str, data: bytes) -> str:
    """Cache key of a file's facts: what it is parsed as, plus a hash of its bytes."""
    return f"{kind}:{hashlib.blake2b(data, digest_size=20).hexdigest()}"


def facts_for(kind: str, data: bytes) -> dict[str, Any]:
    """Facts of one file's bytes parsed as ``kind`` (a provider or conda-forge.yml)."""
    if kind == CFY:
        return conda_forge_yml.extract(data)
    return extract.extract(kind, data)


def scan_repo(
    root: str, max_bytes: int, repo_cache: dict, known: set[str], memo: dict[str, dict]
) -> tuple[dict, dict[str, dict]]:
    """(repository record, facts of new contents); reuses ``repo_cache`` on a match."""
    meta = repo_meta(root)
    name = repo_name(meta)
    origin = redact(meta.origin) if meta.origin else None
    cached = repo_cache.get(root)
    if meta.bare:
        if cached and cached["commit"] == meta.commit and meta.commit:
            return _hit(cached, name, origin), {}
        listing = read_git(meta.gitdir or root, "HEAD", max_bytes) if meta.commit else None
        sig: Any = None
    else:
        probe = read_worktree(root, max_bytes, read=False)
        sig = _sig(probe.signature)
        if cached and cached["commit"] == meta.commit and cached.get("sig") == sig:
            return _hit(cached, name, origin), {}
        listing = read_worktree(root, max_bytes)
    files, new, problems = [], {}, []
    for folder, message in listing.problems if listing else []:
        problems.append([folder or None, None, message])
    for ref in listing.files if listing else []:
        kind = CFY if ref.path == CONDA_FORGE_YML else provider_for(ref.path)
        key = None
        if ref.data is not None:
            key = blob_key(kind, ref.data)
            if key not in known and key not in memo:  # memo: already parsed by this process
                memo[key] = new[key] = facts_for(kind, ref.data)
        files.append([ref.path, kind, key, ref.problem])
    record = {
        "root": root,
        "name": name,
        "origin": origin,
        "commit": meta.commit,
        "sig": sig,
        "files": sorted(files, key=lambda f: f[0]),
        "problems": problems,
    }
    return record, new


def _hit(cached: dict, name: str, origin: str | None) -> dict:
    """The cached record (itself when nothing changed, so nothing needs saving)."""
    if cached["name"] == name and cached.get("origin") == origin:
        return cached
    return {**cached, "name": name, "origin": origin}


def _sig(signature: list) -> str:
    return hashlib.blake2b(repr(signature).encode(), digest_size=16).hexdigest()
