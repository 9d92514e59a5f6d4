"""Sphinx extension: page links inside generated diagrams, diagram globs, and the drift report."""

from __future__ import annotations

import json
import os
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.console import colorize
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid

from . import GENERATED, neighbourhood_path
from .mermaid import PLACEHOLDER

logger = logging.getLogger(__name__)
DRIFT_ENV = "DOCS_DRIFT_WARNINGS"
SVG_CLASS = "generated-svg"
LEGEND = "diagram-legend"  # the label of the legend on docs/diagrams/architecture.md
DRIFT_COLUMNS = ("Kind", "Component", "Repository", "Detail")
# Kinds printed one per line (and made warnings on request); the rest are counted only.
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
        msg = f"{path} is missing: run `nox -s diagrams` (python -m diagrams) and commit it"
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
            "What relates to this component is on the left, what it relates to on the right; "
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
        folder = Path(pattern).parent
        files = sorted(folder.glob(Path(pattern).name))
        self.env.note_dependency(str(folder))
        if not files:
            raise self.error(f"no generated diagram matches {self.arguments[0]} ({pattern})")
        out: list[nodes.Node] = []
        for path in files:
            self.env.note_dependency(str(path))
            code = path.read_text(encoding="utf-8")
            title = _title(code, path.stem)
            out += [nodes.rubric("", title), mermaid_node(code, title)]
        return out


class GeneratedSvg(SphinxDirective):
    """``{generated-svg} <file relative to the page>``: a generated SVG inline (its page links
    resolved like the diagrams'), in a box that scrolls sideways on narrow screens."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        _rel, path = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise self.error(f"cannot read {path}: {exc} (run `nox -s diagrams`)") from None
        raw = nodes.raw("", text, format="html", classes=[SVG_CLASS])
        return [nodes.container("", raw, classes=[SVG_CLASS])]


def _load_drift(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class DriftReport(SphinxDirective):
    """``{drift-report}``: the drift report of the generated folder as counts and a table."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.config.diagrams_dir) / "drift.json"
        self.env.note_dependency(str(path))
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
        model = getattr(self.env.app, "archmodel", None) or {}
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
                ref = addnodes.pending_xref(
                    "",
                    refdomain="std",
                    reftype="doc",
                    reftarget=f"/{model[cid].page}",
                    refexplicit=True,
                    refwarn=True,
                )
                ref += nodes.inline("", model[cid].title)
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


def _report_drift(app: Sphinx) -> None:
    """Print disagreements one per line and a count per kind; build warnings only on request."""
    path = Path(app.config.diagrams_dir) / "drift.json"
    try:
        report = _load_drift(path)
    except (OSError, ValueError) as exc:
        logger.warning("cannot read the drift report %s: %s", path, exc)
        return
    strict = os.environ.get(DRIFT_ENV) == "1"
    for item in report["items"]:
        if item["kind"] not in LINE_KINDS:
            continue
        if strict:
            logger.warning(
                "drift: %s: %s", item["kind"], item["detail"], type="diagrams", subtype="drift"
            )
        else:
            logger.info(colorize("darkred", f"drift warning: {item['kind']}: {item['detail']}"))
    if report["items"]:
        counts = ", ".join(f"{k} {v}" for k, v in report["counts"].items())
        hint = "" if strict else f"; {DRIFT_ENV}=1 makes disagreements build warnings"
        logger.info(colorize("darkred", f"drift report {path}: {counts}{hint}"))


def setup(app: Sphinx) -> dict:
    """Register the directives, the link resolver and the drift summary."""
    app.add_config_value("diagrams_dir", str(GENERATED), "env", types=[str])
    app.add_directive("generated-diagrams", GeneratedDiagrams)
    app.add_directive("drift-report", DriftReport)
    app.add_directive("generated-svg", GeneratedSvg)
    app.connect("doctree-resolved", _resolve_links)
    app.connect("builder-inited", _report_drift)
    app.connect("html-page-context", _zoom_js)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
