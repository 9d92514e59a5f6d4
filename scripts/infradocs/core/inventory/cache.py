"""On-disk cache, one file: a record per repository (with its finished entry) and facts per
distinct file content. Line-oriented, and each line is parsed only when its repository is
looked at (by the worker that scans it), so loading costs little more than reading the file.

Lines: a JSON header; ``R`` + tab-separated root, commit, signature, pinned, name, origin,
signature paths, file details (JSON) and the entry (JSON text, written out as is);
``B`` + key + facts (JSON)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from infradocs.core.inventory import EXTRACTOR_VERSION

FORMAT = 3
FIELDS = 10
_SPECIAL = ("\\", "\t", "\n", "\r")


def _enc(text: str | None) -> str:
    """A tab-free field: None is empty, plain text as is, anything unusual as JSON."""
    if text is None:
        return ""
    if text == "" or text[0] == '"' or any(c in text for c in _SPECIAL):
        return json.dumps(text)
    return text


def _dec(field: str) -> str | None:
    if not field:
        return None
    return json.loads(field) if field[0] == '"' else field


def full(record: dict) -> dict:
    """The record with ``files`` and ``problems`` (read lazily from the cache) filled in."""
    if "files" in record:
        return record
    detail = json.loads(record["detail"])
    out = {k: v for k, v in record.items() if k != "detail"}
    out["files"], out["problems"] = detail["files"], detail["problems"]
    return out


class Records:
    """Root -> record, parsed from its cache line on first use; new records replace lines."""

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}
        self.parsed: dict[str, dict] = {}
        self._paths: dict[str, list[str]] = {}  # identical layouts share one parsed list

    def get(self, root: str) -> dict | None:
        """The record of ``root``, or None."""
        record = self.parsed.get(root)
        if record is None and root in self.lines:
            try:
                record = self.parsed[root] = self._parse(self.lines[root])
            except (ValueError, IndexError) as exc:
                print(f"inventory: ignoring bad cache line of {root}: {exc}", file=sys.stderr)
                del self.lines[root]
        return record

    def __getitem__(self, root: str) -> dict:
        record = self.get(root)
        if record is None:
            raise KeyError(root)
        return record

    def __setitem__(self, root: str, record: dict) -> None:
        self.parsed[root] = record
        self.lines.pop(root, None)

    def __len__(self) -> int:
        return len(self.lines.keys() | self.parsed.keys())

    def _parse(self, line: str) -> dict:
        f = line.split("\t", FIELDS - 1)
        if len(f) != FIELDS:
            raise ValueError(f"cache line with {len(f)} fields, not {FIELDS}")
        paths = self._paths.get(f[7])
        if paths is None:
            paths = self._paths[f[7]] = json.loads(f[7])
        return {
            "root": _dec(f[1]),
            "commit": f[2] or None,
            "sig": f[3] or None,
            "pinned": f[4] == "1",
            "name": _dec(f[5]) or "",
            "origin": _dec(f[6]),
            "sigpaths": paths,
            "detail": f[8],
            "entry": f[9],
        }

    def texts(self) -> list[str]:
        """Every record as a cache line (unchanged ones exactly as read)."""
        out = list(self.lines.values())
        out.extend(_repo_line(r) for r in self.parsed.values() if r["root"] not in self.lines)
        return out


class Cache:
    """Records keyed by root (``repos``) and facts as JSON text keyed by content (``blobs``)."""

    def __init__(self, directory: str | None) -> None:
        self.path = (
            os.path.join(directory, f"inventory-cache-v{EXTRACTOR_VERSION}.txt")
            if directory
            else None
        )
        self.blobs: dict[str, str] = {}
        self.repos = Records()
        self.dirty = False
        if self.path and os.path.exists(self.path):
            try:
                self._load(self.path)
            except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
                self.blobs, self.repos = {}, Records()
                print(f"inventory: ignoring unreadable cache {self.path}: {exc}", file=sys.stderr)

    def _load(self, path: str) -> None:
        with open(path, encoding="utf-8", newline="\n") as fh:
            lines = fh.read().split("\n")
        head = json.loads(lines[0])
        if head != {"format": FORMAT, "extractor": EXTRACTOR_VERSION}:
            raise ValueError(f"written by another version ({lines[0][:80]})")
        repos = self.repos.lines
        for number, line in enumerate(lines[1:], 2):
            if line.startswith("R\t"):
                end = line.find("\t", 2)
                if end < 0:
                    raise ValueError(f"line {number}: no fields after the root")
                repos[_dec(line[2:end]) or ""] = line
            elif line.startswith("B\t"):
                _, key, facts = line.split("\t", 2)
                self.blobs[key] = facts
            elif line:
                raise ValueError(f"line {number}: unknown kind {line[:1]!r}")

    def put_blobs(self, new: dict[str, str]) -> None:
        """Remember facts of new contents (as ``facts_json`` text)."""
        for key, text in new.items():
            if key not in self.blobs:
                self.blobs[key] = text
                self.dirty = True

    def put_repo(self, record: dict) -> None:
        """Remember (replace) a repository's record."""
        self.repos[record["root"]] = record
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically (no partial file is ever left behind)."""
        if not self.path or not self.dirty:
            return
        import tempfile

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(json.dumps({"format": FORMAT, "extractor": EXTRACTOR_VERSION}) + "\n")
                fh.writelines(line + "\n" for line in self.repos.texts())
                fh.writelines(f"B\t{k}\t{v}\n" for k, v in self.blobs.items())
            os.replace(tmp, self.path)
        except BaseException:
            os.unlink(tmp)
            raise


def facts_json(facts: dict[str, Any]) -> str:
    """A file's facts as the cache keeps them."""
    return json.dumps(facts, ensure_ascii=False, separators=(",", ":"))


def detail_json(record: dict[str, Any]) -> str:
    """A record's files and problems as the cache keeps them."""
    return json.dumps(
        {"files": record["files"], "problems": record["problems"]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _repo_line(record: dict[str, Any]) -> str:
    detail = record.get("detail")
    if detail is None:
        detail = detail_json(record)
    fields = [
        "R",
        _enc(record["root"]),
        record["commit"] or "",
        record["sig"] or "",
        "1" if record.get("pinned") else "",
        _enc(record["name"]),
        _enc(record["origin"]),
        json.dumps(record["sigpaths"]),
        detail,
        record["entry"],
    ]
    return "\t".join(fields)
