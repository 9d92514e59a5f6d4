"""A file's text with its comments blanked, line numbers kept, so a comment never satisfies a check.

Python comments come from ``tokenize``; shell, TOML, Dockerfile and similar files lose ``#``
comments; JavaScript-like files lose ``//`` and ``/* */``; Markdown and HTML lose ``<!-- -->``
(except in issue and pull request templates, whose comments are the text authors read).
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import PurePosixPath

HASH_SUFFIXES = {
    ".sh", ".bash", ".zsh", ".toml", ".cfg", ".ini", ".txt", ".conf", ".env", ".r", ".pl",
    ".rb", ".tf", ".hcl", ".mk", ".bat", ".ps1",
}  # fmt: skip
HASH_NAMES = {"dockerfile", "makefile", "procfile", ".gitignore", ".gitattributes", "gemfile"}
SLASH_SUFFIXES = {".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".c", ".h", ".cpp", ".java"}
MARKUP_SUFFIXES = {".md", ".html", ".htm", ".xml", ".rst"}
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _blank(text: str) -> str:
    """``text`` with everything but newlines removed (keeps line numbers)."""
    return "\n" * text.count("\n")


def strip_hash(text: str) -> str:
    """Remove ``#`` comments: a ``#`` at a line's start or after a blank, outside quotes."""
    out = []
    for line in text.splitlines(keepends=True):
        quote, prev, cut = "", " ", None
        for i, ch in enumerate(line):
            if quote:
                if ch == quote and prev != "\\":
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and prev.isspace():
                cut = i
                break
            prev = ch
        if cut is None:
            out.append(line)
        else:
            out.append(line[:cut].rstrip(" \t") + ("\n" if line.endswith("\n") else ""))
    return "".join(out)


def strip_python(text: str) -> str:
    """Remove Python comments, found with ``tokenize`` (``#`` in strings stays)."""
    lines = text.splitlines(keepends=True)
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return strip_hash(text)
    for tok in reversed(tokens):
        row, col = tok.start
        line = lines[row - 1]
        lines[row - 1] = line[:col].rstrip(" \t") + line[tok.end[1] :]
    return "".join(lines)


def strip_slash(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments outside string literals ('', "", ``)."""
    out, i, n, quote = [], 0, len(text), ""
    while i < n:
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = ""
            i += 1
        elif ch in "'\"`":
            quote = ch
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(_blank(text[i:end]))
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def strip_markup(text: str) -> str:
    """Remove ``<!-- -->`` comments."""
    return HTML_COMMENT.sub(lambda m: _blank(m.group(0)), text)


def without_comments(path: str, text: str) -> str:
    """``text`` of the file at ``path`` with its comments removed (unknown kinds unchanged)."""
    name = PurePosixPath(path).name.lower()
    suffix = PurePosixPath(name).suffix
    if suffix in (".py", ".pyi"):
        return strip_python(text)
    if suffix in HASH_SUFFIXES or name in HASH_NAMES or name.startswith("dockerfile"):
        return strip_hash(text)
    if suffix in SLASH_SUFFIXES:
        return strip_slash(text)
    if suffix in MARKUP_SUFFIXES and "template" not in path.lower():
        return strip_markup(text)  # a template's comments are its text for authors
    return text
