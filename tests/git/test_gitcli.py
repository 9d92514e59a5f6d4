"""The one git module (gitcli) on real repositories made in temporary folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from infradocs.core import git as gitcli

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_DATE": "2026-03-04T05:06:07Z",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a neutral configuration; return stdout, stripped."""
    proc = subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True, check=True)
    return proc.stdout.decode().strip()


def make_repo(path: Path, files: dict[str, bytes]) -> Path:
    """A repository at ``path`` with ``files`` in one commit."""
    path.mkdir(parents=True)
    for rel, data in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_bytes(data)
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "init", "--allow-empty")
    return path


@pytest.fixture(params=["cli", "pygit2"], autouse=True)
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs on the git CLI alone and with pygit2 reading objects (where installed)."""
    if request.param == "pygit2":
        pytest.importorskip("pygit2")
    monkeypatch.setenv("GITCLI_PYGIT2", "1" if request.param == "pygit2" else "0")
    return request.param


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(
        tmp_path / "repo",
        {
            "a.yml": b"a: 1\n",
            "big.yml": b"x" * 100,
            "dir/b.yml": b"b: 2\n",
            "dir/deep/c.yml": b"c\n",
            "odd*name.yml": b"literal\n",
        },
    )


def test_ls_tree_lists_named_paths_folder_children_and_recursively(repo: Path) -> None:
    named = gitcli.ls_tree(repo, "HEAD", ["a.yml", "dir/", "missing.yml"])
    assert [(e.path, e.type) for e in named] == [
        ("a.yml", "blob"),
        ("dir/b.yml", "blob"),
        ("dir/deep", "tree"),
    ]
    assert named[0].mode == "100644" and named[0].oid == git(repo, "rev-parse", "HEAD:a.yml")
    # Paths are literal: "odd*name.yml" names one file, never a pattern.
    assert [e.path for e in gitcli.ls_tree(repo, "HEAD", ["*.yml"])] == []
    assert [e.path for e in gitcli.ls_tree(repo, "HEAD", ["odd*name.yml"])] == ["odd*name.yml"]
    everything = [e.path for e in gitcli.ls_tree(repo, "HEAD", recursive=True)]
    assert everything == ["a.yml", "big.yml", "dir/b.yml", "dir/deep/c.yml", "odd*name.yml"]


def test_cat_objects_reads_blobs_in_one_batch_with_a_size_cap(repo: Path) -> None:
    oids = {e.path: e.oid for e in gitcli.ls_tree(repo, "HEAD", recursive=True)}
    missing = "0" * 40
    names = [oids["a.yml"], oids["big.yml"], missing, "HEAD:dir/deep/c.yml", oids["a.yml"]]
    got = gitcli.cat_objects(repo, names, max_bytes=50)
    assert got == {
        oids["a.yml"]: gitcli.Object("blob", 5, b"a: 1\n"),
        oids["big.yml"]: gitcli.Object("blob", 100, None),  # over the cap: size, no bytes
        "HEAD:dir/deep/c.yml": gitcli.Object("blob", 2, b"c\n"),
    }
    assert gitcli.cat_objects(repo, [oids["big.yml"]])[oids["big.yml"]].data == b"x" * 100
    assert gitcli.cat_objects(repo, []) == {}


def test_read_file_and_commit_queries(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    assert gitcli.read_file(repo, "HEAD", "dir/b.yml") == b"b: 2\n"
    assert gitcli.rev_parse(repo, "main") == head
    assert gitcli.has_commit(repo, head) and not gitcli.has_commit(repo, "1" * 40)
    assert not gitcli.has_commit(repo, git(repo, "rev-parse", "HEAD:a.yml"))  # a blob
    assert gitcli.check_objects(repo, ["HEAD^{tree}", "nope"]) == {
        "HEAD^{tree}": (git(repo, "rev-parse", "HEAD^{tree}"), "tree")
    }
    assert gitcli.commit_time(repo, head) == 1772600767  # 2026-03-04T05:06:07Z
    assert gitcli.is_repository(repo) and gitcli.is_repository(repo / ".git")
    assert not gitcli.is_repository(repo.parent)


def test_default_commit_prefers_origin_head(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    gitcli.clone(repo.as_uri(), clone, config={"advice.detachedHead": "false"})
    upstream = git(repo, "rev-parse", "HEAD")
    git(clone, "commit", "-q", "--allow-empty", "-m", "local work")
    assert gitcli.default_commit(clone) == upstream != git(clone, "rev-parse", "HEAD")
    assert gitcli.default_commit(repo) == upstream  # no origin: HEAD
    assert gitcli.remote_head(repo.as_uri()) == upstream
    empty = tmp_path / "empty"
    git(tmp_path, "init", "-q", str(empty))
    assert gitcli.default_commit(empty) is None


def test_missing_object_error_names_repository_and_command(repo: Path) -> None:
    with pytest.raises(gitcli.GitError) as info:
        gitcli.read_file(repo, "HEAD", "no/such.yml")
    message = str(info.value)
    assert message.startswith(f"git cat-file failed in {repo}: fatal: ")
    assert "no/such.yml" in message
    assert info.value.command == "git cat-file blob HEAD:no/such.yml"
    with pytest.raises(gitcli.GitError, match=r"ls-tree failed in .*: fatal: not a tree object"):
        gitcli.ls_tree(repo, "1" * 40)
    outside = repo.parent / "not-a-repo"
    outside.mkdir()
    with pytest.raises(gitcli.GitError, match=f"git rev-parse failed in {outside}: fatal: not a"):
        gitcli.rev_parse(outside, "HEAD")


def test_credentials_in_urls_are_redacted_in_errors(repo: Path, tmp_path: Path) -> None:
    url = "https://user:s3cret@127.0.0.1:1/org/repo.git"
    # git repeats the pathspec (a URL with a password) in an error: line, then a hint.
    with pytest.raises(gitcli.GitError) as info:
        gitcli.run(repo, "ls-files", "--error-unmatch", url)
    assert "s3cret" not in str(info.value) + info.value.command + info.value.stderr
    assert str(info.value) == (
        f"git ls-files failed in {repo}: error: pathspec "
        "'https://***@127.0.0.1:1/org/repo.git' did not match any file(s) known to git"
    )
    # A clone names the remote it came from, redacted (port 1 on 127.0.0.1 refuses at once).
    with pytest.raises(gitcli.GitError) as info:
        gitcli.clone(url, tmp_path / "dest", env={"no_proxy": "*", "NO_PROXY": "*"})
    assert str(info.value).startswith("git clone failed in https://***@127.0.0.1:1/org/repo.git")
    assert "s3cret" not in str(info.value) + info.value.command + info.value.stderr


def test_the_repository_named_wins_over_git_dir_in_the_environment(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_repo(tmp_path / "other", {"o.yml": b"o\n"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    assert gitcli.rev_parse(repo, "HEAD") == git(repo, "--git-dir=.git", "rev-parse", "HEAD")


def test_pygit2_reads_objects_without_a_git_process(
    repo: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "pygit2":
        pytest.skip("the in-process reads")
    oid = git(repo, "rev-parse", "HEAD:a.yml")

    def no_git(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a git process was started")

    monkeypatch.setattr(gitcli, "run", no_git)
    assert [e.path for e in gitcli.ls_tree(repo, "HEAD", ["dir/"])] == ["dir/b.yml", "dir/deep"]
    assert gitcli.cat_objects(repo, [oid])[oid].data == b"a: 1\n"
    assert gitcli.default_commit(repo) is not None
    assert gitcli.cat_objects(repo, ["0" * 40]) == {}  # a full clone: missing is missing


def test_a_partial_clone_fetches_the_blobs_it_lacks(repo: Path, tmp_path: Path) -> None:
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    gitcli.clone(repo.as_uri(), clone, "--filter=blob:none", "--no-checkout")
    oid = git(repo, "rev-parse", "HEAD:dir/b.yml")
    assert gitcli.cat_objects(clone, [oid]) == {oid: gitcli.Object("blob", 5, b"b: 2\n")}
