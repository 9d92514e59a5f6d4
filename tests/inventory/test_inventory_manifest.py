"""Manifest lines: absolute paths (the org-wide manifests' every line, read by a shortcut) give
what the general rules give, with their file:line; ``# not read:`` marks are found, and a
manifest without any gives none."""

from __future__ import annotations

from pathlib import Path

from infradocs.core.inventory.sources import Source, expand, unread


def test_absolute_paths_comments_and_marks(tmp_path: Path) -> None:
    manifest = tmp_path / "m.txt"
    lines = [
        "/org/a-feedstock",  # the shortcut
        "  /org/b-feedstock/  ",  # spaces and a trailing slash
        "/org/x/../c-feedstock",  # normalised
        "/org/d-feedstock   # a comment: the general rules",
        "/org/e-feedstock  # not read: too big",  # marked: not a source
        "/org/with:colon",  # a colon: the general rules
        "# only a comment",
        "",
    ]
    manifest.write_text("\n".join(lines) + "\n")
    errors: list[str] = []
    got = expand([f"@{manifest}"], "https://github.com", None, errors)
    where = f"{manifest}:"
    assert errors == []
    assert got == [
        Source("path", "/org/a-feedstock", f"{where}1", checked=False),
        Source("path", "/org/b-feedstock", f"{where}2", checked=False),
        Source("path", "/org/c-feedstock", f"{where}3", checked=False),
        Source("path", "/org/d-feedstock", f"{where}4", checked=False),
        Source("path", "/org/with:colon", f"{where}6", checked=False),
    ]
    assert unread(manifest) == [{"name": "/org/e-feedstock", "reason": "too big", "line": 5}]


def test_a_manifest_without_marks_has_nothing_unread(tmp_path: Path) -> None:
    manifest = tmp_path / "m.txt"
    manifest.write_text("/org/a-feedstock\nowner/name  # read, not skipped\n")
    assert unread(manifest) == []
    manifest.write_text("owner/name   #not read:moved away\n")
    assert unread(manifest) == [{"name": "owner/name", "reason": "moved away", "line": 1}]
