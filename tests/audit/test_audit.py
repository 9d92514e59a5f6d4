"""The page audit: every page has a record or is listed as pending, and records match pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infradocs.cli.audit import main
from infradocs.core.audit.records import check_tree
from infradocs.core.audit.stale import moved
from infradocs.core.siteconfig import DOCS, ROOT
from tests.inventory.invhelpers import git, make_repo

PAGE = """\
# Bot token

The bot {fact}`runs every six hours <{repo: o/bot, path: bot.yml, cron: "0 */6 * * *"}>`.
It uploads with a token that
lasts an hour, according to the vendor's docs.
"""
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _site(tmp_path: Path, record: str, pending: str = "") -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    (docs / "reference").mkdir(parents=True)
    (docs / "reference" / "bot.md").write_text(PAGE)
    audit = docs / "_audit"
    (audit / "reference").mkdir(parents=True)
    if record:
        (audit / "reference" / "bot.yaml").write_text(record)
    if pending:
        (audit / "pending.txt").write_text(pending)
    return docs, audit


def _record(sentences: str, upstream: str = f"o/bot: {COMMIT}") -> str:
    return (
        "page: reference/bot.md\naudited: 2026-12-07\n"
        f"upstream:\n  {upstream}\nsentences:\n{sentences}"
    )


GOOD = """\
  - quote: "runs every six hours"
    result: holds
    check: fact
  - quote: "It uploads with a token that lasts an hour, according to"
    result: changed
    check: according-to
    source: https://example.org/vendor
    was: "It uploads with a token that lasts a day."
    why: the vendor's docs say an hour
  - result: removed
    was: "The bot never fails."
    why: nothing can show it
"""


def test_a_good_record_passes_and_counts(tmp_path: Path) -> None:
    docs, audit = _site(tmp_path, _record(GOOD))
    records, problems = check_tree(docs, audit)
    assert problems == []
    assert dict(records[0].counts()) == {"holds": 1, "changed": 1, "removed": 1}


def test_each_mistake_is_named_with_file_and_line(tmp_path: Path) -> None:
    bad = """\
  - quote: "runs every seven hours"
    result: holds
    check: fact
  - quote: "It uploads with a token"
    result: holds
    check: fact
  - result: removed
    was: "lasts an hour"
    why: gone
  - quote: "The bot"
    result: changed
    check: model
  - quote: "The bot"
    result: maybe
    check: hunch
"""
    docs, audit = _site(tmp_path, _record(bad, upstream="o/bot: abc123"))
    _, problems = check_tree(docs, audit)
    text = [f"{p.path.name}:{p.line}: {p.message}" for p in problems]
    assert "bot.yaml:1: upstream o/bot: abc123 is not owner/name: 40-hex" in text
    assert any(t.startswith("bot.yaml:6: quote not found") for t in text), text
    assert any(
        t.startswith("bot.yaml:9: check is 'fact' but the quote is not on a {fact} role")
        for t in text
    )
    assert any(t.startswith("bot.yaml:12: the removed sentence is still on") for t in text)
    assert "bot.yaml:15: a changed sentence says what it was ('was') and why ('why')" in text
    assert any(t.startswith("bot.yaml:18: result 'maybe' is not one of") for t in text)
    assert any(t.startswith("bot.yaml:18: check 'hunch' is not one of") for t in text)


def test_pages_without_records_and_pending_list(tmp_path: Path) -> None:
    docs, audit = _site(tmp_path, "")
    _, problems = check_tree(docs, audit)
    assert [p.message for p in problems] == [
        f"no audit record (expected {audit / 'reference' / 'bot.yaml'})"
    ]
    docs, audit = _site(tmp_path / "b", "", pending="reference/bot.md  # later\nnope.md\n")
    _, problems = check_tree(docs, audit)
    assert [p.message for p in problems] == ["lists nope.md, which is not a page"]
    docs, audit = _site(tmp_path / "c", _record(GOOD), pending="reference/bot.md\n")
    _, problems = check_tree(docs, audit)
    assert [p.message for p in problems] == [
        "reference/bot.md is audited: drop it from pending.txt"
    ]


def test_duplicate_keys_and_broken_yaml_name_the_line(tmp_path: Path) -> None:
    docs, audit = _site(tmp_path, _record(GOOD) + "audited: 2026-12-08\n")
    _, problems = check_tree(docs, audit)
    assert len(problems) == 1 and "duplicate key 'audited'" in problems[0].message
    assert problems[0].line == 18
    docs, audit = _site(tmp_path / "b", "page: [unclosed\n")
    _, problems = check_tree(docs, audit)
    assert problems[0].message.startswith("not valid YAML") and problems[0].line == 2


def test_stale_lists_pages_whose_upstream_moved(tmp_path: Path) -> None:
    clones = tmp_path / "clones"
    repo = make_repo(clones / "o" / "bot", {"bot.yml": "on: push\n"})
    first = git(repo, "rev-parse", "HEAD")
    docs, audit = _site(tmp_path, _record(GOOD, upstream=f"o/bot: {first}"))
    records, _ = check_tree(docs, audit)
    assert moved(records, clones) == []
    (repo / "bot.yml").write_text("on: schedule\n")
    git(repo, "commit", "-qam", "move")
    (found,) = moved(records, clones)
    assert (found.page, found.repo, found.changed_files) == (
        "reference/bot.md",
        "o/bot",
        ("bot.yml",),
    )
    assert found.now == git(repo, "rev-parse", "HEAD")
    assert main(["stale", "--docs", str(docs), "--clones", str(clones)]) == 1


def test_the_site_audit_is_complete_and_matches_the_pages() -> None:
    """Every page of the real site has a valid record or is listed, openly, as pending."""
    records, problems = check_tree(DOCS, DOCS / "_audit")
    assert problems == [], "\n".join(map(str, problems))
    assert records, "no page has been audited"
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.audit", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[-1].startswith(f"audit: {len(records)} pages, ")
