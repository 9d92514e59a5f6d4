"""Load and check the model files in diagrams/model/*.yaml, reporting problems by file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from infradocs.core import buildcache, schemacheck
from infradocs.core.archmodel import facts as _facts
from infradocs.core.archmodel.facts import (
    Evidence,
    Fact,
    component_evidence,
    component_facts,
    duplicate_keys,
    normalize,
)
from infradocs.core.schemacheck import Checker
from infradocs.core.siteconfig import INSTALLED

MODEL_DIR = INSTALLED.model
SCHEMA_PATH = Path(__file__).with_name("schema.json")
SCHEMA = json.loads(SCHEMA_PATH.read_text())
OWNER_KINDS = {"team", "organization"}
# libyaml's loader: every build loads the model, and the pure-Python one took 0.24 s of it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ModelError(Exception):
    """One or more problems in the model, each as ``file:line: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Component:
    """One component of the model, with the file and line that define it."""

    data: dict
    file: Path
    line: int
    facts: tuple[Fact, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    def __getattr__(self, name: str):
        if name.startswith("__"):  # pickle looks up its hooks before ``data`` is set
            raise AttributeError(name)
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default=None):
        """A field's value, or ``default`` when the entry does not set it."""
        return self.data.get(name, default)

    @property
    def page(self) -> str:
        """The docname of the page that documents this component."""
        if self.data["status"] == "retired":
            return f"retired/{self.data['id']}"
        return f"reference/{self.data['group']}/{self.data['id']}"

    @property
    def where(self) -> str:
        """``file:line`` of the entry, for messages."""
        return f"{self.file}:{self.line}"


@dataclass
class Model:
    """All components by id, in id order."""

    components: dict[str, Component] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.components[k] for k in sorted(self.components))

    def __getitem__(self, cid: str) -> Component:
        return self.components[cid]

    def __contains__(self, cid: str) -> bool:
        return cid in self.components


def _node_at(node: yaml.Node, path) -> yaml.Node:
    """The deepest YAML node along ``path`` (keys and indexes), for a line number."""
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key]
        else:
            break
    return node


def load_file(path: Path) -> tuple[list[Component], list[str]]:
    """Parse and schema-check one model file; return its components and its problems."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=_LOADER)
        data = yaml.load(text, Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read: {exc}"]
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        return [], [f"{path}:{line}: invalid YAML: {exc.problem}"]
    normalize(data)
    problems = [
        f"{path}:{again}: duplicate key {key!r} (first at line {first}; YAML would keep the last)"
        for key, first, again in duplicate_keys(root)
    ]
    if problems:
        return [], problems
    for at, message in sorted(_checker().errors(data), key=lambda e: list(map(str, e[0]))):
        node = _node_at(root, at) if root is not None else None
        line = node.start_mark.line + 1 if node is not None else 1
        where = "/".join(map(str, at)) or "(top)"
        problems.append(f"{path}:{line}: {where}: {message}")
    if problems:
        return [], problems
    items = _node_at(root, ["components"]).value
    comps = []
    for entry, node in zip(data["components"], items, strict=True):
        evidence, probs = component_evidence(entry, node, path)
        problems += probs
        facts = tuple(component_facts(entry, node, path))
        comps.append(Component(entry, path, node.start_mark.line + 1, facts, tuple(evidence)))
    return comps, problems


@cache
def _checker() -> Checker:
    return Checker(SCHEMA)


def check(model: Model) -> list[str]:
    """Cross-entry checks: relation targets, owners and replacements name real components."""
    problems = []
    for comp in model:
        owner = model.components.get(comp.owner)
        if owner is None or owner.kind not in OWNER_KINDS:
            problems.append(
                f"{comp.where}: {comp.id}: owner {comp.owner!r} is not a team in the model"
            )
        for rel in comp.get("relations", []):
            if rel["target"] not in model:
                problems.append(
                    f"{comp.where}: {comp.id}: {rel['type']} target {rel['target']!r}"
                    " is not in the model"
                )
        repl = comp.get("retired", {}).get("replaced_by")
        if repl and repl not in model:
            problems.append(f"{comp.where}: {comp.id}: replaced_by {repl!r} is not in the model")
    return problems


def _code() -> str:
    """The hash of the code that derives components from a model file."""
    return buildcache.code_hash(
        [Path(__file__), Path(_facts.__file__), Path(schemacheck.__file__), SCHEMA_PATH]
    )


def load_file_kept(path: Path, folder: Path, code: str) -> tuple[list[Component], list[str]]:
    """``load_file``, its components kept in ``folder`` under the hash of the file and of the
    code; a file without problems is parsed and checked once, a file with problems every time."""
    try:
        raw = path.read_bytes()
    except OSError:
        return load_file(path)
    key = buildcache.key(str(path), raw, code)
    kept = buildcache.get(folder, str(path), key)
    if kept is not None:
        return kept, []
    comps, problems = load_file(path)
    try:
        unchanged = path.read_bytes() == raw  # not edited while it was parsed
    except OSError:
        unchanged = False
    if not problems and unchanged:
        buildcache.put(folder, str(path), key, comps)
    return comps, problems


def load_model(model_dir: Path = MODEL_DIR, cache: Path | None = None) -> Model:
    """Load every ``*.yaml`` in ``model_dir``; raise ModelError listing every problem found.

    With ``cache`` (a folder), each file's components are kept there (``load_file_kept``)."""
    model, problems = Model(), []
    code = None if cache is None else _code()
    for path in sorted(model_dir.glob("*.yaml")):
        comps, probs = load_file(path) if code is None else load_file_kept(path, cache, code)
        problems += probs
        for comp in comps:
            if comp.id in model:
                problems.append(
                    f"{comp.where}: duplicate id {comp.id!r} (first at {model[comp.id].where})"
                )
            else:
                model.components[comp.id] = comp
    problems += check(model)
    if problems:
        raise ModelError(problems)
    return model


@cache
def cached_model(model_dir: Path = MODEL_DIR) -> Model:
    """The model, loaded once per process."""
    return load_model(model_dir)
