"""The one-pass builder gives what PyYAML's constructor and the node walk give: the same data,
the same strings with their lines and keys (alias-free documents), the same facts."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest

from infradocs.core.inventory import extract, yamlload
from tests.support.synth import feedstock_files
from tests.support.synthinfra import infra_files

FIXTURES = Path(__file__).parent / "fixtures"
CASES = {
    "block scalars and keys": "a: |\n  one\n  two\nb: >\n  folded\n'c d': [x, 'y', \"z\"]\n",
    "core schema scalars": "n: ~\nb: true\nB: no\ni: 0x1F\nf: .5\ns: '12'\n"
    "t: 2020-01-01\n80: int key\n",
    "several documents": "on: push\n---\n- a\n- b: c\n---\nplain\n",
    "duplicate key": "a: 1\na: two\n",
    "merge key": "x: {a: 1}\ny:\n  <<: {b: 2}\n  c: 3\n",
    "explicit tags": "a: !!str 12\nb: !!set {x, y}\nc: !custom z\n",
    "complex key": "? [a, b]\n: v\n",
    "empty": "",
    "deep": "a: " + "[" * 150 + "]" * 150 + "\n",
    "anchors and merges": "x: &d {runs-on: u, env: {A: 1}}\njobs:\n  a:\n    <<: *d\n"
    "    steps: [{run: make && make install}]\n  b:\n    <<: [*d, {timeout: 5}]\n"
    "    runs-on: w\n",
    "an alias under another key": "r: &r quay.io/x\nlogin:\n  registry: *r\n  '=': v\n",
    "merging a list": "a: &a [1]\nb:\n  <<: *a\n",
    "shell and no anchor": "run: make && make check\nif: a && b\n",
}


def _old(text: str) -> tuple[list, list]:
    """Data and strings the PyYAML way: construct_document, then the node walk."""
    loader = yamlload.Loader(text)
    docs, strings = [], []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            docs.append(loader.construct_document(node))
            strings += list(extract.scalars(node, False))
    finally:
        loader.dispose()
    return docs, strings


@cache
def _texts() -> dict[str, str]:
    rng = random.Random(5)
    texts = dict(CASES)
    for i in range(40):
        texts.update({f"feedstock {i} {p}": t for p, t in feedstock_files(i, rng).items()})
    texts.update({f"infra {p}": t for p, t in infra_files(0, rng).items()})
    for path in FIXTURES.rglob("*.y*ml"):
        texts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    return texts


@pytest.mark.parametrize("name", sorted(_texts()))
def test_build_equals_the_constructor_and_the_walk(name: str) -> None:
    text = _texts()[name]
    parsed = yamlload.load(text)
    if any("alias" in message for _, message in parsed.problems):
        return  # an alias bomb or a recursive alias, skipped behind the guards
    try:
        docs, strings = _old(text)
    except Exception as exc:  # PyYAML refuses it: so must load, as a problem
        assert parsed.problems, (name, exc)
        return
    assert parsed.docs == docs
    if "&" in text:  # anchors, or a shell's &&: the extractor walks the nodes, each once
        assert parsed.strings is None or not parsed.nodes
        return
    if parsed.strings is not None:  # built in one pass: the walk's strings, same order
        assert parsed.strings == strings
    else:  # left to PyYAML: the extractor walks the nodes
        assert name in {"merge key", "explicit tags", "complex key", "deep"}


@pytest.mark.parametrize("provider", ["github-actions", "azure-pipelines", "travis-ci"])
def test_facts_are_the_same_either_way(provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [t.encode() for t in _texts().values()]
    fast = [extract.extract(provider, t) for t in texts]

    def unusual(*_args: object, **_kwargs: object) -> None:
        raise yamlload._Unusual("forced")

    monkeypatch.setattr(yamlload, "build", unusual)
    assert [extract.extract(provider, t) for t in texts] == fast


def test_documents_with_anchors_are_built_not_constructed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anchors, merge keys and a shell's ``&&`` no longer send a document to PyYAML's slower
    constructor; the merges follow PyYAML's rules (explicit keys win, then earlier merges)."""

    def refuse(*_args: object) -> None:
        raise AssertionError("constructed by PyYAML")

    monkeypatch.setattr(yamlload.Loader, "construct_document", refuse)
    parsed = yamlload.load(CASES["anchors and merges"])
    assert not parsed.problems and parsed.strings is None
    assert parsed.docs[0]["jobs"]["b"] == {"runs-on": "w", "env": {"A": 1}, "timeout": 5}
    assert yamlload.load(CASES["shell and no anchor"]).docs == [
        {"run": "make && make check", "if": "a && b"}
    ]
