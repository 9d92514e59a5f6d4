"""Run every rule over the Markdown files of a folder and collect the findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infradocs.core.mdlint.rules import check_headings, check_raw_tags, check_text, code_mask

SKIP_PARTS = {"_static", "_build"}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printable as ``file:line: rule-name message``."""

    path: Path
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


def check_file(path: Path) -> list[Problem]:
    """All findings for one Markdown file; an unreadable file is itself a finding."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(path, 1, "unreadable", f"cannot read: {exc}")]
    mask, findings = code_mask(lines)
    findings += list(check_headings(lines, mask)) + list(check_text(lines, mask))
    findings += list(check_raw_tags(lines, mask))
    return sorted(Problem(path, n, code, msg) for n, code, msg in findings)


def check_tree(root: Path) -> list[Problem]:
    """Findings for every ``*.md`` under ``root``, skipping static and build folders."""
    problems = []
    for path in sorted(root.rglob("*.md")):
        if SKIP_PARTS.isdisjoint(path.relative_to(root).parts):
            problems += check_file(path)
    return problems
