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
