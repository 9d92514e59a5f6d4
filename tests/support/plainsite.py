"""The contributor benchmark's baseline: this site's own pages made plain MyST, for plain Sphinx.

Every page keeps its text, headings, lists, tables, links, toctrees and Sphinx's own directives
and roles; what needs an extension Sphinx and MyST lack (ours, sphinx-design's, mermaid's) is
replaced by its text (a diagram by a code block). Plain Sphinx then builds as many pages, with as
varied a text and as many headings, as ours. A line-based rewrite, so every other byte stays as
written: re-rendering through markdown-it-py (mdformat) would also re-flow and re-escape the text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# Sphinx's and docutils' own directives, kept as they are.
KEPT_DIRECTIVES = frozenset(
    {"admonition", "code", "code-block", "glossary", "note", "seealso", "tip", "toctree"}
)
KEPT_ROLES = frozenset({"doc", "ref", "term"})
AS_CODE = frozenset({"mermaid"})  # a diagram's source: shown as a code block

OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<arg>.*)$")
OPTION = re.compile(r"^\s*:[\w-]+:")
ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<content>[^`]*)`")
TARGET = re.compile(r"^(?P<text>.*?)\s*<.*>\s*$", re.DOTALL)

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
html_extra_path = []
'''


def _role(m: re.Match) -> str:
    if m.group("name") in KEPT_ROLES:
        return m.group(0)
    content = m.group("content")
    target = TARGET.match(content)
    return (target.group("text") if target else content) or content


def plain_text(text: str) -> str:
    """One page's Markdown with every directive and role of an extension replaced by its text."""
    out: list[str] = []
    closers: list[tuple[str, str | None]] = []  # (closing fence, replacement line or None)
    options = False  # directly after an opening line replaced: its option lines are dropped
    for line in text.splitlines():
        stripped = line.strip()
        if closers and stripped == closers[-1][0]:
            _, replacement = closers.pop()
            if replacement is not None:
                out.append(replacement)
            options = False
            continue
        m = OPEN.match(line)
        if m:
            name, fence, indent = m.group("name"), m.group("fence"), m.group("indent")
            if name in KEPT_DIRECTIVES:
                closers.append((fence, line[: len(indent)] + fence))
                out.append(line)
            elif name in AS_CODE:
                closers.append((fence, indent + "```"))
                out.append(indent + "```text")
                options = True
            else:
                closers.append((fence, None))
                options = True
            continue
        if options and OPTION.match(line):
            continue
        options = False
        out.append(line)
    return ROLE.sub(_role, "\n".join(out) + "\n")  # a role's text may run over lines


def plain_copy(docs: Path, dest: Path, root: Path) -> Path:
    """Copy the source folder ``docs`` to ``dest`` with every page made plain (``plain_text``)
    and a conf.py of ``root``'s settings with MyST and the theme only; ``dest``."""
    shutil.copytree(docs, dest, ignore=shutil.ignore_patterns("_static", "_extra", "_templates"))
    for page in dest.rglob("*.md"):
        page.write_text(plain_text(page.read_text(encoding="utf-8")), encoding="utf-8")
    (dest / "conf.py").write_text(PLAIN_CONF.format(root=str(root)), encoding="utf-8")
    return dest
