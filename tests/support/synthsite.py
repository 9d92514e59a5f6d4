"""Generate a synthetic MyST site with diagrams, tabs and cross-references."""

from __future__ import annotations

from pathlib import Path

CONF = '''"""Benchmark site: the real conf.py's settings, without the project's own extensions."""
import sys
sys.path.insert(0, {root!r})
from conf import *  # noqa: F403
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.mermaid",
"infradocs.sphinxext.siteconfig"]
templates_path = [{root!r} + "/docs/_templates"]
html_static_path = [{root!r} + "/docs/_static"]
html_logo = {root!r} + "/docs/_static/logo.svg"
html_favicon = html_logo
'''

PAGE = """# Page {i}

(page-{i}-intro)=
## Introduction

Page {i} of the synthetic benchmark site links to {{ref}}`page-{prev}-intro` and
{{doc}}`page{next}`. It exists to measure build times, so its text is plain filler about
feedstocks, channels and tokens, repeated to a realistic length.

{filler}

::::{{tab-set}}
:::{{tab-item}} Linux
Builds on Linux for page {i}.
:::
:::{{tab-item}} macOS
Builds on macOS for page {i}.
:::
::::

:::{{note}}
An admonition on page {i}.
:::
{diagram}
## Details

{filler}
"""

DIAGRAM = """
```{{mermaid}}
flowchart LR
  a{i}[Recipe {i}] --> b{i}[Feedstock {i}] --> c{i}[Channel {i}]
```
"""

FILLER = " ".join(["Packages move from a recipe to a feedstock to a channel."] * 12)


def generate(
    dest: Path, pages: int = 200, diagram_every: int = 2, root: Path | None = None
) -> Path:
    """Write ``pages`` pages (some with a diagram) and a conf.py into ``dest``."""
    from infradocs.core.siteconfig import ROOT

    dest.mkdir(parents=True, exist_ok=True)
    (dest / "conf.py").write_text(CONF.format(root=str(root or ROOT)))
    names = [f"page{i}" for i in range(pages)]
    toc = "\n".join(names)
    (dest / "index.md").write_text(
        f"# Benchmark site\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n"
    )
    for i in range(pages):
        diagram = DIAGRAM.format(i=i) if i % diagram_every == 0 else ""
        (dest / f"page{i}.md").write_text(
            PAGE.format(
                i=i, prev=(i - 1) % pages, next=(i + 1) % pages, filler=FILLER, diagram=diagram
            )
        )
    return dest


PLAIN_CONF = '''"""Baseline site: the real conf.py's settings with MyST and the theme only
(no extension of ours, none of sphinx-design or mermaid)."""
import sys
sys.path.insert(0, {root!r})
from conf import *  # noqa: F403
extensions = ["myst_parser"]
templates_path = [{root!r} + "/docs/_templates"]
html_static_path = [{root!r} + "/docs/_static"]
html_logo = {root!r} + "/docs/_static/logo.svg"
html_favicon = html_logo
'''

PLAIN_PAGE = """# Plain page {i}

(plain-{i}-intro)=
## Introduction

Plain page {i} links to {{ref}}`plain-{prev}-intro`.

- a feedstock builds a package
- a channel serves it

```yaml
recipe: page-{i}
```

## Details

"""


def _parents(names: list[str]) -> dict[str, list[str]]:
    """Each folder index's children: the pages under it whose nearest index it is."""
    indexes = {n for n in names if n == "index" or n.endswith("/index")}
    children: dict[str, list[str]] = {i: [] for i in indexes}
    for name in names:
        if name == "index":
            continue
        folder = name.rsplit("/", 1)[0] if "/" in name else ""
        if name.endswith("/index"):  # its parent is the index of the folder above
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
        while folder and f"{folder}/index" not in indexes:
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
        children[f"{folder}/index" if folder else "index"].append(name)
    return children


def generate_plain(dest: Path, names: list[str], page_bytes: int, root: Path | None = None) -> Path:
    """Write MyST pages named ``names`` (docnames, ``index`` among them) of about
    ``page_bytes`` bytes each, their folder indexes listing them in toctrees as the real site's
    do, and a conf.py with MyST and the theme only: the plain-Sphinx baseline."""
    from infradocs.core.siteconfig import ROOT

    dest.mkdir(parents=True, exist_ok=True)
    (dest / "conf.py").write_text(PLAIN_CONF.format(root=str(root or ROOT)))
    names = sorted(set(names) | {"index"})
    children = _parents(names)
    sentence = "Packages move from a recipe to a feedstock to a channel. "
    for i, name in enumerate(names):
        head = PLAIN_PAGE.format(i=i, prev=(i - 1) % len(names))
        toc = children.get(name, [])
        if toc:
            base = name[: -len("index")]
            entries = "\n".join(c[len(base) :] for c in toc)
            head += f"```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n\n"
        fill = max(0, page_bytes - len(head)) // len(sentence)
        paragraphs = [sentence * 6] * (fill // 6) + ([sentence * (fill % 6)] if fill % 6 else [])
        path = dest / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + "\n\n".join(p.strip() for p in paragraphs) + "\n")
    return dest
