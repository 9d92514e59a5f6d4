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
