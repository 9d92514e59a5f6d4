"""Delivery and deployment targets a CI file talks to, recognised from its string values.

The matcher finds needles with ``str.find`` and tries ``re`` only where a match can start
(see ``match``), not a multi-pattern library (Hyperscan, pyahocorasick): with results
remembered per string, it runs on the distinct strings only (about 2,000 per 3,000
feedstocks, a few thousand more per large infrastructure repository), too few to need one."""

from __future__ import annotations

import re
from typing import NamedTuple

# (service, pattern, needles) matched against every string (keys and values) of a CI file.
# Every match of a pattern contains one of its needles (lower case), so a string holding none
# of them is not searched: most strings hold none, and one substring test is far cheaper than
# a regular-expression search (the prefilter of ``match``).
RULES: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    (s, re.compile(p, re.IGNORECASE), tuple(n.split()))
    for s, p, n in [
        ("anaconda.org", r"\banaconda\b[^\n|;&]*\supload\b", "anaconda"),
        ("anaconda.org", r"https?://(?:api\.)?anaconda\.org\b", "anaconda.org"),
        (
            "anaconda.org",
            r"\b[A-Z0-9_]*(?:BINSTAR|ANACONDA)[A-Z0-9_]*TOKEN[A-Z0-9_]*\b",
            "binstar anaconda",
        ),
        ("anaconda.org", r"\brattler-build\s+upload\s+anaconda\b", "anaconda"),
        ("heroku", r"\bheroku(?:\b|_)", "heroku"),
        (
            "github-pages",
            r"\bactions/(?:deploy-pages|upload-pages-artifact|configure-pages)@",
            "-pages",
        ),
        (
            "github-pages",
            r"\b(?:peaceiris/actions-gh-pages|JamesIves/github-pages-deploy-action)@",
            "-pages",
        ),
        ("github-pages", r"(?<![\w-])gh-pages(?![\w-])|\bghp-import\b", "gh-pages ghp-import"),
        (
            "docker-hub",
            r"\b(?:registry-1\.|index\.)?docker\.io\b|\bhub\.docker\.com\b",
            "docker.io hub.docker.com",
        ),
        (
            "docker-hub",
            r"\b\w*DOCKER_?HUB\w*\b|\bDOCKER_(?:USERNAME|PASSWORD|TOKEN)\b",
            "dockerhub docker_",
        ),
        ("docker-hub", r"(?:\b|_)DH_(?:PASSWORD|TOKEN)\b", "dh_"),
        (
            "quay.io",
            r"\bdocker\s+(?:login|push)\b[^\n]*\bquay\.io\b|\b\w*QUAY_\w+\b",
            "quay.io quay_",
        ),
        (
            "ghcr.io",
            r"\bdocker\s+(?:login|push)\b[^\n]*\bghcr\.io\b|\b\w*GHCR_\w+\b",
            "ghcr.io ghcr_",
        ),
        (
            "pypi",
            r"\bpypa/gh-action-pypi-publish@|\btwine\s+upload\b|\bupload\.pypi\.org\b",
            "pypi twine",
        ),
        (
            "pypi",
            r"\b(?:TEST_)?PYPI_[A-Z0-9_]*(?:TOKEN|PASSWORD)\b|\bTWINE_PASSWORD\b",
            "pypi_ twine_password",
        ),
        (
            "github-releases",
            r"\bsoftprops/action-gh-release@|\bactions/create-release@",
            "action-gh-release@ create-release@",
        ),
        (
            "github-releases",
            r"\bgh\s+release\s+(?:create|upload)\b|\bncipollo/release-action@",
            "release",
        ),
        ("npm", r"\bnpm\s+publish\b|\bNPM_TOKEN\b", "npm"),
        ("azure-key-vault", r"\bAzure/get-keyvault-secrets@|\baz\s+keyvault\b", "keyvault"),
        (
            "1password",
            r"\b1password/[\w-]+@|\bOP_SERVICE_ACCOUNT_TOKEN\b",
            "1password op_service_account_token",
        ),
        ("amazon-s3", r"\baws\s+s3\s+(?:cp|sync|mv)\b|\bs3://", "s3"),
        ("codecov", r"\bcodecov/codecov-action@|\bCODECOV_TOKEN\b", "codecov"),
        ("zenodo", r"\bzenodo\.org\b", "zenodo.org"),
    ]
]
# Registry hosts named as the value of a ``registry:``-like key (login and push actions).
REGISTRY_KEYS = {"registry", "registry_url", "server", "registry-url"}
REGISTRIES = {
    "quay.io": "quay.io",
    "ghcr.io": "ghcr.io",
    "docker.io": "docker-hub",
    "index.docker.io": "docker-hub",
    "registry-1.docker.io": "docker-hub",
}


