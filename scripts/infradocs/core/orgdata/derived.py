"""What a site build takes from the org-wide snapshot, derived once where the snapshot is made.

A 25,000-feedstock snapshot with its audit findings is ~150 MB of JSON: parsing it costs ~2.5 s
and the explorer's data ~1.5 s more, while the org-wide data may add at most 2 s to a build. So
``derive`` (run by ``python -m infradocs.cli.org merge``) writes, beside the snapshot ``NAME``, the
folder
``NAME.derived/``: the org tables' counts, the explorer's files and the compressed snapshot,
under a key (the snapshot's SHA-256 and a hash of the code that derives them). ``get`` uses the
folder when its key matches and derives the data itself otherwise, keeping it for the next build.
"""

from __future__ import annotations

import functools
import gc
import gzip
import hashlib
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from infradocs.core.explorer import data as explorer_data
from infradocs.core.explorer import pack as explorer_pack
from infradocs.core.explorer.pack import restamp
from infradocs.core.explorer.publish import gzipped, write_files
from infradocs.core.inventory import snapshot
from infradocs.core.orgdata import counts as orgcounts
from infradocs.core.security import findings, pinning

# The modules whose code decides what is derived: a change to any of them makes a new key.
CODE = (explorer_data, explorer_pack, orgcounts, findings, pinning, sys.modules[__name__])
KEY = "key.json"
COUNTS = "counts.json"
EXPLORER = "explorer.bin"  # packed without the site version, which each build stamps in
LAZY = "explorer-lazy.bin.gz"
GZIP = "inventory.json.gz"
FILES = (KEY, COUNTS, EXPLORER, LAZY, GZIP)


@dataclass(frozen=True)
class Derived:
    """The org tables' data and the folder holding the explorer's files and the gzip."""

    counts: dict
    folder: Path
    reused: bool  # True when the folder's key matched (nothing was derived in this process)


def folder_of(path: Path) -> Path:
    """Where the data derived from the snapshot at ``path`` is kept."""
    return path.with_name(path.name + ".derived")


@functools.cache
def code_hash() -> str:
    """A hash of the source of every module in ``CODE``."""
    digest = hashlib.sha256()
    for module in CODE:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def key_of(raw: bytes) -> dict[str, str]:
    """The key of the data derived from the snapshot bytes ``raw`` by this code."""
    return {"snapshot_sha256": hashlib.sha256(raw).hexdigest(), "code": code_hash()}


def derive(path: Path, raw: bytes | None = None, doc: dict | None = None) -> Path:
    """Derive everything from the snapshot at ``path`` into its folder (written whole, then
    renamed into place); returns the folder."""
    raw = path.read_bytes() if raw is None else raw
    doc = snapshot.shaped(path, raw) if doc is None else doc
    compact = explorer_data.compact(doc)
    files = {
        COUNTS: json.dumps(orgcounts.counts(doc), ensure_ascii=False).encode(),
        EXPLORER: explorer_pack.pack(compact),
        LAZY: gzipped(explorer_pack.pack(compact, lazy=True)),
        GZIP: gzip.compress(raw, compresslevel=9, mtime=0),
        KEY: json.dumps(key_of(raw), indent=1).encode(),
    }
    target = folder_of(path)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    tmp.chmod(0o755)
    for name, blob in files.items():
        (tmp / name).write_bytes(blob)
    old = target.with_name(target.name + ".old")
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def reusable(path: Path, raw: bytes) -> bool:
    """True when the folder beside ``path`` was derived from these bytes by this code."""
    folder = folder_of(path)
    try:
        key = json.loads((folder / KEY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return key == key_of(raw) and all((folder / n).is_file() for n in FILES)


def get(path: Path) -> Derived:
    """The derived data of the snapshot at ``path``: reused when its key matches, else derived
    here and kept beside the snapshot (or in a temporary folder when that cannot be written).
    Raises SnapshotError naming the file when it cannot be read or is not an inventory."""
    try:
        st = path.stat()
    except OSError as exc:
        raise snapshot.SnapshotError(f"{path}: cannot read the inventory snapshot: {exc}") from None
    try:  # the kept counts take part in the key: a folder made again is read again
        kept = (folder_of(path) / COUNTS).stat().st_mtime_ns
    except OSError:
        kept = 0
    return _get(path.resolve(), st.st_mtime_ns, st.st_size, kept)


@functools.lru_cache(maxsize=2)
def _get(path: Path, mtime_ns: int, size: int, kept_ns: int) -> Derived:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise snapshot.SnapshotError(f"{path}: cannot read the inventory snapshot: {exc}") from None
    folder = folder_of(path)
    reused = reusable(path, raw)
    if not reused:
        folder = _derive_here(path, raw)
    return Derived(json.loads((folder / COUNTS).read_text(encoding="utf-8")), folder, reused)


def _derive_here(path: Path, raw: bytes) -> Path:
    """Derive in this process, beside the snapshot or else in a temporary folder. The garbage
    collector is paused: the parse makes millions of objects that all stay alive until the end."""
    gc.disable()
    try:
        doc = snapshot.shaped(path, raw)
        try:
            return derive(path, raw, doc)
        except OSError as exc:
            print(f"inventory: cannot keep the data derived from {path}: {exc}", file=sys.stderr)
            copy = Path(tempfile.mkdtemp(prefix="inventory-derived-")) / path.name
            copy.symlink_to(path)
            return derive(copy, raw, doc)
    finally:
        gc.enable()


def publish_derived(folder: Path, out_dir: Path, site_version: str = "") -> dict[str, str]:
    """Publish the org-wide snapshot from its derived folder: the files as they are, with the
    site version stamped into the explorer's header. Only the compressed JSON is published
    (the plain one is ~150 MB, in every version of the site)."""
    explorer = restamp((folder / EXPLORER).read_bytes(), site_version=site_version)
    blobs = {
        "inventory.json.gz": (folder / GZIP).read_bytes(),
        "explorer.bin.gz": gzipped(explorer),
        "explorer-lazy.bin.gz": (folder / LAZY).read_bytes(),
    }
    return write_files(blobs, out_dir)
