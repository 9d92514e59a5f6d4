"""The ``[tool.infra-docs.versions]`` settings: which refs the versioned site builds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

DEFAULTS: dict[str, Any] = {
    "branch": "main",
    "dev_name": "dev",
    "stable_name": "stable",
    "tag_pattern": r"v(\d+(?:\.\d+)*)",
    "exclude": [],
    "min_version": "",
}


class ConfigError(ValueError):
    """The versions table is invalid; the message names the file and key."""


@dataclass(frozen=True)
class VersionsConfig:
    """Which refs are built and how the versions are named."""

    base_url: str
    branch: str = DEFAULTS["branch"]
    dev_name: str = DEFAULTS["dev_name"]
    stable_name: str = DEFAULTS["stable_name"]
    tag_pattern: str = DEFAULTS["tag_pattern"]
    exclude: tuple[str, ...] = field(default_factory=tuple)
    min_version: str = ""

    @property
    def tag_regex(self) -> re.Pattern[str]:
        """The compiled tag pattern (must match the whole tag; group 1 is the version)."""
        return re.compile(self.tag_pattern)

    def with_base_url(self, base_url: str) -> VersionsConfig:
        """A copy with another base URL (e.g. a local preview server)."""
        return VersionsConfig(**{**self.__dict__, "base_url": normalise_base_url(base_url)})


def normalise_base_url(url: str) -> str:
    """Return ``url`` ending in exactly one slash."""
    return url.rstrip("/") + "/"


def load_config(site: dict[str, Any], source: str = "pyproject.toml") -> VersionsConfig:
    """Build a :class:`VersionsConfig` from the ``[tool.infra-docs]`` table ``site``."""
    where = f"{source} [tool.infra-docs.versions]"
    table = dict(site.get("versions", {}))
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values = {**DEFAULTS, **table}
    for key in ("branch", "dev_name", "stable_name", "tag_pattern", "min_version"):
        if not isinstance(values[key], str):
            raise ConfigError(f"{where}: {key} must be a string, got {values[key]!r}")
    for key in ("branch", "dev_name", "stable_name"):
        if not values[key] or ("/" in values[key] and key != "branch"):
            raise ConfigError(f"{where}: {key} must be a non-empty name without '/'")
    if values["dev_name"] == values["stable_name"]:
        raise ConfigError(f"{where}: dev_name and stable_name must differ")
    try:
        pattern = re.compile(values["tag_pattern"])
    except re.error as exc:
        raise ConfigError(f"{where}: tag_pattern is not a valid regex: {exc}") from exc
    if pattern.groups < 1:
        raise ConfigError(f"{where}: tag_pattern needs a group capturing the version number")
    exclude = values["exclude"]
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        raise ConfigError(f"{where}: exclude must be a list of tag names")
    base_url = site.get("base_url")
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{source} [tool.infra-docs]: base_url must be an http(s) URL")
    return VersionsConfig(
        base_url=normalise_base_url(base_url),
        branch=values["branch"],
        dev_name=values["dev_name"],
        stable_name=values["stable_name"],
        tag_pattern=values["tag_pattern"],
        exclude=tuple(exclude),
        min_version=values["min_version"],
    )
