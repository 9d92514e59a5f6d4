"""Parse conda-forge/infrastructure's Pulumi secret sync (GitHub Actions, Azure, Heroku) with
line numbers: each credential's store, visibility, holders and 1Password item title, never a value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from infradocs.core import git as gitcli
from infradocs.core.inventory import yamlnodes as yn

GHA = "sync-secrets-gha/Pulumi.yaml"
AZURE = "sync-secrets-azure/Pulumi.yaml"
HEROKU = "sync-secrets-heroku/Pulumi.yaml"
FILES = (GHA, AZURE, HEROKU)
STORES = {GHA: "github-actions", AZURE: "azure-variable-group", HEROKU: "heroku-config-var"}
REF = re.compile(r"^\$\{([A-Za-z0-9_.-]+?)\.([A-Za-z0-9_]+)\}$")


class _File:
    """One parsed Pulumi file: its variables and resources as nodes, and its problems."""

    def __init__(self, path: str, root: yaml.Node, problems: list[dict]) -> None:
        self.path = path
        self.problems = problems
        self.variables = self._unique(yn.get(root, "variables"), "variables")
        self.resources = self._unique(yn.get(root, "resources"), "resources")

    def problem(self, node: yaml.Node | None, message: str) -> None:
        """Record a problem at ``node``'s line (or the file's)."""
        line = yn.line(node) if node is not None else None
        self.problems.append({"path": self.path, "line": line, "message": message})

    def _unique(self, node: yaml.Node | None, section: str) -> dict[str, yaml.Node]:
        """The section's entries by name; a repeated name is a problem (the first one counts)."""
        out: dict[str, yaml.Node] = {}
        for key, knode, value in yn.items(node):
            if key in out:
                self.problem(knode, f"{section}: {key!r} is defined twice; the first one counts")
                continue
            out[key] = value
        return out

    def invoked(self, ref: yaml.Node | None, function: str, argument: str) -> tuple[str, str]:
        """(variable name, ``argument`` of its ``fn::invoke`` of ``function``) that a
        ``${variable.field}`` reference names; ("", "") after recording a problem."""
        text = yn.text(ref)
        match = REF.match(text.strip()) if text else None
        if match is None:
            self.problem(ref, f"expected a ${{variable.field}} reference, found {text!r}")
            return "", ""
        name = match.group(1)
        call = yn.get(self.variables.get(name), "fn::invoke")
        if name not in self.variables:
            self.problem(ref, f"{text} names no variable {name!r} of this file")
            return "", ""
        if yn.text(yn.get(call, "function")) != function:
            self.problem(ref, f"{text}: variable {name!r} does not call {function}")
            return "", ""
        value = yn.text(yn.get(yn.get(call, "arguments"), argument))
        if not value:
            self.problem(ref, f"{text}: variable {name!r} has no {argument} argument")
            return "", ""
        return name, value

    def item(self, ref: yaml.Node | None) -> str | None:
        """The 1Password item title a value reference comes from (never the value)."""
        return self.invoked(ref, "onepassword:getItem", "title")[1] or None


def read(root: str | Path, rel: str, rev: str = "HEAD") -> bytes:
    """``rel`` as committed at ``rev`` in the git repository ``root`` (its working tree when
    ``root`` is no repository); OSError when it has no such file."""
    try:
        return gitcli.read_file(root, rev, rel)
    except gitcli.GitError:
        if not gitcli.is_repository(root):
            return (Path(root) / rel).read_bytes()
    raise OSError(f"not in the repository at {rev}")


def parse(root: str | Path, rev: str = "HEAD") -> dict:
    """The sync as committed at ``rev`` in the clone ``root`` (see ``parse_files``)."""
    return parse_files(lambda rel: read(root, rel, rev))


def parse_files(reader: Callable[[str], bytes]) -> dict:
    """``{"credentials": [...], "problems": [...]}`` for the three files ``reader`` returns the
    bytes of (OSError when missing); a file that is missing or does not parse is a problem,
    and the others are still read."""
    credentials: list[dict] = []
    problems: list[dict] = []
    for rel, parser in ((GHA, _gha), (AZURE, _azure), (HEROKU, _heroku)):
        try:
            docs = yn.compose(reader(rel))
        except OSError as exc:
            problems.append({"path": rel, "line": None, "message": f"cannot read: {exc}"})
            continue
        except ValueError as exc:
            line = re.match(r"line (\d+): ", str(exc))
            problems.append(
                {"path": rel, "line": int(line.group(1)) if line else None, "message": str(exc)}
            )
            continue
        if len(docs) != 1 or not isinstance(docs[0], yaml.MappingNode):
            problems.append({"path": rel, "line": 1, "message": "not one YAML mapping"})
            continue
        credentials += parser(_File(rel, docs[0], problems))
    credentials.sort(key=lambda c: (c["name"], c["store"], c["path"], c["line"]))
    return {"credentials": credentials, "problems": problems}


