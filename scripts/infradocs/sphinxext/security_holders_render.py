"""Who holds each credential of a token page, and its visibility: rendered from the inventory
snapshot's secret sync, joined with the workflows that reference it (never typed by hand)."""

from __future__ import annotations

from docutils import nodes

from infradocs.core.archmodel.permalinks import permalink
from infradocs.sphinxext.nodes import link

CLASS = "token-holders"  # the rendered block (left out by the hand-typed-holder rule)
STORES = {
    "github-actions": "GitHub Actions organisation secret",
    "azure-variable-group": "Azure Pipelines variable group variable",
    "heroku-config-var": "Heroku config var",
}
VISIBILITY = {
    "all": "all repositories of the organisation",
    "private": "all private repositories of the organisation",
    "selected": "only the holders listed",
}


def holdings(doc: dict, names: list[str]) -> dict:
    """For the secret ``names``: each one's sync entries and workflow references, and the
    repositories that could not be read which would matter for them."""
    sync = doc.get("secret_sync") or {"credentials": [], "references": [], "commit": None}
    unread = {u["name"]: u["reason"] for u in doc.get("unread", [])}
    commits = {r["name"]: r["commit"] for r in doc.get("repos", [])}
    out = []
    missing: dict[str, str] = {}
    for name in names:
        creds = [c for c in sync["credentials"] if c["name"] == name]
        refs = [r for r in sync.get("references", []) if r["secret"] == name]
        for cred in creds:
            if cred["store"] == "github-actions" and cred["visibility"] != "selected":
                missing |= unread
            for holder in cred["holders"]:
                if holder["name"] in unread:
                    missing[holder["name"]] = unread[holder["name"]]
        out.append({"name": name, "synced": creds, "refs": refs})
    return {
        "secrets": out,
        "sync_commit": sync.get("commit"),
        "sync_repo": sync.get("repo", "conda-forge/infrastructure"),
        "commits": commits,
        "unread": dict(sorted(missing.items())),
    }


def _para(*parts: nodes.Node | str) -> nodes.paragraph:
    para = nodes.paragraph()
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def _workflows(refs: list[dict], commits: dict[str, str | None]) -> list[nodes.Node]:
    """Links to each workflow line, comma-separated."""
    out: list[nodes.Node] = []
    for i, ref in enumerate(refs):
        out.append(nodes.Text(", " if i else ""))
        label = ref["path"].rsplit("/", 1)[-1] + (f":{ref['line']}" if ref["line"] else "")
        out.append(
            link(label, permalink(ref["repo"], ref["path"], commits.get(ref["repo"]), ref["line"]))
        )
    return out


def _synced(cred: dict, refs: list[dict], data: dict) -> nodes.list_item:
    """One sync entry: store, visibility, item, and each holder with its workflows."""
    sync = (data["sync_repo"], data["sync_commit"])
    where = link(
        f"{cred['path']}:{cred['line']}", permalink(*sync[:1], cred["path"], sync[1], cred["line"])
    )
    head = _para(
        nodes.literal(cred["name"], cred["name"]),
        f": {STORES[cred['store']]}; visibility ",
        nodes.strong(cred["visibility"], cred["visibility"]),
        f" ({VISIBILITY[cred['visibility']]})" if cred["store"] == "github-actions" else "",
        "; from the 1Password item ",
        nodes.literal(cred["item"] or "?", cred["item"] or "?"),
        " (",
        where,
        ")",
    )
    item = nodes.list_item("", head)
    holders = nodes.bullet_list()
    for holder in cred["holders"]:
        label = holder["name"]
        if holder.get("project"):
            label += f" (project: the id in 1Password item {holder['project']})"
        line = link(
            f"{holder['path']}:{holder['line']}",
            permalink(sync[0], holder["path"], sync[1], holder["line"]),
        )
        para = _para(
            f"{holder['kind'].replace('-', ' ')} ", nodes.strong(label, label), " (", line, ")"
        )
        if holder["kind"] == "repository":
            own = [r for r in refs if r["repo"] == holder["name"]]
            if own:
                para += nodes.Text(": workflows ")
                para += _workflows(own, data["commits"])
            elif holder["name"] in data["unread"]:
                para += nodes.Text(f": not read here ({data['unread'][holder['name']]})")
            else:
                para += nodes.Text(": no inventoried workflow references it")
        holders += nodes.list_item("", para)
    if holders.children:
        item += holders
    return item


def _others(name: str, refs: list[dict], data: dict, held: set[str]) -> list[nodes.Node]:
    """The workflows that reference ``name`` in repositories the sync does not list."""
    others = [r for r in refs if r["repo"] not in held]
    if not others:
        return []
    lst = nodes.bullet_list()
    for repo in sorted({r["repo"] for r in others}):
        own = [r for r in others if r["repo"] == repo]
        lst += nodes.list_item(
            "", _para(nodes.strong(repo, repo), ": ", *_workflows(own, data["commits"]))
        )
    lead = (
        " is also referenced in repositories the secret sync does not name (archived ones, "
        "or any repository where the secret is visible to all):"
        if held
        else " is referenced by workflows in:"
    )
    return [_para(nodes.literal(name, name), lead), lst]


def render(data: dict) -> nodes.container:
    """The "Who holds it" block of a token page."""
    box = nodes.container(classes=[CLASS])
    box += nodes.rubric("", "Who holds it")
    lst = nodes.bullet_list()
    rest: list[nodes.Node] = []
    for secret in data["secrets"]:
        held = {
            h["name"] for c in secret["synced"] for h in c["holders"] if h["kind"] == "repository"
        }
        for cred in secret["synced"]:
            lst += _synced(cred, secret["refs"], data)
        if not secret["synced"]:
            name = secret["name"]
            note = " is not in the secret sync of conda-forge/infrastructure"
            lst += nodes.list_item("", _para(nodes.literal(name, name), note))
        rest += _others(secret["name"], secret["refs"], data, held)
    box += lst
    box += rest
    if data["unread"]:
        names = "; ".join(f"{n} ({why})" for n, why in data["unread"].items())
        box += _para(
            "The lists of workflows may be incomplete: these repositories could not be read "
            f"here: {names}."
        )
    return box
