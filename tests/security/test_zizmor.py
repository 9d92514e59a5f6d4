import pytest

from infradocs.core.security import zizmor

PINS = b"""\
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@main
      - uses: conda-forge/setup@master
      - uses: thirdparty/tool@main
      - uses: thirdparty/tool@v2
      - uses: thirdparty/tool@0123456789abcdef0123456789abcdef01234567
      - uses: ./local
  b:
    uses: other/reusable/.github/workflows/x.yml@develop
"""

EXE = zizmor.executable()
needs_zizmor = pytest.mark.skipif(EXE is None, reason="zizmor is not installed (pip install)")


@needs_zizmor
def test_findings_per_file_and_bad_file_does_not_stop_the_rest():
    result = zizmor.run(
        EXE, {".github/workflows/pins.yml": PINS, ".github/workflows/bad.yml": b"on: [push\n"}
    )
    found = result.findings[".github/workflows/pins.yml"]
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
    result = zizmor.run(None, {"a.yml": PINS})
    assert result.problems == [("a.yml", "zizmor is not installed; workflow not audited")]
    assert zizmor.version(None) is None
    assert zizmor.version(str(tmp_path / "nope")) is None


WORKFLOW_WRITES = b"""\
on: push
permissions:
  contents: write
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo a
  b:
    runs-on: ubuntu-latest
    steps:
      - run: echo b
"""


def _lines(result: zizmor.Result, path: str, audit: str) -> list[tuple[int, str, str]]:
    return sorted(
        (f["line"], f["severity"], f["confidence"])
        for f in result.findings.get(path, [])
        if f["audit"] == audit
    )


@needs_zizmor
def test_our_config_wants_a_sha_except_for_the_organisations_own_actions():
    """Branch pins of third-party actions (the old third-party-branch-pin) are still found."""
    result = zizmor.run(EXE, {"w/pins.yml": PINS})
    assert result.problems == []
    # 6 actions/checkout@main, 8 thirdparty@main, 9 thirdparty@v2, 13 reusable@develop;
    # not 7 (conda-forge may pin its own actions by ref), 10 (a SHA) nor 11 (local)
    assert [ln for ln, *_ in _lines(result, "w/pins.yml", "unpinned-uses")] == [6, 8, 9, 13]
    assert set(_lines(result, "w/pins.yml", "unpinned-uses")) == {
        (ln, "high", "high") for ln in (6, 8, 9, 13)
    }


@needs_zizmor
def test_write_permissions_at_workflow_level_and_default_permissions_are_found():
    result = zizmor.run(EXE, {"w/writes.yml": WORKFLOW_WRITES, "w/pins.yml": PINS})
    assert _lines(result, "w/writes.yml", "excessive-permissions") == [(3, "high", "high")]
    # no permissions: block anywhere: the workflow and each job get the default token
    assert _lines(result, "w/pins.yml", "excessive-permissions") == [
        (ln, "medium", "medium") for ln in (1, 3, 12)
    ]
