"""Which git refs become versions: release tags sorted by version, plus the branch as dev."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from packaging.version import InvalidVersion, Version
from sphinx_polyversion.git import Git, GitRef, GitRefType

from infradocs.core import git as gitcli
from infradocs.core.siteconfig.aio import run_sync
from infradocs.core.versions.config import VersionsConfig


@dataclass(frozen=True)
class Target:
    """One version of the site: its directory name, git ref and commit."""

    name: str
    ref: GitRef
    commit: str
    version: Version | None = None

    @property
    def is_release(self) -> bool:
        """Whether this target is a release tag (not the development head)."""
        return self.version is not None


@dataclass
class Plan:
    """The versions to build (dev first, then releases newest first) and tags left out."""

    targets: list[Target] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def releases(self) -> list[Target]:
        """Release targets, newest first."""
        return [t for t in self.targets if t.is_release]


def release_key(target: Target) -> tuple[Version, int, str]:
    """Sort key: by version, then more components first (v2026.1.0 after v2026.1), then name."""
    assert target.version is not None
    return (target.version, len(target.version.release), target.name)


def parse_tag(config: VersionsConfig, tag: str) -> Version | None:
    """The version in a release tag, or None when the tag is not a release tag."""
    match = config.tag_regex.fullmatch(tag)
    if not match:
        return None
    return Version(match.group(1))


class ReleaseRefs(Git):
    """sphinx-polyversion's git provider limited to our release tags and the one branch."""

    def __init__(self, config: VersionsConfig) -> None:
        """Select tags by ``config.tag_pattern`` and the branch ``config.branch``."""
        super().__init__(branch_regex=r"(?!)", tag_regex=config.tag_pattern)
        self.config = config

    async def predicate(self, root: Path, ref: GitRef) -> bool:
        """Keep matching tags and the configured branch, local or on the ``origin`` remote."""
        if ref.type_ == GitRefType.TAG:
            return bool(self.config.tag_regex.fullmatch(ref.name))
        return ref.name == self.config.branch and ref.remote in (None, "origin")


def plan(root: Path, config: VersionsConfig, dev_ref: str | None = None) -> Plan:
    """List the versions to build from the repository at ``root``.

    ``dev_ref`` (e.g. a pull request's merge commit) replaces the branch as the dev version.
    """
    refs = run_sync(ReleaseRefs(config).retrieve(root))
    result = Plan()
    branch_refs = sorted(
        (r for r in refs if r.type_ == GitRefType.BRANCH), key=lambda r: r.remote is not None
    )
    if dev_ref:
        sha = gitcli.rev_parse(root, dev_ref)
        dev = GitRef(dev_ref, sha, dev_ref, GitRefType.BRANCH, datetime.now(UTC))
        result.targets.append(Target(config.dev_name, dev, sha))
    elif branch_refs:
        ref = branch_refs[0]
        sha = gitcli.rev_parse(root, ref.obj)
        result.targets.append(Target(config.dev_name, ref, sha))
    else:
        result.skipped.append((config.branch, "branch not found locally nor on origin"))
    releases = []
    minimum = Version(config.min_version) if config.min_version else None
    for ref in refs:
        if ref.type_ != GitRefType.TAG:
            continue
        if ref.name in config.exclude:
            result.skipped.append((ref.name, "listed in exclude"))
            continue
        try:
            version = parse_tag(config, ref.name)
        except InvalidVersion:
            result.skipped.append((ref.name, "matches tag_pattern but is not a valid version"))
            continue
        if version is None:
            continue
        if minimum is not None and version < minimum:
            result.skipped.append((ref.name, f"older than min_version {config.min_version}"))
            continue
        sha = gitcli.rev_parse(root, ref.obj)
        releases.append(Target(ref.name, ref, sha, version))
    result.targets.extend(sorted(releases, key=release_key, reverse=True))
    return result
