"""A synthetic org of feedstock-like git repositories for the benchmark (real git layout)."""

from __future__ import annotations

import hashlib
import os
import random
import struct
import zlib
from dataclasses import dataclass, fields, replace

from tests.support.synthinfra import infra_files

# The CI files conda-smithy renders into a feedstock, written here from scratch after reading
# rendered feedstocks (numpy-feedstock, 2026): the same templates everywhere, differing by the
# conda-smithy release that rendered them ("era"), the build tool, which platforms run where
# and the variant matrix (one CONFIG name per variant). Feedstocks with the same answers get
# byte-identical files, as in the real org; conda-forge.yml is the most varied file.
HEADER = """# This file was generated automatically from conda-smithy. To update this configuration,
# update the conda-forge.yml and/or the recipe/meta.yaml.
# -*- mode: {mode} -*-
"""
CHECKOUT = [  # actions/checkout pins of successive conda-smithy releases
    "actions/checkout@v3",
    "actions/checkout@v4",
    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
    "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
    "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2",
]
SECRETS = ["BINSTAR_TOKEN", "FEEDSTOCK_TOKEN", "STAGING_BINSTAR_TOKEN"]
ANVIL = {
    "x86_64": "linux-anvil-x86_64",
    "aarch64": "linux-anvil-aarch64",
    "ppc64le": "linux-anvil-ppc64le",
}
LINUX_KEYS = [  # (first era with the key, key, value) of a leg's settings
    (0, "DOCKER_IMAGE", "quay.io/condaforge/{image}:{distro}"),
    (3, "STORE_BUILD_ARTIFACTS", "False"),
    (0, "UPLOAD_PACKAGES", "True"),
    (0, "build_workspace_dir", "build_artifacts"),
    (4, "docker_run_args", ""),
    (4, "free_disk_space", "skip"),
    (0, "os", "ubuntu"),
    (5, "pagefile_size", "16"),
    (4, "resize_partitions", "False"),
    (1, "runs_on", "['{runner}']"),
    (2, "tools_install_dir", "~/miniforge3"),
]
GHA_BUILD = """    - name: Build on Linux
      id: build-linux
      if: matrix.os == 'ubuntu'
      env:
        CONFIG: ${{{{ matrix.CONFIG }}}}
        UPLOAD_PACKAGES: ${{{{ matrix.UPLOAD_PACKAGES }}}}
        DOCKER_IMAGE: ${{{{ matrix.DOCKER_IMAGE }}}}
        CI: github_actions
{tool_env}{secrets}      shell: bash
      run: |
        export FEEDSTOCK_NAME="$(basename $GITHUB_REPOSITORY)"
        export GIT_BRANCH="$(basename $GITHUB_REF)"
        if [[ "${{GITHUB_EVENT_NAME}}" == "pull_request" ]]; then
          export IS_PR_BUILD="True"
        else
          export IS_PR_BUILD="False"
        fi
        ./.scripts/run_docker_build.sh
"""
AZURE_MAIN_HEAD = """stages:
- stage: Check
  jobs:
    - job: Skip
      pool:
        vmImage: 'ubuntu-latest'
      variables:
        DECODE_PERCENTS: 'false'
        RET: 'true'
      steps:
      - checkout: self
        fetchDepth: '2'
      - bash: |
          git_log=`git log --max-count=1 --skip=1 --pretty=format:"%B" | tr "\\n" " "`
          echo "##vso[task.setvariable variable=log]$git_log"
        displayName: Obtain commit message
      - bash: echo "##vso[task.setvariable variable=start_main;isOutput=true]$RET"
        name: result
        displayName: Export result
- stage: Build
  condition: and(succeeded(), eq(dependencies.Check.outputs['Skip.result.start_main'], 'true'))
  dependsOn: Check
  jobs:
"""
AZURE_RUN = {
    "linux": ("ubuntu-latest", "Run docker build", ".scripts/run_docker_build.sh"),
    "osx": ("$(VMIMAGE)", "Run OSX build", "./.scripts/run_osx_build.sh"),
    "win": ("windows-2022", "Run Windows build", 'call ".scripts\\run_win_build.bat"'),
}
AZURE_LEG_KEYS = {
    "linux": [(0, "DOCKER_IMAGE", "quay.io/condaforge/{image}:{distro}")],
    "osx": [(0, "VMIMAGE", "{vmimage}")],
    "win": [],
}
AZURE_COMMON = [
    (0, "UPLOAD_PACKAGES", "'True'"),
    (2, "build_workspace_dir", "{workspace}"),
    (4, "free_disk_space", "skip"),
    (5, "pagefile_size", "16"),
    (4, "resize_partitions", "false"),
    (3, "store_build_artifacts", "false"),
    (2, "tools_install_dir", "{tools}"),
]
CIRCLE = [
    """version: 2

jobs:
  build:
    working_directory: ~/test
    machine:
      image: {image}
    steps:
      - run:
          # The Circle-CI build should not be active; if it is, finish fast.
          command: exit 0

workflows:
  version: 2
  build_and_test:
    jobs:
      - build:
          filters:
            branches:
              ignore:
                - /.*/
""",
]
OLD_WORKFLOWS = {  # rendered by conda-smithy before the bot took over these jobs
    "automerge.yml": """on:
  status: {{}}
  check_suite:
    types:
      - completed

jobs:
  automerge-action:
    runs-on: ubuntu-latest
    name: automerge
    steps:
      - name: checkout
        uses: {checkout}
      - name: automerge-action
        id: automerge-action
        uses: conda-forge/automerge-action@main
        with:
          github_token: ${{{{ secrets.GITHUB_TOKEN }}}}
          rerendering_github_token: ${{{{ secrets.RERENDERING_GITHUB_TOKEN }}}}
""",
    "webservices.yml": """on: repository_dispatch

jobs:
  webservices:
    runs-on: ubuntu-latest
    name: webservices
    steps:
      - name: webservices
        id: webservices
        uses: conda-forge/webservices-dispatch-action@main
        with:
          github_token: ${{{{ secrets.GITHUB_TOKEN }}}}
          rerendering_github_token: ${{{{ secrets.RERENDERING_GITHUB_TOKEN }}}}
""",
}
PYTHONS = [  # python variant sets of successive pinning eras
    ["3.8.____cpython", "3.9.____cpython", "3.10.____cpython", "3.11.____cpython"],
    ["3.9.____cpython", "3.10.____cpython", "3.11.____cpython", "3.12.____cpython"],
    ["3.10.____cpython", "3.11.____cpython", "3.12.____cpython", "3.13.____cp313"],
    [
        "3.10.____cpython",
        "3.11.____cpython",
        "3.12.____cpython",
        "3.13.____cp313",
        "3.13.____cp313t",
    ],
    [
        "3.10.____cpython",
        "3.11.____cpython",
        "3.12.____cpython",
        "3.13.____cp313",
        "3.14.____cp314",
    ],
    ["3.11.____cpython", "3.12.____cpython", "3.13.____cp313", "3.14.____cp314", "3.14.____cp314t"],
]
PINS = [  # (key, values) of compiled feedstocks' variant matrices
    ("cuda_compiler_version", ["None", "11.8", "12.0", "12.6", "12.9"]),
    ("openssl", ["1.1.1", "3"]),
    ("libprotobuf", ["4.25.3", "5.28.3", "5.29.3", "6.31.1"]),
    ("numpy", ["1.22", "1.26", "2.0", "2"]),
    ("blas_impl", ["openblas", "mkl", "generic"]),
    ("mpi", ["nompi", "mpich", "openmpi"]),
    ("c_stdlib_version", ["2.17", "2.28"]),
    ("channel_targets", ["conda-forge_main", "conda-forge_rc"]),
    ("target_platform", ["linux-64"]),
    ("qt_main", ["5", "6"]),
]
CONDA_FORGE_YML = [  # (share of feedstocks, line) a feedstock's conda-forge.yml may hold
    (0.9, "conda_forge_output_validation: true"),
    (0.8, "github:\n  branch_name: main\n  tooling_branch_name: main"),
    (0.3, "bot:\n  automerge: true"),
    (0.1, "bot:\n  inspection: hint-all"),
    (0.15, "build_platform:\n  osx_arm64: osx_64"),
    (0.1, "build_platform:\n  linux_aarch64: linux_64\n  linux_ppc64le: linux_64"),
    (0.1, "provider:\n  linux_aarch64: default\n  linux_ppc64le: default"),
    (0.08, "test: native_and_emulated"),
    (0.1, "conda_build:\n  pkg_format: '2'"),
    (0.05, "azure:\n  settings_win:\n    variables:\n      SET_PAGEFILE: 'True'"),
    (0.2, "conda_install_tool: pixi"),
    (0.05, "remote_ci_setup:\n  - conda-forge-ci-setup=4"),
]
HOSTILE = {
    "bomb": "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
        for i in range(8)
    ),
    "broken": "on: push\njobs:\n  a: [\n",
}
EXTRAS = {
    ".travis.yml": "language: python\nenv:\n  global:\n    - secure: c2VjcmV0\n"
    "deploy:\n  provider: pypi\n  password:\n    secure: c2VjcmV0\n",
    ".drone.yml": "kind: pipeline\nname: default\nsteps:\n  - name: push\n"
    "    image: plugins/docker\n"
    "    settings:\n      password:\n        from_secret: docker_password\n",
    "appveyor.yml": "environment:\n  BINSTAR_TOKEN:\n    secure: c2VjcmV0\n"
    "build_script:\n  - anaconda upload x.tar.bz2\n",
    ".cirun.yml": "runners:\n  - name: gpu\n    cloud: aws\n    instance_type: g4dn.xlarge\n",
}


