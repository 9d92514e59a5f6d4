"""Helpers for the link tests: a strict build of a small Sphinx project with the extension, and
``links check`` run in process with a test folder's config and cache."""

from __future__ import annotations

from pathlib import Path

from sphinxapp import build as build  # the strict small-site build the link tests use


def check(tmp_path: Path, record: Path, *extra: str) -> int:
    """``links check RECORD`` with ``tmp_path``'s config.toml and cache folder; its exit status."""
    from infradocs.cli.links import main

    return main(
        [
            "--config",
            str(tmp_path / "config.toml"),
            "check",
            str(record),
            "--cache",
            str(tmp_path / "cache"),
            *extra,
        ]
    )
