import pytest

from security import zizmor

GOOD = b"""\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
"""

EXE = zizmor.executable()
needs_zizmor = pytest.mark.skipif(EXE is None, reason="zizmor is not installed (pip install)")


@needs_zizmor
def test_findings_per_file_and_bad_file_does_not_stop_the_rest():
    result = zizmor.run(
        EXE, {".github/workflows/good.yml": GOOD, ".github/workflows/bad.yml": b"on: [push\n"}
    )
    found = result.findings[".github/workflows/good.yml"]
    by_audit = {f["audit"]: f for f in found}
    assert by_audit["artipacked"]["line"] == 6
    assert by_audit["artipacked"]["tool"] == "zizmor"
    assert by_audit["artipacked"]["severity"] in ("low", "medium", "high")
    assert ".github/workflows/bad.yml" not in result.findings
    [(path, message)] = result.problems
    assert path == ".github/workflows/bad.yml" and "zizmor failed" in message
    assert "backtrace" not in message.lower()


@needs_zizmor
def test_version():
    assert zizmor.version(EXE) == "1.32.0"


def test_missing_zizmor_is_a_problem_per_file(tmp_path):
    result = zizmor.run(None, {"a.yml": GOOD})
    assert result.problems == [("a.yml", "zizmor is not installed; workflow not audited")]
    assert zizmor.version(None) is None
    assert zizmor.version(str(tmp_path / "nope")) is None
