"""Results derived from one input, kept on disk under the input's hash and the deriving code's.

A build whose inputs did not change reads the kept result instead of deriving it again; an
edit to the input or to any file of the deriving code makes a new key, so nothing stale is read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

# Bumped when the layout of kept files changes.
FORMAT = b"buildcache-1"


def code_hash(files: Iterable[Path]) -> str:
    """A hash of the bytes of every file of the deriving code (and of this module)."""
    digest = hashlib.sha256(FORMAT)
    for path in (Path(__file__), *files):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def key(name: str, raw: bytes, code: str) -> str:
    """The key of what ``code`` derives from the input ``name`` whose bytes are ``raw``."""
    digest = hashlib.sha256(code.encode())
    digest.update(name.encode() + b"\0" + raw)
    return digest.hexdigest()[:32]


def _slot(name: str) -> str:
    """The file-name prefix of one input's kept results (one result per input is kept)."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def get(folder: Path, name: str, k: str) -> object | None:
    """The result kept for input ``name`` under key ``k``, or None (missing or unreadable)."""
    path = folder / f"{_slot(name)}-{k}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, truncated or foreign: derive again and replace it
        return None


def put(folder: Path, name: str, k: str, value: object) -> None:
    """Keep ``value`` for input ``name`` under key ``k``, replacing its older results."""
    folder.mkdir(parents=True, exist_ok=True)
    slot = _slot(name)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, folder / f"{slot}-{k}.pickle")
    for old in folder.glob(f"{slot}-*.pickle"):
        if old.name != f"{slot}-{k}.pickle":
            old.unlink(missing_ok=True)
