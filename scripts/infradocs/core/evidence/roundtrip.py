"""Edit YAML text through ruamel.yaml's round-trip mode: comments, key order, quoting and layout
stay; PyYAML (the model's own loader) then judges that nothing but the intended change moved.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from infradocs.core.archmodel.claims import SPEC
from infradocs.core.archmodel.facts import normalize

_PYYAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PLAIN = re.compile(r"^[A-Za-z0-9_./@][A-Za-z0-9_./@$+=-]*(?: [A-Za-z0-9_./@$+=-]+)*$")
WIDTH = 4096  # never fold: the model's long flow lists stay on the line their author wrote
Error = (RuamelError, yaml.YAMLError)


def _yaml() -> YAML:
    """A round-trip loader and dumper set up as the model files are written."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = WIDTH
    rt.indent(mapping=2, sequence=4, offset=2)  # "components:\n  - id: x\n    title: y"
    rt.brace_single_entry_mapping_in_flow_sequence = True  # [jobs, {name: X}, run]
    return rt


def load(text: str) -> Any:
    """The round-trip data of ``text`` (raises one of ``Error``)."""
    return _yaml().load(text)


def dump(data: Any) -> str:
    """``data`` as YAML text."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def dump_flow(data: CommentedMap) -> str:
    """A flow mapping as the one line it was (a ``{fact}`` claim's check fields)."""
    return dump(data).removesuffix("\n")


def reads(text: str) -> Any:
    """``text`` as PyYAML reads it (verified dates as ISO strings), the model's own view."""
    data = yaml.load(text, Loader=_PYYAML)
    normalize(data)
    return data


def scalar(value: Any) -> Any:
    """A string plain when PyYAML reads it back as itself, else double-quoted (``"on"``)."""
    if isinstance(value, str):
        plain = PLAIN.match(value) and yaml.load(value, Loader=_PYYAML) == value
        return value if plain else DoubleQuotedScalarString(value)
    return value


def flow(value: Any) -> Any:
    """``value`` (dicts, lists, scalars) as flow-style round-trip data: ``{a: b}``, ``[a, b]``."""
    if isinstance(value, dict):
        out: Any = CommentedMap((scalar(k), flow(v)) for k, v in value.items())
    elif isinstance(value, list):
        out = CommentedSeq(flow(v) for v in value)
    else:
        return scalar(value)
    out.fa.set_flow_style()
    return out


def _block(node: Any) -> bool:
    """A non-empty block-style mapping or list."""
    collection = isinstance(node, (CommentedMap, CommentedSeq))
    return collection and bool(node) and not node.fa.flow_style()


def _tail(node: CommentedMap | CommentedSeq) -> tuple[dict, Any, int]:
    """(comment table, key, slot) of the comment after the deepest last value of a block node:
    ruamel keeps there the blank lines and comments that follow the node."""
    last = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    if _block(node[last]):
        return _tail(node[last])
    return node.ca.items, last, 2 if isinstance(node, CommentedMap) else 0


def append(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add ``key: value`` at the end of a mapping, on its own line right after the last value
    (the blank lines and comments that followed the mapping still follow it)."""
    moved = None
    if _block(mapping):
        table, last, slot = _tail(mapping)
        entry = table.get(last)
        token = entry[slot] if entry else None
        own, _, rest = token.value.partition("\n") if token is not None else ("", "", "")
        if rest:
            entry[slot] = CommentToken(own + "\n", CommentMark(token.column)) if own else None
            moved = CommentToken("\n" + rest, CommentMark(0))
    mapping[key] = value
    if moved is not None:
        mapping.ca.items[key] = [None, None, moved, None]


def replace(mapping: CommentedMap, old: str, new: dict, text: str = "") -> None:
    """Put the keys of ``new`` where ``old`` was; the comment after ``old`` follows the last,
    as far from its value as it was in ``text`` (the source of ``mapping``)."""
    pos = list(mapping).index(old)
    line = mapping.lc.value(old)[0]
    comment = mapping.ca.items.pop(old, None)
    token = comment[2] if comment else None
    if token is not None and text and token.value.startswith("#"):
        before = text.splitlines()[line][: token.column]
        gap = max(len(before) - len(before.rstrip()), 1)
        comment[2] = CommentToken(" " * (gap - 1) + token.value, CommentMark(0))
    del mapping[old]
    for offset, (key, value) in enumerate(new.items()):
        mapping.insert(pos + offset, key, value)
    if comment is not None:
        mapping.ca.items[list(new)[-1]] = comment


def edit_spec(content: str, edit: Callable[[CommentedMap], None]) -> str | None:
    """A ``{fact}`` role's content with its check fields (one YAML flow mapping) changed in place
    by ``edit``, the rest of the text kept; None when the fields are not a mapping."""
    m = SPEC.match(content.strip())
    if not m:
        return None
    try:
        data = load(m.group("spec"))
    except Error:
        return None
    if not isinstance(data, CommentedMap):
        return None
    edit(data)
    start = len(content) - len(content.lstrip()) + m.start("spec")
    return content[:start] + dump_flow(data) + content[start + len(m.group("spec")) :]


def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, new) span replaced (a page's claims, which are Markdown)."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
