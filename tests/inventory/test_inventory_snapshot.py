"""The committed snapshot: valid against the schema, and in the extractor's exact current format."""

from __future__ import annotations

import io
import json
import re

import pytest

from infradocs.core.inventory import snapshot
from infradocs.core.inventory.document import document, write
from infradocs.core.inventory.snapshot import PATH as SNAPSHOT
from infradocs.core.inventory.snapshot import SnapshotError
from infradocs.core.inventory.snapshot import load as load_snapshot
from infradocs.core.inventory.validate import errors
from tests.diagrams.synthetic import REPO_DEFAULTS


def test_committed_snapshot_validates() -> None:
    doc = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert errors(doc) == []
    assert doc["repos"], "the snapshot has no repositories"
    assert load_snapshot() == doc


def test_committed_snapshot_is_in_the_current_format() -> None:
    """Re-sorting and re-writing it as the extractor does gives the very same bytes."""
    raw = SNAPSHOT.read_text(encoding="utf-8")
    doc = json.loads(raw)
    gen = doc["generated"]
    # top-level order kept (``security`` comes from scripts/infradocs/core/security enrich)
    again = {
        **doc,
        "generated": {**gen, "sources": sorted(gen["sources"], key=_source_key)},
        "repos": document(json.loads(json.dumps(doc["repos"])))["repos"],
    }
    out = io.StringIO()
    write(again, out)
    assert out.getvalue() == raw
    for repo in doc["repos"]:
        for key in ("ci_providers", "secrets"):
            assert repo[key] == sorted(set(repo[key])), (repo["name"], key)
        assert [w["path"] for w in repo["workflows"]] == sorted(
            w["path"] for w in repo["workflows"]
        )
        for wf in repo["workflows"]:
            for key in ("triggers", "schedules", "actions", "secrets", "runners"):
                assert wf[key] == sorted(set(wf[key])), (repo["name"], wf["path"], key)


def test_snapshot_names_each_source_once_with_its_commit() -> None:
    doc = load_snapshot()
    sources = {s["name"]: s["commit"] for s in doc["generated"]["sources"]}
    assert len(sources) == len(doc["generated"]["sources"])
    assert {r["name"]: r["commit"] for r in doc["repos"]} == sources


def test_schema_allows_a_missing_origin_but_not_credentials() -> None:
    base = {"schema_version": 1, "repos": []}
    ok = {
        **base,
        "generated": {"at": "x", "sources": [{"name": "a", "origin": None, "commit": None}]},
    }
    assert errors(ok) == []
    leaked = {"name": "a", "origin": "https://user:tok@github.com/a/b", "commit": None}
    bad = {**base, "generated": {"at": "x", "sources": [leaked]}}
    assert [e.split(":")[0] for e in errors(bad)] == ["/generated/sources/0/origin"]


def _source_key(src: dict) -> tuple:
    return (src["name"], src["commit"] or "")


def _repo(name: str, **fields) -> dict:
    return REPO_DEFAULTS | {"name": name} | fields


def test_one_loader_names_the_file_for_every_fault(tmp_path) -> None:
    path = tmp_path / "snap.json"
    with pytest.raises(SnapshotError, match=f"^{re.escape(str(path))}: cannot read"):
        snapshot.load(path)
    path.write_text('{"schema_version": 1,\n "repos": [}')
    with pytest.raises(SnapshotError, match=f"^{re.escape(str(path))}:2: invalid JSON"):
        snapshot.load(path)
    path.write_text(json.dumps({"schema_version": 1, "repos": {}}))
    with pytest.raises(SnapshotError, match=r"not a valid inventory: /repos: \{\} is not of type"):
        snapshot.read(path)  # nothing to keep when the top level is wrong


