"""Delivery and deployment targets a CI file talks to, recognised from its string values."""

from __future__ import annotations

import re

# (service, pattern) pairs matched against every string (keys and values) of a CI file.
RULES: list[tuple[str, re.Pattern[str]]] = [
    (s, re.compile(p, re.IGNORECASE))
    for s, p in [
        ("anaconda.org", r"\banaconda\b[^\n|;&]*\supload\b"),
        ("anaconda.org", r"https?://(?:api\.)?anaconda\.org\b"),
        ("anaconda.org", r"\b[A-Z0-9_]*(?:BINSTAR|ANACONDA)[A-Z0-9_]*TOKEN[A-Z0-9_]*\b"),
        ("anaconda.org", r"\brattler-build\s+upload\s+anaconda\b"),
        ("heroku", r"\bheroku(?:\b|_)"),
        ("github-pages", r"\bactions/(?:deploy-pages|upload-pages-artifact|configure-pages)@"),
        ("github-pages", r"\b(?:peaceiris/actions-gh-pages|JamesIves/github-pages-deploy-action)@"),
        ("github-pages", r"(?<![\w-])gh-pages(?![\w-])|\bghp-import\b"),
        ("docker-hub", r"\b(?:registry-1\.|index\.)?docker\.io\b|\bhub\.docker\.com\b"),
        ("docker-hub", r"\b\w*DOCKER_?HUB\w*\b|\bDOCKER_(?:USERNAME|PASSWORD|TOKEN)\b"),
        ("docker-hub", r"(?:\b|_)DH_(?:PASSWORD|TOKEN)\b"),
        ("quay.io", r"\bdocker\s+(?:login|push)\b[^\n]*\bquay\.io\b|\b\w*QUAY_\w+\b"),
        ("ghcr.io", r"\bdocker\s+(?:login|push)\b[^\n]*\bghcr\.io\b|\b\w*GHCR_\w+\b"),
        ("pypi", r"\bpypa/gh-action-pypi-publish@|\btwine\s+upload\b|\bupload\.pypi\.org\b"),
        ("pypi", r"\b(?:TEST_)?PYPI_[A-Z0-9_]*(?:TOKEN|PASSWORD)\b|\bTWINE_PASSWORD\b"),
        ("github-releases", r"\bsoftprops/action-gh-release@|\bactions/create-release@"),
        ("github-releases", r"\bgh\s+release\s+(?:create|upload)\b|\bncipollo/release-action@"),
        ("npm", r"\bnpm\s+publish\b|\bNPM_TOKEN\b"),
        ("azure-key-vault", r"\bAzure/get-keyvault-secrets@|\baz\s+keyvault\b"),
        ("1password", r"\b1password/[\w-]+@|\bOP_SERVICE_ACCOUNT_TOKEN\b"),
        ("amazon-s3", r"\baws\s+s3\s+(?:cp|sync|mv)\b|\bs3://"),
        ("codecov", r"\bcodecov/codecov-action@|\bCODECOV_TOKEN\b"),
        ("zenodo", r"\bzenodo\.org\b"),
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


def match(text: str) -> list[tuple[str, int]]:
    """(service, offset) for every rule that matches ``text``; first match per service."""
    found: dict[str, int] = {}
    for service, rx in RULES:
        m = rx.search(text)
        if m and (service not in found or m.start() < found[service]):
            found[service] = m.start()
    return list(found.items())
