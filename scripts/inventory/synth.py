"""A synthetic org of feedstock-like git repositories for the benchmark (real git layout)."""

from __future__ import annotations

import hashlib
import os
import random
import struct
import zlib

GHA_HEAD = """# This file was generated automatically from conda-smithy.
# -*- mode: yaml -*-

name: Build conda package
on:
  push:

  pull_request:

concurrency:
  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.sha }}
  cancel-in-progress: true

jobs:
  build:
    name: ${{ matrix.CONFIG }}
    runs-on: ${{ matrix.runs_on }}
    timeout-minutes: 360
    strategy:
      fail-fast: false
      matrix:
        include:
"""
GHA_LEG = """          - CONFIG: linux_{arch}_python3.{py}.____cpython
            DOCKER_IMAGE: quay.io/condaforge/linux-anvil-{arch}:alma9
            UPLOAD_PACKAGES: True
            build_workspace_dir: build_artifacts
            os: ubuntu
            runs_on: ['ubuntu-latest']
            tools_install_dir: ~/miniforge3
"""
GHA_STEPS = """    steps:
    - name: Checkout code
      uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2

    - name: Build on Linux
      if: matrix.os == 'ubuntu'
      env:
        CONFIG: ${{ matrix.CONFIG }}
        UPLOAD_PACKAGES: ${{ matrix.UPLOAD_PACKAGES }}
        DOCKER_IMAGE: ${{ matrix.DOCKER_IMAGE }}
        BINSTAR_TOKEN: ${{ secrets.BINSTAR_TOKEN }}
        FEEDSTOCK_TOKEN: ${{ secrets.FEEDSTOCK_TOKEN }}
        STAGING_BINSTAR_TOKEN: ${{ secrets.STAGING_BINSTAR_TOKEN }}
      shell: bash
      run: |
        export FEEDSTOCK_NAME="$(basename $GITHUB_REPOSITORY)"
        export GIT_BRANCH="$(basename $GITHUB_REF)"
        if [[ "${GITHUB_EVENT_NAME}" == "pull_request" ]]; then
          export IS_PR_BUILD="True"
        else
          export IS_PR_BUILD="False"
        fi
        ./.scripts/run_docker_build.sh
"""
AZURE_MAIN = """# This file was generated automatically from conda-smithy.
stages:
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
- stage: Build
  dependsOn: Check
  jobs:
    - template: ./.azure-pipelines/azure-pipelines-osx.yml
    - template: ./.azure-pipelines/azure-pipelines-win.yml
"""
AZURE_JOB = """# This file was generated automatically from conda-smithy.
jobs:
- job: {os}
  pool:
    vmImage: {image}
  strategy:
    matrix:
{legs}  timeoutInMinutes: 360
  variables: {{}}
  steps:
  - script: |
      export CI=azure
      ./.scripts/run_{os}_build.sh
    displayName: Run {os} build
    env:
      BINSTAR_TOKEN: $(BINSTAR_TOKEN)
      FEEDSTOCK_TOKEN: $(FEEDSTOCK_TOKEN)
      STAGING_BINSTAR_TOKEN: $(STAGING_BINSTAR_TOKEN)
"""
AZURE_LEG = """      {os}_64_python3.{py}:
        CONFIG: {os}_64_python3.{py}
        UPLOAD_PACKAGES: 'True'
"""
CIRCLE = """version: 2
jobs:
  build:
    machine:
      image: ubuntu-2004:current
    steps:
      - run:
          command: exit 0
"""
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
HOSTILE = {
    "bomb": "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
        for i in range(8)
    ),
    "broken": "on: push\njobs:\n  a: [\n",
}


def _gha(pys: list[int], archs: list[str]) -> str:
    legs = "".join(GHA_LEG.format(arch=a, py=p) for a in archs for p in pys)
    return GHA_HEAD + legs + GHA_STEPS


def _azure(os_name: str, image: str, pys: list[int]) -> str:
    legs = "".join(AZURE_LEG.format(os=os_name, py=p) for p in pys)
    return AZURE_JOB.format(os=os_name, image=image, legs=legs)


def feedstock_files(i: int, rng: random.Random) -> dict[str, str]:
    """CI files of synthetic feedstock ``i``: mostly byte-identical across the org."""
    kind = rng.random()
    pys = [10, 11, 12, 13][: rng.choice([1, 4, 4, 4])] if kind > 0.7 else [12]
    archs = ["x86_64"] if kind < 0.85 else ["x86_64", "aarch64", "ppc64le"]
    files = {
        ".github/workflows/conda-build.yml": _gha(pys, archs),
        ".circleci/config.yml": CIRCLE,
        "conda-forge.yml": rng.choice(
            [
                "{}\n",
                "bot:\n  automerge: true\n",
                "github:\n  branch_name: main\n",
                "provider:\n  linux_aarch64: default\n",
            ]
        )
        if rng.random() < 0.9
        else f"bot:\n  version_updates:\n    random_fraction: 0.{i}\n",
    }
    if kind > 0.7:
        files["azure-pipelines.yml"] = AZURE_MAIN
        files[".azure-pipelines/azure-pipelines-osx.yml"] = _azure("osx", "macOS-15", pys)
        files[".azure-pipelines/azure-pipelines-win.yml"] = _azure("win", "windows-2022", pys)
    if i % 200 == 7:
        name = rng.choice(list(EXTRAS))
        files[name] = EXTRAS[name]
    if i % 1000 == 13:
        files[".github/workflows/hostile.yml"] = HOSTILE[rng.choice(list(HOSTILE))]
    return files


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


def make_org(root: str, count: int, seed: int = 1) -> list[str]:
    """Create ``count`` feedstock repositories under ``root``; return their paths."""
    rng = random.Random(seed)
    store = ObjectStore(os.path.join(root, "_store", "objects"))
    paths = []
    for i in range(count):
        name = f"pkg{i:05d}-feedstock"
        repo = os.path.join(root, name)
        files = {p: t.encode() for p, t in feedstock_files(i, rng).items()}
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