@dataclass(frozen=True)
class Mix:
    """The proportions of a synthetic org (``--mix key=value,...``); the defaults follow the
    conda-forge org (noarch share, Linux builds on GitHub Actions, rattler-build, ...)."""

    noarch: float = 0.45  # share of noarch feedstocks (one Linux build)
    python: float = 0.30  # share of python extensions (a build per python version)
    linux_gha: float = 0.3  # share (of recent renders) building Linux on GitHub Actions
    rattler: float = 0.25  # share (of recent renders) built with rattler-build
    recent: float = 4.6  # mode of the conda-smithy era (0-5): higher renders are newer
    cfy: float = 1.0  # scale of the shares of conda-forge.yml settings
    infra: float = 100 / 25_000  # infrastructure repositories per feedstock

    @classmethod
    def parse(cls, text: str) -> Mix:
        """``key=value,...`` over the defaults; raise ValueError naming an unknown key."""
        names = {f.name for f in fields(cls)}
        changes = {}
        for item in filter(None, (t.strip() for t in text.split(","))):
            key, _, value = item.partition("=")
            if key not in names:
                raise ValueError(f"unknown mix key {key!r} (known: {', '.join(sorted(names))})")
            changes[key] = float(value)
        return replace(cls(), **changes)


DEFAULT_MIX = Mix()


