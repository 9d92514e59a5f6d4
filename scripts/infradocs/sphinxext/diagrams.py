"""Sphinx extension: page links inside generated diagrams, diagram globs, and the drift report."""

from __future__ import annotations

import json
import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.console import colorize
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid

from infradocs.core.diagrams import neighbourhood_path
from infradocs.core.diagrams.graph import GROUP_TITLES
from infradocs.core.diagrams.mermaid import PLACEHOLDER
from infradocs.sphinxext import nodes as docnodes
from infradocs.sphinxext.loaded import loaded_model

logger = logging.getLogger(__name__)
DRIFT_ENV = "DOCS_DRIFT_WARNINGS"
DRIFT_COMMAND = "`nox -s diagrams -- --drift`"  # prints every disagreement
SVG_CLASS = "generated-svg"
LEGEND = "diagram-legend"  # the label of the legend on docs/diagrams/architecture.md
DRIFT_COLUMNS = ("Kind", "Component", "Repository", "Detail")
# Kinds made build warnings on request (DOCS_DRIFT_WARNINGS=1); the rest are counted only.
LINE_KINDS = {
    "curated-not-observed",
    "observed-not-curated",
    "inventory-missing",
    "inventory-problem",
}


def mermaid_node(code: str, alt: str) -> mermaid:
    """A sphinxcontrib-mermaid node for ``code``, built as its Mermaid directive builds one."""
    node = mermaid()
    node["code"] = code
    node["options"] = {}
    node["alt"] = alt
    return node


def _title(code: str, fallback: str) -> str:
    """The diagram's title: its second ``%%`` comment line, as the generator writes it."""
    lines = code.splitlines()
    return lines[1][2:].strip() if len(lines) > 1 and lines[1].startswith("%%") else fallback


def neighbourhood_nodes(directive: SphinxDirective, cid: str) -> list[nodes.Node]:
    """The component's neighbourhood diagram under a rubric (a warning if it is not generated)."""
    path = neighbourhood_path(cid, Path(directive.config.diagrams_dir))
    directive.env.note_dependency(str(path))
    if not path.exists():
        msg = f"{path} is missing: run `nox -s diagrams` and commit it"
        return [directive.state.document.reporter.warning(msg, line=directive.lineno)]
    code = path.read_text(encoding="utf-8")
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=LEGEND, refexplicit=True, refwarn=True
    )
    ref += nodes.inline("", "the legend")
    note = nodes.paragraph(
        "",
        "",
        nodes.Text(
            "What relates to this component is on the left, what it relates to on the right, "
            "grouped in boxes titled with how they relate; "
            "colours and arrows are explained in "
        ),
        ref,
        nodes.Text("."),
    )
    return [nodes.rubric("", "Neighbourhood"), mermaid_node(code, _title(code, cid)), note]


class GeneratedDiagrams(SphinxDirective):
    """``{generated-diagrams} <glob relative to the page>``: each matching .mmd under a rubric."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        _rel, pattern = self.env.relfn2path(self.arguments[0])
        files = _matches(pattern)
        # Sphinx re-reads a page with a folder dependency on every build: record the matches
        # instead, and _changed_globs re-reads the page when they differ.
        _page_record(self.env).setdefault("globs", {})[pattern] = [str(f) for f in files]
        if not files:
            raise self.error(f"no generated diagram matches {self.arguments[0]} ({pattern})")
        out: list[nodes.Node] = []
        for path in files:
            self.env.note_dependency(str(path))
            code = path.read_text(encoding="utf-8")
            title = _title(code, path.stem)
            out += [nodes.rubric("", title), mermaid_node(code, title)]
        return out


def _matches(pattern: str) -> list[Path]:
    """The files matching a ``{generated-diagrams}`` glob, sorted."""
    return sorted(Path(pattern).parent.glob(Path(pattern).name))


def _pages(env) -> dict[str, dict]:
    """Per page, what the directives recorded: ``globs`` (pattern: files) and ``drift``."""
    if not hasattr(env, "diagrams_pages"):
        env.diagrams_pages = {}
    return env.diagrams_pages


def _page_record(env) -> dict:
    return _pages(env).setdefault(env.docname, {})


def _changed_globs(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages whose diagram globs now match other files than when they were read."""
    return [
        doc
        for doc, record in sorted(_pages(env).items())
        if doc in env.all_docs
        and any(
            [str(f) for f in _matches(pat)] != files
            for pat, files in record.get("globs", {}).items()
        )
    ]


