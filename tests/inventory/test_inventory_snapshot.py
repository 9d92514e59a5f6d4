"""The committed snapshot: valid against the schema, and in the extractor's exact current format."""

from __future__ import annotations

import io
import json

from inventory.document import document, write
from inventory.sphinxext import SNAPSHOT, load_snapshot
from inventory.validate import errors


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
    again = {  # top-level order kept (``security`` comes from scripts/security enrich)
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
