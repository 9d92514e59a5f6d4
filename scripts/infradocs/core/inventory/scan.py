"""Scan one repository: identify it, list its CI files, and turn new file contents into facts.

A repository whose commit and CI-file stats match its cached record is not read at all."""

from __future__ import annotations

import os
from json.encoder import encode_basestring as _string  # what the entry encoder uses for str
from operator import itemgetter
from typing import Any

from infradocs.core.inventory.cache import detail_json, full
from infradocs.core.inventory.document import (
    CFY,
    dump_repo,
    entry_rest,
    repo_entry,
    workflow_json,
)
from infradocs.core.inventory.facts import Facts
from infradocs.core.inventory.gitmeta import RepoMeta, redact, repo_meta, repo_name
from infradocs.core.inventory.locate import (
    CONDA_FORGE_YML,
    Listing,
    provider_for,
    read_git,
    read_worktree,
)
from infradocs.core.inventory.statsig import signature_of, stat_signature


class NotAFolder(ValueError):
    """The source path is not (or no longer) a folder."""


def blob_key(kind: str, data: bytes) -> str:
    """Cache key of a file's facts: what it is parsed as, plus a hash of its bytes."""
    import hashlib  # here: an unchanged re-run hashes nothing and skips loading OpenSSL

    return f"{kind}:{hashlib.blake2b(data, digest_size=20).hexdigest()}"


# Per process: the keys of small contents met before, by kind and bytes. Feedstocks repeat
# their files (94 % of a 25,000-feedstock org's files repeat one met before), and a dictionary
# lookup hashes and compares the bytes in C where blake2b costs a call and a hex string: 3 us
# a file instead of 10 us (5,175 workflows of 7.5 kB on average). Contents over ``_KEEP``
# bytes (an infrastructure repository's large workflows, rarely repeated) are not kept;
# those kept take at most ``_KEPT_MAX`` bytes.
_KEYS: dict[tuple[str, bytes], str] = {}
_KEEP = 16_384
_KEPT_MAX = 64 << 20
_kept = [0]


def content_key(kind: str, data: bytes) -> str:
    """``blob_key(kind, data)``, remembered for small contents."""
    key = _KEYS.get((kind, data))
    if key is None:
        key = blob_key(kind, data)
        if len(data) <= _KEEP and _kept[0] < _KEPT_MAX:
            _KEYS[(kind, data)] = key
            _kept[0] += len(data)
    return key


def facts_for(kind: str, data: bytes) -> dict[str, Any]:
    """Facts of one file's bytes parsed as ``kind`` (a provider or conda-forge.yml)."""
    if kind == CFY:
        from infradocs.core.inventory import conda_forge_yml

        return conda_forge_yml.extract(data)
    from infradocs.core.inventory import extract

    return extract.extract(kind, data)


def unchanged(root: str, meta: RepoMeta, cached: dict | None) -> bool:
    """True when ``cached`` still describes ``root``: same commit and, for a work tree,
    the same stats of its CI folders and files (a bare clone is fixed by its commit)."""
    if not cached or cached["commit"] != meta.commit:
        return False
    if meta.bare:
        return meta.commit is not None
    sig = cached.get("sig")
    return sig is not None and stat_signature(root, cached["sigpaths"]) == sig


def still_pinned(root: str, cached: dict | None) -> bool:
    """True when ``cached`` is a pinned record (its signature covers the git files that give
    commit and origin) and the stats of ``root`` still match it: nothing to read."""
    if not cached or not cached.get("pinned") or cached.get("sig") is None:
        return False
    return stat_signature(root, cached["sigpaths"]) == cached["sig"]