class Feedstock:
    """What conda-smithy's rendering of one feedstock depends on, drawn at random."""

    def __init__(self, i: int, rng: random.Random, mix: Mix = DEFAULT_MIX) -> None:
        self.era = min(4, int(rng.triangular(0, 5, mix.recent)))  # most were rendered recently
        self.rattler = self.era >= 3 and rng.random() < mix.rattler
        self.linux_gha = self.era >= 2 and rng.random() < mix.linux_gha
        kind = rng.random()
        platforms = ["linux_64"]
        python_below = mix.noarch + mix.python
        if kind < mix.noarch:  # noarch: one linux build
            variants = [""]
        else:
            if rng.random() < 0.25:
                platforms.append("linux_aarch64")
            if rng.random() < 0.15:
                platforms.append("linux_ppc64le")
            if rng.random() < 0.85:
                platforms.append("osx_64")
            if rng.random() < 0.5:
                platforms.append("osx_arm64")
            if rng.random() < 0.7:
                platforms.append("win_64")
            keys = rng.sample(
                PINS, rng.choice([0, 0, 0, 0, 1] if kind < python_below else [0, 0, 1, 1, 2])
            )
            combos = [""]
            for key, values in sorted(keys):
                picked = sorted(
                    rng.sample(values, min(len(values), 1 if rng.random() < 0.8 else 2))
                )
                combos = [f"{c}{key}{v}" for c in combos for v in picked]
            if kind < python_below:  # a python extension: one build per python as well
                pys = PYTHONS[self.era + (rng.random() < 0.2)]
                combos = [f"{c}python{p}" for c in combos for p in pys]
            variants = combos
        self.platforms = platforms
        self.configs = {plat: [f"{plat}_{v}" for v in variants] for plat in platforms}
        self.cfy = self._conda_forge_yml(rng, mix.cfy)
        self.old_workflows = self.era <= 1 or (self.era == 2 and rng.random() < 0.6)
        self.extra = rng.choice(list(EXTRAS)) if i % 200 == 7 else None
        self.hostile = rng.choice(list(HOSTILE)) if i % 1000 == 13 else None

    def _conda_forge_yml(self, rng: random.Random, scale: float) -> str:
        lines = [line for share, line in CONDA_FORGE_YML if rng.random() < share * scale]
        return "\n".join(sorted(lines)) + "\n" if lines else "{}\n"

    def files(self) -> dict[str, str]:
        """The rendered CI files and conda-forge.yml, by repository path."""
        files = {
            ".circleci/config.yml": HEADER.format(mode="jinja-yaml")
            + "\n"
            + CIRCLE[0].format(
                image="ubuntu-2004:current" if self.era >= 2 else "ubuntu-1604:202007-01"
            ),
            "conda-forge.yml": self.cfy,
        }
        azure = [os_ for os_ in ("linux", "osx", "win") if self._on_azure(os_)]
        if azure:
            files["azure-pipelines.yml"] = self._azure_main(azure)
            for os_ in azure:
                files[f".azure-pipelines/azure-pipelines-{os_}.yml"] = self._azure_job(os_)
        if self.linux_gha:
            files[".github/workflows/conda-build.yml"] = self._gha()
        if self.old_workflows:
            checkout = CHECKOUT[min(self.era, 1)]
            for name, text in OLD_WORKFLOWS.items():
                files[f".github/workflows/{name}"] = text.format(checkout=checkout)
        if self.extra:
            files[self.extra] = EXTRAS[self.extra]
        if self.hostile:
            files[".github/workflows/hostile.yml"] = HOSTILE[self.hostile]
        return files

    def _on_azure(self, os_: str) -> bool:
        if os_ == "linux":
            return not self.linux_gha
        return any(p.startswith(os_) for p in self.platforms)

    def _azure_main(self, oses: list[str]) -> str:
        jobs = "".join(
            f"    - template: ./.azure-pipelines/azure-pipelines-{o}.yml\n" for o in oses
        )
        return HEADER.format(mode="yaml") + "\n" + AZURE_MAIN_HEAD + jobs

    def _leg_values(self, plat: str) -> dict[str, str]:
        arch = plat.split("_", 1)[1].replace("64", "x86_64") if plat != "linux_64" else "x86_64"
        image = ANVIL.get(arch, ANVIL["x86_64"])
        return {
            "image": image if plat != "linux_ppc64le" or self.era >= 3 else ANVIL["ppc64le"],
            "distro": "alma9" if self.era >= 3 else "cos7",
            "runner": "ubuntu-24.04-arm"
            if plat == "linux_aarch64" and self.era >= 4
            else "ubuntu-latest",
            "vmimage": "macOS-15-arm64"
            if plat == "osx_arm64"
            else "macOS-15"
            if self.era >= 3
            else "macOS-12",
            "workspace": "D:\\\\bld\\\\" if plat.startswith("win") else "~/miniforge3/conda-bld",
            "tools": "D:\\Miniforge" if plat.startswith("win") else "~/miniforge3",
        }

    def _azure_job(self, os_: str) -> str:
        legs = []
        for plat in [p for p in self.platforms if p.startswith(os_)]:
            values = self._leg_values(plat)
            keys = [("CONFIG", "{config}")] + [
                (k, v)
                for era, k, v in sorted(AZURE_LEG_KEYS[os_] + AZURE_COMMON, key=lambda t: t[1])
                if era <= self.era
            ]
            for config in self.configs[plat]:
                body = "".join(
                    f"        {k}: {v.format(config=config, **values)}\n" for k, v in keys
                )
                legs.append(f"      {config}:\n{body}")
        image, display, script = AZURE_RUN[os_]
        env = "".join(f"      {s}: $({s})\n" for s in SECRETS)
        return (
            HEADER.format(mode="yaml")
            + f"\njobs:\n- job: {os_}\n  pool:\n    vmImage: {image}\n  strategy:\n    matrix:\n"
            + "".join(legs)
            + "  timeoutInMinutes: 360\n  variables: {}\n\n  steps:\n"
            + f"  - script: |\n      export CI=azure\n      {script}\n"
            + f"    displayName: {display}\n    env:\n{env}"
        )

    def _gha(self) -> str:
        legs = []
        keys = [(k, v) for era, k, v in LINUX_KEYS if era <= self.era]
        for plat in [p for p in self.platforms if p.startswith("linux")]:
            values = self._leg_values(plat)
            for config in self.configs[plat]:
                body = "".join(f"            {k}: {v.format(**values)}\n" for k, v in keys)
                legs.append(f"          - CONFIG: {config}\n{body}")
        tool_env = "        RATTLER_BUILD_COLOR: always\n" if self.rattler else ""
        secrets = "".join(f"        {s}: ${{{{ secrets.{s} }}}}\n" for s in SECRETS)
        return (
            HEADER.format(mode="yaml")
            + "\nname: Build conda package\non:\n  push:\n\n  pull_request:\n\n"
            + "concurrency:\n  group: ${{ github.workflow }}-"
            + "${{ github.event.pull_request.number || github.sha }}\n"
            + "  cancel-in-progress: true\n\njobs:\n  build:\n    name: ${{ matrix.CONFIG }}\n"
            + "    runs-on: ${{ matrix.runs_on }}\n    timeout-minutes: 360\n    strategy:\n"
            + "      fail-fast: false\n"
            + ("      max-parallel: 50\n" if self.era >= 4 else "")
            + "      matrix:\n        include:\n"
            + "".join(legs)
            + f"    steps:\n\n    - name: Checkout code\n      uses: {CHECKOUT[self.era]}\n\n"
            + GHA_BUILD.format(tool_env=tool_env, secrets=secrets)
        )


