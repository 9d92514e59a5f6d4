"""Sources pinned to the verified commit; one stamp per repository, the newest verification."""

from __future__ import annotations

from pathlib import Path

from infradocs.core.archmodel.facts import Evidence
from infradocs.core.archmodel.permalinks import permalink, pin, stamps

OLD, NEW = "1" * 40, "a" * 40


def _ev(repo: str, path: str | None, commit: str, date: str, line: int | None = None) -> Evidence:
    ver = {"commit": commit, "date": date} | ({"line": line} if line else {})
    fields = {"repo": repo, "contains": "x", "verified": ver} | ({"path": path} if path else {})
    return Evidence(fields, "c", "status", Path("m.yaml"), 1, ("status",), "contains")


EVIDENCE = [
    _ev("o/r", "a.yml", OLD, "2026-01-01", 3),
    _ev("o/r", "a.yml", NEW, "2026-12-01", 7),
    _ev("o/r", "b.py", NEW, "2026-12-01"),
    _ev("o/other", "x", OLD, "2026-02-02", 1),
]


def test_one_stamp_per_repository_at_its_newest_commit() -> None:
    got = {s.repo: (s.commit, s.date, s.files) for s in stamps(EVIDENCE)}
    assert got == {
        "o/other": (OLD, "2026-02-02", {"x": 1}),
        "o/r": (NEW, "2026-12-01", {"a.yml": 7, "b.py": None}),
    }


def test_pin_rewrites_github_sources_only() -> None:
    by_repo = {s.repo: s for s in stamps(EVIDENCE)}
    base = "https://github.com/o/r"
    assert pin(f"{base}/blob/main/a.yml", by_repo) == f"{base}/blob/{NEW}/a.yml#L7"
    assert pin(f"{base}/blob/main/b.py", by_repo) == f"{base}/blob/{NEW}/b.py"
    assert pin(f"{base}/tree/main/docs", by_repo) == f"{base}/tree/{NEW}/docs"
    assert pin(base, by_repo) == f"{base}/tree/{NEW}"
    assert pin("https://github.com/O/R/blob/main/c", by_repo) == f"{base}/blob/{NEW}/c"
    for same in (
        f"{base}/blob/{OLD}/a.yml",
        "https://github.com/x/y/blob/main/a",
        "https://e.org/",
    ):
        assert pin(same, by_repo) == same
    assert permalink("o/r", None, None) == f"{base}/tree/HEAD"
