"""Checks by meaning: ``yaml:`` on the parsed document, ``python:`` on the syntax tree, and text
checks that never match a comment."""

from __future__ import annotations

from pathlib import Path

from infradocs.core.evidence.checks import run
from infradocs.core.evidence.comments import without_comments
from infradocs.core.evidence.items import Item
from infradocs.core.evidence.sources import Entry, Snapshot

PULUMI = """\
name: secrets
resources:
  # Secret: TOKEN_A (visibility: all)
  secret-a:
    type: github:ActionsOrganizationSecret
    properties:
      secretName: TOKEN_A
      visibility: all
  secret-b:
    properties:
      secretName: TOKEN_B
      visibility: selected
  secret-b-repos:
    properties:
      selectedRepositoryIds:
        - ${repo-one.repoId}
        - ${repo-two.repoId}
"""
WORKFLOW = """\
on:
  schedule:
    - cron: "0 * * * *"
  workflow_dispatch:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Upload
        run: |
          # upload --force
          upload --label main
        env:
          TOKEN: ${{ secrets.TOKEN_A }}
"""
APP = """\
async def post(self, event):
    if event == "check_run" or event == "status":
        update(event)
        if event == "status" and ready():
            loop.spawn_callback(_dispatch_job, event)
    elif event == "check_suite":
        loop.spawn_callback(_dispatch_job, event)


def _dispatch_job(event):
    pass  # _dispatch_job is also named here
"""


def _item(kind: str, value, path: str, **fields) -> Item:
    return Item(
        kind,
        "o/r",
        path,
        value,
        Path("m.yaml"),
        1,
        "f",
        "c",
        None,
        None,
        None,
        {kind: value, **fields},
        "k",
    )


def _run(text: str, path: str, kind: str, value, **fields):
    return run(
        _item(kind, value, path, **fields),
        Snapshot("o/r", "c" * 40, {path: Entry("blob", text.encode())}),
    )


VIS = ["resources", "secret-a", "properties", "visibility"]
REPOS = ["resources", "secret-b-repos", "properties", "selectedRepositoryIds"]


def test_yaml_equals_reads_the_value_not_the_comment() -> None:
    out = _run(PULUMI, "P.yaml", "yaml", VIS, equals="all")
    assert out.ok and out.line == 8
    changed = PULUMI.replace("visibility: all", "visibility: selected")
    out = _run(changed, "P.yaml", "yaml", VIS, equals="all")
    assert not out.ok and out.line == 8
    assert out.found == (
        'yaml ["resources", "secret-a", "properties", "visibility"] is not "all"; '
        'it holds line 8: "selected"'
    )


def test_yaml_whole_list_set_has_and_present() -> None:
    both = ["${repo-one.repoId}", "${repo-two.repoId}"]
    assert _run(PULUMI, "P.yaml", "yaml", REPOS, equals=both).line == 15
    assert not _run(PULUMI, "P.yaml", "yaml", REPOS, equals=both[::-1]).ok
    assert _run(PULUMI, "P.yaml", "yaml", REPOS, set=both[::-1]).ok
    out = _run(PULUMI, "P.yaml", "yaml", REPOS, has="${repo-two.repoId}")
    assert out.ok and out.line == 17
    out = _run(PULUMI, "P.yaml", "yaml", REPOS, has="${repo-three.repoId}")
    assert "(an element, key or text); it holds line 15: [" in out.found
    assert _run(PULUMI, "P.yaml", "yaml", ["resources", "secret-b"], present=True).line == 9
    out = _run(PULUMI, "P.yaml", "yaml", ["resources", "secret-c"], present=True)
    assert not out.ok
    assert out.found == (
        'yaml ["resources", "secret-c"]: path element 2, "secret-c" not found '
        "(there: keys secret-a, secret-b, secret-b-repos)"
    )
    assert _run(PULUMI, "P.yaml", "yaml", ["resources", "secret-c"], present=False).ok
    out = _run(PULUMI, "P.yaml", "yaml", ["resources", "secret-a"], present=False)
    assert out.found == 'yaml ["resources", "secret-a"] is there, at line 4'


def test_yaml_selectors_wildcards_and_indexes() -> None:
    sel = ["resources", {"properties": {"secretName": "TOKEN_B"}}, "properties", "visibility"]
    assert _run(PULUMI, "P.yaml", "yaml", sel, equals="selected").line == 12
    step = ["jobs", "build", "steps", {"name": "Upload"}, "env", "TOKEN"]
    assert _run(WORKFLOW, "w.yml", "yaml", step, equals="${{ secrets.TOKEN_A }}").line == 15
    assert _run(WORKFLOW, "w.yml", "yaml", ["jobs", "*", "runs-on"], equals="ubuntu-latest").ok
    checkout = ["jobs", "build", "steps", 0, "uses"]
    assert _run(WORKFLOW, "w.yml", "yaml", checkout, equals="actions/checkout@v4").line == 9
    out = _run(WORKFLOW, "w.yml", "yaml", ["jobs", "build", "steps", 5], present=True)
    assert out.found.endswith("path element 4, 5 not found (there: a list of 2)")
    # "on" stays a string key (YAML 1.2 booleans), a null value is present
    assert _run(WORKFLOW, "w.yml", "yaml", ["on", "workflow_dispatch"], present=True).line == 4
    assert _run(WORKFLOW, "w.yml", "yaml", ["on"], has="schedule").line == 2


def test_yaml_has_in_a_script_skips_shell_comments() -> None:
    run_ = ["jobs", "build", "steps", {"name": "Upload"}, "run"]
    out = _run(WORKFLOW, "w.yml", "yaml", run_, has="upload --label main")
    assert out.ok and out.line == 13
    assert not _run(WORKFLOW, "w.yml", "yaml", run_, has="upload --force").ok