def feedstock_files(i: int, rng: random.Random, mix: Mix = DEFAULT_MIX) -> dict[str, str]:
    """CI files and conda-forge.yml of synthetic feedstock ``i``, rendered as conda-smithy would."""
    return Feedstock(i, rng, mix).files()


class ObjectStore:
    """Loose git objects written once into a shared store (repositories borrow via alternates)."""

    def __init__(self, objects: str) -> None:
        self.objects = objects
        self.seen: set[str] = set()
        os.makedirs(objects, exist_ok=True)

    def put(self, kind: str, body: bytes) -> str:
        """Store an object; return its hex sha."""
        raw = f"{kind} {len(body)}\0".encode() + body
        sha = hashlib.sha1(raw).hexdigest()
        if sha not in self.seen:
            self.seen.add(sha)
            d = os.path.join(self.objects, sha[:2])
            os.makedirs(d, exist_ok=True)
            path = os.path.join(d, sha[2:])
            if not os.path.exists(path):
                with open(path, "wb") as fh:
                    fh.write(zlib.compress(raw, 1))
        return sha

    def tree(self, files: dict[str, bytes]) -> str:
        """Write the tree (and subtrees and blobs) of ``files``; return the root tree sha."""
        entries: dict[str, tuple[str, str]] = {}
        subdirs: dict[str, dict[str, bytes]] = {}
        for path, data in files.items():
            head, _, rest = path.partition("/")
            if rest:
                subdirs.setdefault(head, {})[rest] = data
            else:
                entries[head] = ("100644", self.put("blob", data))
        for name, sub in subdirs.items():
            entries[name] = ("40000", self.tree(sub))
        order = sorted(entries, key=lambda n: n + "/" if entries[n][0] == "40000" else n)
        body = b"".join(
            f"{entries[n][0]} {n}\0".encode() + bytes.fromhex(entries[n][1]) for n in order
        )
        return self.put("tree", body)


