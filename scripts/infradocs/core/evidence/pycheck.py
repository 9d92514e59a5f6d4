"""The ``python:`` check: a call inside a given function and branch, found with ``ast``.

``python: {function: Handler.post, within: 'event == "status"', calls: _dispatch}`` holds when
a function or method named ``Handler.post`` (or just ``post``) has an ``if``/``elif`` branch
whose condition is, or contains, ``within`` (a Python expression, or a string the condition
compares with, such as an event name) and that branch's body calls ``_dispatch``, directly
or by handing it over as a callback argument. ``within`` and ``function`` are optional.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

FIELDS = ("function", "within", "calls")


@functools.lru_cache(maxsize=64)
def _tree(text: str) -> ast.Module | str:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        return f"the file does not parse as Python: {exc}"


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a name or attribute chain; the source text for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{dotted(node.value)}.{node.attr}"
    return ast.unparse(node)


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    """(qualified name, node) of every function and method, classes and nesting included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                yield name, node
            yield from functions(node, f"{name}.")
        else:
            yield from functions(node, prefix)


def _named(qualified: str, wanted: str) -> bool:
    return qualified == wanted or qualified.endswith(f".{wanted}")


def _constants(node: ast.AST) -> set[str]:
    """String constants a comparison compares with (``x == "a"``, ``x in ["a", "b"]``)."""
    out = set()
    for cmp in ast.walk(node):
        if isinstance(cmp, ast.Compare):
            for side in (cmp.left, *cmp.comparators):
                for const in ast.walk(side):
                    if isinstance(const, ast.Constant) and isinstance(const.value, str):
                        out.add(const.value)
    return out


def condition_holds(test: ast.AST, within: str) -> bool:
    """The condition is, or contains, the expression ``within``, or compares with it as a string."""
    try:
        want = ast.dump(ast.parse(within, mode="eval").body)
    except SyntaxError:
        want = None
    if want and any(ast.dump(sub) == want for sub in ast.walk(test)):
        return True
    return within in _constants(test)


def branches(scope: ast.AST, within: str) -> list[list[ast.stmt]]:
    """The bodies of the ``if``/``elif`` branches in ``scope`` whose condition names ``within``."""
    return [
        node.body
        for node in ast.walk(scope)
        if isinstance(node, (ast.If, ast.While)) and condition_holds(node.test, within)
    ]


def calls_in(body: list[ast.stmt]) -> Iterator[tuple[str, int, bool]]:
    """(name, line, is the callee) of each call in ``body`` and of each name passed to one
    (a callback such as ``spawn_callback(_dispatch, ...)``)."""
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                yield dotted(node.func), node.lineno, True
                for arg in node.args:
                    if isinstance(arg, (ast.Name, ast.Attribute)):
                        yield dotted(arg), arg.lineno, False


def check(text: str, spec: dict) -> tuple[bool, int | None, str]:
    """(holds, line of the call, what is there instead) for a ``python:`` item."""
    tree = _tree(text)
    if isinstance(tree, str):
        return False, None, tree
    scopes: list[tuple[str, ast.AST]] = [("the module", tree)]
    if spec.get("function"):
        every = list(functions(tree))
        scopes = [(q, n) for q, n in every if _named(q, spec["function"])]
        if not scopes:
            return False, None, f"no function {spec['function']}" + _near(spec["function"], every)
    found: list[str] = []
    for name, scope in scopes:
        bodies = branches(scope, spec["within"]) if spec.get("within") else [scope.body]
        if not bodies:
            found.append(f"{name} has no branch on {spec['within']!r}")
            continue
        seen = []
        for body in bodies:
            for called, at, callee in calls_in(body):
                if called == spec["calls"]:
                    return True, at, ""
                if callee:
                    seen.append(called)
        where = f"the branch on {spec['within']!r} in {name}" if spec.get("within") else name
        names = ", ".join(dict.fromkeys(seen)) or "nothing"
        found.append(f"{where} calls {names[:300]}")
    return False, None, f"no call of {spec['calls']}: " + "; ".join(found[:3])


def _near(name: str, every: list[tuple[str, ast.AST]]) -> str:
    import difflib

    near = difflib.get_close_matches(name, [q for q, _ in every], n=2, cutoff=0.6)
    return f" (near: {', '.join(near)})" if near else ""