def registry(key: str | None, value: str) -> str | None:
    """The service a ``registry: host[/path]`` value names, if any."""
    if key not in REGISTRY_KEYS:
        return None
    host = value.strip().split("://")[-1].split("/")[0].lower()
    return REGISTRIES.get(host)


# Travis and similar `provider:` deploy settings name the target directly.
DEPLOY_PROVIDERS = {
    "pypi": "pypi",
    "pages": "github-pages",
    "heroku": "heroku",
    "releases": "github-releases",
    "npm": "npm",
    "s3": "amazon-s3",
    "anaconda": "anaconda.org",
}


def match(text: str) -> tuple[tuple[str, int], ...]:
    """(service, offset) for every rule that matches ``text``; first match per service.

    Exactly ``match_each(text, RULES)``, found by needles: an ASCII string is tried only by
    the rules one of whose needles it holds, and each rule only where a match can start
    (see ``_Alt``). (Case-insensitive matching also pairs a few non-ASCII letters with ASCII
    ones, e.g. the Kelvin sign with k, so other strings get every rule.) Results are
    remembered per string: rendered CI files repeat the same strings (a 3,000-feedstock org:
    109,000 strings, 1,900 distinct)."""
    found = _SEEN.get(text)
    if found is None:
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        found = _SEEN[text] = _match(text)
    return found


_SEEN: dict[str, tuple[tuple[str, int], ...]] = {}
_SEEN_MAX = 50_000


def _line_bound(pattern: str) -> bool:
    """True when no match of ``pattern`` can hold a newline (no ``\\s``, ``\\W``, ``\\D``,
    ``\\S``, ``\\n`` or negated class): its matches lie within one line of a text."""
    return re.search(r"\\[sWDSn]|\[\^", pattern) is None


