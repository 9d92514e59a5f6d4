from infradocs.core.security import pinning


def test_kinds():
    assert pinning.kind("actions/checkout@" + "a" * 40) == "sha"
    assert pinning.kind("actions/checkout@v4") == "tag"
    assert pinning.kind("o/r@v1.2.3") == "tag"
    assert pinning.kind("o/r@release-1.0") == "tag"
    assert pinning.kind("o/r/sub@main") == "branch"
    assert pinning.kind("o/r@feature/x") == "branch"
    assert pinning.kind("o/r") == "unpinned"
    assert pinning.kind("./local") == "local"
    assert pinning.kind("docker://alpine:3") == "docker"


def test_split():
    assert pinning.split("o/r/p@ref") == ("o/r/p", "ref")
