"""A synthetic GitHub org to serve with ``tests.support.githttp``: feedstocks with realistic
content,
the repositories of a manifest, and a ``conda-forge/feedstocks`` repository whose ``.gitmodules``
lists every feedstock (as the real one does).

A feedstock's tip holds what conda-smithy renders (CI files from ``synth``, ``.scripts``,
``.ci_support``, README, LICENSE, ``build-locally.py``, sometimes ``pixi.toml``) and a recipe
folder with its own text and, in about a third of them, patches of a few KiB to a few hundred
KiB, and now and then test data, as real feedstocks have. Everything is written by one
``git fast-import`` into a shared object store that each served bare repository borrows
(alternates), so 25,000 repositories take minutes, not hours.
"""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

from infradocs.core.inventory.sources import FEEDSTOCKS, manifest_names
from tests.support.synth import feedstock_files

OWNER = FEEDSTOCKS.split("/")[0]
VOCABULARY = (
    "if then else fi for do done export echo conda build test python source recipe requirements "
    "host run version number sha256 url license summary about extra maintainers CONFIG "
    "platform linux osx win aarch64 ppc64le x86_64 cmake make install prefix PREFIX LIBRARY "
    "include lib share bin script pip check imports commands files path - -- + = == != && || "
    "{ } ( ) [ ] ; : , . / \\ $ @ # 0 1 2 3 4 5 6 7 8 9 10 42 100 256 1024 static const int "
    "char void return struct unsigned size_t NULL assert define ifdef endif"
)
WORDS = VOCABULARY.split()
# What a rendered feedstock's .gitattributes says (line endings, generated files marked so).
GITATTRIBUTES = """* text=auto

*.patch binary
*.diff binary
meta.yaml text eol=lf
build.sh text eol=lf
bld.bat text eol=crlf

# github helper pieces to make some files not show up in diffs automatically
.azure-pipelines/* linguist-generated=true
.circleci/* linguist-generated=true
.ci_support/README linguist-generated=true
.drone/* linguist-generated=true
.drone.yml linguist-generated=true
.github/* linguist-generated=true
.travis/* linguist-generated=true
.appveyor.yml linguist-generated=true
.gitattributes linguist-generated=true
.gitignore linguist-generated=true
.travis.yml linguist-generated=true
.scripts/* linguist-generated=true
.woodpecker.yml linguist-generated=true
/README.md linguist-generated=true
azure-pipelines.yml linguist-generated=true
build-locally.py linguist-generated=true
pixi.toml linguist-generated=true
shippable.yml linguist-generated=true
"""


def _pool(rng: random.Random, size: int) -> str:
    """Text made of source-like words (compresses about as well as code and patches do)."""
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choices(WORDS, k=rng.randint(3, 14)))
        out.append(line)
        n += len(line) + 1
    return "\n".join(out)


class _Text:
    """Slices of a shared pool of text: distinct contents without generating each one."""

    def __init__(self, rng: random.Random, size: int = 1 << 22) -> None:
        self.rng, self.pool = rng, _pool(rng, size)

    def take(self, size: int) -> str:
        size = min(size, len(self.pool) - 1)
        start = self.rng.randrange(0, len(self.pool) - size)
        return self.pool[start : start + size]


def _shared(rng: random.Random, text: _Text) -> dict[str, str]:
    """Files conda-smithy renders identically into every feedstock."""
    return {
        ".scripts/build_steps.sh": text.take(4538),
        ".scripts/run_docker_build.sh": text.take(5200),
        ".scripts/run_osx_build.sh": text.take(3906),
        ".scripts/run_win_build.bat": text.take(5269),
        ".scripts/logging_utils.sh": text.take(887),
        "LICENSE.txt": text.take(1520),
        "build-locally.py": text.take(4048),
        ".gitattributes": GITATTRIBUTES,
        ".gitignore": "".join(f"/{d}/\n" for d in ("build_artifacts", "miniforge3", "pixi"))
        + text.take(880),
        ".ci_support/README": text.take(357),
    }


def feedstock_tree(i: int, rng: random.Random, text: _Text, shared: dict[str, str]) -> dict:
    """Every file of feedstock ``i``'s tip commit (path -> text)."""
    name = f"pkg{i:05d}"
    files: dict[str, str] = dict(shared)
    files.update(feedstock_files(i, rng))
    files["README.md"] = f"About {name}-feedstock\n" + text.take(rng.randint(4000, 14000))
    files[".github/CODEOWNERS"] = f"* @{OWNER}/{name}\n"
    for k in range(rng.choice([1, 2, 4, 6, 8, 12, 16, 24])):
        files[f".ci_support/config_{k:02d}.yaml"] = text.take(rng.randint(350, 700))
    if rng.random() < 0.5:
        files["pixi.toml"] = text.take(rng.randint(5000, 17000))
    recipe = "recipe/recipe.yaml" if rng.random() < 0.3 else "recipe/meta.yaml"
    files[recipe] = f"package:\n  name: {name}\n" + text.take(rng.randint(800, 6000))
    if rng.random() < 0.6:
        files["recipe/build.sh"] = text.take(rng.randint(100, 2500))
    if rng.random() < 0.4:
        files["recipe/bld.bat"] = text.take(rng.randint(100, 1500))
    if rng.random() < 0.35:
        for k in range(rng.randint(1, 6)):
            size = min(int(rng.lognormvariate(8.0, 1.2)), 400_000)
            files[f"recipe/patches/{k + 1:04d}-fix.patch"] = text.take(size)
    if rng.random() < 0.02:
        files["recipe/test_data.bin"] = rng.randbytes(rng.randint(200_000, 2_000_000)).hex()
    return files


