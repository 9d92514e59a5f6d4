"""The explorer's binary file: a small JSON header, then typed arrays the page uses as they are.

Layout: ``MAGIC``, the header's length (uint32, little-endian), the header (UTF-8 JSON, padded
to 8 bytes), then each section aligned to 8 bytes. The header names every section as
``[type, offset from the end of the header, item count, byte length]``; types are
little-endian integers (``u8 i8 u16 u32``) or ``text`` (UTF-8 strings joined by newlines)."""

from __future__ import annotations

import json
import struct
import sys
from array import array
from typing import Any

from infradocs.core.explorer.data import DIMS

MAGIC = b"IEX3"
# Sections only the CSV download needs: published in a second file, fetched after the first
# screen (the commits are 40 random hex digits each: half the compressed bytes).
LAZY = ("commit",)
TYPECODES = {"u8": "B", "i8": "b", "u16": "H", "u32": "I"}
LIMITS = {"u8": (0, 0xFF), "i8": (-0x80, 0x7F), "u16": (0, 0xFFFF), "u32": (0, 0xFFFFFFFF)}


def _smallest(values: list[int], signed: bool = False) -> str:
    lo, hi = (min(values), max(values)) if values else (0, 0)
    for t in ("i8",) if signed else ("u8", "u16", "u32"):
        if LIMITS[t][0] <= lo and hi <= LIMITS[t][1]:
            return t
    if signed:
        raise ValueError(f"values {lo}..{hi} do not fit a signed byte")
    raise ValueError(f"values up to {hi} do not fit 32 bits")


def _ints(kind: str, values: list[int]) -> bytes:
    arr = array(TYPECODES[kind], values)
    if sys.byteorder == "big":
        arr.byteswap()
    return arr.tobytes()


def _text(name: str, values: list[str | None]) -> bytes:
    for i, v in enumerate(values):
        if v is not None and "\n" in v:
            raise ValueError(f"{name}[{i}]: a newline in {v!r} cannot be packed")
    return "\n".join(v or "" for v in values).encode()


def sections(data: dict) -> dict[str, tuple[str, Any]]:
    """Every section as (type, values) from the compact document
    (``infradocs.core.explorer.data.compact``)."""
    cols = data["cols"]
    out: dict[str, tuple[str, Any]] = {
        "name": ("text", cols["name"]),
        "commit": ("text", cols["commit"]),
        "workflows": (_smallest(cols["workflows"]), cols["workflows"]),
        "nfind": (_smallest(cols["nfind"]), cols["nfind"]),
        "worst": ("i8", cols["worst"]),
        "rank_name": (_smallest(data["rank"]["name"]), data["rank"]["name"]),
        "rank_providers": (_smallest(data["rank"]["providers"]), data["rank"]["providers"]),
    }
    for d in DIMS:
        rows = data["rows"][d]
        out[f"len_{d}"] = (_smallest(rows["len"]), rows["len"])
        out[f"val_{d}"] = (_smallest(rows["val"]), rows["val"])
    return out


def pack(data: dict, lazy: bool = False) -> bytes:
    """The binary file for the compact document ``data``: every section but the ``LAZY`` ones,
    or (``lazy=True``) only those, with the header's count."""
    if lazy:
        header = {"format": data["format"], "count": data["count"]}
    else:
        header = {k: v for k, v in data.items() if k not in ("cols", "rows", "rank")}
    blobs, table, at = [], {}, 0
    for name, (kind, values) in sections(data).items():
        if (name in LAZY) != lazy:
            continue
        blob = _text(name, values) if kind == "text" else _ints(kind, values)
        table[name] = [kind, at, len(values), len(blob)]
        blob += b"\0" * (-len(blob) % 8)
        blobs.append(blob)
        at += len(blob)
    header["sections"] = table
    return b"".join([_front(header), *blobs])


def _front(header: dict) -> bytes:
    """MAGIC, the header's length and the header, padded so the sections start aligned."""
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-(len(MAGIC) + 4 + len(head)) % 8)
    return MAGIC + struct.pack("<I", len(head)) + head


def restamp(blob: bytes, **fields: Any) -> bytes:
    """The file ``blob`` with header ``fields`` replaced; sections are addressed from the end
    of the header, so they are kept as they are (the same bytes ``pack`` gives with them)."""
    header = _header(blob)
    return _front({**header, **fields}) + blob[8 + struct.unpack_from("<I", blob, 4)[0] :]


def _header(blob: bytes) -> dict:
    if blob[:4] != MAGIC:
        raise ValueError(f"not an explorer file (starts with {blob[:4]!r}, not {MAGIC!r})")
    (size,) = struct.unpack_from("<I", blob, 4)
    return json.loads(blob[8 : 8 + size])


def unpack(blob: bytes) -> dict:
    """The header, with ``sections`` replaced by each section's values (for tests and tools)."""
    header = _header(blob)
    base = 8 + struct.unpack_from("<I", blob, 4)[0]
    values = {}
    for name, (kind, offset, count, nbytes) in header["sections"].items():
        raw = blob[base + offset : base + offset + nbytes]
        if kind == "text":
            values[name] = raw.decode().split("\n") if count else []
        else:
            arr = array(TYPECODES[kind])
            arr.frombytes(raw)
            if sys.byteorder == "big":
                arr.byteswap()
            values[name] = arr.tolist()
    header["sections"] = values
    return header
