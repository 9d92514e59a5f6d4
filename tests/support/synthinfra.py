"""Infrastructure repositories of the synthetic org: hand-written, large, all-different workflows.

Unlike feedstocks (rendered from one template), the org's own tooling repositories (bots,
webservices, docker images, admin tasks) carry many workflow files of tens of kilobytes each,
no two alike: long ``run:`` scripts, big matrices, pinned actions, secrets, registries,
schedules, now and then a YAML anchor. They are where a first run parses most new text.
"""

from __future__ import annotations

import random

ACTIONS = [
    "actions/checkout",
    "actions/setup-python",
    "actions/cache",
    "actions/upload-artifact",
    "actions/download-artifact",
    "conda-incubator/setup-miniconda",
    "mamba-org/setup-micromamba",
    "prefix-dev/setup-pixi",
    "docker/login-action",
    "docker/build-push-action",
    "docker/setup-buildx-action",
    "peaceiris/actions-gh-pages",
    "softprops/action-gh-release",
    "pypa/gh-action-pypi-publish",
    "codecov/codecov-action",
    "conda-forge/automerge-action",
]
SECRETS = [
    "GITHUB_TOKEN",
    "BINSTAR_TOKEN",
    "STAGING_BINSTAR_TOKEN",
    "FEEDSTOCK_TOKEN",
    "CF_ADMIN_GITHUB_TOKEN",
    "DOCKERHUB_TOKEN",
    "QUAY_TOKEN",
    "HEROKU_API_KEY",
    "AZURE_TOKEN",
    "CIRUN_API_KEY",
    "PYPI_API_TOKEN",
    "CODECOV_TOKEN",
]
COMMANDS = [
    "python -m pip install --no-deps --no-build-isolation -e .",
    "conda config --set always_yes yes --set changeps1 no",
    "mamba install --yes --file requirements.txt",
    "pytest -vv --durations=20 tests/{name}",
    "git config --global user.email 'bot@example.invalid'",
    "git fetch --depth=1 origin {branch}",
    "docker build -t quay.io/condaforge/{name}:{tag} .",
    "docker push quay.io/condaforge/{name}:{tag}",
    "anaconda --token $BINSTAR_TOKEN upload --label {branch} dist/*.conda",
    "python scripts/{name}.py --shard {n} --total {total}",
    "echo '{name} step {n} done' >> $GITHUB_STEP_SUMMARY",
    "curl -fsSL https://api.github.com/repos/conda-forge/{name}/releases/latest",
    "gh release create v{tag} dist/* --notes 'release {tag}'",
    "find . -name '*.log' -size +1M -delete",
    "export RUN_ID={n}-${{{{ github.run_id }}}}",
    "heroku container:release web --app {name}",
]


def _sha(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(40))


def _step(rng: random.Random, name: str, n: int) -> str:
    if rng.random() < 0.45:
        action = rng.choice(ACTIONS)
        pin = f"{_sha(rng)} # v{rng.randint(1, 6)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
        lines = [f"      - name: {action.split('/')[1]} {n}", f"        uses: {action}@{pin}"]
        if rng.random() < 0.6:
            lines.append("        with:")
            for k in rng.sample(["token", "python-version", "path", "key", "registry"], 2):
                value = (
                    f"${{{{ secrets.{rng.choice(SECRETS)} }}}}"
                    if k == "token"
                    else rng.choice(["quay.io", "ghcr.io", "docker.io"])
                    if k == "registry"
                    else f"{name}-{k}-{rng.randint(0, 10**6)}"
                )
                lines.append(f"          {k}: {value}")
        return "\n".join(lines) + "\n"
    tag = f"{rng.randint(2020, 2026)}.{rng.randint(1, 12)}.{rng.randint(0, 40)}"
    body = [
        "          "
        + rng.choice(COMMANDS).format(
            name=name, branch=rng.choice(["main", "dev", "rc"]), tag=tag, n=n, total=n + 7
        )
        for _ in range(rng.randint(4, 25))
    ]
    env = "".join(
        f"          {s}: ${{{{ secrets.{s} }}}}\n" for s in rng.sample(SECRETS, rng.randint(0, 3))
    )
    return (
        f"      - name: run {name} part {n}\n"
        + (f"        env:\n{env}" if env else "")
        + "        shell: bash -leo pipefail {0}\n        run: |\n"
        + "\n".join(body)
        + "\n"
    )


def workflow(rng: random.Random, repo: str, index: int) -> str:
    """One large workflow file of an infrastructure repository (tens of kilobytes)."""
    name = f"{repo}-{index}"
    anchors = rng.random() < 0.1
    out = [f"name: {name}", "on:"]
    out += ["  push:", "    branches:", "      - main", "  workflow_dispatch: null"]
    if rng.random() < 0.5:
        out += ["  schedule:", f"    - cron: '{rng.randint(0, 59)} {rng.randint(0, 23)} * * *'"]
    out += ["permissions:", f"  contents: {rng.choice(['read', 'write'])}"]
    if anchors:
        out += ["x-defaults: &defaults", "  timeout-minutes: 60", "  runs-on: ubuntu-latest"]
    out.append("jobs:")
    for j in range(rng.randint(2, 6)):
        out.append(f"  job-{j}-{rng.randint(0, 10**6)}:")
        if anchors:
            out.append("    <<: *defaults")
        else:
            out.append(f"    runs-on: {rng.choice(['ubuntu-latest', 'ubuntu-24.04', 'macos-14'])}")
        if rng.random() < 0.4:
            out += ["    strategy:", "      fail-fast: false", "      matrix:", "        include:"]
            for m in range(rng.randint(4, 30)):
                out.append(f"          - shard: {m}\n            python: '3.{rng.randint(9, 14)}'")
        out.append("    steps:")
        out += [_step(rng, name, s).rstrip("\n") for s in range(rng.randint(3, 10))]
    return "\n".join(out) + "\n"


def infra_files(i: int, rng: random.Random) -> dict[str, str]:
    """The CI files of infrastructure repository ``i``: 4 to 20 large workflows."""
    repo = f"infra{i:03d}"
    return {
        f".github/workflows/{repo}-{w}.yml": workflow(rng, repo, w)
        for w in range(rng.randint(4, 20))
    }
