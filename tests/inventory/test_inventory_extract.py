"""Facts from single CI files: every YAML trap the issue lists, one test each."""

from __future__ import annotations

import pytest
from invhelpers import FIXTURES

from infradocs.core.inventory.extract import extract


def gha(text: str) -> dict:
    return extract("github-actions", text.encode())


@pytest.mark.parametrize(
    ("on", "want"),
    [
        ("on: push", ["push"]),
        ("on: [push, pull_request]", ["pull_request", "push"]),
        ("on:\n  push:\n  issue_comment:\n    types: [created]", ["issue_comment", "push"]),
        ('"on": workflow_dispatch', ["workflow_dispatch"]),
    ],
)
def test_on_forms(on: str, want: list[str]) -> None:
    assert gha(f"{on}\njobs: {{}}\n")["triggers"] == want


def test_on_is_not_read_as_true_and_yes_no_stay_strings() -> None:
    facts = gha("on:\n  schedule:\n    - cron: '0 0 * * *'\nname: yes\n")
    assert facts["triggers"] == ["schedule"]
    assert facts["schedules"] == ["0 0 * * *"]
    assert facts["name"] == "yes"


def test_webservices_fixture_exact() -> None:
    facts = extract(
        "github-actions", (FIXTURES / "webservices/.github/workflows/tests.yml").read_bytes()
    )
    assert facts["name"] == "tests"
    assert facts["triggers"] == ["merge_group", "pull_request", "schedule", "workflow_dispatch"]
    assert facts["schedules"] == ["*/10 * * * *", "0 3 * * 1"]
    assert facts["actions"] == [
        "./.github/workflows/local.yml",
        "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
        "conda-forge/conda-forge-webservices/.github/workflows/release.yml@main",
        "redhat-actions/push-to-registry@5ed88d269cf581ea9ef6dd6806d01562096bee9c",
    ]
    # secrets['X'] and secrets["X"] forms, `if:` without ${{ }}, keys of a reusable
    # workflow's secrets mapping are not references, `inherit` is not a name.
    assert facts["secrets"] == [
        "CF_ADMIN_GITHUB_TOKEN",
        "CF_DAEMON_QUAY_PASSWORD",
        "HEROKU_API_KEY",
        "HEROKU_ONLY_STAGING_BINSTAR_TOKEN",
        "RELEASE_TOKEN",
    ]
    assert facts["runners"] == ["heroku-deployers", "linux", "self-hosted", "ubuntu-24.04"]
    assert facts["permissions"] == {"contents": "read"}
    services = {s for s, _ in facts["services"]}
    assert {"quay.io", "heroku", "anaconda.org"} <= services
    assert ("quay.io", 42) in facts["services"]  # the `registry: quay.io/condaforge` line
    assert ("heroku", 48) in facts["services"]  # secrets.HEROKU_API_KEY in `if:`
    assert facts["problems"] == []


def test_anchors_aliases_and_merge_keys() -> None:
    facts = extract(
        "github-actions", (FIXTURES / "webservices/.github/workflows/anchors.yaml").read_bytes()
    )
    assert facts["triggers"] == ["push", "workflow_dispatch"]
    assert facts["actions"] == ["actions/setup-python@v5"]
    assert facts["secrets"] == ["SHARED_TOKEN"]
    assert facts["runners"] == ["macos-14", "ubuntu-22.04"]


def test_feedstock_workflow_and_comments_are_not_facts() -> None:
    facts = extract(
        "github-actions", (FIXTURES / "feedstock/.github/workflows/conda-build.yml").read_bytes()
    )
    assert facts["actions"] == ["actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd"]
    assert facts["secrets"] == ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN", "STAGING_BINSTAR_TOKEN"]
    assert facts["runners"] == []  # ${{ matrix.runs_on }} is left out, matrices not expanded


def test_runs_on_list_keeps_literal_items() -> None:
    text = "on: push\njobs:\n  a:\n    runs-on: [self-hosted, '${{ matrix.os }}', gpu]\n"
    assert gha(text)["runners"] == ["gpu", "self-hosted"]


def test_secret_lookalikes() -> None:
    text = (
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: echo ${{ secrets.A_1 }} ${{ secrets[ 'B' ] }} ${{ mysecrets.NO }}\n"
        "      - run: echo ${{ toJSON(secrets) }} ${{ secrets[matrix.name] }}\n"
    )
    assert gha(text)["secrets"] == ["A_1", "B"]


