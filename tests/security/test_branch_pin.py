import pytest

from security import branch_pin

WF = b"""\
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


def test_flags_only_third_party_branch_pins_with_lines():
    found = branch_pin.check(WF, frozenset({"conda-forge"}))
    assert [(f["line"], f["audit"], f["severity"]) for f in found] == [
        (8, "third-party-branch-pin", "high"),
        (13, "third-party-branch-pin", "high"),
    ]
    assert "'main'" in found[0]["message"] and "thirdparty/tool" in found[0]["message"]


def test_org_owner_not_trusted_unless_given():
    assert len(branch_pin.check(WF)) == 3


def test_bad_yaml_raises_with_line():
    with pytest.raises(ValueError, match="line 3: invalid YAML"):
        branch_pin.check(b"on: push\njobs: [\n")
