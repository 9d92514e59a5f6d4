"""The explorer's compact data, the published files and the synthetic inventory."""

import gzip
import json

from explorer.data import compact
from explorer.publish import publish
from explorer.synthetic import generate
from inventory.validate import errors

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
    codes = data["cols"]["action"][0]
    assert sorted((data["dims"]["action"][c >> 3], pins[c & 7]) for c in codes) == [
        ("actions/checkout", "tag"),
        ("x/y", "branch"),
        ("x/y", "sha"),
    ]
    assert data["cols"]["worst"] == [3, -1]
    assert data["cols"]["nfind"] == [2, 0]
    assert data["cols"]["finding"] == [[0, 1], []]


def test_publish_writes_gzip_json_deterministically(tmp_path):
    first = publish(DOC, tmp_path / "a")
    second = publish(DOC, tmp_path / "b")
    assert first == second
    raw = gzip.decompress((tmp_path / "a" / "inventory.json.gz").read_bytes())
    assert json.loads(raw) == DOC == json.loads((tmp_path / "a" / "inventory.json").read_text())
    small = json.loads(gzip.decompress((tmp_path / "a" / "explorer.json.gz").read_bytes()))
    assert small["cols"]["name"] == ["o/b", "o/a"]


def test_synthetic_inventory_is_schema_valid_and_repeatable():
    doc = generate(60, seed=3)
    assert len(doc["repos"]) == 60
    assert errors(doc) == []
    assert generate(60, seed=3) == doc
