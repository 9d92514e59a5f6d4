"""``python -m infradocs.cli.evidence upgrade-yaml``: turn text checks on YAML files into ``yaml:``
checks.

For each ``contains``/``matches`` item (model or ``{fact}`` claim) on a YAML file, it finds the
line the text matches in the upstream clone, the node on that line, and writes the ``yaml:``
item that holds there, comparing the whole value or list. Items already converted are left
alone, so it can run again; the items it cannot convert are listed with the reason. Files and
claims' check fields go through ruamel.yaml's round-trip mode (comments and the rest of the file
stay as they are), and the edited file must parse to the same data but for the converted items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import yaml

from infradocs.core.archmodel.claims import SPEC, find
from infradocs.core.archmodel.facts import TEXT_KINDS, is_yaml_path
from infradocs.core.evidence import roundtrip, yamlcheck
from infradocs.core.evidence.items import page_lines
from infradocs.core.evidence.sources import GitError, default_head, read_commit
from infradocs.core.evidence.update import REWRITE, unstable
from infradocs.core.inventory.sources import local_clone

LIST_MAX = 4  # lists up to this long are compared whole; longer ones with ``has``
WHOLE_LISTS = {"selectedRepositoryIds"}  # always compared whole: who may read a secret
SELECTOR_FIELDS = ("name", "id", "uses")


@dataclass(frozen=True)
class Place:
    """A node of the upstream document: its path, node, and the key node when it is a value."""

    path: tuple
    node: yaml.Node
    key: yaml.Node | None
    parent: yaml.Node | None


def _selector(seq: yaml.SequenceNode, index: int, doc: yamlcheck.Doc):
    """A ``{field: value}`` selector naming one list element uniquely, else its index."""
    values = [doc.value(c) for c in seq.value]
    item = values[index]
    if isinstance(item, dict):
        for name in SELECTOR_FIELDS:
            want = item.get(name)
            if (
                isinstance(want, str)
                and [isinstance(v, dict) and v.get(name) == want for v in values].count(True) == 1
            ):
                return {name: want}
    return index


def places(doc: yamlcheck.Doc) -> list[Place]:
    """Every node of every document with its path (selectors for list elements where unique)."""
    out: list[Place] = []

    def visit(node, path, key, parent):
        out.append(Place(tuple(path), node, key, parent))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value != "<<":
                    visit(v, [*path, k.value], k, node)
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                visit(child, [*path, _selector(node, i, doc)], None, node)

    for root in doc.nodes:
        visit(root, [], None, None)
    return out


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def spans(kind: str, value: str, text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, matched text) of each match of the text check, in file order."""
    out = []
    if kind == "contains":
        start = text.find(value)
        while start >= 0:
            end = start + len(value)
            out.append((text.count("\n", 0, start) + 1, text.count("\n", 0, end) + 1, value))
            start = text.find(value, start + 1)
    elif kind == "matches":
        for m in re.finditer(value, text, re.MULTILINE):
            if m.end() > m.start():
                first = text.count("\n", 0, m.start()) + 1
                out.append((first, text.count("\n", 0, m.end() - 1) + 1, m.group(0)))
    return out


def _fields_for(place: Place, doc: yamlcheck.Doc, line: int, matched: str) -> dict | None:
    """The ``yaml:`` item for the node on ``line`` (the value, list or script holding it)."""
    node = place.node
    if place.key is not None and place.key.start_mark.line + 1 == line:
        if isinstance(node, yaml.ScalarNode):
            value = doc.value(node)
            if value is None:
                return {"yaml": list(place.path), "present": True}
            if node.style in ("|", ">") and "\n" in value:
                return _script(place, doc, matched)
            path = list(place.path)
            if len(path) > 1 and isinstance(path[-2], dict) and path[-2].get(path[-1]) == value:
                return {"yaml": path[:-1], "present": True}  # [.., {name: X}, name] equals X
            return {"yaml": path, "equals": value}
        if isinstance(node, yaml.SequenceNode) and node.flow_style:
            return {"yaml": list(place.path), "equals": doc.value(node)}
        return {"yaml": list(place.path), "present": True}
    return None


