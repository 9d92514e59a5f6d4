"""The one package's shape: layers imported only downward, no private names across
subpackages, nothing that edits the import path, no harness code shipped."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scripts" / "infradocs"
HARNESS_WORDS = re.compile(r"bench|synth|standin|stand_in|workflowrun|emulat", re.IGNORECASE)


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--no-cache"], cwd=root, capture_output=True, text=True, check=False
    )


def test_import_linter_contracts_are_kept():
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 kept, 0 broken" in proc.stdout


def test_import_linter_catches_an_upward_import(tmp_path):
    """The contracts are live: a core module importing a Sphinx extension breaks them."""
    copy = tmp_path / "repo"
    (copy / "scripts").mkdir(parents=True)
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy / "scripts")], check=True)
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    bad = copy / "scripts" / "infradocs" / "core" / "redact" / "__init__.py"
    bad.write_text(bad.read_text() + "\nfrom infradocs.sphinxext import nodes  # noqa\n")
    env_root = str(copy / "scripts")
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": env_root, "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "infradocs.core.redact -> infradocs.sphinxext.nodes" in proc.stdout


def _group(module: str) -> str:
    """The subpackage a module belongs to: ``infradocs.core.X``, ``infradocs.sphinxext``, ..."""
    parts = module.split(".")
    return ".".join(parts[:3]) if len(parts) > 2 and parts[1] == "core" else ".".join(parts[:2])


def private_imports(root: Path) -> list[str]:
    """``from infradocs.X import _name`` where X is another subpackage than the importer's."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("infradocs"):
                for alias in node.names:
                    if alias.name.startswith("_") and _group(node.module) != _group(module):
                        found.append(f"{rel}.py:{node.lineno} {alias.name}")
    return found


def test_no_private_name_is_imported_across_subpackages():
    assert private_imports(PACKAGE) == []


def test_the_private_import_check_finds_one(tmp_path):
    pkg = tmp_path / "infradocs"
    (pkg / "core" / "a").mkdir(parents=True)
    (pkg / "core" / "b").mkdir(parents=True)
    (pkg / "core" / "a" / "x.py").write_text("from infradocs.core.b.y import _hidden\n")
    (pkg / "core" / "a" / "z.py").write_text("from infradocs.core.a.x import _same_package\n")
    assert private_imports(pkg) == ["infradocs/core/a/x.py:1 _hidden"]


def test_nothing_edits_the_import_path():
    found = []
    for path in [ROOT / "conf.py", ROOT / "noxfile.py", *sorted(PACKAGE.rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if "sys.path.insert" in text or "sys.path.append" in text:
            found.append(name)
        # versions/build.py builds other checkouts, each with its own scripts/ first.
        if "PYTHONPATH" in text and name != "scripts/infradocs/core/versions/build.py":
            found.append(name)
    assert found == []


def test_no_workflow_or_nox_session_sets_pythonpath():
    for path in [ROOT / "noxfile.py", *(ROOT / ".github" / "workflows").glob("*.yml")]:
        assert "PYTHONPATH" not in path.read_text(encoding="utf-8"), path


def test_no_harness_module_ships():
    names = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")]
    assert [str(n) for n in names if HARNESS_WORDS.search(str(n))] == []


def test_no_module_imports_itself_through_others():
    """No import cycle between any two modules of the package, function-level imports
    included (only imports under ``TYPE_CHECKING`` are left out: they never run)."""
    import grimp

    graph = grimp.build_graph("infradocs", exclude_type_checking_imports=True)
    cycles = [
        (module, target)
        for module in sorted(graph.modules)
        for target in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=target, imported=module)
    ]
    assert cycles == []
