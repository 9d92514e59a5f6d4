"""Every command line runs as ``python -m infradocs.cli.NAME``: each module ends with a
``__main__`` guard (without one, ``python -m`` would do nothing and exit 0)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "scripts" / "infradocs" / "cli"


def _guarded(path: Path) -> bool:
    """Whether the module has a top-level ``if __name__ == "__main__":``."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        test = getattr(node, "test", None)
        if isinstance(node, ast.If) and isinstance(test, ast.Compare):
            names = [test.left, *test.comparators]
            if any(isinstance(n, ast.Name) and n.id == "__name__" for n in names) and any(
                isinstance(n, ast.Constant) and n.value == "__main__" for n in names
            ):
                return True
    return False


def test_every_command_line_has_a_main_guard() -> None:
    modules = sorted(p for p in CLI.glob("*.py") if p.name != "__init__.py")
    assert len(modules) > 10
    assert [p.name for p in modules if not _guarded(p)] == []


def test_a_command_line_runs_as_a_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "infradocs.cli.links", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("usage:"), proc.stderr[-2000:]


def test_the_guard_check_finds_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        'def main():\n    pass\n\n\nif "__main__" == __name__:\n    main()\n'
    )
    (tmp_path / "b.py").write_text("def main():\n    pass\n")
    assert _guarded(tmp_path / "a.py") and not _guarded(tmp_path / "b.py")


def _python_targets(tree: ast.AST) -> list[list[str]]:
    """The literal arguments after ``"python"`` of every ``session.run("python", ...)``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run":
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if args[:1] == ["python"]:
                found.append(args[1:])
    return found


def test_every_nox_session_runs_a_module_or_file_that_exists() -> None:
    """A session that names a moved module or script fails here, not when someone runs it."""
    import importlib.util

    root = CLI.parents[2]
    targets = _python_targets(ast.parse((root / "noxfile.py").read_text(encoding="utf-8")))
    assert len(targets) > 10
    missing = [
        t
        for t in targets
        if (
            importlib.util.find_spec(t[1]) is None
            if t[:1] == ["-m"]
            else not (root / t[0]).exists()
        )
    ]
    assert missing == []


def test_every_workflow_runs_a_module_that_exists() -> None:
    import importlib.util
    import re

    root = CLI.parents[2]
    modules = {
        m
        for wf in (root / ".github" / "workflows").glob("*.yml")
        for m in re.findall(r"python3? -m ([\w.]+)", wf.read_text(encoding="utf-8"))
    }
    assert any(m.startswith("infradocs.cli.") for m in modules)
    assert sorted(m for m in modules if importlib.util.find_spec(m) is None) == []
