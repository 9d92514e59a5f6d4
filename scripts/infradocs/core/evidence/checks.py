"""One check against one file's bytes: pass with the line it matched, or say what is there instead.

``secret`` and ``cron`` parse CI files with the inventory extractor
(infradocs.core.inventory.scan.facts_for),
so a secret counts as used exactly when the inventory would list it.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from infradocs.core.evidence import pycheck, yamlcheck
from infradocs.core.evidence.comments import without_comments
from infradocs.core.evidence.items import Item
from infradocs.core.evidence.sources import Snapshot
from infradocs.core.inventory.extract import EMPTY_ONLY, GHA_SECRET, walk
from infradocs.core.inventory.locate import provider_for
from infradocs.core.inventory.scan import facts_for as _facts_for
from infradocs.core.inventory.yamlload import load

SCHEDULED = {"github-actions", "azure-pipelines"}


@dataclass(frozen=True)
class Outcome:
    """``status``: pass, fail or skip; ``line``: the 1-based match; ``found``: what is there;
    ``stale``: the check holds but the item's ``verified:`` is wrong (``--update`` fixes it)."""

    status: str
    found: str = ""
    line: int | None = None
    stale: bool = False

    @property
    def ok(self) -> bool:
        """True when the check passed."""
        return self.status == "pass"


@functools.lru_cache(maxsize=1024)
def facts_for(provider: str, data: bytes) -> dict:
    """The inventory extractor's facts of one file, parsed once however many items read it."""
    return _facts_for(provider, data)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _first_line(text: str, needle: str) -> int | None:
    idx = text.find(needle)
    return _line_at(text, idx) if idx >= 0 else None


def _closest(text: str, wanted: str) -> str:
    """The file line sharing most of ``wanted``'s first line, for a 'text changed' message."""
    first = (wanted.strip().splitlines() or [wanted])[0]
    lines = text.splitlines()
    if not first or len(lines) > 20000:
        return ""
    best, score = 0, 0.0
    for number, line in enumerate(lines, 1):
        if line.strip():
            blocks = difflib.SequenceMatcher(
                None, first, line[:500], autojunk=False
            ).get_matching_blocks()
            share = sum(b.size for b in blocks) / len(first)
            if share > score:
                best, score = number, share
    if score < 0.6:
        return ""
    return f"; closest line {best}: {lines[best - 1].strip()[:160]!r}"


def _similar(name: str, names: list[str]) -> str:
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return f" (renamed to {near[0]}?)" if near else ""


@functools.lru_cache(maxsize=1024)
def _env_keys_from_secrets(text: str) -> frozenset[str]:
    """GitHub Actions ``env:`` names whose value reads a secret (``GH_TOKEN: ${{ secrets.X }}``)."""
    names = set()
    for doc in load(text).docs:
        for obj in walk(doc):
            env = obj.get("env") if isinstance(obj, dict) else None
            if isinstance(env, dict):
                names.update(
                    str(k) for k, v in env.items() if isinstance(v, str) and GHA_SECRET.search(v)
                )
    return frozenset(names)


def _env_from_secret(text: str, name: str) -> bool:
    return name in _env_keys_from_secrets(text)


def check_secret(item: Item, text: str, data: bytes) -> Outcome:
    """The CI file references the secret, as the inventory extractor reads it."""
    name = str(item.value)
    provider = provider_for(item.path or "")
    word = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])")
    if provider and provider not in EMPTY_ONLY:  # EMPTY_ONLY: files it reads no names from
        facts = facts_for(provider, data)
        names = facts["secrets"]
        if name in names or (provider == "github-actions" and _env_from_secret(text, name)):
            m = re.search(rf"secrets\s*[.\[]\s*['\"]?{re.escape(name)}\b", text) or word.search(
                text
            )
            return Outcome("pass", line=_line_at(text, m.start()) if m else None)
        problems = "; ".join(msg for _, msg in facts["problems"])
        if problems and not names:
            return Outcome("fail", f"the file does not parse ({problems})")
        listed = ", ".join(names) or "none"
        return Outcome(
            "fail",
            f"secret {name} is not referenced; the file references secrets: {listed}"
            + _similar(name, names),
        )
    code = without_comments(item.path or "", text)
    m = word.search(code)
    if m:
        return Outcome("pass", line=_line_at(code, m.start()))
    return Outcome(
        "fail",
        f"the name {name} no longer appears outside comments (not a CI file: matched by name)",
    )