def _purge(app: Sphinx, env, docname: str) -> None:
    _pages(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    _pages(env).update({d: r for d, r in _pages(other).items() if d in docnames})


class GeneratedSvg(SphinxDirective):
    """``{generated-svg} <file relative to the page>``: a generated SVG inline (its page links
    resolved like the diagrams'); ``:phone: <file>`` adds the variant shown on narrow screens
    instead (site.css switches them)."""

    required_arguments = 1
    option_spec = {"phone": directives.unchanged_required}  # noqa: RUF012

    def run(self) -> list[nodes.Node]:
        files = [self.arguments[0], *([self.options["phone"]] if "phone" in self.options else [])]
        raws = []
        for name in files:
            _rel, path = self.env.relfn2path(name)
            self.env.note_dependency(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise self.error(f"cannot read {path}: {exc} (run `nox -s diagrams`)") from None
            raws.append(nodes.raw("", text, format="html", classes=[SVG_CLASS]))
        classes = [SVG_CLASS, *(["generated-svg-switch"] if len(raws) > 1 else [])]
        return [nodes.container("", *raws, classes=classes)]


MARKS = {"curated": "●", "both": "●", "extracted": "○"}
MATRIX_CLASS = "diagram-matrix"


def _read_json(directive: SphinxDirective, name: str, what: str) -> dict:
    """A generated JSON file of the diagrams folder (a dependency of the page)."""
    path = Path(directive.config.diagrams_dir) / name
    directive.env.note_dependency(str(path))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise directive.error(f"cannot read the {what} {path}: {exc}") from None


class TokenMatrix(SphinxDirective):
    """``{token-matrix}``: the generated token matrix (holders x tokens) as a table, each mark
    linked to its evidence, then the secret names no token component lists."""

    def run(self) -> list[nodes.Node]:
        matrix = _read_json(self, "token-matrix.json", "token matrix")
        cells = {(c["holder"], c["token"]): c for c in matrix["cells"]}

        def cell(found: dict, holder: dict) -> nodes.Node:
            mark = MARKS[found["origin"]]
            if not found["links"]:
                return nodes.paragraph("", mark)
            how = "from the CI files only" if found["origin"] == "extracted" else "evidence"
            tip = f"{holder['title']} holds {', '.join(found['names'])} ({how})"
            ref = nodes.reference("", mark, refuri=found["links"][0], reftitle=tip)
            return nodes.paragraph("", "", ref)

        table = _matrix_table("Holder", matrix["tokens"], matrix["holders"], cells, cell, True)
        out: list[nodes.Node] = [table]
        if matrix["loose"]:
            titles = {r["id"]: r for r in matrix["holders"]}
            para = nodes.paragraph("", "Secret names no token page lists: ")
            for n, item in enumerate(matrix["loose"]):
                para += nodes.literal("", item["name"])
                para += nodes.Text(" (")
                for m, h in enumerate(item["holders"]):
                    para += docnodes.doc_link(titles[h]["title"], titles[h]["page"])
                    para += nodes.Text(", " if m < len(item["holders"]) - 1 else ")")
                para += nodes.Text("; " if n < len(matrix["loose"]) - 1 else ".")
            out.append(para)
        return out


class GroupMatrix(SphinxDirective):
    """``{group-matrix}``: how each group relates to each other group, as a table (rows: the
    relating group; columns: the group related to; a cell: the relations' words)."""

    def run(self) -> list[nodes.Node]:
        matrix = _read_json(self, "group-matrix.json", "group matrix")
        cells = {(c["source"], c["target"]): c for c in matrix["cells"]}

        def cell(found: dict, _src: dict) -> nodes.Node:
            text = ", ".join(found["words"])
            return nodes.paragraph("", text + (" ○" if found["origin"] == "extracted" else ""))

        groups = matrix["groups"]
        return [_matrix_table("Group \u2192 group", groups, groups, cells, cell, False)]


def _matrix_table(
    corner: str, columns: list[dict], rows: list[dict], cells: dict, render, upright: bool
) -> nodes.table:
    """A table with linked column and row titles (``title``, ``page``); ``cells`` by (row id,
    column id), drawn by ``render(cell, row)``; a heading row wherever the rows' ``group``
    changes; ``upright``: column titles turned to read upwards over narrow columns."""
    table = nodes.table(classes=[MATRIX_CLASS] + (["diagram-matrix-upright"] if upright else []))
    group = nodes.tgroup(cols=len(columns) + 1)
    table += group
    group += nodes.colspec(colwidth=30)
    for _ in columns:
        group += nodes.colspec(colwidth=3 if upright else 12)
    head, row = nodes.thead(), nodes.row()
    row += nodes.entry("", nodes.paragraph("", corner))
    for col in columns:
        link = docnodes.doc_link(col["title"], col["page"])
        row += nodes.entry("", nodes.paragraph("", "", link), classes=["diagram-matrix-column"])
    head += row
    group += head
    body = nodes.tbody()
    current = None
    for item in rows:
        if item.get("group") and item["group"] != current:
            current = item["group"]
            heading = nodes.paragraph("", GROUP_TITLES.get(current, current))
            entry = nodes.entry(
                "", heading, morecols=len(columns), classes=["diagram-matrix-group"]
            )
            body += nodes.row("", entry)
        row = nodes.row()
        row += nodes.entry(
            "", nodes.paragraph("", "", docnodes.doc_link(item["title"], item["page"]))
        )
        for col in columns:
            found = cells.get((item["id"], col["id"]))
            row += nodes.entry("", render(found, item)) if found else nodes.entry()
        body += row
    group += body
    return table


def _load_drift(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class DriftReport(SphinxDirective):
    """``{drift-report}``: the drift report of the generated folder as counts and a table."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.config.diagrams_dir) / "drift.json"
        self.env.note_dependency(str(path))
        _page_record(self.env)["drift"] = True
        try:
            report = _load_drift(path)
        except (OSError, ValueError) as exc:
            raise self.error(f"cannot read the drift report {path}: {exc}") from None
        inv = report["inventory"]
        intro = nodes.paragraph(
            "",
            f"Inventory {inv['path']}: {inv['status']}, {inv['repos']} repositories. "
            + (
                "Differences by kind: "
                + ", ".join(f"{k} {v}" for k, v in report["counts"].items())
                + "."
                if report["counts"]
                else "No differences."
            ),
        )
        return [intro, self._table(report["items"])] if report["items"] else [intro]

    def _table(self, items: list[dict]) -> nodes.table:
        model = loaded_model(self.config) or {}
        table = nodes.table(classes=["drift-report"])
        group = nodes.tgroup(cols=len(DRIFT_COLUMNS))
        table += group
        for width in (15, 20, 20, 45):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        row = nodes.row()
        for name in DRIFT_COLUMNS:
            row += nodes.entry("", nodes.paragraph("", name))
        head += row
        group += head
        body = nodes.tbody()
        for item in items:
            row = nodes.row()
            cid = item.get("component")
            comp_cell = nodes.paragraph("", "—")
            if cid and cid in model:
                ref = docnodes.doc_link(model[cid].title, model[cid].page)
                comp_cell = nodes.paragraph("", "", ref)
            elif cid:
                comp_cell = nodes.paragraph("", cid)
            cells = [
                nodes.paragraph("", "", nodes.literal("", item["kind"])),
                comp_cell,
                nodes.paragraph("", item.get("repo", "—")),
                nodes.paragraph("", item["detail"]),
            ]
            for cell in cells:
                row += nodes.entry("", cell)
            body += row
        group += body
        return table


def _resolve_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn ``{{page:docname}}`` placeholders in diagrams into URLs relative to this page."""

    def resolver(node: nodes.Node):
        def repl(m):
            target = m.group(1)
            if target not in app.env.found_docs:
                logger.warning("diagram links to a missing page %r", target, location=node)
                return "#"
            # A page's link to itself is empty, which Mermaid rejects: use the page top.
            return app.builder.get_relative_uri(docname, target) or "#"

        return repl

    for node in doctree.findall(mermaid):
        node["code"] = PLACEHOLDER.sub(resolver(node), node["code"])
    for node in doctree.findall(nodes.raw):
        if SVG_CLASS in node["classes"]:
            text = PLACEHOLDER.sub(resolver(node), node.astext())
            node.children = [nodes.Text(text)]


def _zoom_js(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Pages with Mermaid diagrams load the vendored Panzoom and the zoom controls."""
    if doctree is not None and next(doctree.findall(mermaid), None) is not None:
        app.add_js_file("vendor/@panzoom/panzoom/panzoom.min.js", loading_method="defer")
        app.add_js_file("diagrams/zoom.js", loading_method="defer")


def _drift_warnings(app: Sphinx) -> None:
    """With DOCS_DRIFT_WARNINGS=1, each disagreement of LINE_KINDS is a build warning."""
    if os.environ.get(DRIFT_ENV) != "1":
        return
    path = Path(app.config.diagrams_dir) / "drift.json"
    try:
        report = _load_drift(path)
    except (OSError, ValueError) as exc:
        logger.warning("cannot read the drift report %s: %s", path, exc)
        return
    for item in report["items"]:
        if item["kind"] in LINE_KINDS:
            logger.warning(
                "drift: %s: %s", item["kind"], item["detail"], type="diagrams", subtype="drift"
            )


def _differences(n: int) -> str:
    return f"{n} difference" + ("" if n == 1 else "s")


def _drift_summary(app: Sphinx, exc: Exception | None) -> None:
    """One line at the end of the build: the counts by kind and where the details are."""
    path = Path(app.config.diagrams_dir) / "drift.json"
    try:
        report = _load_drift(path)
    except (OSError, ValueError):
        return  # _drift_warnings or the drift page's directive says why
    if exc is not None or not report["items"]:
        return
    counts = ", ".join(f"{k} {v}" for k, v in report["counts"].items())
    pages = [d for d, r in sorted(_pages(app.env).items()) if r.get("drift")]
    where = [str(Path(app.outdir, app.builder.get_target_uri(d))) for d in pages]
    logger.info(
        colorize(
            "darkred",
            f"drift: {_differences(len(report['items']))} between the model and the inventory "
            f"({counts}); details: {', '.join([*where, DRIFT_COMMAND])}",
        )
    )


def setup(app: Sphinx) -> dict:
    """Register the directives, the link resolver and the drift summary."""
    app.setup_extension("infradocs.sphinxext.settings")
    app.add_directive("generated-diagrams", GeneratedDiagrams)
    app.add_directive("drift-report", DriftReport)
    app.add_directive("token-matrix", TokenMatrix)
    app.add_directive("group-matrix", GroupMatrix)
    app.add_directive("generated-svg", GeneratedSvg)
    app.connect("doctree-resolved", _resolve_links)
    app.connect("env-get-outdated", _changed_globs)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("builder-inited", _drift_warnings)
    app.connect("build-finished", _drift_summary)
    app.connect("html-page-context", _zoom_js)
    # env_version: bumped when what the pages record in the environment (diagrams_pages) changes.
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