class StandIn:
    """The served org under ``root``: ``root/OWNER/NAME.git`` bare repositories."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.store = self.root / "_store.git"
        self._mark = 0

    def _next(self) -> int:
        self._mark += 1
        return self._mark

    def _import(self, stream: bytes) -> None:
        if not self.store.exists():
            subprocess.run(
                ["git", "init", "-q", "--bare", "--template=", str(self.store)], check=True
            )
        subprocess.run(
            ["git", "--git-dir", str(self.store), "fast-import", "--quiet", "--force"],
            input=stream,
            check=True,
        )

    def _commit(self, out: list[bytes], branch: str, files: dict, parent: bool, msg: str) -> None:
        out.append(f"commit refs/heads/{branch}\n".encode())
        out.append(b"author bot <bot@example.invalid> 1700000000 +0000\n")
        out.append(b"committer bot <bot@example.invalid> 1700000000 +0000\n")
        data = msg.encode()
        out.append(b"data %d\n%s\n" % (len(data), data))
        if not parent:
            out.append(b"deleteall\n")
        for path, content in sorted(files.items()):
            if isinstance(content, tuple):  # a gitlink: ("gitlink", commit sha)
                out.append(f"M 160000 {content[1]} {path}\n".encode())
                continue
            blob = content.encode() if isinstance(content, str) else content
            out.append(f"M 100644 inline {path}\n".encode())
            out.append(b"data %d\n%s\n" % (len(blob), blob))
        out.append(b"\n")

    def _publish(self, names: list[str]) -> dict[str, str]:
        """Point each served repository's main branch at its branch in the store."""
        proc = subprocess.run(
            [
                "git",
                "--git-dir",
                str(self.store),
                "for-each-ref",
                "--format=%(objectname) %(refname)",
                "refs/heads/",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        heads = {}
        for line in proc.stdout.splitlines():
            sha, ref = line.split(" ", 1)
            heads[ref.removeprefix("refs/heads/").replace("+", "/", 1)] = sha
        objects = (self.store / "objects").resolve()
        for name in names:
            repo = self.root / f"{name}.git"
            if not repo.exists():
                for d in ("refs/heads", "refs/tags", "objects/info", "objects/pack"):
                    (repo / d).mkdir(parents=True, exist_ok=True)
                (repo / "HEAD").write_text("ref: refs/heads/main\n")
                (repo / "config").write_text(
                    "[core]\n\trepositoryformatversion = 0\n\tbare = true\n"
                )
                (repo / "objects/info/alternates").write_text(f"{objects}\n")
            (repo / "refs/heads/main").write_text(heads[name] + "\n")
        return {n: heads[n] for n in names}

    def build(
        self, count: int, manifest: str | os.PathLike | None = None, seed: int = 1
    ) -> list[str]:
        """Create ``count`` feedstocks, the manifest's repositories and conda-forge/feedstocks;
        return the feedstocks' ``owner/name``."""
        rng = random.Random(seed)
        text = _Text(rng)
        shared = _shared(rng, text)
        out: list[bytes] = []
        feedstocks = [f"{OWNER}/pkg{i:05d}-feedstock" for i in range(count)]
        for i, name in enumerate(feedstocks):
            self._commit(
                out,
                name.replace("/", "+"),
                feedstock_tree(i, rng, text, shared),
                False,
                f"Rerender {name}",
            )
        others = [n for n in manifest_names(manifest) if n != FEEDSTOCKS] if manifest else []
        for j, name in enumerate(others):
            files = dict(feedstock_files(10_000 + j, rng))
            files["README.md"] = f"# {name}\n" + text.take(3000)
            self._commit(out, name.replace("/", "+"), files, False, f"Create {name}")
        self._import(b"".join(out))
        heads = self._publish(feedstocks + others)
        # As conda-forge-webservices writes it (feedstocks_service.py: create_submodule).
        gitmodules = "".join(
            f'[submodule "{_short(n)}"]\n\tpath = feedstocks/{_short(n)}\n'
            f"\turl = https://github.com/{n}.git\n\tbranch = refs/heads/main\n"
            for n in feedstocks
        )
        files: dict = {".gitmodules": gitmodules, "README.md": "All the feedstocks.\n"}
        for n in feedstocks:
            files[f"feedstocks/{_short(n)}"] = ("gitlink", heads[n])
        out = []
        self._commit(out, FEEDSTOCKS.replace("/", "+"), files, False, "Update feedstocks")
        self._import(b"".join(out))
        self._publish([FEEDSTOCKS])
        return feedstocks

    def change(self, names: list[str], seed: int = 2) -> None:
        """A new commit on each of ``names`` that edits a CI file and the recipe."""
        rng = random.Random(seed)
        out: list[bytes] = []
        for name in names:
            branch = name.replace("/", "+")
            stamp = rng.randrange(1 << 30)
            out.append(f"commit refs/heads/{branch}\n".encode())
            out.append(b"author bot <bot@example.invalid> 1700000100 +0000\n")
            out.append(b"committer bot <bot@example.invalid> 1700000100 +0000\n")
            out.append(b"data 8\nRerender\n")
            out.append(f"from refs/heads/{branch}^0\n".encode())
            blob = f"bot:\n  automerge: true\n# rerendered {stamp}\n".encode()
            out.append(b"M 100644 inline conda-forge.yml\n")
            out.append(b"data %d\n%s\n\n" % (len(blob), blob))
        self._import(b"".join(out))
        self._publish(names)


def _short(name: str) -> str:
    """``pkg`` of ``conda-forge/pkg-feedstock``: the submodule's name and folder."""
    return name.split("/")[1].removesuffix("-feedstock")
