"""Docutils tables of the inventory: providers, workflows, secrets, services, snapshot note."""

from __future__ import annotations

from collections import defaultdict

from docutils import nodes

from infradocs.core.inventory.cronwords import describe
from infradocs.core.inventory.extract import COMMON_READS, READERS
from infradocs.core.inventory.locate import DIRS, ROOT_FILES
from infradocs.sphinxext import nodes as docnodes


def _table(
    headers: list[str], rows: list[list[str | nodes.Node]], widths: list[int]
) -> nodes.table:
    return docnodes.table(headers, rows, widths, ["inventory-table"])


def _repo_link(name: str) -> nodes.Node:
    return docnodes.link(name, f"https://github.com/{name}")


def _literals(values: list[str]) -> nodes.Node:
    para = nodes.inline()
    for i, v in enumerate(values):
        if i:
            para += nodes.Text(", ")
        para += nodes.literal(v, v)
    return para if values else nodes.Text("—")


def providers(doc: dict) -> nodes.Node:
    """Repositories per CI provider."""
    by: dict[str, list[str]] = defaultdict(list)
    for repo in doc["repos"]:
        for p in repo["ci_providers"]:
            by[p].append(repo["name"])
    rows = [[p, str(len(names)), ", ".join(names)] for p, names in sorted(by.items())]
    return _table(["CI provider", "Count", "Repositories"], rows, [20, 8, 72])


def _words(text: str) -> nodes.inline:
    """Text with its `backticked` parts as literals."""
    out = nodes.inline()
    for i, part in enumerate(text.split("`")):
        if part:
            out += nodes.literal(part, part) if i % 2 else nodes.Text(part)
    return out


def readers(doc: dict) -> list[nodes.Node]:
    """What the extractor reads from each CI provider's files, from its own provider table."""
    files: dict[str, list[str]] = defaultdict(list)
    for path, provider in ROOT_FILES.items():
        files[provider].append(path)
    for folder, provider in DIRS.items():
        files[provider].append(f"{folder}/*.y*ml")
    rows = []
    for provider, reader in sorted(READERS.items()):
        if not reader.parsed:
            what: str | nodes.Node = "Nothing inside: the file's presence only."
        else:
            what = _words(reader.reads or "Only what every parsed file gives.")
        rows.append([provider, _literals(sorted(files[provider])), what])
    intro = nodes.paragraph()
    intro += nodes.Text("From every file it parses, the extractor reads ")
    intro += _words(COMMON_READS)
    intro += nodes.Text(". Beyond that:")
    return [intro, _table(["CI provider", "Files", "What the extractor reads"], rows, [18, 30, 52])]


def _triggers(wf: dict) -> str:
    parts = [t for t in wf["triggers"] if t != "schedule"]
    parts += [describe(s) for s in wf["schedules"]]
    return "; ".join(parts) or "—"


def workflows(doc: dict) -> nodes.Node:
    """Workflows per repository with triggers and schedules in plain words."""
    rows = []
    for repo in doc["repos"]:
        for wf in repo["workflows"]:
            title = wf["name"] or "—"
            rows.append(
                [
                    _repo_link(repo["name"]),
                    nodes.literal(wf["path"], wf["path"]),
                    wf["provider"],
                    title,
                    _triggers(wf),
                ]
            )
    return _table(
        ["Repository", "File", "Provider", "Name", "Runs on (events, schedule)"],
        rows,
        [22, 26, 14, 18, 20],
    )


def secrets(doc: dict) -> nodes.Node:
    """Which repositories use which secret names (never values)."""
    by: dict[str, list[str]] = defaultdict(list)
    for repo in doc["repos"]:
        for s in repo["secrets"]:
            by[s].append(repo["name"])
    rows = [[nodes.literal(s, s), ", ".join(names)] for s, names in sorted(by.items())]
    return _table(["Secret name", "Repositories"], rows, [35, 65])


def services(doc: dict) -> nodes.Node:
    """Delivery and deployment services per repository, with evidence."""
    rows = []
    for repo in doc["repos"]:
        for svc in repo["services"]:
            ev = [f"{e['path']}:{e['line']}" if e["line"] else e["path"] for e in svc["evidence"]]
            shown = ev[:3] + ([f"and {len(ev) - 3} more"] if len(ev) > 3 else [])
            rows.append([_repo_link(repo["name"]), svc["name"], _literals(shown)])
    return _table(["Repository", "Service", "Evidence (file:line)"], rows, [30, 18, 52])


def snapshot(doc: dict) -> list[nodes.Node]:
    """When the snapshot was taken, and from which commit of each repository."""
    gen = doc.get("generated") or {}
    para = nodes.paragraph()
    count = len(doc["repos"])
    para += nodes.Text(
        f"Snapshot of {count} repositories taken at {gen.get('at', 'an unknown time')}"
        " from these commits:"
    )
    items = nodes.bullet_list()
    for src in gen.get("sources", []):
        item = nodes.list_item()
        p = nodes.paragraph()
        p += _repo_link(src["name"])
        commit = src["commit"]
        if commit:
            p += nodes.Text(" at ")
            p += nodes.reference(
                "",
                commit[:12],
                internal=False,
                refuri=f"https://github.com/{src['name']}/commit/{commit}",
            )
            p += nodes.Text(f", committed {src.get('date') or 'on an unrecorded date'}")
        item += p
        items += item
    return [para, items]
