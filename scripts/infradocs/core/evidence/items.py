"""The checks to run: every evidence item of the model, with the page that states its fact."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from infradocs.core.archmodel import Model
from infradocs.core.archmodel.claims import find, parse
from infradocs.core.archmodel.facts import describe_check

DIRECTIVE = re.compile(r"^\s*(?:```+|:::+)\{component\}\s+([a-z0-9][a-z0-9-]*)\s*$")


@dataclass(frozen=True)
class Item:
    """One check: what to read and expect, where it is written, which fact and page it backs."""

    kind: str
    repo: str | None
    path: str | None
    value: object
    file: Path  # where the evidence is written: a model YAML file, or a page for prose claims
    line: int
    fact: str
    component: str | None
    page: Path | None
    page_line: int | None
    verified: dict | None
    fields: dict
    key: str  # the fact this item backs, the same for every item of that fact

    @property
    def checkable(self) -> bool:
        """False for items marked ``unverifiable`` (reported, never passed)."""
        return self.kind != "unverifiable"

    def describe(self) -> str:
        """One line saying what the item checks."""
        if not self.checkable:
            return f"unverifiable ({self.fields['unverifiable']}); source {self.fields['source']}"
        where = f"{self.repo}" + (f" `{self.path}`" if self.path else "")
        return f"{where}: {describe_check(self.fields, self.kind)}"


def page_lines(docs: Path) -> dict[str, tuple[Path, int]]:
    """Component id -> (page file, line of its ``{component}`` directive)."""
    out: dict[str, tuple[Path, int]] = {}
    for md in sorted(docs.rglob("*.md")):
        try:
            text = md.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "{component}" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            m = DIRECTIVE.match(line)
            if m:
                out.setdefault(m.group(1), (md, number))
    return out


def from_model(model: Model, docs: Path) -> list[Item]:
    """Every evidence item of every component, in model order."""
    pages = page_lines(docs)
    items = []
    for comp in model:
        page, page_line = pages.get(comp.id, (docs / f"{comp.page}.md", None))
        for ev in comp.evidence:
            items.append(
                Item(
                    kind=ev.kind,
                    repo=ev.repo,
                    path=ev.path,
                    value=ev.value,
                    file=ev.file,
                    line=ev.line,
                    fact=ev.fact,
                    component=comp.id,
                    page=page,
                    page_line=page_line,
                    verified=ev.fields.get("verified"),
                    fields=ev.fields,
                    key=f"{comp.id}: {ev.proves[0] if ev.proves else ev.fact}",
                )
            )
    return items


def from_pages(model: Model, docs: Path) -> tuple[list[Item], list[str]]:
    """Every ``{fact}`` claim in the pages, and the problems of those that do not parse."""
    by_page = {f"{comp.page}.md": comp for comp in model}
    items, problems = [], []
    for md in sorted(docs.rglob("*.md")):
        try:
            text = md.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{md}: cannot read: {exc}")
            continue
        if "{fact}" not in text:
            continue
        comp = by_page.get(md.relative_to(docs).as_posix())
        for line, content, _start, _end in find(text):
            claim, probs = parse(content, comp.get("repo") if comp else None)
            problems += [f"{md}:{line}: {{fact}} role: {p}" for p in probs]
            if claim is None:
                continue
            items.append(
                Item(
                    kind=claim.kind,
                    repo=claim.fields.get("repo"),
                    path=claim.fields.get("path"),
                    value=claim.fields.get(claim.kind),
                    file=md,
                    line=line,
                    fact=claim.text,
                    component=comp.id if comp else None,
                    page=md,
                    page_line=line,
                    verified=claim.fields.get("verified"),
                    fields=claim.fields,
                    key=f"{md}:{line}: {claim.text}",
                )
            )
    return items, problems