def _credential(f: _File, name: str, node: yaml.Node, item: str | None, visibility: str) -> dict:
    return {
        "name": name,
        "store": STORES[f.path],
        "visibility": visibility,
        "item": item,
        "path": f.path,
        "line": yn.line(node),
        "holders": [],
    }


def _holder(f: _File, kind: str, name: str, node: yaml.Node, **extra: str) -> dict:
    return {"kind": kind, "name": name, **extra, "path": f.path, "line": yn.line(node)}


def _gha(f: _File) -> list[dict]:
    """Organisation secrets, and the repositories selected for each."""
    secrets: dict[str, dict] = {}
    lists: list[tuple[str, yaml.Node, yaml.Node]] = []
    for res, node in f.resources.items():
        kind = yn.text(yn.get(node, "type"))
        props = yn.get(node, "properties")
        if kind == "github:ActionsOrganizationSecret":
            name_node = yn.get(props, "secretName")
            name = yn.text(name_node)
            vis_node = yn.get(props, "visibility")
            visibility = yn.text(vis_node)
            if not name or visibility not in ("all", "selected", "private"):
                f.problem(node, f"{res}: needs secretName and visibility all/selected/private")
                continue
            ref = yn.get(props, "value") or yn.get(props, "encryptedValue")
            cred = _credential(f, name, name_node, f.item(ref), visibility)
            secrets[res] = cred
            if yn.get(props, "selectedRepositoryIds") is not None:
                lists.append((res, name_node, yn.get(props, "selectedRepositoryIds")))
        elif kind == "github:ActionsOrganizationSecretRepositories":
            ref = yn.get(props, "secretName")
            match = REF.match((yn.text(ref) or "").strip())
            if match is None or match.group(2) != "secretName":
                f.problem(ref or node, f"{res}: secretName is not ${{<secret>.secretName}}")
                continue
            lists.append((match.group(1), ref, yn.get(props, "selectedRepositoryIds")))
    for target, ref, ids in lists:
        cred = secrets.get(target)
        if cred is None:
            f.problem(ref, f"names no github:ActionsOrganizationSecret resource {target!r}")
            continue
        if not isinstance(ids, yaml.SequenceNode):
            f.problem(ref, f"{cred['name']}: selectedRepositoryIds is not a list")
            continue
        for entry in ids.value:
            full = f.invoked(entry, "github:getRepository", "fullName")[1]
            if full:
                cred["holders"].append(_holder(f, "repository", full, entry))
    return list(secrets.values())


def _azure(f: _File) -> list[dict]:
    """Variables of each Azure DevOps variable group (project as the item naming its id)."""
    out = []
    for res, node in f.resources.items():
        if yn.text(yn.get(node, "type")) != "azuredevops:VariableGroup":
            continue
        props = yn.get(node, "properties")
        group = yn.text(yn.get(props, "name"))
        project = f.invoked(yn.get(props, "projectId"), "onepassword:getItem", "title")[1]
        variables = yn.get(props, "variables")
        if not group or not project or not isinstance(variables, yaml.SequenceNode):
            f.problem(node, f"{res}: needs name, projectId and a variables list")
            continue
        for var in variables.value:
            name_node = yn.get(var, "name")
            if not yn.text(name_node):
                f.problem(var, f"{res}: a variable without a name")
                continue
            ref = yn.get(var, "secretValue") or yn.get(var, "value")
            cred = _credential(f, yn.text(name_node) or "", name_node, f.item(ref), "selected")
            cred["holders"].append(
                _holder(f, "variable-group", group, yn.get(props, "name"), project=project)
            )
            out.append(cred)
    return out


def _heroku(f: _File) -> list[dict]:
    """Sensitive config vars of each Heroku app."""
    out = []
    for node in f.resources.values():
        if yn.text(yn.get(node, "type")) != "heroku:app:ConfigAssociation":
            continue
        props = yn.get(node, "properties")
        app_ref = yn.get(props, "appId")
        app = f.invoked(app_ref, "heroku:app/getApp:getApp", "name")[1]
        if not app:
            continue
        for section in ("sensitiveVars", "vars"):
            for key, knode, value in yn.items(yn.get(props, section)):
                cred = _credential(f, key, knode, f.item(value), "selected")
                cred["holders"].append(_holder(f, "heroku-app", app, app_ref))
                out.append(cred)
    return out
