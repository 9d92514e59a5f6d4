"""Helpers for the browser tests: a guard on what pages load, and waiting for diagrams."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from infradocs.core.redact import redact

LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Guard:
    """What a browser context did that it should not have: foreign requests and console errors."""

    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every recorded problem, one line each."""
        return [f"request to another host: {u}" for u in self.foreign] + [
            f"console error: {e}" for e in self.errors
        ]


def guard_context(context, guard: Guard) -> None:
    """Abort requests to other hosts and record them, and record console errors, in ``context``."""

    def route(r) -> None:
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            guard.foreign.append(redact(url))
            r.abort("blockedbyclient")

    def on_console(msg) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            guard.errors.append(f"{msg.text} ({where})")

    def on_page(page) -> None:
        page.on("console", on_console)
        page.on("pageerror", lambda exc: guard.errors.append(f"uncaught: {exc} ({page.url})"))

    context.route("**/*", route)
    context.on("page", on_page)


def wait_for_diagrams(page) -> int:
    """Wait until every Mermaid block on ``page`` is drawn (or given up); return how many."""
    count = page.locator(".mermaid").count()
    if count:
        page.wait_for_function(
            """() => [...document.querySelectorAll('.mermaid')].every(el =>
                 (el.getAttribute('data-processed') === 'true' && el.querySelector('svg'))
                 || el.hasAttribute('data-mermaid-render-failed')
                 || el.hasAttribute('data-mermaid-deferred'))"""
        )
    return count


def settle(page) -> None:
    """Let the page run the tasks it has queued (e.g. a rejected render's console.error)."""
    page.evaluate("() => new Promise(r => setTimeout(() => requestAnimationFrame(r), 0))")
