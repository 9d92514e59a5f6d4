"""Safe, bounded YAML loading: C loader, YAML 1.2-style scalars, alias-bomb and size guards."""

from __future__ import annotations

import functools
import operator
import re
from typing import Any

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 200_000  # expanded node count above which a document is rejected (alias bombs)


class Loader(_BASE):  # type: ignore[misc,valid-type]
    """Safe loader whose booleans are only true/false (``on:`` stays the string "on")."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
# Timestamps stay strings (JSON has no dates); ints and floats follow YAML 1.2 (no 1:20 == 80).
_DROP = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROP]
    for first, resolvers in Loader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)

# Per first character of a plain scalar: the implicit resolvers PyYAML's ``resolve`` would try,
# wildcards appended, built once (PyYAML's builds the list per scalar, a tenth of the parse).
_WILDCARD = tuple(Loader.yaml_implicit_resolvers.get(None, []))
_BY_FIRST = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in Loader.yaml_implicit_resolvers.items()
    if first is not None
}


_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode


def _resolve(self: Loader, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """``Resolver.resolve`` for a loader without path resolvers, as fast as it can be: a plain
    scalar's tag depends on its text alone, so it is remembered per text."""
    if kind is _SCALAR:
        return _implicit_tag(value) if implicit[0] else "tag:yaml.org,2002:str"
    return "tag:yaml.org,2002:seq" if kind is _SEQUENCE else "tag:yaml.org,2002:map"


@functools.lru_cache(maxsize=100_000)  # CI files repeat the same few thousand plain values
def _implicit_tag(value: str) -> str:
    for tag, regexp in _BY_FIRST.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return tag
    return "tag:yaml.org,2002:str"


assert not Loader.yaml_path_resolvers  # _resolve ignores them
Loader.resolve = _resolve  # type: ignore[method-assign]
# PyYAML's C composer calls these two around every node; without path resolvers they do
# nothing, so C no-ops (taking two arguments and none) replace two Python calls a node
# (8 % of loading rendered feedstocks' CI files).
Loader.descend_resolver = operator.is_  # type: ignore[assignment]
Loader.ascend_resolver = tuple  # type: ignore[assignment]


class Parsed:
    """The documents of one file (composed nodes and constructed data) or why there are none;
    ``strings``: (text, line, mapping key) of every string scalar, when collected while the
    documents were built (``build``), else None (walk ``nodes`` for them). (A plain class: the
    dataclasses module and the inspect module it needs cost 4 ms to import.)"""

    __slots__ = ("docs", "nodes", "problems", "strings")

    def __init__(self, strings: list[tuple[str, int, str | None]] | None = None) -> None:
        self.nodes: list[yaml.Node] = []
        self.docs: list[Any] = []
        self.problems: list[tuple[int | None, str]] = []
        self.strings = strings


STR, SEQ, MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# Scalar tags whose value ``build`` takes from the loader's own constructors.
_PLAIN = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}


# Nesting below which ``build`` builds a document (CI files nest a dozen levels at most).
MAX_DEPTH = 100


class _Unusual(Exception):
    """A node ``build`` leaves to PyYAML's constructor (merge keys, explicit tags, ...)."""


def build(
    loader: Loader,
    node: yaml.Node,
    strings: list[tuple[str, int, str | None]],
    merges: bool = False,
) -> Any:
    """The data of a document, as ``loader.construct_document(node)`` makes it (equal, though
    an alias gives a copy where PyYAML shares one object), in one pass that also collects its
    string scalars (text, 1-based line of the first content line, the mapping key whose value
    it is) into ``strings``; a node reached twice through aliases is collected twice.
    ``merges``: merge keys are flattened first, by PyYAML's own ``flatten_mapping`` (a text
    with anchors). Raises _Unusual for what it does not build itself (merge keys otherwise,
    non-scalar keys, tags other than the core schema's)."""
    constructors = loader.yaml_constructors
    flatten = loader.flatten_mapping if merges else None
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    add = strings.append

    def value(n: yaml.Node, key: str | None, depth: int) -> Any:
        cls, tag = n.__class__, n.tag
        if cls is scalar:
            if tag == STR:
                text = n.value
                add((text, n.start_mark.line + 1 + (n.style in ("|", ">")), key))
                return text
            if tag in _PLAIN:
                return constructors[tag](loader, n)
            raise _Unusual(tag)
        if depth > MAX_DEPTH:  # PyYAML's constructor decides what too deep is
            raise _Unusual("depth")
        if cls is sequence:
            if tag != SEQ:
                raise _Unusual(tag)
            return [value(c, None, depth + 1) for c in n.value]
        if tag != MAP:
            raise _Unusual(tag)
        if flatten is not None:
            flatten(n)
        out = {}
        for k, v in n.value:
            if k.__class__ is not scalar or (k.tag not in _PLAIN and k.tag != STR):
                raise _Unusual(k.tag)  # merge keys, complex keys: PyYAML's rules
            name = value(k, None, depth + 1)  # the key's string before the value's
            out[name] = value(v, k.value, depth + 1)
        return out

    return value(node, None, 0)


