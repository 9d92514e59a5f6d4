"""The explorer's compact data, its binary file, the published files and the synthetic inventory."""

import gzip
import json

import pytest

from infradocs.core.explorer.data import DIMS, compact, postings, row_values
from infradocs.core.explorer.pack import pack, unpack
from infradocs.core.explorer.publish import publish
from infradocs.core.inventory.validate import errors
from tests.support.synthinventory import generate

DOC = {
    "schema_version": 1,
    "repos": [
        {
            "name": "o/b",
            "commit": None,
            "ci_providers": ["github-actions"],
            "secrets": ["S1"],
            "workflows": [
                {
                    "path": ".github/workflows/a.yml",
                    "provider": "github-actions",
                    "triggers": ["push"],
                    "schedules": ["0 0 * * *"],
                    "actions": ["x/y@main", "actions/checkout@v4", "x/y@" + "a" * 40],
                    "secrets": ["S1"],
                    "runners": ["ubuntu-latest"],
                    "findings": [
                        {
                            "tool": "t",
                            "audit": "z",
                            "severity": "low",
                            "confidence": "low",
                            "line": 1,
                            "message": "m",
                        },
                        {
                            "tool": "t",
                            "audit": "a",
                            "severity": "high",
                            "confidence": "low",
                            "line": 2,
                            "message": "m",
                        },
                    ],
                }
            ],
        },
        {"name": "o/a", "commit": "f" * 40, "ci_providers": [], "secrets": [], "workflows": []},
    ],
}


def test_compact_columns_and_dictionaries():
    data = compact(DOC, "dev")
    assert data["count"] == 2 and data["site_version"] == "dev"
    assert data["dims"]["action"] == ["actions/checkout", "x/y"]
    assert data["dims"]["finding"] == ["a", "z"]
    pins = data["pins"]
    codes = row_values(data, "action")[0]
    assert sorted((data["dims"]["action"][c >> 3], pins[c & 7]) for c in codes) == [
        ("actions/checkout", "tag"),
        ("x/y", "branch"),
        ("x/y", "sha"),
    ]
    assert data["cols"]["worst"] == [3, -1]
    assert data["cols"]["nfind"] == [2, 0]
    assert row_values(data, "finding") == [[0, 1], []]
    assert data["rows"]["finding"] == {"len": [2, 0], "val": [0, 1]}
    # x/y counts once although used twice (branch and sha); each pin once per repository
    assert data["totals"]["action"] == [1, 1]
    assert data["totals"]["pin"][pins.index("branch")] == 1
    assert data["totals"]["pin"][pins.index("docker")] == 0
    # ranks: "o/a" sorts before "o/b"; no providers sorts before "github-actions"
    assert data["rank"]["name"] == [1, 0]
    assert data["rank"]["providers"] == [1, 0]


def _expected(doc: dict, dim: str, value: str) -> list[int]:
    """Repositories holding ``value`` of ``dim``, straight from the inventory document."""
    out = []
    for i, repo in enumerate(doc["repos"]):
        wfs = repo["workflows"]
        held = {
            "provider": set(repo["ci_providers"]),
            "secret": set(repo["secrets"]) | {s for w in wfs for s in w["secrets"]},
            "trigger": {t for w in wfs for t in w["triggers"]},
            "schedule": {t for w in wfs for t in w["schedules"]},
            "runner": {t for w in wfs for t in w["runners"]},
            "finding": {f["audit"] for w in wfs for f in w["findings"]},
            "action": {u.partition("@")[0] for w in wfs for u in w["actions"]},
        }[dim]
        if value in held:
            out.append(i)
    return out


def test_indexes_totals_and_ranks_agree_with_the_inventory():
    doc = generate(400, seed=5)
    data = compact(doc)
    for dim in DIMS:
        index = postings(data, dim)
        assert len(index) == len(data["dims"][dim])
        for v, name in enumerate(data["dims"][dim]):
            assert index[v] == _expected(doc, dim, name), (dim, name)
        assert data["totals"][dim] == [len(p) for p in index]
    by_pin = postings(data, "action", pins=True)
    assert data["totals"]["pin"] == [len(p) for p in by_pin]
    for p, repos in enumerate(by_pin):
        assert repos == sorted(
            {i for i, row in enumerate(row_values(data, "action")) for c in row if c & 7 == p}
        )
    names = data["cols"]["name"]
    ordered = sorted(range(len(names)), key=lambda i: data["rank"]["name"][i])
    assert [names[i].lower() for i in ordered] == sorted(n.lower() for n in names)
    assert sorted(data["rank"]["providers"]) == list(range(len(names)))


def test_binary_file_round_trip_with_smallest_types():
    data = compact(generate(300, seed=2), "v1")
    blob = pack(data)
    back = unpack(blob)
    sec = back["sections"]
    assert sec["name"] == data["cols"]["name"]
    assert "commit" not in sec  # only the CSV needs them: in the lazy file
    lazy = unpack(pack(data, lazy=True))
    assert lazy["sections"] == {"commit": data["cols"]["commit"]} and lazy["count"] == 300
    assert sec["worst"] == data["cols"]["worst"]
    assert sec["rank_name"] == data["rank"]["name"]
    for d in DIMS:
        assert sec[f"len_{d}"] == data["rows"][d]["len"]
        assert sec[f"val_{d}"] == data["rows"][d]["val"]
    assert back["dims"] == data["dims"] and back["totals"] == data["totals"]
    assert back["count"] == 300 and back["site_version"] == "v1"
    types = {
        name: entry[0]
        for name, entry in json.loads(blob[8 : 8 + int.from_bytes(blob[4:8], "little")])[
            "sections"
        ].items()
    }
    assert types["worst"] == "i8" and types["val_provider"] == "u8"
    assert types["val_action"] == "u16"  # action codes are action * 8 + pin
    # every section starts on an 8-byte boundary, so the page can view it as a typed array
    header = json.loads(blob[8 : 8 + int.from_bytes(blob[4:8], "little")])
    assert all(offset % 8 == 0 for _, offset, _, _ in header["sections"].values())
    assert (8 + int.from_bytes(blob[4:8], "little")) % 8 == 0


def test_binary_file_of_an_empty_inventory_and_bad_input():
    back = unpack(pack(compact({"schema_version": 1, "repos": []})))
    assert back["count"] == 0 and back["sections"]["name"] == []
    doc = {"schema_version": 1, "repos": [dict(DOC["repos"][1], name="o/bad\nname")]}
    with pytest.raises(ValueError, match=r"name\[0\]: a newline"):
        pack(compact(doc))
    with pytest.raises(ValueError, match="not an explorer file"):
        unpack(b"{}")


def test_publish_writes_gzip_files_deterministically(tmp_path):
    first = publish(DOC, tmp_path / "a")
    second = publish(DOC, tmp_path / "b")
    assert first == second
    raw = gzip.decompress((tmp_path / "a" / "inventory.json.gz").read_bytes())
    assert json.loads(raw) == DOC == json.loads((tmp_path / "a" / "inventory.json").read_text())
    small = unpack(gzip.decompress((tmp_path / "a" / "explorer.bin.gz").read_bytes()))
    assert small["sections"]["name"] == ["o/b", "o/a"]
    lazy = unpack(gzip.decompress((tmp_path / "a" / "explorer-lazy.bin.gz").read_bytes()))
    assert lazy["sections"]["commit"] == ["", "f" * 40]


def test_synthetic_inventory_is_schema_valid_and_repeatable():
    doc = generate(60, seed=3)
    assert len(doc["repos"]) == 60
    assert errors(doc) == []
    assert generate(60, seed=3) == doc
