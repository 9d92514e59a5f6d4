"""The ``{inventory}`` directive in a tiny strict Sphinx project built from a snapshot we write."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sphinxapp

from infradocs.core.inventory.validate import errors

CONF = """
extensions = ["myst_parser", "infradocs.sphinxext.inventory"]
inventory_snapshot = {snapshot!r}
"""
PAGE = """# Inventory

```{{inventory}} {table}
```
"""
TABLES = ["snapshot", "providers", "workflows", "secrets", "services"]
SHA_A = "a" * 40
SHA_B = "0123456789abcdef0123456789abcdef01234567"


def _workflow(path: str, provider: str, **facts) -> dict:
    base = {
        "path": path,
        "provider": provider,
        "name": None,
        "triggers": [],
        "schedules": [],
        "actions": [],
        "secrets": [],
        "runners": [],
        "permissions": None,
    }
    return {**base, **facts}


def _repo(name: str, commit: str | None, workflows: list[dict], **rest) -> dict:
    providers = sorted({w["provider"] for w in workflows})
    secrets = sorted({s for w in workflows for s in w["secrets"]})
    return {
        "name": name,
        "commit": commit,
        "ci_providers": providers,
        "workflows": workflows,
        "secrets": secrets,
        "services": rest.get("services", []),
        "conda_forge_yml": None,
        "problems": [],
    }


SNAPSHOT = {
    "schema_version": 1,
    "generated": {
        "at": "2025-01-02T03:04:05Z",
        "sources": [
            {
                "name": "org/alpha",
                "origin": "https://github.com/org/alpha",
                "commit": SHA_A,
                "date": "2024-12-31",
            },
            {"name": "org/beta", "origin": None, "commit": SHA_B},
        ],
    },
    "repos": [
        _repo(
            "org/alpha",
            SHA_A,
            [
                _workflow(
                    ".github/workflows/cron.yml",
                    "github-actions",
                    name="Nightly tidy",
                    triggers=["schedule", "workflow_dispatch"],
                    schedules=["*/10 * * * *", "30 2 * * 1"],
                    secrets=["GH_TOKEN"],
                ),
                _workflow(
                    ".github/workflows/odd.yml",
                    "github-actions",
                    triggers=["schedule"],
                    schedules=["0 0 L * *"],
                ),
            ],
            services=[
                {
                    "name": "anaconda.org",
                    "evidence": [
                        {"path": ".github/workflows/cron.yml", "line": n} for n in (3, 5, 8, 13)
                    ],
                },
            ],
        ),
        _repo(
            "org/beta",
            SHA_B,
            [
                _workflow(
                    ".github/workflows/ci.yml",
                    "github-actions",
                    name="CI",
                    triggers=["pull_request", "push"],
                    secrets=["BINSTAR_TOKEN", "GH_TOKEN"],
                ),
                _workflow("azure-pipelines.yml", "azure-pipelines", secrets=["BINSTAR_TOKEN"]),
            ],
            services=[{"name": "pypi", "evidence": [{"path": ".travis.yml", "line": None}]}],
        ),
    ],
}


class Tables(HTMLParser):
    """Text of every table cell (rows of cells per table) and every paragraph, and all links,
    of the page's body (``role="main"``; the theme's navigation left out)."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0  # open <div>s from the main one in; 0 outside it
        self.tables: list[list[list[str]]] = []
        self.paragraphs: list[str] = []
        self.links: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._para: list[str] | None = None
        self._href: str | None = None
        self._link: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "div" and (self._depth or ("role", "main") in attrs):
            self._depth += 1
        if not self._depth:
            return
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("p", "li") and self._cell is None:
            self._para = []
        elif tag == "a":
            self._href, self._link = dict(attrs).get("href"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("p", "li") and self._para is not None:
            self.paragraphs.append(" ".join("".join(self._para).split()))
            self._para = None
        elif tag == "a" and self._href:
            self.links["".join(self._link)] = self._href
            self._href = None

    def handle_data(self, data: str) -> None:
        for buf in (self._cell, self._para, self._link if self._href else None):
            if buf is not None:
                buf.append(data)


def build(tmp: Path, snapshot: dict | str, tables: list[str] = TABLES):
    """Build a project with one page per table; (process, {table: parsed page})."""
    src, out = tmp / "src", tmp / "out"
    src.mkdir(parents=True)
    snap = tmp / "snapshot.json"
    snap.write_text(snapshot if isinstance(snapshot, str) else json.dumps(snapshot))
    (src / "conf.py").write_text(CONF.format(snapshot=str(snap)))
    toc = "\n".join(tables)
    (src / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toc}\n```\n")
    for table in tables:
        (src / f"{table}.md").write_text(PAGE.format(table=table))
    proc = sphinxapp.build(src, out)
    pages = {}
    for table in tables:
        html = proc.outdir / f"{table}.html"
        if html.exists():
            parser = Tables()
            parser.feed(html.read_text(encoding="utf-8"))
            pages[table] = parser
    return proc, pages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Tables]:
    assert errors(SNAPSHOT) == []
    proc, pages = build(tmp_path_factory.mktemp("inv-site"), SNAPSHOT)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and "ERROR" not in proc.stderr, proc.stderr
    return pages


def test_providers_table(site: dict[str, Tables]) -> None:
    assert site["providers"].tables == [
        [
            ["CI provider", "Count", "Repositories"],
            ["azure-pipelines", "1", "org/beta"],
            ["github-actions", "2", "org/alpha, org/beta"],
        ]
    ]


def test_workflows_table_with_triggers_and_schedules_in_words(site: dict[str, Tables]) -> None:
    page = site["workflows"]
    assert page.tables == [
        [
            ["Repository", "File", "Provider", "Name", "Runs on (events, schedule)"],
            [
                "org/alpha",
                ".github/workflows/cron.yml",
                "github-actions",
                "Nightly tidy",
                "workflow_dispatch; every 10 minutes; at 02:30, only on Monday (UTC)",
            ],
            ["org/alpha", ".github/workflows/odd.yml", "github-actions", "—", "0 0 L * *"],
            ["org/beta", ".github/workflows/ci.yml", "github-actions", "CI", "pull_request; push"],
            ["org/beta", "azure-pipelines.yml", "azure-pipelines", "—", "—"],
        ]
    ]
    assert page.links["org/beta"] == "https://github.com/org/beta"


def test_secrets_table_names_only(site: dict[str, Tables]) -> None:
    assert site["secrets"].tables == [
        [
            ["Secret name", "Repositories"],
            ["BINSTAR_TOKEN", "org/beta"],
            ["GH_TOKEN", "org/alpha, org/beta"],
        ]
    ]


def test_services_table_evidence_capped_at_three(site: dict[str, Tables]) -> None:
    cron = ".github/workflows/cron.yml"
    assert site["services"].tables == [
        [
            ["Repository", "Service", "Evidence (file:line)"],
            ["org/alpha", "anaconda.org", f"{cron}:3, {cron}:5, {cron}:8, and 1 more"],
            ["org/beta", "pypi", ".travis.yml"],
        ]
    ]


def test_snapshot_date_and_commits(site: dict[str, Tables]) -> None:
    page = site["snapshot"]
    assert (
        "Snapshot of 2 repositories taken at 2025-01-02T03:04:05Z from these commits:"
        in page.paragraphs
    )
    assert "org/alpha at aaaaaaaaaaaa, committed 2024-12-31" in page.paragraphs
    assert "org/beta at 0123456789ab, committed on an unrecorded date" in page.paragraphs
    assert page.links["0123456789ab"] == f"https://github.com/org/beta/commit/{SHA_B}"
    assert page.tables == []


def test_invalid_snapshot_fails_the_build_naming_the_file(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(SNAPSHOT))
    bad["repos"][0]["commit"] = "not-a-sha"
    proc, _ = build(tmp_path / "schema", bad, ["providers"])
    assert proc.returncode != 0
    assert "snapshot.json: not a valid inventory: /repos/0/commit" in proc.stderr
    proc, _ = build(tmp_path / "json", '{"schema_version": 1,', ["providers"])
    assert proc.returncode != 0
    assert "snapshot.json:1: invalid JSON" in proc.stderr


def test_unknown_table_is_an_error(tmp_path: Path) -> None:
    proc, _ = build(tmp_path, SNAPSHOT, ["runners"])
    assert proc.returncode != 0
    assert "unknown inventory table 'runners'" in proc.stderr


def test_the_extensions_share_one_read_of_each_snapshot_version(tmp_path: Path) -> None:
    """The inventory tables, the security pages and the holder blocks read the snapshot through
    one loader: read once per process and file version, read again once the file changes."""
    import os

    from infradocs.sphinxext.settings import snapshot_doc

    path, kept = tmp_path / "snapshot.json", tmp_path / "kept"
    path.write_text(json.dumps(SNAPSHOT))
    first = snapshot_doc(path, kept)
    assert first == SNAPSHOT and snapshot_doc(path, kept) is first
    changed = {**SNAPSHOT, "repos": SNAPSHOT["repos"][:1]}
    path.write_text(json.dumps(changed))
    os.utime(path, ns=(1, 1))  # another version, whatever the clock's resolution
    assert snapshot_doc(path, kept) == changed