def _alternatives(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (not inside a group or a class)."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]]


# An alternative's literal start: after an optional \b or lookbehind (which match no text),
# letters, digits, a few punctuation marks and escaped dots.
_LITERAL = re.compile(r"(?:\\b|\(\?<![^()]*\))?((?:[A-Za-z0-9/@:_-]|\\\.)+)([?*+{]?)")


def _lead(alternative: str) -> str | None:
    """The text (lower case) every match of ``alternative`` starts with, or None."""
    m = _LITERAL.match(alternative)
    if not m:
        return None
    atoms = re.findall(r"\\\.|.", m.group(1))
    if m.group(2):  # the quantifier applies to the last atom only
        atoms = atoms[:-1]
    return "".join(a[-1] for a in atoms).lower() or None


class _Alt(NamedTuple):
    """One top-level alternative of a rule, and where its matches can start: at an occurrence
    of ``lead`` (when every match starts with it), within the line of an occurrence of one of
    the rule's needles (when no match crosses a line), or anywhere."""

    rx: re.Pattern[str]
    lead: str | None
    line_bound: bool

    def first(self, text: str, low: str, needles: tuple[str, ...]) -> int | None:
        """Offset of the leftmost match in ``text`` (``low`` is its lower case), or None."""
        if self.lead is not None:  # only where the lead is: try there, left to right
            find, at = low.find, self.rx.match
            p = find(self.lead)
            while p >= 0:
                if at(text, p):
                    return p
                p = find(self.lead, p + 1)
            return None
        if self.line_bound:  # only the lines holding a needle, top to bottom
            p = _next(low, needles, 0)
            while p >= 0:
                start, end = text.rfind("\n", 0, p) + 1, text.find("\n", p)
                end = len(text) if end < 0 else end
                if m := self.rx.search(text, start, end):
                    return m.start()
                p = _next(low, needles, end)
            return None
        m = self.rx.search(text)
        return m.start() if m else None


def _next(low: str, needles: tuple[str, ...], start: int) -> int:
    """The first offset at or after ``start`` where one of ``needles`` occurs, or -1."""
    return min((p for p in (low.find(n, start) for n in needles) if p >= 0), default=-1)


# Per rule: its alternatives. Per needle: the rules holding it (in rule order).
_PLAN = [
    [_Alt(re.compile(a, rx.flags), _lead(a), _line_bound(a)) for a in _alternatives(rx.pattern)]
    for _, rx, _ in RULES
]
_NEEDLES = sorted({n for _, _, ns in RULES for n in ns})
_RULES_OF = {n: [i for i, r in enumerate(RULES) if n in r[2]] for n in _NEEDLES}


def _match(text: str) -> tuple[tuple[str, int], ...]:
    """``match_each(text, RULES)`` by needles: the leftmost match of a rule is the leftmost
    of its alternatives' (``_Alt.first``); services in the order of their first matching rule.

    A string of rendered feedstocks and large infrastructure workflows (two 2,000-feedstock
    orgs, 13,000 distinct strings): the former prefilter (one regular expression of all
    needles, then each rule whose needle is present searched over the whole string, lines
    of long scripts remembered one by one) 0.12-0.17 s, this 0.08-0.10 s. A multi-line
    string goes line by line (``_by_lines``)."""
    if not text.isascii():
        return match_each(text, RULES)
    if "\n" in text:
        return _by_lines(text)
    low = text.lower()
    present = [n for n in _NEEDLES if n in low]
    if not present:
        return ()
    found: dict[int, int] = {}
    for i in _rules_holding(present):
        _, _, needles = RULES[i]
        for alt in _PLAN[i]:
            _earliest(found, i, alt.first(text, low, needles))
    return _services(found)


def _rules_holding(present: list[str]) -> list[int]:
    """Indexes of the rules one of whose needles is in ``present``, in rule order."""
    if len(present) == 1:
        return _RULES_OF[present[0]]
    return sorted({i for n in present for i in _RULES_OF[n]})


def _earliest(found: dict[int, int], rule: int, start: int | None) -> None:
    if start is not None and (rule not in found or start < found[rule]):
        found[rule] = start


def _services(found: dict[int, int]) -> tuple[tuple[str, int], ...]:
    """(service, offset) from each matching rule's leftmost offset: per service the leftmost,
    in the order of its first matching rule (as ``match_each`` gives them)."""
    out: dict[str, int] = {}
    for i in sorted(found):
        service = RULES[i][0]
        if service not in out or found[i] < out[service]:
            out[service] = found[i]
    return tuple(out.items())


def _by_lines(text: str) -> tuple[tuple[str, int], ...]:
    """``_match`` of a multi-line ASCII string: the line-bound alternatives line by line, each
    distinct line tried once (``_line``: the scripts of large workflows share most lines, 19 MB
    of them at 25,000 feedstocks but 3 MB distinct); the others over the whole string, for the
    rules whose needles the lines hold (a needle never spans a line, so the whole text is not
    searched for them again). All 960,000 strings of that org's distinct files (81,000
    distinct, 20 MB), best of 3: 1.29 s with each needle looked for over each whole text and
    the rules' former needles ("docker" for every Docker Hub rule, "quay", "ghcr", "release"),
    0.79 s now."""
    found: dict[int, int] = {}
    known, at, held = _LINES.get, 0, 0
    for line in text.split("\n"):
        seen = known(line)
        if seen is None:
            seen = _line(line)
        if seen is not _NOTHING:
            hits, mask = seen
            held |= mask
            for i, offset in hits:
                _earliest(found, i, at + offset)
        at += len(line) + 1
    if not held:
        return ()
    low = text.lower()
    rules = _HELD.get(held)
    if rules is None:
        rules = _HELD[held] = _rules_holding([n for n in _NEEDLES if held & _BIT[n]])
    for i in rules:
        _, _, needles = RULES[i]
        for alt in _PLAN[i]:
            if not alt.line_bound:
                _earliest(found, i, alt.first(text, low, needles))
    return _services(found)


def _line(line: str) -> tuple[tuple[tuple[int, int], ...], int]:
    """(the (rule, leftmost offset) of the line-bound alternatives that match in ``line``, the
    bits of the needles it holds), worked out and remembered (``_by_lines`` looks it up
    first); a line holding no needle gets ``_NOTHING``."""
    if len(_LINES) >= _SEEN_MAX:
        _LINES.clear()
    low = line.lower()
    present = [n for n in _NEEDLES if n in low]
    if not present:
        _LINES[line] = _NOTHING
        return _NOTHING
    found: dict[int, int] = {}
    for i in _rules_holding(present):
        for alt in _PLAN[i]:
            if alt.line_bound and (m := alt.rx.search(line)):  # one line: its leftmost match
                _earliest(found, i, m.start())
    known = _LINES[line] = (tuple(found.items()), sum(_BIT[n] for n in present))
    return known


_LINES: dict[str, tuple[tuple[tuple[int, int], ...], int]] = {}
_NOTHING: tuple[tuple[tuple[int, int], ...], int] = ((), 0)
_BIT = {n: 1 << b for b, n in enumerate(_NEEDLES)}
_HELD: dict[int, list[int]] = {}  # the needles' bits -> the rules holding one of them


def match_each(
    text: str, rules: list[tuple[str, re.Pattern[str], tuple[str, ...]]]
) -> tuple[tuple[str, int], ...]:
    """The unfiltered matcher: every rule of ``rules`` searched in ``text``."""
    found: dict[str, int] = {}
    for service, rx, _ in rules:
        m = rx.search(text)
        if m and (service not in found or m.start() < found[service]):
            found[service] = m.start()
    return tuple(found.items())