def check_cron(item: Item, text: str, data: bytes) -> Outcome:
    """The workflow has exactly this schedule entry."""
    provider = provider_for(item.path or "")
    if provider not in SCHEDULED:
        return Outcome("fail", f"{item.path} is not a GitHub Actions or Azure Pipelines file")
    facts = facts_for(provider, data)
    want = " ".join(str(item.value).split())
    have = facts["schedules"]
    if any(" ".join(s.split()) == want for s in have):
        return Outcome("pass", line=_first_line(text, str(item.value)) or _first_line(text, "cron"))
    if not have:
        problems = "; ".join(msg for _, msg in facts["problems"])
        return Outcome(
            "fail", "no schedule any more" + (f" (parse problems: {problems})" if problems else "")
        )
    return Outcome("fail", "schedule changed to " + ", ".join(repr(s) for s in have))


def _meaning(item: Item, text: str) -> Outcome:
    """A ``yaml:`` or ``python:`` item: the parsed document, never its comments."""
    if item.kind == "yaml":
        ok, line, found = yamlcheck.check(text, item.value, item.fields)
    else:
        ok, line, found = pycheck.check(text, item.value)
    return Outcome("pass", line=line) if ok else Outcome("fail", found, line)


def _content(item: Item, text: str, data: bytes) -> Outcome:
    if item.kind in ("yaml", "python"):
        return _meaning(item, text)
    if item.kind in ("contains", "lacks", "matches"):
        text = without_comments(item.path or "", text)
    if item.kind == "contains":
        line = _first_line(text, str(item.value))
        if line:
            return Outcome("pass", line=line)
        return Outcome("fail", "text no longer there" + _closest(text, str(item.value)))
    if item.kind == "lacks":
        line = _first_line(text, str(item.value))
        if line is None:
            return Outcome("pass")
        return Outcome("fail", f"text is there again, at line {line}", line)
    if item.kind == "matches":
        m = re.search(str(item.value), text, re.MULTILINE)
        if m:
            return Outcome("pass", line=_line_at(text, m.start()))
        return Outcome("fail", "pattern no longer matches")
    if item.kind == "secret":
        return check_secret(item, text, data)
    return check_cron(item, text, data)


def _gone(item: Item, snap: Snapshot) -> str:
    msg = f"file gone: {item.path} is not in {snap.repo}@{(snap.commit or '')[:7]}"
    moved = snap.same_name(item.path or "")
    return msg + (f" (a file of that name is at {', '.join(moved)})" if moved else "")


def pinned(item: Item, snap: Snapshot, out: Outcome) -> Outcome:
    """A passing check whose ``verified:`` is a commit of another repository, or names another
    line than the match at the same commit, fails as stale (its permalink would be wrong)."""
    ver = item.verified or {}
    sha = str(ver.get("commit") or "")
    if not out.ok or not sha:
        return out
    if snap.has_commit is not None and not snap.has_commit(sha):
        return Outcome(
            "fail",
            f"verified commit {sha[:12]} is not a commit of {snap.repo} (its permalink is a "
            "404); --update rewrites it",
            out.line,
            stale=True,
        )
    if sha == snap.commit and ver.get("line") != out.line:
        return Outcome(
            "fail",
            f"verified line {ver.get('line')} is not the matched line {out.line} at that commit;"
            " --update rewrites it",
            out.line,
            stale=True,
        )
    return out


def run(item: Item, snap: Snapshot) -> Outcome:
    """Check one item against the snapshot of its repository (and its ``verified:`` pin)."""
    return pinned(item, snap, _run(item, snap))


def _run(item: Item, snap: Snapshot) -> Outcome:
    if snap.error:
        return Outcome("fail", f"repository unreachable: {snap.error}")
    if snap.renamed_to:
        return Outcome("fail", f"repository renamed to {snap.renamed_to}")
    if item.kind == "archived":
        if snap.archived is None:
            if snap.api_error:
                return Outcome("fail", f"archived state unknown: {snap.api_error}")
            return Outcome("skip", "archived state not read (local clones without --api-base)")
        if snap.archived == bool(item.value):
            return Outcome("pass")
        return Outcome(
            "fail", "repository archived" if snap.archived else "repository not archived"
        )
    entry = snap.files.get(item.path or "")
    if item.kind == "exists":
        if (entry is not None) == bool(item.value):
            return Outcome("pass")
        return Outcome("fail", "file still exists" if entry is not None else _gone(item, snap))
    if entry is None:
        return Outcome("fail", _gone(item, snap))
    if entry.type != "blob" or entry.data is None:
        return Outcome("fail", f"{item.path} is a {entry.type}, not a file")
    return _content(item, entry.data.decode("utf-8", errors="replace"), entry.data)
