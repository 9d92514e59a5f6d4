"""``--update``: rewrite ``verified:`` of passing model items and claims through ruamel.yaml.

A model file is loaded in ruamel.yaml's round-trip mode, the ``verified:`` mappings are set, and
the file is dumped again: comments, key order, quoting and blank lines stay, so the diff is the
``verified:`` lines alone. A file ruamel.yaml would not write back byte for byte is left alone,
and so is one whose result PyYAML reads differently apart from the new ``verified:`` mappings. A
page is Markdown: only each claim's check fields (a YAML flow mapping) take the round trip.

This replaced text edits at PyYAML's byte offsets (issue 20); both write the same bytes. Update
phase of ``verify --update --clones`` on the real model, CPU time (ruamel.yaml is pure Python):
nothing to update (as committed), under 0.1 s either way; one item stale, 0.5 s before, 0.7 s
after; all 1,638 ``verified:`` commits stale (119 files), 4.9 s before, 7.5 s after.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial
from itertools import zip_longest
from pathlib import Path
from typing import Any

from infradocs.core.archmodel.claims import find, parse
from infradocs.core.evidence import roundtrip
from infradocs.core.evidence.verify import Result

PLACEHOLDER = "-/-"  # a repo for claims that default to their page's; only compared here


def new_verified(res: Result, date: str) -> dict | None:
    """The ``verified`` mapping a passing item gets, or None when it keeps its current one."""
    if not (res.outcome.status == "pass" or res.outcome.stale) or not res.commit:
        return None
    want = {"commit": res.commit, "date": date}
    if res.outcome.line:
        want["line"] = res.outcome.line
    old = res.item.verified or {}
    if old.get("commit") == want["commit"] and old.get("line") == want.get("line"):
        return None
    return want


def set_verified(item: Any, ver: dict, text: str = "") -> None:
    """Set a round-trip item's ``verified`` to ``ver`` (a date YAML writes plain), in place
    (``text``: the item's source, to keep a comment after it as far from the value)."""
    value = roundtrip.flow({**ver, "date": dt.date.fromisoformat(ver["date"])})
    if "verified" in item:
        roundtrip.replace(item, "verified", {"verified": value}, text)
    else:
        roundtrip.append(item, "verified", value)


def unstable(text: str, data: Any) -> int | None:
    """The first line of ``text`` ruamel.yaml would write differently from ``data`` (its own
    round-trip load), or None when it writes the text back byte for byte."""
    again = roundtrip.dump(data)
    if again == text:
        return None
    pairs = enumerate(zip_longest(text.splitlines(), again.splitlines()), 1)
    return next((n for n, (old, new) in pairs if old != new), text.count("\n"))


REWRITE = "ruamel.yaml would rewrite this line; write it as it dumps"


def update_file(path: Path, changes: dict[int, dict]) -> str:
    """Apply ``{item line: verified}`` to one model file; return a message saying what happened."""
    text = path.read_text(encoding="utf-8")
    try:
        data = roundtrip.load(text)
    except roundtrip.Error as exc:
        return f"{path}: not updated: {str(exc).splitlines()[0]}"
    if line := unstable(text, data):
        return f"{path}:{line}: not updated: {REWRITE}"
    expected = roundtrip.reads(text)
    found = set()
    for ci, comp in enumerate(data.get("components") or []):
        for ei, item in enumerate(comp.get("evidence") or []):
            ver = changes.get(item.lc.line + 1)
            if ver is not None:
                set_verified(item, ver, text)
                expected["components"][ci]["evidence"][ei]["verified"] = dict(ver)
                found.add(item.lc.line + 1)
    if missing := sorted(set(changes) - found):
        return f"{path}: not updated: no evidence item starts at line {missing[0]} any more"
    new = roundtrip.dump(data)
    if roundtrip.reads(new) != expected:
        return f"{path}: not updated: the edited YAML would differ beyond verified: (left alone)"
    path.write_text(new, encoding="utf-8")
    return f"{path}: updated verified: of {len(changes)} items"


def update_page(path: Path, changes: dict[tuple[int, str], dict]) -> str:
    """Apply ``{(line, claim text): verified}`` to the ``{fact}`` claims of one page (a line may
    hold several claims; each is found by its shown text)."""
    text = path.read_text(encoding="utf-8")
    edits, lines = [], {line for line, _ in changes}
    for line, content, start, end in find(text):
        if line not in lines:
            continue
        before, _ = parse(content, PLACEHOLDER)
        verified = changes.get((line, before.text)) if before else None
        if verified is None:
            continue
        edited = roundtrip.edit_spec(content, partial(set_verified, ver=verified))
        after, _ = parse(edited, PLACEHOLDER) if edited else (None, [])
        if after is None or {**before.fields, "verified": verified} != after.fields:
            return f"{path}: not updated: the claim at line {line} would change beyond verified:"
        edits.append((start, end, edited))
    path.write_text(roundtrip.splice(text, edits), encoding="utf-8")
    return f"{path}: updated verified: of {len(edits)} claims"


def update(results: list[Result], date: str) -> list[str]:
    """Rewrite ``verified:`` of every passing item (model or page) whose commit or line changed."""
    per_file: dict[Path, dict] = defaultdict(dict)
    for res in results:
        ver = new_verified(res, date)
        if ver:
            page = res.item.file.suffix == ".md"
            per_file[res.item.file][(res.item.line, res.item.fact) if page else res.item.line] = ver
    messages = [
        (update_page if path.suffix == ".md" else update_file)(path, changes)
        for path, changes in sorted(per_file.items())
    ]
    return messages or ["nothing to update: every passing item is verified at its current commit"]
