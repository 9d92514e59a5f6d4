"""Load and check the audit records: one YAML file per page under ``docs/_audit/``."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from infradocs.core.archmodel.facts import duplicate_keys

RESULTS = ("holds", "changed", "added", "removed")
CHECKS = ("fact", "model", "rendered", "according-to")
COMMIT = re.compile(r"[0-9a-f]{40}")
REPO = re.compile(r"[A-Za-z0-9][\w.-]*/[\w.-]+")
PENDING = "pending.txt"
ROLE = re.compile(r"\{fact\}`[^`]*`")


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printable as ``file:line: message``."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Record:
    """The audit of one page: its upstream commits and the sentences checked."""

    path: Path
    page: str
    audited: str
    upstream: dict[str, str]
    sentences: list[dict] = field(default_factory=list)

    def counts(self) -> Counter:
        """How many sentences ended in each result."""
        return Counter(s.get("result") for s in self.sentences)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that keeps each mapping's line (``__line__``), for entries' messages."""


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    data = loader.construct_mapping(node, deep=True)
    data["__line__"] = node.start_mark.line + 1
    return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def normalise(text: str) -> str:
    """Whitespace folded, so a quote matches across wrapped lines."""
    return " ".join(text.split())


def audit_path(audit_dir: Path, page: str) -> Path:
    """The audit file of ``page`` (a path relative to docs/, with ``.md``)."""
    return audit_dir / Path(page).with_suffix(".yaml")


def load(path: Path) -> tuple[Record | None, list[Problem]]:
    """One audit file, or the problems that stop it from being read."""
    try:
        text = path.read_text(encoding="utf-8")
        dups = duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader))
        data = None if dups else yaml.load(text, Loader=_LineLoader)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, 1, f"cannot read: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        return None, [Problem(path, mark.line + 1 if mark else 1, f"not valid YAML: {exc}")]
    if dups:
        return None, [
            Problem(path, again, f"duplicate key {key!r} (first at line {first})")
            for key, first, again in dups
        ]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "an audit file is a mapping with page, audited, ...")]
    problems = []
    for key in ("page", "audited", "upstream", "sentences"):
        if key not in data:
            problems.append(Problem(path, 1, f"missing key {key!r}"))
    if problems:
        return None, problems
    record = Record(
        path,
        str(data["page"]),
        str(data["audited"]),
        {k: str(v) for k, v in (data["upstream"] or {}).items() if k != "__line__"},
        list(data["sentences"] or []),
    )
    return record, problems


def _overlaps_role(text: str, quote: str) -> bool:
    """True when some occurrence of ``quote`` shares characters with a ``{fact}`` role."""
    spans = [m.span() for m in ROLE.finditer(text)]
    start = text.find(quote)
    while start >= 0:
        end = start + len(quote)
        if any(a < end and start < b for a, b in spans):
            return True
        start = text.find(quote, start + 1)
    return False


def _check_sentence(record: Record, text: str, entry: object) -> list[str]:
    """What is wrong with one sentence entry, measured against the page's current text."""
    if not isinstance(entry, dict):
        return ["a sentence entry is a mapping (quote, result, check, ...)"]
    result, check = entry.get("result"), entry.get("check")
    quote, was = normalise(str(entry.get("quote", ""))), normalise(str(entry.get("was", "")))
    wrong = []
    if result not in RESULTS:
        wrong.append(f"result {result!r} is not one of {', '.join(RESULTS)}")
    if result != "removed" and check not in CHECKS:
        wrong.append(f"check {check!r} is not one of {', '.join(CHECKS)}")
    if result in ("changed", "removed") and not (was and entry.get("why")):
        wrong.append(f"a {result} sentence says what it was ('was') and why ('why')")
    if result == "removed":
        if was and was in text:
            wrong.append(f"the removed sentence is still on the page: {was[:80]!r}")
        return wrong
    if not quote:
        wrong.append("'quote' is empty")
    elif quote not in text:
        wrong.append(f"quote not found on the page (edit the page or the audit): {quote[:80]!r}")
    elif check == "fact" and not _overlaps_role(text, quote):
        wrong.append(f"check is 'fact' but the quote is not on a {{fact}} role: {quote[:80]!r}")
    if check == "according-to" and not entry.get("source"):
        wrong.append("an 'according-to' sentence names its 'source'")
    return wrong


def check_record(record: Record, docs: Path) -> list[Problem]:
    """Everything wrong with one record: its page, its commits, each sentence."""
    page = docs / record.page
    if not page.is_file():
        return [Problem(record.path, 1, f"page {record.page} does not exist")]
    problems = []
    for repo, commit in record.upstream.items():
        if not REPO.fullmatch(repo) or not COMMIT.fullmatch(commit):
            problems.append(
                Problem(record.path, 1, f"upstream {repo}: {commit} is not owner/name: 40-hex")
            )
    text = normalise(page.read_text(encoding="utf-8"))
    for entry in record.sentences:
        line = entry.get("__line__", 1) if isinstance(entry, dict) else 1
        problems += [Problem(record.path, line, m) for m in _check_sentence(record, text, entry)]
    return problems


def pages(docs: Path) -> list[str]:
    """Every page the audit must cover: the Markdown files of docs/ but templates."""
    return sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if not p.name.startswith("_template") and "_static" not in p.parts
    )


def pending(audit_dir: Path) -> set[str]:
    """Pages listed in ``pending.txt``: not audited yet, said openly (one page a line, # notes)."""
    path = audit_dir / PENDING
    if not path.is_file():
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("#", 1)[0].strip() for line in lines} - {""}


def check_tree(docs: Path, audit_dir: Path) -> tuple[list[Record], list[Problem]]:
    """Every record, and every problem: pages with no audit, audits with no page, bad entries.

    A page listed in ``pending.txt`` must have no record yet; every other page must have one."""
    records, problems = [], []
    waiting = pending(audit_dir)
    for page in sorted(waiting - set(pages(docs))):
        problems.append(Problem(audit_dir / PENDING, 1, f"lists {page}, which is not a page"))
    wanted = {audit_path(audit_dir, page): page for page in pages(docs) if page not in waiting}
    for path in sorted(audit_dir.rglob("*.yaml")):
        record, found = load(path)
        problems += found
        if record is None:
            continue
        if record.page in waiting:
            problems.append(Problem(path, 1, f"{record.page} is audited: drop it from {PENDING}"))
        elif wanted.get(path) != record.page:
            expected = audit_path(audit_dir, record.page)
            problems.append(
                Problem(path, 1, f"names page {record.page}, whose audit is {expected}")
            )
        problems += check_record(record, docs)
        records.append(record)
    audited = {r.path for r in records} | {p.path for p in problems}
    for path, page in sorted(wanted.items()):
        if path not in audited:
            problems.append(Problem(docs / page, 1, f"no audit record (expected {path})"))
    return records, sorted(problems)
