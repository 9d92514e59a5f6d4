"""``--update`` through ruamel.yaml's round trip: the committed model files dump back byte for
byte, and an update's git diff is the ``verified:`` lines alone, comments and blank lines kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from evhelpers import git

from infradocs.core.archmodel.load import MODEL_DIR
from infradocs.core.evidence import roundtrip
from infradocs.core.evidence.update import update_file

MODEL_FILES = sorted(MODEL_DIR.glob("*.yaml"))
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _items(text: str) -> list[tuple[int, int | None, int]]:
    """(start line, line of ``verified:`` or None, last line) of each evidence item, by PyYAML."""
    out = []
    for comp in yaml.compose(text, Loader=yaml.SafeLoader).value[0][1].value:
        for key, value in comp.value:
            if key.value != "evidence":
                continue
            for item in value.value:
                ver = [k.start_mark.line + 1 for k, _ in item.value if k.value == "verified"]
                last = item.value[-1][1]
                end = last.end_mark.line + (1 if last.end_mark.column else 0)
                out.append((item.start_mark.line + 1, ver[0] if ver else None, end))
    return out


def _committed_copy(tmp_path: Path, source: Path) -> Path:
    """``source`` copied into a new git repository and committed."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(source, repo / source.name)
    git(repo, "add", source.name)
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "model")
    return repo / source.name


def _diff(path: Path) -> tuple[list[tuple[int, int, int, int]], list[str], list[str]]:
    """(hunks as old start, old count, new start, new count; removed lines; added lines)."""
    out = git(path.parent, "diff", "-U0", "--no-color", path.name)
    hunks, removed, added = [], [], []
    for line in out.splitlines():
        if m := HUNK.match(line):
            a, b, c, d = m.groups()
            hunks.append((int(a), int(b or 1), int(c), int(d or 1)))
        elif line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    return hunks, removed, added


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_an_untouched_round_trip_of_each_model_file_is_byte_identical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert roundtrip.dump(roundtrip.load(text)) == text


def test_one_update_changes_only_the_verified_lines_of_a_real_model_file(tmp_path: Path) -> None:
    source = MODEL_DIR / "delivery.yaml"
    path = _committed_copy(tmp_path, source)
    items = _items(path.read_text())
    (with_start, with_ver, _) = next(i for i in items if i[1] is not None)
    (bare_start, _, bare_end) = next(i for i in items if i[1] is None)
    ver = {"commit": "f" * 40, "date": "2026-12-07", "line": 7}
    message = update_file(path, {with_start: ver, bare_start: ver})
    assert message == f"{path}: updated verified: of 2 items"
    hunks, removed, added = _diff(path)
    new = f"        verified: {{commit: {'f' * 40}, date: 2026-12-07, line: 7}}"
    assert hunks == [(with_ver, 1, with_ver, 1), (bare_end, 0, bare_end + 1, 1)]
    assert removed == [source.read_text().splitlines()[with_ver - 1]]
    assert added == [new, new]


def test_updating_every_item_of_a_model_file_touches_only_verified_lines(tmp_path: Path) -> None:
    """The file with the most comments, and an item without ``verified:`` (ruamel.yaml is pure
    Python: the other files' byte-identical round trip is tested above)."""
    source = MODEL_DIR / "automation.yaml"
    path = _committed_copy(tmp_path, source)
    items = _items(path.read_text())
    changes = {
        start: {"commit": "0" * 39 + "a", "date": "2026-12-07", "line": n}
        for n, (start, _, _) in enumerate(items, 1)
    }
    assert update_file(path, changes) == f"{path}: updated verified: of {len(items)} items"
    hunks, removed, added = _diff(path)
    old = source.read_text().splitlines()
    assert removed == [old[v - 1] for _, v, _ in items if v is not None]
    assert len(added) == len(items)
    written = r" +verified: \{commit: 0+a, date: 2026-12-07, line: \d+\}"
    assert all(re.fullmatch(written, a) for a in added)
    inserted = [(old_start, new_start) for old_start, n, new_start, _ in hunks if n == 0]
    assert [o for o, _ in inserted] == [end for _, v, end in items if v is None]
    # a second run with the same values writes the same bytes
    again = path.read_text()
    changes = dict(zip([s for s, _, _ in _items(again)], changes.values(), strict=True))
    assert update_file(path, changes) == f"{path}: updated verified: of {len(items)} items"
    assert path.read_text() == again


COMMENTED = """\
# A model file: comments, blank lines and quoting stay.
components:
  - id: a
    evidence:
      - fact: "trigger"
        cron: "0 */6 * * *"   # the schedule

  # the next component
  - id: b
    evidence:
      - fact: 'list'
        yaml: [jobs, run, steps, {name: Deploy}, with]
        equals:
          - 1
          - 2

      - {fact: flow, path: p, exists: true}
      - fact: kept
        exists: true
        verified: {commit: abc, date: 2026-01-01}  # pinned by hand
# the end
"""


def test_a_new_verified_goes_right_after_the_item_not_after_the_comments_that_follow(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(COMMENTED)
    ver = {"commit": "c" * 40, "date": "2026-12-07", "line": 3}
    starts = [start for start, _, _ in _items(COMMENTED)]
    assert update_file(path, dict.fromkeys(starts, ver)) == f"{path}: updated verified: of 4 items"
    flow = f"{{commit: {'c' * 40}, date: 2026-12-07, line: 3}}"
    assert path.read_text() == (
        COMMENTED.replace('"   # the schedule\n', f'"   # the schedule\n        verified: {flow}\n')
        .replace("          - 2\n", f"          - 2\n        verified: {flow}\n")
        .replace("exists: true}", f"exists: true, verified: {flow}}}")
        .replace("{commit: abc, date: 2026-01-01}", flow)
    )


def test_a_file_ruamel_would_reformat_is_left_alone_naming_the_line(tmp_path: Path) -> None:
    text = COMMENTED.replace("[jobs, run, steps, {name: Deploy}, with]", "[jobs, run,\n  steps]")
    path = tmp_path / "m.yaml"
    path.write_text(text)
    start = _items(text)[0][0]
    message = update_file(path, {start: {"commit": "c" * 40, "date": "2026-12-07"}})
    assert message == (
        f"{path}:12: not updated: ruamel.yaml would rewrite this line; write it as it dumps"
    )
    assert path.read_text() == text


def test_an_item_that_moved_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(COMMENTED)
    message = update_file(path, {6: {"commit": "c" * 40, "date": "2026-12-07"}})
    assert message == f"{path}: not updated: no evidence item starts at line 6 any more"
    assert path.read_text() == COMMENTED


def test_quoting_keeps_what_pyyaml_reads_back() -> None:
    data = roundtrip.flow({"yaml": ["on", "jobs", 0, {"name": "a b"}], "equals": "${{ x }}"})
    text = roundtrip.dump_flow(data)
    assert text == '{yaml: ["on", jobs, 0, {name: a b}], equals: "${{ x }}"}'
    assert yaml.safe_load(text) == {
        "yaml": ["on", "jobs", 0, {"name": "a b"}],
        "equals": "${{ x }}",
    }
    assert roundtrip.dump_flow(roundtrip.flow({"commit": "123456789"})) == '{commit: "123456789"}'
