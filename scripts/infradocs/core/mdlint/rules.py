"""The individual line rules; each yields (line number, rule name, message) for one file's lines.

The rules have names of their own (``fence-language``, ``h1-first``, ``secret-value``, ...), not
markdownlint's MD codes, whose numbers mean other things. A maintained linter was tried first:
pymarkdownlnt 0.9.41 over docs/ (133 MyST pages, line length off) reported 10 findings, 7 of
them MyST syntax it does not know (a ``(label)=`` target above a heading, Sphinx anchors, a
heading ending in "Inc."), and it covers only the generic half of these rules: the secret
shapes, ``http://`` links, unclosed fences and vague link text would still be ours. So the
checks stay here, in one small pass that knows MyST.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Finding = tuple[int, str, str]

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+\S")
BARE_URL = re.compile(r"(?<![(<\[`\"'=])\bhttps?://[^\s)>\]`]+")
INSECURE = re.compile(r"\]\(http://(?!127\.0\.0\.1|localhost)")
VAGUE_LINK = re.compile(r"\[(here|click here|this|link|this link)\]\(", re.IGNORECASE)
# Raw HTML tags in prose; MyST passes them to the page, where an unknown one hides its text.
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>\n]*>")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
HTML_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "br",
        "code",
        "del",
        "details",
        "div",
        "em",
        "figcaption",
        "figure",
        "hr",
        "i",
        "iframe",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "video",
    }
)
# Shapes of real credentials: GitHub tokens, anaconda.org tokens in URLs, private keys.
SECRET_SHAPES = [
    (re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"), "a GitHub token"),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{40,}\b"), "a GitHub fine-grained token"),
    (re.compile(r"conda\.anaconda\.org/t/[A-Za-z0-9-]{10,}"), "an anaconda.org token in a URL"),
    (re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"), "a private key"),
    (re.compile(r"https?://[^/\s:@]+:[^/\s@]+@"), "credentials in a URL"),
]


def code_mask(lines: list[str]) -> tuple[list[bool], list[Finding]]:
    """Mark lines inside backtick/tilde code fences; report bad fences."""
    inside, opener, start = False, "", 0
    mask, findings = [], []
    for n, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if m and not inside:
            inside, opener, start = True, m.group(2), n
            if not m.group(3).strip():
                findings.append((n, "fence-language", "code fence has no language or directive"))
            mask.append(True)
        elif m and inside and m.group(2).startswith(opener) and not m.group(3).strip():
            inside = False
            mask.append(True)
        else:
            mask.append(inside)
    if inside:
        findings.append((start, "fence-unclosed", "code fence is never closed"))
    return mask, findings


def check_headings(lines: list[str], mask: list[bool]) -> Iterator[Finding]:
    """One H1 per page, and it is the first heading."""
    first = True
    for n, line in enumerate(lines, 1):
        if mask[n - 1]:
            continue
        m = HEADING.match(line)
        if not m:
            continue
        level = len(m.group(1))
        if first and level != 1:
            yield n, "h1-first", "the first heading of a page must be a level-1 heading (#)"
        elif not first and level == 1:
            yield n, "h1-single", "a page has one level-1 heading; use ## for sections"
        first = False
    if first:
        yield 1, "heading-missing", "page has no heading"


def check_text(lines: list[str], mask: list[bool]) -> Iterator[Finding]:
    """Whitespace, links and anything shaped like a secret value."""
    for n, line in enumerate(lines, 1):
        if line != line.rstrip():
            yield n, "trailing-whitespace", "trailing whitespace"
        if "\t" in line:
            yield n, "tab", "tab character; indent with spaces"
        for pattern, what in SECRET_SHAPES:
            if pattern.search(line):
                yield (
                    n,
                    "secret-value",
                    f"looks like {what}: write a secret's name, never its value",
                )
        if mask[n - 1]:
            continue
        stripped = re.sub(r"`[^`]*`", "", line)
        if INSECURE.search(stripped):
            yield n, "http-link", "link uses http://; use https://"
        if VAGUE_LINK.search(stripped):
            yield (
                n,
                "vague-link-text",
                "link text says nothing about the target; name what it links to",
            )
        if BARE_URL.search(stripped) and not stripped.lstrip().startswith((":", "[")):
            yield n, "bare-url", "bare URL renders as plain text; write [text](url) or <url>"


def check_raw_tags(lines: list[str], mask: list[bool]) -> Iterator[Finding]:
    """``<name>`` in prose is an unknown HTML element to the browser: its text vanishes."""
    n = 0
    while n < len(lines):
        if mask[n] or not lines[n].strip():
            n += 1
            continue
        start = n
        while n < len(lines) and not mask[n] and lines[n].strip():
            n += 1
        text = "\n".join(lines[start:n])  # a paragraph: code spans may cross lines
        text = CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        for m in HTML_TAG.finditer(text):
            if m.group(1).lower() not in HTML_ELEMENTS:
                line = start + 1 + text.count("\n", 0, m.start())
                yield (
                    line,
                    "raw-html-tag",
                    f"{m.group()} is read as an HTML tag and hidden; put it in backticks",
                )