def _element(place: Place, doc: yamlcheck.Doc) -> dict:
    """A scalar list element: the whole list when short, else ``has`` the element."""
    parent_path = list(place.path[:-1])
    values = doc.value(place.parent)
    key = parent_path[-1] if parent_path else None
    if key in WHOLE_LISTS or len(values) <= LIST_MAX:
        return {"yaml": parent_path, "equals": values}
    return {"yaml": parent_path, "has": doc.value(place.node)}


def _script(place: Place, doc: yamlcheck.Doc, matched: str) -> dict | None:
    """Text inside a multi-line string (a ``run:`` script): ``has`` its first matched line."""
    piece = next((ln.strip() for ln in matched.splitlines() if ln.strip()), "")
    if not piece or piece not in yamlcheck.strip_hash(doc.value(place.node)):
        return None
    return {"yaml": list(place.path), "has": piece}


def convert(kind: str, value: str, text: str) -> tuple[dict | None, str]:
    """(the ``yaml:`` fields equivalent to a text check on ``text``, note or reason)."""
    doc = yamlcheck.parse(text)
    if doc.problem and not doc.nodes:
        return None, f"the upstream file does not parse ({doc.problem})"
    if kind == "lacks":
        return None, "lacks: say by hand which node must be absent (present: false)"
    found = spans(kind, value, text)
    if not found:
        return None, "the text does not match the upstream file (fix the item first)"
    lines = text.splitlines()
    every = places(doc)
    comment = False
    for first, last, matched in found:
        code = [
            n
            for n in range(first, last + 1)
            if not _is_comment(lines[n - 1]) and lines[n - 1].strip()
        ]
        comment = comment or len(code) < last - first + 1
        if not code:
            continue
        line = code[-1]
        fields = _at_line(every, doc, line, matched)
        if fields:
            ok, _, why = yamlcheck.check(text, fields["yaml"], fields)
            if not ok:
                return None, f"the converted check does not hold: {why}"
            return fields, "the old text also matched a comment: review" if comment else ""
    if comment:
        return None, "the text matches only a comment: write the yaml: check by hand"
    return None, "no node starts on the matched line"


def _at_line(every: list[Place], doc: yamlcheck.Doc, line: int, matched: str) -> dict | None:
    for place in every:
        fields = _fields_for(place, doc, line, matched)
        if fields:
            return fields
    for place in every:
        node = place.node
        if (
            place.key is None
            and isinstance(place.parent, yaml.SequenceNode)
            and node.start_mark.line + 1 == line
            and isinstance(node, yaml.ScalarNode)
        ):
            return _element(place, doc)
    inner = [
        p
        for p in every
        if isinstance(p.node, yaml.ScalarNode)
        and p.node.start_mark.line + 1 < line <= p.node.end_mark.line + 1
    ]
    return _script(inner[-1], doc, matched) if inner else None


def edit_item(item: dict, fields: dict, text: str = "") -> None:
    """Turn a round-trip item's text check into ``fields`` (``yaml:`` and its comparison), in
    place, where the text check was (``text``: the item's source, for its comment's place)."""
    cmp = next(k for k in yamlcheck.COMPARISONS if k in fields)
    kind = next(k for k in TEXT_KINDS if k in item)
    new = {"yaml": roundtrip.flow(fields["yaml"]), cmp: roundtrip.flow(fields[cmp])}
    roundtrip.replace(item, kind, new, text)


