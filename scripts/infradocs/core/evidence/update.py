"""``--update``: rewrite ``verified:`` of passing model items in place, leaving every other byte.

The YAML is edited as text at the positions PyYAML's composer reports (never re-dumped), then
parsed again and compared with the expected data; a file that would change otherwise is left alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

from infradocs.core.archmodel.claims import find, parse
from infradocs.core.archmodel.facts import normalize
from infradocs.core.evidence.verify import Result

PLACEHOLDER = "-/-"  # a repo for claims that default to their page's; only compared here
VERIFIED = re.compile(r"verified:\s*\{[^}]*\}")


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


def flow(ver: dict) -> str:
    """``{commit: ..., date: ..., line: N}`` as one line of YAML."""
    commit = ver["commit"] if not ver["commit"].isdigit() else f'"{ver["commit"]}"'
    parts = [f"commit: {commit}", f"date: {ver['date']}"]
    if "line" in ver:
        parts.append(f"line: {ver['line']}")
    return "{" + ", ".join(parts) + "}"


def _item_nodes(root: yaml.Node) -> dict[int, yaml.MappingNode]:
    """Evidence item nodes by their 1-based start line."""
    out = {}
    for comp in root.value[0][1].value if root is not None else []:
        for key, value in comp.value:
            if key.value == "evidence" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    out[item.start_mark.line + 1] = item
    return out


def _end(node: yaml.Node) -> int:
    """The index just after a node's own text (a block mapping ends with its last value)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _end(node.value[-1][1])
    return node.end_mark.index


def _edit(text: str, item: yaml.MappingNode, ver: dict) -> tuple[int, int, str]:
    """(start, end, replacement) that sets the item's ``verified`` to ``ver``."""
    new = f"verified: {flow(ver)}"
    for key, value in item.value:
        if key.value == "verified":
            return key.start_mark.index, _end(value), new
    if item.flow_style:
        pos = item.end_mark.index - 1
        return pos, pos, f", {new}"
    indent = " " * item.value[0][0].start_mark.column
    pos = _end(item.value[-1][1])
    if text[pos - 1] == "\n":
        return pos, pos, f"{indent}{new}\n"
    eol = text.find("\n", pos)  # after any comment on the value's line
    eol = len(text) if eol < 0 else eol
    return eol, eol, f"\n{indent}{new}"


def update_file(path: Path, changes: dict[int, dict]) -> str:
    """Apply ``{item line: verified}`` to one model file; return a message saying what happened."""
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    nodes = _item_nodes(root)
    expected = yaml.safe_load(text)
    normalize(expected)
    edits = []
    for line, ver in changes.items():
        item = nodes.get(line)
        if item is None:
            return f"{path}: not updated: no evidence item starts at line {line} any more"
        edits.append(_edit(text, item, ver))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    _expect(expected, nodes, changes)
    got = yaml.safe_load(text)
    normalize(got)
    if got != expected:
        return f"{path}: not updated: the edited YAML would differ beyond verified: (left alone)"
    path.write_text(text, encoding="utf-8")
    return f"{path}: updated verified: of {len(changes)} items"


def _expect(expected: dict, nodes: dict, changes: dict) -> None:
    """Set ``verified`` in the parsed data at the items being changed."""
    lines = sorted(nodes)
    flat = [ev for comp in expected["components"] for ev in comp.get("evidence", [])]
    for line, ev in zip(lines, flat, strict=True):
        if line in changes:
            ev["verified"] = dict(changes[line])


def update_page(path: Path, changes: dict[tuple[int, str], dict]) -> str:
    """Apply ``{(line, claim text): verified}`` to the ``{fact}`` claims of one page (a line may
    hold several claims; each is found by its shown text)."""
    text = path.read_text(encoding="utf-8")
    edits = []
    for line, content, start, end in find(text):
        claim, _ = parse(content, PLACEHOLDER)
        verified = changes.get((line, claim.text)) if claim else None
        if verified is None:
            continue
        new = f"verified: {flow(verified)}"
        if VERIFIED.search(content):
            edited = VERIFIED.sub(new, content, count=1)
        else:
            cut = content.rindex("}")
            edited = f"{content[:cut]}, {new}{content[cut:]}"
        before, _ = parse(content, PLACEHOLDER)
        after, _ = parse(edited, PLACEHOLDER)
        if (
            before is None
            or after is None
            or {**before.fields, "verified": verified} != {**after.fields}
        ):
            return f"{path}: not updated: the claim at line {line} would change beyond verified:"
        edits.append((start, end, edited))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    path.write_text(text, encoding="utf-8")
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