def scan_repo(
    root: str, max_bytes: int, cached: dict | None, facts: Facts
) -> tuple[dict | None, list[str]]:
    """(new record with its entry, or None when ``cached`` is still right; keys of the contents
    parsed for it).

    A pinned record (its signature covers the git files that give commit and origin) is
    checked with stats alone; ``facts`` holds everything known (cached or parsed earlier by
    this process), and new contents are parsed once and added to it."""
    if still_pinned(root, cached):
        return None, []
    meta = repo_meta(root)
    origin = redact(meta.origin) if meta.origin else None
    if unchanged(root, meta, cached):
        assert cached is not None
        if cached.get("origin") == origin and (origin or cached["name"] == repo_name(meta)):
            return None, []
        record = {**full(cached), "name": repo_name(meta), "origin": origin}
        record["entry"] = dump_repo(repo_entry(record, facts))
        return record, []
    if meta.gitdir is None and not os.path.isdir(root):
        raise NotAFolder(root)
    if meta.bare:
        listing = read_git(meta.gitdir or root, "HEAD", max_bytes) if meta.commit else None
    else:
        listing = read_worktree(root, max_bytes)
    files, new, problems = [], [], []
    for folder, message in listing.problems if listing else []:
        problems.append([folder or None, None, message])
    for ref in listing.files if listing else []:
        kind = CFY if ref.path == CONDA_FORGE_YML else provider_for(ref.path)
        key = None
        if ref.data is not None:
            key = content_key(kind, ref.data)
            if key not in facts:
                facts.add(key, facts_for(kind, ref.data))
                new.append(key)
        files.append([ref.path, kind, key, ref.problem])
    files.sort(key=itemgetter(0))
    record = {
        "root": root,
        "name": repo_name(meta),
        "origin": origin,
        "commit": meta.commit,
        "files": files,
        "problems": problems,
        **_signature(meta, listing),
    }
    record["entry"], record["detail"] = entry_json(record, facts), detail_text(record)
    return record, new


# Per process: an entry's JSON after its name and commit, by the facts (as JSON text) of its
# files and its problems. Repositories whose CI files say the same (most feedstocks, even
# where their bytes differ) share it, so it is built and serialised once; and each workflow's
# JSON by its path, provider and facts, shared by the entries that differ elsewhere. The
# cache's ``detail`` (files and problems) likewise, by the files' keys and the problems.
_REST: dict[tuple, str] = {}
_WORKFLOWS: dict[tuple[str, str, str | None], str] = {}
_DETAILS: dict[tuple, str] = {}


def entry_json(record: dict, facts: Facts) -> str:
    """The repository entry as JSON text, exactly ``dump_repo(repo_entry(record, facts))``."""
    as_text = facts.text
    files = tuple((p, kind, k and as_text(k), problem) for p, kind, k, problem in record["files"])
    key = (files, tuple(map(tuple, record["problems"])))
    commit = record["commit"]
    head = f'{{"name": {_string(record["name"])}, "commit": '
    head += f"{'null' if commit is None else _string(commit)}, "
    rest = _REST.get(key)
    if rest is None:
        texts = {f[0]: f[2] for f in files}  # path -> facts text

        def workflow(path: str, kind: str, found: dict) -> str:
            wkey = (path, kind, texts.get(path))
            text = _WORKFLOWS.get(wkey)
            if text is None:
                text = _WORKFLOWS[wkey] = workflow_json(path, kind, found)
            return text

        rest = _REST[key] = entry_rest(record, facts, workflow)
    return head + rest


def detail_text(record: dict) -> str:
    """``cache.detail_json(record)``, shared by records with the same files and problems."""
    key = (tuple(map(tuple, record["files"])), tuple(map(tuple, record["problems"])))
    detail = _DETAILS.get(key)
    if detail is None:
        detail = _DETAILS[key] = detail_json(record)
    return detail


def _signature(meta: RepoMeta, listing: Listing | None) -> dict[str, Any]:
    """What a later run stats: the work tree's CI paths, plus the git files when known
    (``pinned``: then the stats alone show commit and origin are unchanged)."""
    if meta.bare or listing is None:
        return {"sig": None, "sigpaths": [], "pinned": False}
    paths, sig = list(listing.sigpaths), listing.signature
    pinned = meta.gitdir is None  # a plain folder: a new .git would change the root's stat
    if meta.watch is not None:
        pinned = True
        paths += [p for p, _ in meta.watch]
        stats = [st for _, st in meta.watch]
        more = signature_of(stats) if sig is not None else None
        sig = None if more is None else f"{sig};{more}"
    return {"sig": sig, "sigpaths": paths, "pinned": pinned}