def test_azure_secrets_are_env_macros_not_defined_in_file() -> None:
    osx = extract(
        "azure-pipelines",
        (FIXTURES / "feedstock/.azure-pipelines/azure-pipelines-osx.yml").read_bytes(),
    )
    # $(Build.BuildId) has a dot; $(config) is a matrix leg variable (case-insensitive match)
    assert osx["secrets"] == ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN", "STAGING_BINSTAR_TOKEN"]
    assert osx["runners"] == []  # $(VMIMAGE) is not a literal
    assert osx["triggers"] == []
    win = extract(
        "azure-pipelines",
        (FIXTURES / "feedstock/.azure-pipelines/azure-pipelines-win.yml").read_bytes(),
    )
    assert win["secrets"] == ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN", "STAGING_BINSTAR_TOKEN"]
    assert win["runners"] == ["windows-2022"]


def test_azure_parameters_and_variable_lists() -> None:
    text = (
        "trigger: [main]\npr: [main]\nparameters:\n  - name: Channel\n    default: x\n"
        "variables:\n  - name: label\n    value: main\n  - group: secrets-group\n"
        "schedules:\n  - cron: '0 0 * * *'\n    branches: {include: [main]}\n"
        "steps:\n  - script: upload\n    env:\n      C: $(channel)\n      L: $(LABEL)\n"
        "      T: $(ANACONDA_TOKEN)\n"
    )
    facts = extract("azure-pipelines", text.encode())
    assert facts["secrets"] == ["ANACONDA_TOKEN"]
    assert facts["triggers"] == []
    assert facts["schedules"] == ["0 0 * * *"]


def test_drone_multi_document_from_secret() -> None:
    text = (
        "kind: pipeline\nname: build\nsteps:\n  - name: publish\n    image: plugins/docker\n"
        "    settings:\n      password:\n        from_secret: docker_password\n"
        "---\nkind: pipeline\nname: other\nsteps:\n  - environment:\n"
        "      TOKEN:\n        from_secret: ANACONDA_TOKEN\n"
    )
    facts = extract("drone", text.encode())
    assert facts["secrets"] == ["ANACONDA_TOKEN", "docker_password"]
    assert facts["name"] == "build"


def test_appveyor_secure_names_and_travis_values_never_printed() -> None:
    appveyor = (
        "environment:\n  BINSTAR_TOKEN:\n    secure: c2VjcmV0LXZhbHVlLWFwcHZleW9y\n"
        "  matrix:\n    - PY: 3.11\n      OTHER:\n        secure: bW9yZQ==\n"
        "deploy:\n  auth_token:\n    secure: bm90LWEtdmFyaWFibGU=\n"
    )
    facts = extract("appveyor", appveyor.encode())
    assert facts["secrets"] == ["BINSTAR_TOKEN", "OTHER"]
    travis = "env:\n  global:\n    - secure: VFJBVklTU0VDUkVUVkFMVUU=\ndeploy:\n  provider: pypi\n"
    facts = extract("travis-ci", travis.encode())
    assert facts["secrets"] == []
    assert "VFJBVklTU0VDUkVUVkFMVUU" not in repr(facts)
    assert facts["services"] == [("pypi", 5)]


def test_woodpecker_secrets() -> None:
    text = "steps:\n  build:\n    image: x\n    secrets: [gh_token, {source: a, target: b}]\n"
    text += "    environment:\n      T:\n        from_secret: quay_token\n"
    assert extract("woodpecker", text.encode())["secrets"] == ["a", "gh_token", "quay_token"]


@pytest.mark.parametrize("provider", ["circleci", "cirun"])
def test_circleci_and_cirun_record_nothing(provider: str) -> None:
    facts = extract(provider, b"version: 2\nname: x\nsecrets: ${{ secrets.X }}\n")
    assert facts["name"] is None and facts["secrets"] == [] and facts["problems"] == []


def test_malformed_yaml_problem_has_line() -> None:
    facts = gha("on: push\njobs:\n  a:\n    runs-on: x\n   bad: [\n")
    assert facts["problems"] and facts["problems"][0][0] in (5, 6)
    assert facts["problems"][0][1].startswith("invalid YAML")


def test_error_message_never_echoes_content() -> None:
    facts = gha("on: push\nenv:\n  A: *SUPERSECRETVALUE\n")
    assert "SUPERSECRETVALUE" not in repr(facts)
    assert facts["problems"][0][0] == 3


def test_non_utf8_and_binary() -> None:
    bad = extract("github-actions", b"on: push\nname: caf\xe9\n")
    assert bad["problems"] == [(2, "not valid UTF-8 (byte offset 18)")]
    binary = extract("github-actions", b"\x00\x01\x02on: push")
    assert binary["problems"][0][1].startswith("binary file")


def test_alias_bomb_is_rejected_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    lines.append("on: push\njobs: {x: {runs-on: *l}}")
    facts = gha("\n".join(lines) + "\n")
    assert facts["triggers"] == []
    assert "alias bomb" in facts["problems"][0][1]


def test_recursive_alias() -> None:
    facts = gha("a: &a [*a]\n")
    assert facts["problems"][0][1] == "recursive YAML alias"