def decode(data: bytes) -> tuple[str | None, tuple[int | None, str] | None]:
    """Text of a CI file, or a (line, message) problem for binary or non-UTF-8 content."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, (None, "not valid UTF-16 text despite its byte-order mark")
    if b"\x00" in data:
        return None, (_line_at(data, data.index(b"\x00")), "binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, (_line_at(data, exc.start), f"not valid UTF-8 (byte offset {exc.start})")


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _quiet(text: str) -> str:
    """Error text without quoted document content longer than a few characters."""
    return re.sub(r"'[^'\n]{4,}'|\"[^\"\n]{4,}\"", "'…'", text)[:200]


def yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """A (line, message) pair for a YAML error; never echoes the offending content."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        parts = [p for p in (exc.context, exc.problem) if p]
        msg = "invalid YAML: " + _quiet(", ".join(parts) or type(exc).__name__)
        return (mark.line + 1 if mark else None), msg
    return None, "invalid YAML: " + _quiet(type(exc).__name__)


def expanded_size(node: yaml.Node, limit: int = MAX_NODES) -> int:
    """Nodes the document has once aliases are expanded (stops counting past ``limit``)."""
    memo: dict[int, int] = {}
    active: set[int] = set()

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in memo:
            return memo[key]
        if key in active:
            raise RecursionError("recursive alias")
        active.add(key)
        total = 1
        if isinstance(n, yaml.SequenceNode):
            for child in n.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                total += size(k) + size(v)
                if total > limit:
                    break
        active.discard(key)
        memo[key] = total
        return total

    return size(node)


def _construct(loader: Loader, node: yaml.Node, out: Parsed, plain: bool) -> Any:
    """One document's data, by ``build`` where it can (PyYAML's constructor otherwise). An
    alias-free document's strings go to ``out.strings``; after a document with anchors
    (``plain`` false) or one ``build`` left alone, ``out.strings`` is None: the extractor then
    walks the nodes, each shared node once. Building a document with anchors (merge keys
    flattened) rather than constructing it: the 166 infrastructure workflows with anchors of
    the 25,000 second org loaded in 0.18-0.19 s instead of 0.24-0.25 s (best of 3, interleaved)."""
    found: list[tuple[str, int, str | None]] = []
    try:
        data = build(loader, node, found, merges=not plain)
    except _Unusual:
        out.strings = None
        return loader.construct_document(node)
    if plain and out.strings is not None:
        out.strings += found
    else:
        out.strings = None
    return data


def load(text: str, max_nodes: int = MAX_NODES) -> Parsed:
    """Compose and construct every document of ``text``; problems instead of exceptions."""
    out = Parsed(strings=[])
    loader = Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            if "&" in text:
                try:
                    n = expanded_size(node, max_nodes)
                except RecursionError:
                    out.problems.append((node.start_mark.line + 1, "recursive YAML alias"))
                    continue
                if n > max_nodes:
                    out.problems.append(
                        (
                            node.start_mark.line + 1,
                            f"YAML aliases expand to over {max_nodes} nodes (alias bomb); "
                            "document skipped",
                        )
                    )
                    continue
            out.nodes.append(node)
            out.docs.append(_construct(loader, node, out, "&" not in text))
    except yaml.YAMLError as exc:
        out.problems.append(yaml_problem(exc))
    except (ValueError, TypeError, RecursionError) as exc:
        out.problems.append((None, f"invalid YAML: {type(exc).__name__}"))
    finally:
        loader.dispose()
    return out
