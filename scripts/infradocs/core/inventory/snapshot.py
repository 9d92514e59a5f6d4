"""The inventory snapshot: the one place that names its path, and its one schema-checked loader."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from infradocs.core import buildcache, schemacheck
from infradocs.core.inventory import SCHEMA_VERSION, validate
from infradocs.core.inventory.validate import errors
from infradocs.core.siteconfig import SNAPSHOT

PATH = SNAPSHOT
_CHECKED: dict[str, list[str]] = {}  # schema findings by SHA-256 of the file's text


class SnapshotError(ValueError):
    """The snapshot cannot be read, or is not a valid inventory; the message names the file."""


@dataclass
class Snapshot:
    """A snapshot's document, with each repository the schema refuses left out and named."""

    path: Path
    doc: dict
    problems: list[str] = field(default_factory=list)


def read(path: Path | str | None = None, kept: Path | None = None) -> Snapshot:
    """The snapshot at ``path`` (default: the committed one); a repository the schema refuses is
    left out and named, the rest kept. SnapshotError: unreadable, not JSON, or bad at the top.
    With ``kept`` (a folder), the schema's findings for these bytes are kept there across
    processes (compiling the schema check costs more than reading the file)."""
    path = Path(path) if path is not None else PATH
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"{path}: cannot read the inventory snapshot: {exc}") from None
    found = _errors(path, text, doc, kept)
    outside = [e for e in found if not e.startswith("/repos/")]
    if outside:
        raise SnapshotError(f"{path}: not a valid inventory: {outside[0]}")
    if not found:
        return Snapshot(path, doc)
    bad: dict[int, list[str]] = {}
    for err in found:
        bad.setdefault(int(err.split("/")[2].split(":")[0]), []).append(err)
    problems = []
    for i in sorted(bad):
        name = doc["repos"][i].get("name") if isinstance(doc["repos"][i], dict) else None
        named = f" (repository {name})" if isinstance(name, str) else ""
        problems += [f"{path}: not a valid inventory: {e}{named}" for e in bad[i]]
    doc["repos"] = [r for i, r in enumerate(doc["repos"]) if i not in bad]
    return Snapshot(path, doc, problems)


def load(path: Path | str | None = None, check: bool = True, kept: Path | None = None) -> dict:
    """The snapshot document at ``path`` (default: the committed one), all of it schema-valid;
    else SnapshotError naming the file and the first problem.

    ``check=False`` (the org-wide snapshot, schema-checked by the merge that made it): only its
    version and shape, as checking 25,000 repositories takes far longer than a build. ``kept``:
    as for ``read``."""
    if not check:
        path = Path(path) if path is not None else PATH
        try:
            st = path.stat()
        except OSError as exc:
            raise SnapshotError(f"{path}: cannot read the inventory snapshot: {exc}") from None
        return _shaped(path, st.st_mtime_ns, st.st_size)
    snap = read(path, kept)
    if snap.problems:
        more = f" (and {len(snap.problems) - 1} more)" if len(snap.problems) > 1 else ""
        raise SnapshotError(snap.problems[0] + more)
    return snap.doc


@functools.lru_cache(maxsize=2)
def _shaped(path: Path, mtime_ns: int, size: int) -> dict:
    """``shaped(path)``, parsed once per file version for every reader in the process.
    Callers must not modify it."""
    return shaped(path)


def shaped(path: Path, raw: bytes | None = None) -> dict:
    """The document at ``path`` (whose bytes are ``raw`` when already read) with only its
    version and top-level shape checked (not kept: a 25,000-repository document held for a
    whole build slows every garbage collection)."""
    try:
        doc = json.loads((path.read_bytes() if raw is None else raw).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: cannot read the inventory snapshot: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("repos"), list):
        raise SnapshotError(f"{path}: not an inventory document (no 'repos' list)")
    if doc.get("schema_version") != SCHEMA_VERSION:
        found = doc.get("schema_version")
        raise SnapshotError(f"{path}: schema_version {found!r} is not {SCHEMA_VERSION}")
    return doc


@functools.cache
def _checker_hash() -> str:
    return buildcache.code_hash(
        [Path(validate.__file__), Path(schemacheck.__file__), validate.SCHEMA_PATH]
    )


def _errors(path: Path, text: str, doc: object, kept: Path | None) -> list[str]:
    """The schema's findings, checked once per process for the same file contents (and, with
    ``kept``, once for the same contents and checking code)."""
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    if digest in _CHECKED:
        return _CHECKED[digest]
    if kept is None:
        found = errors(doc)
    else:
        key = buildcache.key(str(path), raw, _checker_hash())
        found = buildcache.get(kept, str(path), key)
        if not isinstance(found, list):
            found = errors(doc)
            buildcache.put(kept, str(path), key, found)
    _CHECKED[digest] = found
    return found
