"""Run a coroutine to completion from synchronous code, even inside another event loop."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

# asyncio is imported when a coroutine is run: a caller that has nothing to run (the link
# checker answering from its cache) starts without it.

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, in a new thread when this one already runs a loop (Playwright)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
