"""Read YAML as nodes, so checks can report the line of what they found: the one node walker
of the inventory extractor and the security checks."""

from __future__ import annotations

from collections.abc import Iterator

import yaml


def compose(data: bytes) -> list[yaml.Node]:
    """Every document of ``data`` as a node tree; raises ValueError with the line on bad YAML."""
    try:
        text = data.decode("utf-8-sig")
        return [n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n is not None]
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8: {exc.reason}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise ValueError(f"{where}invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"invalid YAML: {exc}") from None


def line(node: yaml.Node) -> int:
    """1-based line where ``node`` starts."""
    return node.start_mark.line + 1


def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node under ``key`` of a mapping node (None if absent or not a mapping)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def items(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    """(key text, key node, value node) of a mapping node."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                yield k.value, k, v


def text(node: yaml.Node | None) -> str | None:
    """A scalar node's text (None for anything else)."""
    return node.value if isinstance(node, yaml.ScalarNode) else None


def walk_keyed(
    node: yaml.Node | None, shared: bool = True
) -> Iterator[tuple[yaml.Node, str | None]]:
    """Every node under ``node`` in document order, with the text of the mapping key it is the
    value of (None for keys, sequence items and ``node``); aliases visited once.

    ``shared=False`` when the document has no anchors: no node can then be reached twice, so
    none is remembered (the extractor walks every string of every file)."""
    seen: set[int] | None = set() if shared else None
    stack: list[tuple[yaml.Node, str | None]] = [(node, None)] if node is not None else []
    pop, push, scalar = stack.pop, stack.append, yaml.ScalarNode  # the extractor's hot loop
    while stack:
        n, key = pop()
        if seen is not None:
            if id(n) in seen:
                continue
            seen.add(id(n))
        yield n, key
        if isinstance(n, yaml.MappingNode):
            for k, v in reversed(n.value):
                push((v, k.value if isinstance(k, scalar) else None))
                push((k, None))
        elif isinstance(n, yaml.SequenceNode):
            stack.extend([(c, None) for c in reversed(n.value)])


def walk(node: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node under ``node`` in document order (aliases visited once)."""
    return (n for n, _ in walk_keyed(node))


def all_text(node: yaml.Node | None) -> str:
    """Every scalar under ``node`` joined by newlines (for searching a job's text)."""
    return "\n".join(n.value for n in walk(node) if isinstance(n, yaml.ScalarNode))
