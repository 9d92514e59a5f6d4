"""The one YAML node walker, shared by the extractor and the security checks."""

from __future__ import annotations

from infradocs.core.inventory import yamlnodes as yn
from infradocs.core.inventory.extract import scalars
from infradocs.core.inventory.yamlload import load

DOC = b"""\
on: &trigger
  push: {branches: [main]}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo hi
again: *trigger
"""


def test_walk_keyed_in_document_order_with_keys_and_aliases_once() -> None:
    (root,) = yn.compose(DOC)
    seen = [(yn.text(n), key, yn.line(n)) for n, key in yn.walk_keyed(root) if yn.text(n)]
    assert seen == [
        ("on", None, 1),
        ("push", None, 2),
        ("branches", None, 2),
        ("main", None, 2),
        ("jobs", None, 3),
        ("build", None, 4),
        ("runs-on", None, 5),
        ("ubuntu-latest", "runs-on", 5),
        ("steps", None, 6),
        ("run", None, 7),
        ("echo hi\n", "run", 7),
        ("again", None, 9),  # the alias points at a node already visited
    ]
    assert [yn.text(n) for n in yn.walk(root)] == [yn.text(n) for n, _ in yn.walk_keyed(root)]


def test_extractor_scalars_use_the_walker_and_block_lines() -> None:
    (root,) = load(DOC.decode()).nodes  # the extractor's loader: "on" stays a string
    found = list(scalars(root))
    assert ("ubuntu-latest", 5, "runs-on") in found
    assert ("echo hi\n", 8, "run") in found  # a block scalar's text starts on the next line
    assert len(found) == 12