def test_a_bad_repository_is_left_out_and_named_the_rest_kept(tmp_path) -> None:
    path = tmp_path / "snap.json"
    good, bad = _repo("org/good"), _repo("org/bad", commit="not-a-sha")
    path.write_text(json.dumps({"schema_version": 1, "repos": [bad, good, {"name": 3}]}))
    snap = snapshot.read(path)
    assert snap.doc["repos"] == [good]
    assert snap.problems[0] == (
        f"{path}: not a valid inventory: /repos/0/commit: 'not-a-sha' does not match "
        "'^[0-9a-f]{40}([0-9a-f]{24})?$' (repository org/bad)"
    )
    assert all(p.startswith(f"{path}: not a valid inventory: /repos/2") for p in snap.problems[1:])
    with pytest.raises(SnapshotError, match=r"/repos/0/commit: .* \(and \d+ more\)$"):
        snapshot.load(path)  # the strict loader takes the whole file or nothing
    path.write_text(json.dumps({"schema_version": 1, "repos": [good]}))
    assert snapshot.load(str(path)) == {"schema_version": 1, "repos": [good]}


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("schema_version",), "1"),
        (("repos", 0, "commit"), "abc"),
        (("repos", 0, "ci_providers"), ["jenkins"]),
        (("repos", 0, "secrets"), ["A", "A"]),
        (("repos", 0, "services"), [{"name": "pypi", "evidence": []}]),
        (("repos", 0, "workflows"), [{"path": "/abs.yml"}]),
        (("repos", 0, "extra"), True),
    ],
)
def test_fast_and_full_schema_checks_agree(where: tuple, value: object) -> None:
    """fastjsonschema passes valid documents; jsonschema then names each violation it refuses."""
    doc = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert errors(doc) == []
    target = doc
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    found = errors(doc)
    assert found and all(not e.startswith("/: refused by the compiled") for e in found)


def test_unchecked_load_parses_each_file_version_once(tmp_path) -> None:
    """The org tables and the explorer share one parse of the org-wide snapshot."""
    path = tmp_path / "org.json"
    path.write_text(json.dumps({"schema_version": 1, "repos": [{"name": "o/a"}]}))
    first = load_snapshot(path, check=False)
    assert load_snapshot(path, check=False) is first
    path.write_text(json.dumps({"schema_version": 1, "repos": [{"name": "o/a"}, {"name": "o/b"}]}))
    again = load_snapshot(path, check=False)
    assert again is not first and len(again["repos"]) == 2
    path.write_text(json.dumps({"schema_version": 2, "repos": []}))
    with pytest.raises(SnapshotError, match=r"org\.json: schema_version 2 is not 1"):
        load_snapshot(path, check=False)
    with pytest.raises(SnapshotError, match=r"missing\.json: cannot read"):
        load_snapshot(tmp_path / "missing.json", check=False)


def test_kept_findings_spare_the_schema_check_in_the_next_process(tmp_path, monkeypatch) -> None:
    """A build keeps the schema's findings per file contents and checking code; a new process
    (a new build) reads them instead of compiling the check again, and any change checks anew."""
    path, kept = tmp_path / "snap.json", tmp_path / "kept"
    good, bad = _repo("org/good"), _repo("org/bad", commit="not-a-sha")
    path.write_text(json.dumps({"schema_version": 1, "repos": [bad, good]}))
    calls: list[int] = []

    def counted(doc: dict) -> list[str]:
        calls.append(1)
        return errors(doc)

    monkeypatch.setattr(snapshot, "errors", counted)

    def new_process() -> snapshot.Snapshot:
        snapshot._CHECKED.clear()
        return snapshot.read(path, kept)

    first = new_process()
    assert len(calls) == 1 and first.doc["repos"] == [good]
    again = new_process()
    assert len(calls) == 1, "the kept findings were not used"
    assert again.problems == first.problems and again.doc == first.doc
    path.write_text(json.dumps({"schema_version": 1, "repos": [good]}))
    assert new_process().problems == [] and len(calls) == 2  # new contents: checked
    monkeypatch.setattr(snapshot, "_checker_hash", lambda: "another checker")
    assert new_process().problems == [] and len(calls) == 3  # new checking code: checked
    (next(kept.glob("*.pickle"))).write_bytes(b"not a pickle")
    assert new_process().problems == [] and len(calls) == 4  # unreadable: checked again


@pytest.mark.parametrize("count", [0, 1, 1000, 1001, 2500])
def test_entries_written_in_slices_make_one_json_document(count: int) -> None:
    from infradocs.core.inventory.document import write_lines

    repos = [{"name": f"o/r{i}", "commit": None, "n": "é" * (i % 3)} for i in range(count)]
    out = io.StringIO()
    write_lines({"schema_version": 1}, [json.dumps(r, ensure_ascii=False) for r in repos], out)
    text = out.getvalue()
    assert json.loads(text) == {"schema_version": 1, "repos": repos}
    assert text.count("\n") == count + 3 and not text.startswith("{\n")
