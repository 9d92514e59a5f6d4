"""run_sync works from plain code and from inside a running event loop (even nested)."""

from __future__ import annotations

import asyncio

from infradocs.core.siteconfig.aio import run_sync


async def _answer() -> int:
    await asyncio.sleep(0)
    return 42


def test_without_a_loop() -> None:
    assert run_sync(_answer()) == 42


def test_inside_a_running_loop() -> None:
    async def outer() -> int:
        return run_sync(_answer())

    assert run_sync(outer()) == 42
