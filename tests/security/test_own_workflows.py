"""Our own CI passes the audit we run on conda-forge's: zizmor finds nothing in .github/."""

from __future__ import annotations

import re

import pytest

from infradocs.core.security import zizmor
from infradocs.core.siteconfig import ROOT

GITHUB = ROOT / ".github"
# Every workflow, including ones added later, and Dependabot's settings.
FILES = sorted([*GITHUB.glob("workflows/*.yml"), *GITHUB.glob("workflows/*.yaml")]) + sorted(
    GITHUB.glob("dependabot.y*ml")
)
SHA_PIN = re.compile(r"uses:\s*[\w.-]+/[\w./-]+@([0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$")


def _rel(path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_pinned_zizmor_finds_nothing_in_our_workflows() -> None:
    exe = zizmor.executable()
    if exe is None:
        pytest.fail("zizmor is not installed: `nox -s tests` installs it", pytrace=False)
    assert zizmor.version(exe) == "1.32.0", "run the zizmor pinned in requirements-security.txt"
    assert any("workflows/" in _rel(p) for p in FILES)
    result = zizmor.run(exe, {_rel(p): p.read_bytes() for p in FILES})
    assert result.problems == []
    found = [
        f"{path}:{f['line']}: {f['audit']} ({f['severity']}): {f['message']}"
        for path, items in sorted(result.findings.items())
        for f in items
    ]
    assert found == [], "zizmor found:\n" + "\n".join(found)


@pytest.mark.parametrize("path", FILES, ids=_rel)
def test_every_action_is_pinned_to_a_commit_with_its_release_named(path) -> None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(r"^\s*(-\s*)?uses:", line) and "uses: ./" not in line:
            assert SHA_PIN.search(line), f"{_rel(path)}:{number}: pin to a SHA with # vX.Y.Z"


def test_dependabot_updates_the_actions_and_the_python_pins() -> None:
    import yaml

    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert {"github-actions", "pip"} <= ecosystems
