"""Delivery and deployment targets a CI file talks to, recognised from its string values.

The matcher is a needle prefilter in front of ``re`` (see ``match``), not a multi-pattern
library (Hyperscan, pyahocorasick): with results remembered per string, the prefilter runs
on the distinct strings only (about 2,000 per 3,000 feedstocks), too little to need one."""

from __future__ import annotations

import re

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
        ("docker-hub", r"\b(?:registry-1\.|index\.)?docker\.io\b|\bhub\.docker\.com\b", "docker"),
        ("docker-hub", r"\b\w*DOCKER_?HUB\w*\b|\bDOCKER_(?:USERNAME|PASSWORD|TOKEN)\b", "docker"),
        ("docker-hub", r"(?:\b|_)DH_(?:PASSWORD|TOKEN)\b", "dh_"),
        ("quay.io", r"\bdocker\s+(?:login|push)\b[^\n]*\bquay\.io\b|\b\w*QUAY_\w+\b", "quay"),
        ("ghcr.io", r"\bdocker\s+(?:login|push)\b[^\n]*\bghcr\.io\b|\b\w*GHCR_\w+\b", "ghcr"),
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
        ("github-releases", r"\bsoftprops/action-gh-release@|\bactions/create-release@", "release"),
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
# Every needle of every rule: a string with none of them matches nothing.
_ANY = re.compile("|".join(sorted({re.escape(n) for _, _, ns in RULES for n in ns})))
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

    Exactly ``match_each(text, RULES)``, with a prefilter: an ASCII string is searched only
    by the rules one of whose needles it holds. (Case-insensitive matching also pairs a few
    non-ASCII letters with ASCII ones, e.g. the Kelvin sign with k, so other strings get
    every rule.) Measured on the strings of a rendered feedstock: 23 searches 6.7 µs a
    string, one alternation of all patterns 6.2 µs (``re`` tries every branch at every
    position), this prefilter 1.3 µs. Results are remembered per string: rendered CI files
    repeat the same strings (a 3,000-feedstock org: 109,000 strings, 1,900 distinct)."""
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


# Rules matched line by line (results remembered per line: long scripts share most lines
# with other strings), and rules matched over the whole text.
_LINE = [i for i, (_, rx, _) in enumerate(RULES) if _line_bound(rx.pattern)]
_TEXT = [i for i in range(len(RULES)) if i not in set(_LINE)]
_LINES: dict[str, dict[int, int]] = {}


def _line_starts(line: str) -> dict[int, int]:
    """Leftmost match offset in one (ASCII) line, by rule index, for the line-bound rules."""
    found = _LINES.get(line)
    if found is None:
        if len(_LINES) >= _SEEN_MAX:
            _LINES.clear()
        low = line.lower()
        found = {}
        if _ANY.search(low) is not None:
            for i in _LINE:
                if any(n in low for n in RULES[i][2]) and (m := RULES[i][1].search(line)):
                    found[i] = m.start()
        _LINES[line] = found
    return found


def _match(text: str) -> tuple[tuple[str, int], ...]:
    if not text.isascii():
        return match_each(text, RULES)
    low = text.lower()
    if _ANY.search(low) is None:
        return ()
    if "\n" not in text:
        return match_each(text, [r for r in RULES if any(n in low for n in r[2])])
    # Multi-line text: the leftmost match of a line-bound rule is on the first line that has
    # one, so lines are matched (and remembered) one by one; the other rules see the text.
    starts: dict[int, int] = {}
    offset = 0
    for line in text.split("\n"):
        for i, start in _line_starts(line).items():
            starts.setdefault(i, offset + start)
        offset += len(line) + 1
    for i in _TEXT:
        if any(n in low for n in RULES[i][2]) and (m := RULES[i][1].search(text)):
            starts[i] = m.start()
    found: dict[str, int] = {}
    for i in sorted(starts):  # merged in rule order, as match_each does
        service = RULES[i][0]
        if service not in found or starts[i] < found[service]:
            found[service] = starts[i]
    return tuple(found.items())


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
