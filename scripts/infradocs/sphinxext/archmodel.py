"""Sphinx extension: the ``component`` directive renders a page's summary block from the model."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from infradocs.core.archmodel.claims import parse
from infradocs.core.archmodel.facts import coverage
from infradocs.core.archmodel.load import Model, ModelError, load_model
from infradocs.core.archmodel.permalinks import permalink
from infradocs.core.archmodel.terms import split_terms
from infradocs.sphinxext.archmodel_summary import summary_table
from infradocs.sphinxext.diagrams import neighbourhood_nodes
from infradocs.sphinxext.loaded import keep_model, loaded_model
from infradocs.sphinxext.settings import kept_folder

logger = logging.getLogger(__name__)


def _model(env) -> Model:
    model = loaded_model(env.config)
    assert model is not None  # loaded at config-inited, or the build stopped
    return model


class ComponentDirective(SphinxDirective):
    """``{component} <id>``: the summary block of the component with that id."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        cid = self.arguments[0]
        model = _model(self.env)
        model_dir = Path(self.config.archmodel_dir)
        for path in sorted(model_dir.glob("*.yaml")):
            self.env.note_dependency(str(path))
        if cid not in model:
            raise self.error(f"component {cid!r} is not in the model ({model_dir}/*.yaml)")
        comp = model[cid]
        if self.env.docname != comp.page:
            raise self.error(
                f"component {cid!r} must be documented at docs/{comp.page}.md "
                f"(from its group and status in {comp.where}), not here"
            )
        pages = self.env.archmodel_pages = getattr(self.env, "archmodel_pages", {})
        if self.env.docname in pages:
            raise self.error("a page documents one component: a second component directive")
        pages[self.env.docname] = cid
        target = nodes.target("", "", ids=[f"component-{cid}"])
        own, mentioned = split_terms(comp, model)
        anchor = f"component-{cid}"
        index = addnodes.index(
            entries=[("single", t, anchor, "main", None) for t in own]
            + [("single", t, anchor, "", None) for t in mentioned]
        )
        meta = nodes.meta(name="keywords", content=", ".join(own + mentioned))
        return [index, target, meta, summary_table(comp, model), *neighbourhood_nodes(self, cid)]


class FactRole(SphinxRole):
    """``{fact}`claim <{repo: o/r, path: p, contains: x}>```: a prose claim with its evidence.

    Rendered as a link to the evidence at its verified commit; ``evidence verify`` checks it."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        here = next((c for c in _model(self.env) if c.page == self.env.docname), None)
        claim, problems = parse(self.text, here.get("repo") if here else None)
        if claim is None:
            for problem in problems:
                logger.warning("{fact} role: %s", problem, location=self.get_location())
            return [nodes.literal(self.rawtext, self.text)], []
        ver = claim.fields.get("verified") or {}
        if claim.kind == "unverifiable":
            url, title = claim.fields["source"], f"not checkable: {claim.fields['unverifiable']}"
        else:
            path = None if claim.kind == "archived" else claim.fields["path"]
            url = permalink(claim.fields["repo"], path, ver.get("commit"), ver.get("line"))
            title = (
                f"verified against {claim.fields['repo']}@{ver['commit'][:7]} on {ver['date']}"
                if ver
                else "not yet verified"
            )
        node = nodes.reference(self.rawtext, claim.text, refuri=url, classes=["fact-claim"])
        node["reftitle"] = title
        return [node], []


def _title_matches(app: Sphinx, doctree: nodes.document) -> None:
    """The page's first heading must be the component's title from the model."""
    cid = getattr(app.env, "archmodel_pages", {}).get(app.env.docname)
    if cid is None:
        return
    section = doctree.next_node(nodes.section)
    title = section[0].astext() if section else ""
    want = _model(app.env)[cid].title
    if title != want:
        logger.warning(
            "page title %r differs from the model's title %r for component %s",
            title,
            want,
            cid,
            location=(app.env.docname, section.line if section else None),
        )


def _purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "archmodel_pages", {}).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:
    pages = env.archmodel_pages = getattr(env, "archmodel_pages", {})
    pages.update({d: c for d, c in getattr(other, "archmodel_pages", {}).items() if d in docnames})


def _check_coverage(app: Sphinx, env) -> None:
    """Every model component has a page whose summary block names it."""
    documented = set(getattr(env, "archmodel_pages", {}).values())
    for comp in _model(env):
        if comp.id not in documented:
            logger.warning(
                "%s: component %s has no page: add docs/%s.md with a {component} %s directive",
                comp.where,
                comp.id,
                comp.page,
                comp.id,
            )


def _check_evidence(app: Sphinx, env) -> None:
    """Every structured fact carries evidence (``archmodel_require_evidence``)."""
    if not app.config.archmodel_require_evidence:
        return
    for fact in coverage(_model(env)).missing:
        logger.warning(
            "%s: component %s: fact %r has no evidence: add an evidence: item "
            "(docs/contributing/evidence.md)",
            fact.where,
            fact.component,
            fact.selector,
            type="archmodel",
            subtype="evidence",
        )


def _load(app: Sphinx, config) -> None:
    try:
        cache = kept_folder(app.doctreedir)
        keep_model(config, load_model(Path(config.archmodel_dir), cache))
    except ModelError as exc:
        raise ExtensionError("the architecture model has problems:\n" + str(exc)) from None


def setup(app: Sphinx) -> dict:
    """Register the directive and the model checks."""
    app.setup_extension("infradocs.sphinxext.settings")  # archmodel_dir
    app.connect("config-inited", _load)
    app.add_directive("component", ComponentDirective)
    app.connect("doctree-read", _title_matches)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_coverage)
    # Evidence (issue 13): facts without it warn; {fact} claims in prose.
    app.add_config_value("archmodel_require_evidence", True, "env", types=[bool])
    app.add_role("fact", FactRole())
    app.connect("env-check-consistency", _check_evidence)
    return {
        "version": "1",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 2,
    }
