"""Build the docutils nodes of a component's summary block from its model entry."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes

from infradocs.core.archmodel.kinds import KIND_LABELS
from infradocs.core.archmodel.load import Component, Model
from infradocs.core.archmodel.permalinks import permalink, pin, stamps
from infradocs.core.archmodel.phrases import phrase
from infradocs.sphinxext import nodes as docnodes


def _text(value: str) -> nodes.Node:
    return nodes.Text(value)


_link = docnodes.link


def _doc_ref(comp: Component, text: str | None = None) -> addnodes.pending_xref:
    """A cross-reference to a component's page (checked by the strict build)."""
    return docnodes.doc_link(text or comp.title, comp.page)


def _joined(items: list[nodes.Node]) -> nodes.paragraph:
    para = nodes.paragraph()
    for i, item in enumerate(items):
        if i:
            para += _text(", ")
        para += item
    return para


def _literal_list(values: list[str]) -> nodes.paragraph:
    return _joined([nodes.literal(v, v) for v in values])


def _relations(comp: Component, model: Model) -> nodes.Node:
    lst = nodes.bullet_list()
    for rel in sorted(comp.get("relations", []), key=lambda r: (r["type"], r["target"])):
        item = nodes.paragraph()
        item += nodes.emphasis("", phrase(rel["type"], from_token=comp.kind == "token"))
        item += _text(" ")
        item += _doc_ref(model[rel["target"]])
        if rel.get("label"):
            item += _text(f" ({rel['label']})")
        lst += nodes.list_item("", item)
    return lst


def _incoming(comp: Component, model: Model) -> nodes.Node:
    lst = nodes.bullet_list()
    pairs = sorted(
        (other.id, rel["type"])
        for other in model
        for rel in other.get("relations", [])
        if rel["target"] == comp.id
    )
    for other_id, rtype in pairs:
        item = nodes.paragraph()
        item += _doc_ref(model[other_id])
        item += _text(" ")
        item += nodes.emphasis("", phrase(rtype, from_token=model[other_id].kind == "token"))
        item += _text(" this")
        lst += nodes.list_item("", item)
    return lst


def _verified(comp: Component) -> nodes.Node:
    """Per source repository: "verified against owner/repo@abc1234 on DATE", with the files read."""
    lst = nodes.bullet_list(classes=["component-verified"])
    for stamp in stamps(comp.evidence):
        item = nodes.paragraph()
        item += _text("verified against ")
        item += nodes.literal("", f"{stamp.repo}@{stamp.commit[:7]}")
        item += _text(f" on {stamp.date}: ")
        files = sorted(stamp.files.items())
        for i, (path, line) in enumerate(files):
            item += _text(", " if i else "")
            item += _link(
                path + (f"#L{line}" if line else ""),
                permalink(stamp.repo, path, stamp.commit, line),
            )
        lst += nodes.list_item("", item)
    unverifiable = [ev for ev in comp.evidence if ev.kind == "unverifiable"]
    for ev in unverifiable:
        item = nodes.paragraph()
        item += _text(f"{ev.fact}: not checkable ({ev.fields['unverifiable']}); source: ")
        item += _link(ev.fields["source"], ev.fields["source"])
        lst += nodes.list_item("", item)
    if lst.children:
        return lst
    return nodes.paragraph("", "recorded, not yet verified" if comp.evidence else "—")


def rows(comp: Component, model: Model) -> list[tuple[str, nodes.Node]]:
    """The (field name, value node) rows of the summary, in a fixed order; absent fields say so."""
    none = nodes.paragraph("", "—")
    by_repo = {s.repo: s for s in stamps(comp.evidence)}
    out: list[tuple[str, nodes.Node]] = [
        ("Kind", nodes.paragraph("", KIND_LABELS[comp.kind])),
        ("Status", nodes.paragraph("", comp.status)),
        ("Owner", nodes.paragraph("", "", _doc_ref(model[comp.owner]))),
        (
            "Source repository",
            nodes.paragraph("", "", _link(comp.repo, f"https://github.com/{comp.repo}"))
            if comp.get("repo")
            else none.deepcopy(),
        ),
        (
            "Runs on",
            nodes.paragraph("", comp.get("runs_on")) if comp.get("runs_on") else none.deepcopy(),
        ),
        (
            "Triggers",
            nodes.paragraph("", "; ".join(comp.get("triggers")))
            if comp.get("triggers")
            else none.deepcopy(),
        ),
        (
            "Credentials (names)",
            _literal_list(comp.get("credentials")) if comp.get("credentials") else none.deepcopy(),
        ),
        ("Talks to", _relations(comp, model) if comp.get("relations") else none.deepcopy()),
        ("Reached from", _incoming(comp, model)),
        (
            "Documentation",
            _joined([_link(d["title"], d["url"]) for d in comp.get("docs", [])])
            if comp.get("docs")
            else none.deepcopy(),
        ),
        (
            "Dashboards",
            _joined([_link(d["title"], d["url"]) for d in comp.get("dashboards", [])])
            if comp.get("dashboards")
            else none.deepcopy(),
        ),
        ("Sources", _joined([_link(d["title"], pin(d["url"], by_repo)) for d in comp.sources])),
        ("Evidence", _verified(comp)),
    ]
    if not out[8][1].children:
        out[8] = ("Reached from", none.deepcopy())
    if comp.status == "retired":
        ret = comp.retired
        para = nodes.paragraph("", f"{ret['when']} — {ret['why']}")
        if ret.get("replaced_by"):
            para += _text(" Replaced by ")
            para += _doc_ref(model[ret["replaced_by"]])
            para += _text(".")
        out.insert(2, ("Retired", para))
    return out


def summary_table(comp: Component, model: Model) -> nodes.table:
    """The summary block as a two-column table with the class ``component-summary``."""
    table = nodes.table(classes=["component-summary", f"component-{comp.status}"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=25)
    group += nodes.colspec(colwidth=75)
    body = nodes.tbody()
    group += body
    title = nodes.title("", comp.summary)
    table.insert(0, title)
    for name, value in rows(comp, model):
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph("", name))
        row += nodes.entry("", value)
        body += row
    return table
