"""Load the link-check settings (scripts/infradocs/core/links/config.toml) into typed objects."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

CONFIG_FILE = Path(__file__).with_name("config.toml")


class ConfigError(ValueError):
    """A settings file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Rule:
    """A regular expression with the reason it exists."""

    pattern: re.Pattern[str]
    reason: str

    def matches(self, url: str) -> bool:
        return self.pattern.match(url) is not None


@dataclass(frozen=True)
class Redirect:
    """A redirect that counts as good: from a URL matching ``source`` to one matching ``target``."""

    source: re.Pattern[str]
    target: re.Pattern[str]
    reason: str


@dataclass(frozen=True)
class External:
    """Settings of the external check (lychee's flags; see
    scripts/infradocs/core/links/lychee.py)."""

    concurrency: int = 64
    per_host: int = 8
    host_interval: float = 0.0
    timeout: float = 15.0
    retries: int = 2
    max_redirects: int = 10
    anchors: bool = True
    timeout_is_broken: bool = False
    cache_dir: str = ".cache/linkcheck"
    cache_max_age_hours: float = 168.0
    cache_broken_max_age_minutes: float = 60.0
    user_agent: str = "infrastructure-docs-linkcheck/1.0"
    ignore: tuple[Rule, ...] = ()
    include: tuple[re.Pattern[str], ...] = ()
    allowed_redirects: tuple[Redirect, ...] = ()
    ignore_anchors: tuple[Rule, ...] = ()

    def included(self, url: str) -> bool:
        """Whether ``url`` is checked at all: it matches an ``include`` pattern (searched
        anywhere in the URL, as lychee's ``--include`` does), or there are none."""
        return not self.include or any(rx.search(url) for rx in self.include)

    def with_overrides(self, **values: object) -> External:
        """A copy with the given (non-None) values replaced."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


@dataclass(frozen=True)
class Internal:
    """Settings of the internal (built-site) checker."""

    ignore: tuple[re.Pattern[str], ...] = ()
    skip_dirs: tuple[str, ...] = ("_static", "_sources", "_images", "_downloads")


@dataclass(frozen=True)
class Settings:
    """All link-check settings."""

    external: External = field(default_factory=External)
    internal: Internal = field(default_factory=Internal)
    source: str = "<defaults>"


def _regex(path: Path | str, key: str, value: object) -> re.Pattern[str]:
    if not isinstance(value, str):
        raise ConfigError(f"{path}: {key} must be a string (a regular expression)")
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{path}: {key}: bad regular expression {value!r}: {exc}") from None


def patterns(path: Path | str, key: str, items: object) -> tuple[re.Pattern[str], ...]:
    """Compiled regular expressions from a list of strings; the error names file and key."""
    if not isinstance(items, list):
        raise ConfigError(f"{path}: {key} must be an array of strings")
    return tuple(_regex(path, f"{key}[{i}]", v) for i, v in enumerate(items))


def _tables(path: Path, key: str, items: object, needs: str) -> Iterator[tuple[str, dict]]:
    """(``key[i]``, table) of an array of tables that each give a reason; the error names the
    file and the entry, and what it ``needs``."""
    if not isinstance(items, list):
        raise ConfigError(f"{path}: {key} must be an array of tables")
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        if not isinstance(item, dict) or not item.get("reason"):
            raise ConfigError(f"{path}: {where} needs {needs}")
        yield where, item


def _rules(path: Path, key: str, items: object) -> tuple[Rule, ...]:
    return tuple(
        Rule(_regex(path, f"{where}.pattern", item.get("pattern")), item["reason"])
        for where, item in _tables(path, key, items, "a 'pattern' and a 'reason'")
    )


def _redirects(path: Path, items: object) -> tuple[Redirect, ...]:
    return tuple(
        Redirect(
            _regex(path, f"{where}.from", item.get("from")),
            _regex(path, f"{where}.to", item.get("to")),
            item["reason"],
        )
        for where, item in _tables(
            path, "external.allowed_redirects", items, "'from', 'to' and a 'reason'"
        )
    )


def load(path: Path | None = None) -> Settings:
    """Read a settings file (default: the project's ``config.toml``)."""
    path = Path(path or CONFIG_FILE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    ext = dict(data.get("external", {}))
    scalars = {f.name: f.type for f in fields(External)}
    kwargs: dict[str, object] = {
        "ignore": _rules(path, "external.ignore", ext.pop("ignore", [])),
        "ignore_anchors": _rules(path, "external.ignore_anchors", ext.pop("ignore_anchors", [])),
        "allowed_redirects": _redirects(path, ext.pop("allowed_redirects", [])),
        "include": patterns(path, "external.include", ext.pop("include", [])),
    }
    for key, value in ext.items():
        if key not in scalars:
            raise ConfigError(f"{path}: unknown setting external.{key}")
        default = getattr(External(), key)
        if isinstance(default, bool) != isinstance(value, bool) or not isinstance(
            value, type(default) if not isinstance(default, float) else (int, float)
        ):
            raise ConfigError(
                f"{path}: external.{key} must be {type(default).__name__}, got {value!r}"
            )
        kwargs[key] = float(value) if isinstance(default, float) else value
    internal = data.get("internal", {})
    ignore = patterns(path, "internal.ignore", internal.get("ignore", []))
    skip = tuple(internal.get("skip_dirs", Internal().skip_dirs))
    return Settings(External(**kwargs), Internal(ignore, skip), str(path))
