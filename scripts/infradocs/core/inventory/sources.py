"""Sources: local folders, git URLs (cloned into the cache), @manifest files, feedstock lists."""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from infradocs.core.inventory.gitmeta import name_from_url

# The repository whose .gitmodules lists every feedstock of the org.
FEEDSTOCKS = "conda-forge/feedstocks"
SHORTHAND = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.][A-Za-z0-9_.-]*$")
# A manifest entry not read, and why: ``owner/name  # not read: REASON``.
NOT_READ = re.compile(r"^\s*([^#\s]+)\s*#\s*not read:\s*(\S.*?)\s*$")


class Source(NamedTuple):
    """One repository to inventory: a local folder or a URL to clone; ``where`` names its origin."""

    kind: str  # "path" or "url"
    value: str
    where: str
    checked: bool = True  # False: an absolute manifest path, checked when it is scanned


_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:")


def is_url(text: str) -> bool:
    """True for ``scheme://...`` and scp-like ``user@host:path`` git URLs."""
    return "://" in text or bool(_SCP_LIKE.match(text))


def expand(
    args: list[str], base_url: str, clones: str | None, errors: list[str], depth: int = 0
) -> list[Source]:
    """Sources from command-line arguments; manifest problems go to ``errors`` (file:line)."""
    out: list[Source] = []
    for arg in args:
        if arg.startswith("@"):
            out.extend(_manifest(arg[1:], base_url, clones, errors, depth))
        elif is_url(arg):
            out.append(Source("url", arg, "command line"))
        elif os.path.isdir(arg):
            out.append(Source("path", os.path.abspath(arg), "command line"))
        else:
            errors.append(f"{arg}: no such directory (and not a git URL or @manifest)")
    return out


def _manifest(
    path: str, base_url: str, clones: str | None, errors: list[str], depth: int
) -> list[Source]:
    if depth > 5:
        errors.append(f"{path}: manifests nested too deeply")
        return []
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{path}: cannot read manifest: {exc}")
        return []
    out = []
    here = os.path.dirname(os.path.abspath(path))
    for number, raw in enumerate(lines, 1):
        bare = raw.strip()
        if bare.startswith(os.sep) and "#" not in bare and ":" not in bare:
            # An absolute path and nothing else (the org-wide manifests' every line): what the
            # general rules below decide for it, without their four regular expressions.
            out.append(Source("path", os.path.normpath(bare), f"{path}:{number}", checked=False))
            continue
        item = raw.split("#", 1)[0].strip() if not is_url(bare) else bare
        if not item or ("#" in raw and NOT_READ.match(raw)):
            continue
        where = f"{path}:{number}"
        if item.startswith("@"):
            sub = item[1:] if os.path.isabs(item[1:]) else os.path.join(here, item[1:])
            out.extend(_manifest(sub, base_url, clones, errors, depth + 1))
        elif is_url(item):
            out.append(Source("url", item, where))
        elif SHORTHAND.match(item) and not os.path.isdir(os.path.join(here, item)):
            local = local_clone(clones, item) if clones else None
            if clones and local is None:
                errors.append(f"{where}: no local clone of {item} in {clones}")
            elif local:
                out.append(Source("path", local, where))
            else:
                out.append(Source("url", f"{base_url.rstrip('/')}/{item}", where))
        elif item.startswith(os.sep):  # checked by the scan itself (no stat per line here)
            out.append(Source("path", os.path.normpath(item), where, checked=False))
        else:
            full = os.path.join(here, item)
            if os.path.isdir(full):
                out.append(Source("path", os.path.abspath(full), where))
            else:
                errors.append(f"{where}: {item!r} is not a folder, git URL or owner/name")
    return out


def local_clone(clones: str, item: str) -> str | None:
    owner, name = item.split("/")
    for cand in (
        os.path.join(clones, owner, name),
        os.path.join(clones, f"{owner}+{name}"),
        os.path.join(clones, name),
    ):
        if os.path.isdir(cand):
            return os.path.abspath(cand)
    return None


def clone(url: str, cache_dir: str) -> tuple[str | None, str | None]:
    """(local path, error) after a partial, shallow, sparse clone (or refresh) into the cache:
    only the CI files and conda-forge.yml are fetched (``fetch``)."""
    import hashlib

    from infradocs.core.inventory.fetch import refresh

    name = name_from_url(url).replace("/", "+")
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    dest = os.path.join(cache_dir, "clones", f"{name}-{digest}")
    _, error = refresh(url, dest)
    return (None, error) if error else (dest, None)


def feedstocks_from_gitmodules(path: str) -> list[str]:
    """``owner/name`` of every submodule in conda-forge/feedstocks' .gitmodules."""
    import configparser

    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(path, encoding="utf-8")
    names = set()
    for section in parser.sections():
        url = parser[section].get("url")
        if url:
            names.add(name_from_url(url))
    return sorted(names)


def manifest_names(path: str | os.PathLike) -> list[str]:
    """The ``owner/name`` entries of a manifest (comments and other kinds of lines left out)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for raw in lines:
        item = raw.split("#", 1)[0].strip()
        if item.count("/") == 1 and "://" not in item and not item.startswith(("@", "/", ".")):
            out.append(item)
    return out


def unread(path: str | os.PathLike) -> list[dict]:
    """The manifest's entries marked ``# not read: REASON``: name, reason and line."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if "not read" not in text:  # what every such mark holds: most manifests have none
        return []
    found = [(n, NOT_READ.match(raw)) for n, raw in enumerate(text.splitlines(), 1) if "#" in raw]
    return [{"name": m.group(1), "reason": m.group(2), "line": n} for n, m in found if m]
