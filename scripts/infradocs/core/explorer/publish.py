"""Write the inventory into the built site as static, compressed JSON, plus the explorer's
binary files (``infradocs.core.explorer.pack``)."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from infradocs.core.explorer.data import compact
from infradocs.core.explorer.pack import pack

FILES = ("inventory.json", "inventory.json.gz", "explorer.bin.gz", "explorer-lazy.bin.gz")


def gzipped(data: bytes) -> bytes:
    """``data`` compressed the same way every time (mtime 0)."""
    # The same input gives the same bytes, so unchanged data keeps its hash.
    return gzip.compress(data, compresslevel=6, mtime=0)


def publish(doc: dict, out_dir: Path, site_version: str = "") -> dict[str, str]:
    """Write FILES into ``out_dir``; return a short content hash per file (for cache busting)."""
    full = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    data = compact(doc, site_version)
    blobs = {
        "inventory.json": full,
        "inventory.json.gz": gzipped(full),
        "explorer.bin.gz": gzipped(pack(data)),
        "explorer-lazy.bin.gz": gzipped(pack(data, lazy=True)),
    }
    return write_files(blobs, out_dir)


def write_files(blobs: dict[str, bytes], out_dir: Path) -> dict[str, str]:
    """Write ``blobs`` (removing a file of FILES left from another inventory); their hashes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name in FILES:
        if name not in blobs:
            (out_dir / name).unlink(missing_ok=True)
    for name, data in blobs.items():
        (out_dir / name).write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()[:12]
    return hashes
