"""Sphinx extension: record every external URL with its file and line; check internal links.

During the build, each page's external URLs go to ``<doctreedir>/links.json`` (for
``python -m infradocs.cli.links check``). When the build finishes, every relative link, image and
#anchor
of the built HTML is checked offline; each broken one is a warning (an error with -W).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.nodes import get_node_line

from infradocs.core.links import incremental
from infradocs.core.links.config import ConfigError, load
from infradocs.core.links.internal import Problem, is_relative, parse

logger = logging.getLogger(__name__)
RECORD = "links.json"
CHECK_STATE = "links-internal.json"  # the internal check's results, kept between builds
EXTERNAL_SCHEMES = ("http://", "https://")


def _line(node: nodes.Node) -> int | None:
    try:
        return get_node_line(node) or None
    except ValueError:
        return None


def _uris(node: nodes.Element) -> list[str]:
    """The link targets a doctree node carries (references, images, raw HTML)."""
    if isinstance(node, nodes.reference):
        if "refuri" in node:
            return [node["refuri"]]
        if node.get("refid"):
            return ["#" + node["refid"]]
    elif isinstance(node, nodes.image):
        uri = node.get("candidates", {}).get("?") or node.get("uri", "")
        return [uri] if "://" in uri else []
    elif isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
        return parse(node.astext()).links
    return []


def collect(doctree: nodes.document) -> tuple[list[list], dict[str, int | None]]:
    """External ``[url, line]`` pairs and internal ``{href: first line}`` of a resolved doctree."""
    external: dict[tuple[str, int | None], None] = {}
    internal: dict[str, int | None] = {}
    for node in doctree.findall(nodes.Element):
        for uri in _uris(node):
            if uri.startswith(EXTERNAL_SCHEMES):
                external[(uri, _line(node))] = None
            elif uri and is_relative(uri):
                internal.setdefault(uri, _line(node))
    return [list(k) for k in external], internal


def record_path(app: Sphinx) -> Path:
    """Where the build writes its record of links."""
    return Path(app.doctreedir) / RECORD


def _is_html(app: Sphinx) -> bool:
    return getattr(app.builder, "format", "") == "html"


def _init(app: Sphinx) -> None:
    app.links_docs = {}  # the pages resolved in this build
    app.links_purged = False  # whether a page changed or went away since the last record


def _purge(app: Sphinx, env, docname: str) -> None:
    app.links_purged = True


def _record(app: Sphinx) -> dict:
    """Every page's links: the last record's, updated with this build's pages."""
    docs: dict = {}
    path = record_path(app)
    if path.is_file():
        try:
            docs = json.loads(path.read_text(encoding="utf-8")).get("docs", {})
        except (OSError, ValueError) as exc:
            logger.info("links: starting a new %s (%s)", path, exc)
    docs.update(app.links_docs)
    return {d: docs[d] for d in sorted(docs) if d in app.env.all_docs}


def _doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if not _is_html(app):
        return
    external, internal = collect(doctree)
    source = os.path.relpath(app.env.doc2path(docname), app.confdir)
    app.links_docs[docname] = {
        "source": Path(source).as_posix(),
        "external": external,
        "internal": internal,
    }


def _outfile(app: Sphinx, docname: str) -> str:
    get = getattr(app.builder, "get_outfilename", None)
    path = Path(get(docname)) if get else Path(app.outdir, docname + ".html")
    return path.relative_to(app.outdir).as_posix()


def report(app: Sphinx, problems: list[Problem], docs: dict) -> None:
    """Warn for each problem: at its source line when known (from ``docs``, every page's
    links), else once per distinct fault."""
    page_doc = {_outfile(app, d): d for d in docs}
    unplaced: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        doc = page_doc.get(p.page)
        lines = docs.get(doc, {}).get("internal", {})
        if doc is not None and p.href in lines:
            logger.warning(
                "broken link %r: %s",
                p.href,
                p.reason,
                location=(doc, lines[p.href]),
                type="links",
                subtype="internal",
            )
        else:
            unplaced[p.reason].append(p)
    for reason, group in unplaced.items():
        first = group[0]
        where = page_doc.get(first.page)
        more = f" (and {len(group) - 1} more pages)" if len(group) > 1 else ""
        logger.warning(
            "broken link %r in the page template or generated page %s%s: %s",
            first.href,
            first.page,
            more,
            reason,
            location=where or str(Path(app.outdir, first.page)),
            type="links",
            subtype="internal",
        )


def _finish(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or not _is_html(app):
        return
    path = record_path(app)
    docs = None
    if app.links_docs or app.links_purged or not path.is_file():  # else the record holds
        docs = _record(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "confdir": str(app.confdir), "docs": docs}
        path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    if not app.config.links_check_internal:
        return
    try:
        settings = load(app.config.links_config or None)
    except ConfigError as err:
        logger.warning("%s", err, type="links", subtype="config")
        return
    start = time.perf_counter()
    # Only pages whose HTML or link targets changed since the last build are checked again.
    outcome = incremental.check(
        Path(app.outdir),
        Path(app.doctreedir) / CHECK_STATE,
        settings.internal.ignore,
        settings.internal.skip_dirs,
    )
    if outcome.problems:
        report(app, outcome.problems, _record(app) if docs is None else docs)
    logger.info(
        "links: %d internal links checked in %.2fs (%d of %d pages again), %d broken; "
        "external URLs recorded in %s",
        outcome.checked,
        time.perf_counter() - start,
        outcome.rechecked,
        outcome.pages,
        len(outcome.problems),
        path,
    )


def setup(app: Sphinx) -> dict:
    """Register the extension."""
    app.add_config_value("links_config", "", "", types=frozenset({str}))
    app.add_config_value("links_check_internal", True, "", types=frozenset({bool}))
    app.connect("builder-inited", _init)
    app.connect("doctree-resolved", _doctree_resolved)
    app.connect("env-purge-doc", _purge)
    app.connect("build-finished", _finish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
