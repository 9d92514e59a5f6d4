"""Sphinx extension: ``{security-posture} PART`` and ``{token-map}`` from the inventory snapshot."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from infradocs.core.archmodel.load import Model, cached_model
from infradocs.core.security.history import previous_version
from infradocs.core.security.posture import posture
from infradocs.core.security.tokens import token_map
from infradocs.sphinxext import security_holders as holdersext
from infradocs.sphinxext import security_tables as rst
from infradocs.sphinxext.loaded import loaded_model
from infradocs.sphinxext.settings import committed_snapshot, kept_folder, snapshot_doc

PARTS = ("snapshot", "severity", "audits", "worst", "trends", "findings")


@cache
def _data(path: str, mtime: float, kept: Path) -> tuple[dict, dict]:
    """(posture, inventory) of the snapshot, trends against its previous committed version."""
    doc = snapshot_doc(Path(path), kept)
    previous, commit = previous_version(Path(path))
    data = posture(doc, previous)
    data["previous_commit"] = commit
    return data, doc


def load(path: Path, kept: Path) -> tuple[dict, dict]:
    """Posture and inventory for ``path``, computed once per build process and file version
    (the schema's findings kept in the folder ``kept``)."""
    return _data(str(path), path.stat().st_mtime if path.exists() else 0.0, kept)


class _Base(SphinxDirective):
    def snapshot(self) -> tuple[dict, dict]:
        path = committed_snapshot(self.config)
        self.env.note_dependency(str(path))
        try:
            return load(path, kept_folder(self.env.doctreedir))
        except ValueError as exc:
            raise self.error(str(exc)) from None


class PostureDirective(_Base):
    """``{security-posture} snapshot|severity|audits|worst|trends|findings``."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0]
        if part not in PARTS:
            raise self.error(f"unknown part {part!r}; one of {', '.join(PARTS)}")
        data, _ = self.snapshot()
        return getattr(self, f"_{part}")(data)

    def _snapshot(self, data: dict) -> list[nodes.Node]:
        snap = data["snapshot"]
        if not snap["enriched"]:
            text = (
                "This snapshot has not been audited yet: run `nox -s security -- SOURCE...` "
                "to add zizmor's and our findings to it."
            )
            return [nodes.warning("", nodes.paragraph(text, text))]
        tools = ", ".join(f"{k} {v or '(missing)'}" for k, v in sorted(snap["tools"].items()))
        text = (
            f"{snap['findings']} findings in {snap['workflows']} CI files of {snap['repos']} "
            f"repositories; snapshot taken {snap['generated_at'] or 'at an unknown time'}, "
            f"audited {snap['audited_at']} with {tools}."
        )
        return [nodes.paragraph(text, text)]

    def _severity(self, data: dict) -> list[nodes.Node]:
        rows = [[rst.severity(s), str(n)] for s, n in data["by_severity"].items()]
        return [rst.table(["Severity", "Findings"], rows, [30, 20], "sec-severity")]

    def _audits(self, data: dict) -> list[nodes.Node]:
        sevs = list(data["by_severity"])
        rows = [
            [
                nodes.literal(a["audit"], a["audit"]),
                a["tool"],
                *(a["counts"][s] for s in sevs),
                a["total"],
            ]
            for a in data["by_audit"]
        ]
        if not rows:
            return [nodes.paragraph("", "No findings.")]
        heads = ["Audit", "Tool", *(s.capitalize() for s in sevs), "Total"]
        return [rst.table(heads, rows, [30, 12, 10, 10, 10, 10, 10], "sec-audits")]

    def _worst(self, data: dict) -> list[nodes.Node]:
        sevs = list(data["by_severity"])
        rows = [
            [
                rst.link(
                    r["repo"], f"https://github.com/{r['repo']}" if "/" in r["repo"] else None
                ),
                *(r["counts"][s] for s in sevs),
                r["total"],
            ]
            for r in data["worst_repos"]
        ]
        if not rows:
            return [nodes.paragraph("", "No findings.")]
        heads = ["Repository", *(s.capitalize() for s in sevs), "Total"]
        return [rst.table(heads, rows, [40, 10, 10, 10, 10, 10], "sec-worst")]

    def _trends(self, data: dict) -> list[nodes.Node]:
        trend = data["trends"]
        if trend is None:
            text = (
                "No earlier snapshot of the inventory in this checkout's history to compare with."
            )
            return [nodes.paragraph(text, text)]
        commit = (data["previous_commit"] or "")[:12]
        text = (
            f"Compared with the previous snapshot (commit {commit}, taken "
            f"{data['previous_generated_at'] or 'at an unknown time'}): "
            f"{trend['total_before']} → {trend['total_after']} findings, "
            f"{trend['new_count']} new, {trend['fixed_count']} gone."
        )
        rows = [
            [nodes.literal(a["audit"], a["audit"]), a["before"], a["after"], f"{a['delta']:+d}"]
            for a in trend["by_audit"]
            if a["delta"] or a["after"]
        ]
        out: list[nodes.Node] = [nodes.paragraph(text, text)]
        if rows:
            heads = ["Audit", "Before", "Now", "Change"]
            out.append(rst.table(heads, rows, [40, 15, 15, 15], "sec-trends"))
        return out

    def _findings(self, data: dict) -> list[nodes.Node]:
        rows = []
        for f in data["findings"]:
            where = f"{f['path']}:{f['line']}" if f["line"] else f["path"]
            rows.append(
                [
                    rst.severity(f["severity"]),
                    f["confidence"],
                    nodes.literal(f["audit"], f["audit"]),
                    f["repo"],
                    rst.link(where, f["url"]),
                    f["message"],
                ]
            )
        if not rows:
            return [nodes.paragraph("", "No findings.")]
        heads = ["Severity", "Confidence", "Audit", "Repository", "File and line", "What"]
        return [rst.table(heads, rows, [8, 8, 14, 18, 22, 30], "sec-findings")]


class TokenMapDirective(_Base):
    """``{token-map}``: secret names, their users, what they reach, who rotates them."""

    def model(self) -> Model:
        """The curated model from ``archmodel_dir``: the archmodel extension's when it is loaded."""
        model_dir = Path(self.config.archmodel_dir)
        for path in sorted(model_dir.glob("*.yaml")):
            self.env.note_dependency(str(path))
        loaded = loaded_model(self.config)
        return loaded if loaded is not None else cached_model(model_dir)

    def run(self) -> list[nodes.Node]:
        _, doc = self.snapshot()
        model = self.model()
        rows = []
        for t in token_map(doc, model):
            users = []
            for r in t["repos"]:
                span = nodes.inline()
                span += rst.link(
                    r["repo"], f"https://github.com/{r['repo']}" if "/" in r["repo"] else None
                )
                span += nodes.Text(" (")
                span += rst.joined(
                    [rst.link(w["path"].rsplit("/", 1)[-1], w["url"]) for w in r["workflows"]]
                )
                span += nodes.Text(")")
                users.append(span)
            token = (
                rst.doc_link(t["token"]["title"], t["token"]["page"])
                if t["token"]
                else nodes.Text("not in the curated model")
            )
            rows.append(
                [
                    nodes.literal(t["secret"], t["secret"]),
                    token,
                    rst.joined(
                        [rst.doc_link(x["title"], x["page"]) for x in t["reaches"]], "unknown"
                    ),
                    rst.doc_link(t["owner"]["title"], t["owner"]["page"])
                    if t["owner"]
                    else nodes.Text("unknown"),
                    rst.joined([nodes.Text(h) for h in t["holders"]], "not declared"),
                    rst.joined(users, "none in this snapshot"),
                ]
            )
        heads = [
            "Secret name",
            "Token",
            "Reaches",
            "Rotated by",
            "Meant for",
            "Used by (workflows)",
        ]
        return [rst.table(heads, rows, [16, 14, 14, 12, 14, 30], "sec-tokens")]


def setup(app: Sphinx) -> dict:
    """Register the directives; the snapshot and model settings are their extensions'."""
    app.setup_extension("infradocs.sphinxext.settings")
    app.add_directive("security-posture", PostureDirective)
    app.add_directive("token-map", TokenMapDirective)
    holdersext.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