def test_yaml_duplicate_keys_fail_instead_of_last_wins() -> None:
    dup = PULUMI.replace(
        "      visibility: all\n", "      visibility: all\n      visibility: selected\n"
    )
    out = _run(dup, "P.yaml", "yaml", VIS, equals="selected")
    assert not out.ok
    assert "duplicate key 'visibility' twice (lines 8 and 9)" in out.found
    out = _run(dup, "P.yaml", "yaml", ["resources", "secret-a"], present=True)
    assert not out.ok and "has a duplicate key 'visibility'" in out.found


def test_yaml_bad_document_and_booleans_versus_numbers() -> None:
    out = _run("a: [1,\n", "x.yml", "yaml", ["a"], present=True)
    assert not out.ok and out.found.startswith("the file does not parse (line ")
    assert not _run("a: 1\n", "x.yml", "yaml", ["a"], equals=True).ok
    assert _run("a: 1\n", "x.yml", "yaml", ["a"], equals=1).ok
    assert _run("d: 2026-01-02\n", "x.yml", "yaml", ["d"], equals="2026-01-02").ok


def test_python_call_inside_the_branch_for_the_event() -> None:
    spec = {"function": "post", "within": 'event == "status"', "calls": "_dispatch_job"}
    out = _run(APP, "app.py", "python", spec)
    assert out.ok and out.line == 5
    assert _run(APP, "app.py", "python", {**spec, "within": "status"}).line == 5
    gone = APP.replace(
        "            loop.spawn_callback(_dispatch_job, event)\n", "            pass\n", 1
    )
    out = _run(gone, "app.py", "python", spec)
    assert not out.ok
    assert out.found == (
        "no call of _dispatch_job: the branch on 'event == \"status\"' in post calls update, ready"
    )
    out = _run(APP, "app.py", "python", {**spec, "function": "get"})
    assert out.found == "no function get"
    out = _run(APP, "app.py", "python", {**spec, "within": 'event == "push"'})
    assert out.found == "no call of _dispatch_job: post has no branch on 'event == \"push\"'"
    out = _run("def f(:\n", "app.py", "python", spec)
    assert out.found.startswith("the file does not parse as Python")


def test_text_checks_ignore_comments_and_keep_lines() -> None:
    py = 'x = "# not a comment"\n# TOKEN_A\ny = 1  # TOKEN_B\nz = os.environ["TOKEN_C"]\n'
    assert not _run(py, "a.py", "contains", "TOKEN_A").ok
    assert not _run(py, "a.py", "contains", "TOKEN_B").ok
    assert _run(py, "a.py", "contains", "# not a comment").line == 1
    assert _run(py, "a.py", "contains", "TOKEN_C").line == 4
    assert _run(py, "a.py", "lacks", "TOKEN_A").ok
    assert not _run(py, "a.py", "secret", "TOKEN_A").ok
    assert _run(py, "a.py", "secret", "TOKEN_C").line == 4
    sh = 'echo "a # b"\n# run-it\nrun-it # c\n'
    assert without_comments("x.sh", sh) == 'echo "a # b"\n\nrun-it\n'
    js = 'const a = "//x"; // note\n/* one\ntwo */ b();\n'
    assert without_comments("x.js", js) == 'const a = "//x"; \n\n b();\n'
    md = "text\n<!-- hidden\nmore -->\nend\n"
    assert without_comments("README.md", md) == "text\n\n\nend\n"
    assert _run(md, "README.md", "matches", "^end$").line == 4
    assert not _run(md, "README.md", "contains", "hidden").ok


def test_every_other_kind_says_what_is_there_instead() -> None:
    py = "# TOKEN_A\nx = 1\n"
    assert _run(py, "a.py", "matches", r"^y = ").found == "pattern no longer matches"
    out = _run(py, "a.py", "secret", "TOKEN_A")
    assert out.found == (
        "the name TOKEN_A no longer appears outside comments (not a CI file: matched by name)"
    )
    out = _run(PULUMI, "P.yaml", "yaml", REPOS, set=["${repo-one.repoId}"])
    assert out.found == (
        'yaml ["resources", "secret-b-repos", "properties", "selectedRepositoryIds"] is not '
        '["${repo-one.repoId}"] (as a set); it holds line 15: '
        '["${repo-one.repoId}", "${repo-two.repoId}"]'
    )
    snap = Snapshot("o/r", "c" * 40, {"a.py": Entry("blob", b"x")}, archived=False)
    assert run(_item("exists", False, "a.py"), snap).found == "file still exists"
    assert run(_item("archived", True, "a.py"), snap).found == "repository not archived"


def test_a_templated_yaml_file_is_read_without_its_jinja() -> None:
    construct = (
        '{% set version = "1.0" %}\nname: Installer\nversion: {{ version }}\n'
        'channels:\n  - conda-forge  # [unix]\nkind: {{ os.environ.get("K", "sh") }}  # [unix]\n'
        'kind: {{ os.environ.get("K", "exe") }}  # [win]\n'
    )
    assert _run(construct, "construct.yaml", "yaml", ["channels"], equals=["conda-forge"]).line == 4
    assert _run(construct, "construct.yaml", "yaml", ["version"], equals="{{ version }}").ok
    out = _run(construct, "construct.yaml", "yaml", ["kind"], present=True)
    assert (
        out.found == "yaml [\"kind\"]: path element 1, duplicate key 'kind' twice (lines 6 and 7)"
    )
