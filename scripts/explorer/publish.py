"""Write the inventory into the built site as static, compressed JSON, plus the explorer's
binary files (``explorer.pack``)."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from .data import compact
from .pack import pack

FILES = ("inventory.json", "inventory.json.gz", "explorer.bin.gz", "explorer-lazy.bin.gz")


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same input gives the same bytes, so unchanged data keeps its hash.
    return gzip.compress(data, compresslevel=6, mtime=0)


def publish(
    doc: dict, out_dir: Path, site_version: str = "", raw: bytes | None = None
) -> dict[str, str]:
    """Write FILES into ``out_dir``; return a short content hash per file (for cache busting).
    ``raw``: the snapshot file's own bytes, published as they are (``doc`` is their parse)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    full = (
        raw
        if raw is not None
        else json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    )
    data = compact(doc, site_version)
    blobs = {
        "inventory.json": full,
        "inventory.json.gz": _gzip(full),
        "explorer.bin.gz": _gzip(pack(data)),
        "explorer-lazy.bin.gz": _gzip(pack(data, lazy=True)),
    }
    hashes = {}
    for name, data in blobs.items():
        (out_dir / name).write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()[:12]
    return hashes