def org_members(count: int, mix: Mix = DEFAULT_MIX) -> list[tuple[str, int | None]]:
    """(repository name, feedstock index or None for an infrastructure repository) of an org
    of ``count`` feedstocks and ``mix.infra`` infrastructure repositories per feedstock (at
    least one), the infrastructure ones spread evenly among the feedstocks."""
    infra = max(1, round(count * mix.infra)) if mix.infra > 0 else 0
    members: list[tuple[str, int | None]] = [(f"pkg{i:05d}-feedstock", i) for i in range(count)]
    for j in range(infra):
        members.insert((j + 1) * (count // infra + 1) - 1, (f"infra{j:03d}", None))
    return members


def make_org(root: str, count: int, seed: int = 1, mix: Mix = DEFAULT_MIX) -> list[str]:
    """Create ``count`` feedstock repositories and the infrastructure repositories of ``mix``
    under ``root``; return their paths."""
    rng = random.Random(seed)
    store = ObjectStore(os.path.join(root, "_store", "objects"))
    paths = []
    infra_index = 0
    for name, i in org_members(count, mix):
        repo = os.path.join(root, name)
        if i is None:
            texts = infra_files(infra_index, rng)
            infra_index += 1
        else:
            texts = feedstock_files(i, rng, mix)
        files = {p: t.encode() for p, t in texts.items()}
        files["README.md"] = f"# {name}\n".encode()
        tree = store.tree(files)
        commit = store.put(
            "commit",
            (
                f"tree {tree}\nauthor bench <b@example.invalid> 1700000000 +0000\n"
                f"committer bench <b@example.invalid> 1700000000 +0000\n\n{name}\n"
            ).encode(),
        )
        git = os.path.join(repo, ".git")
        for d in ("refs/heads", "objects/info"):
            os.makedirs(os.path.join(git, d), exist_ok=True)
        _write(os.path.join(git, "HEAD"), "ref: refs/heads/main\n")
        _write(os.path.join(git, "refs/heads/main"), commit + "\n")
        _write(os.path.join(git, "objects/info/alternates"), store.objects + "\n")
        _write(
            os.path.join(git, "config"),
            "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
            f'[remote "origin"]\n\turl = https://github.com/synth-org/{name}.git\n',
        )
        for path, data in files.items():
            full = os.path.join(repo, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as fh:
                fh.write(data)
        write_index(repo, {p: blob_sha(d) for p, d in files.items()})
        paths.append(repo)
    return paths


def blob_sha(data: bytes) -> str:
    """The git object id of a blob with ``data``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def write_index(repo: str, blobs: dict[str, str]) -> None:
    """Write ``.git/index`` (version 2) for the checked-out files, with their current stats,
    so git sees a clean work tree (``git status`` shows nothing) without a git process."""
    entries = []
    for path in sorted(blobs, key=lambda p: p.encode()):
        st = os.lstat(os.path.join(repo, path))
        name = path.encode()
        head = struct.pack(
            ">10I20sH",
            int(st.st_ctime),
            st.st_ctime_ns % 1_000_000_000,
            int(st.st_mtime),
            st.st_mtime_ns % 1_000_000_000,
            st.st_dev & 0xFFFFFFFF,
            st.st_ino & 0xFFFFFFFF,
            0o100644,
            st.st_uid,
            st.st_gid,
            st.st_size & 0xFFFFFFFF,
            bytes.fromhex(blobs[path]),
            min(len(name), 0xFFF),
        )
        entry = head + name
        entries.append(entry + b"\0" * (8 - len(entry) % 8))  # 1 to 8 NULs, 8-byte aligned
    body = b"DIRC" + struct.pack(">II", 2, len(entries)) + b"".join(entries)
    with open(os.path.join(repo, ".git", "index"), "wb") as fh:
        fh.write(body + hashlib.sha1(body).digest())


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