class Upgrader:
    """Reads upstream files from clones (DIR/OWNER/NAME) at their default branch, once each."""

    def __init__(self, clones: str):
        self.clones = clones
        self.cache: dict[tuple[str, str], str | None] = {}

    def text(self, repo: str, path: str) -> tuple[str | None, str]:
        """The file's text, or None and why."""
        if (repo, path) not in self.cache:
            where = local_clone(self.clones, repo)
            data = None
            if where:
                try:
                    entry = read_commit(where, default_head(where), [path], {path}).get(path)
                    data = entry.data.decode("utf-8-sig") if entry and entry.data else None
                except GitError:
                    data = None
            self.cache[(repo, path)] = data
        data = self.cache[(repo, path)]
        return data, "" if data is not None else f"cannot read {repo} {path} from {self.clones}"

    def fields(self, check: dict) -> tuple[dict | None, str]:
        """The converted fields of one check, or None and why."""
        kind = next(k for k in TEXT_KINDS if k in check)
        if not check.get("repo"):
            return None, "no repo (and no component page to take it from)"
        text, why = self.text(check["repo"], check["path"])
        if text is None:
            return None, why
        return convert(kind, str(check[kind]), text)

    def model_file(self, path: Path) -> list[str]:
        """Convert the YAML text checks of one model file in place; one message per item."""
        text = path.read_text(encoding="utf-8")
        try:
            doc = roundtrip.load(text)
        except roundtrip.Error as exc:
            return [f"{path}: NOT converted: {str(exc).splitlines()[0]}"]
        data = roundtrip.reads(text)
        edited, messages = False, []
        comps = data.get("components", [])
        for comp, rcomp in zip(comps, doc.get("components") or [], strict=True):
            items = rcomp.get("evidence") or []
            for item, ritem in zip(comp.get("evidence", []), items, strict=True):
                if not _wanted(item):
                    continue
                check = {"repo": comp.get("repo"), **item}
                where = f"{path}:{ritem.lc.line + 1}: {comp['id']}: {item['fact']}"
                fields, note = self.fields(check)
                if fields is None:
                    messages.append(f"{where}: NOT converted: {note}")
                    continue
                if not edited and (line := unstable(text, doc)):
                    return [f"{path}:{line}: NOT converted: {REWRITE}"]
                edit_item(ritem, fields, text)
                edited = True
                for kind in TEXT_KINDS:
                    item.pop(kind, None)
                item.update(fields)
                messages.append(f"{where}: converted" + (f" ({note})" if note else ""))
        if not edited:
            return messages
        new = roundtrip.dump(doc)
        if roundtrip.reads(new) != data:
            return [f"{path}: NOT written: the edited file would parse differently"]
        path.write_text(new, encoding="utf-8")
        return messages

    def page(self, path: Path, default_repo: str | None = None) -> list[str]:
        """Convert the YAML text checks of the ``{fact}`` claims of one page in place (``repo``
        defaults to that of the page's component)."""
        text = path.read_text(encoding="utf-8")
        edits, messages = [], []
        for line, content, start, end in find(text):
            m = SPEC.match(content.strip())
            if not m:
                continue
            try:
                check = yaml.safe_load(m.group("spec"))
            except yaml.YAMLError:
                continue
            if not isinstance(check, dict) or not _wanted(check):
                continue
            fields, note = self.fields({"repo": default_repo, **check})
            where = f"{path}:{line}: {{fact}} {m.group('text')[:60]!r}"
            edited = fields and roundtrip.edit_spec(content, partial(edit_item, fields=fields))
            want = {k: v for k, v in check.items() if k not in TEXT_KINDS} | (fields or {})
            if not edited or yaml.safe_load(SPEC.match(edited.strip()).group("spec")) != want:
                messages.append(f"{where}: NOT converted: {note or 'it would parse differently'}")
                continue
            edits.append((start, end, edited))
            messages.append(f"{where}: converted" + (f" ({note})" if note else ""))
        if edits:
            path.write_text(roundtrip.splice(text, edits), encoding="utf-8")
        return messages


def _wanted(item: dict) -> bool:
    """A text check on a YAML file (what this command converts)."""
    return any(k in item for k in TEXT_KINDS) and is_yaml_path(item.get("path"))


def upgrade(clones: str, model_dir: Path, docs: Path) -> list[str]:
    """Convert every YAML text check in the model files and the pages; say what happened."""
    up = Upgrader(clones)
    messages, repos = [], {}
    for path in sorted(model_dir.glob("*.yaml")):
        comps = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("components", [])
        repos.update({c["id"]: c.get("repo") for c in comps})
        messages += up.model_file(path)
    page_repo = {page: repos.get(cid) for cid, (page, _) in page_lines(docs).items()}
    for path in sorted(docs.rglob("*.md")):
        if "{fact}" in path.read_text(encoding="utf-8"):
            messages += up.page(path, page_repo.get(path))
    done = sum("converted" in m and "NOT" not in m for m in messages)
    left = sum("NOT" in m for m in messages)
    messages.append(f"converted {done} items; {left} left to convert by hand")
    return messages
