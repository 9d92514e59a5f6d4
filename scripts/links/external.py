"""Check external URLs concurrently: per-host limits, retries, 429, redirects, anchors."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from redact import redact
from siteconfig.aio import run_sync

from .cache import Cache
from .config import External
from .internal import parse
from .model import Location, Result, Status

# asyncio, aiohttp and email.utils are imported where used: a run answered from the cache
# then starts in a fraction of the time (the warm re-run target).
MAX_BODY = 20 * 1024 * 1024
RATE_WAITS = 5


@dataclass
class Outcome:
    """What fetching one URL (without its fragment) gave."""

    code: int | None = None
    final_url: str | None = None
    history: list[int] = field(default_factory=list)
    ids: frozenset[str] | None = None
    error: Status | None = None
    detail: str = ""


class Host:
    """Politeness for one host:port: a concurrency limit and a time before which we wait."""

    def __init__(self, limit: int, interval: float) -> None:
        import asyncio

        self.sem = asyncio.Semaphore(limit)
        self.interval = interval
        self.not_before = 0.0

    async def turn(self) -> None:
        """Wait until this host may get the next request."""
        import asyncio

        while (delay := self.not_before - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        if self.interval:
            self.not_before = time.monotonic() + self.interval

    def pause(self, seconds: float) -> None:
        """No request to this host for ``seconds`` (after a 429 with Retry-After)."""
        self.not_before = max(self.not_before, time.monotonic() + seconds)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), None if absent/bad."""
    import email.utils

    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def split(url: str) -> tuple[str, str]:
    """The URL without its fragment, and the fragment."""
    base, _, fragment = url.partition("#")
    return base, fragment


class Checker:
    """Checks a set of URLs with the given settings; one instance per run."""

    def __init__(self, settings: External) -> None:
        self.s = settings
        self.hosts: dict[str, Host] = {}
        self.requests = 0

    def host(self, url: str) -> Host:
        key = urlsplit(url).netloc.lower()
        if key not in self.hosts:
            self.hosts[key] = Host(self.s.per_host, self.s.host_interval)
        return self.hosts[key]

    async def fetch(self, session, url: str, need_ids: bool) -> Outcome:
        """GET (or HEAD when no anchor is needed) with retries; never raises."""
        import asyncio

        import aiohttp

        host, attempt, waits = self.host(url), 0, 0
        method = "GET" if need_ids else "HEAD"
        while True:
            delay, out = 0.0, None
            try:
                async with host.sem, self.limit:
                    await host.turn()
                    self.requests += 1
                    async with session.request(
                        method, url, allow_redirects=True, max_redirects=self.s.max_redirects
                    ) as resp:
                        code = resp.status
                        if code == 429 or (code == 503 and "Retry-After" in resp.headers):
                            wait = retry_after(resp.headers.get("Retry-After"))
                            if wait is None:
                                wait = 2.0**waits
                            if wait > self.s.retry_after_max or waits >= RATE_WAITS:
                                return Outcome(
                                    code,
                                    str(resp.url),
                                    error=Status.RATE_LIMITED,
                                    detail=f"HTTP {code}, asked to wait {wait:.0f}s",
                                )
                            waits += 1
                            host.pause(wait)
                            continue
                        if method == "HEAD" and code >= 400:
                            method = "GET"  # some servers refuse or mishandle HEAD
                            continue
                        if code >= 500 and attempt < self.s.retries:
                            attempt += 1
                            delay = 0.5 * 2**attempt
                        else:
                            ids = None
                            if need_ids and code < 300:
                                body = await resp.content.read(MAX_BODY)
                                ids = parse(_decode(body, resp.charset)).ids
                            return Outcome(
                                code, str(resp.url), [h.status for h in resp.history], ids
                            )
            except aiohttp.TooManyRedirects as exc:
                hops = [h.status for h in exc.history]
                return Outcome(
                    hops[-1] if hops else None,
                    error=Status.BROKEN,
                    detail=f"more than {self.s.max_redirects} redirects (a loop?)",
                )
            except (aiohttp.InvalidURL, ValueError) as exc:
                return Outcome(error=Status.BROKEN, detail=f"invalid URL ({exc})")
            except TimeoutError:
                out = Outcome(
                    error=Status.TIMEOUT, detail=f"no complete answer within {self.s.timeout:g}s"
                )
            except aiohttp.ClientConnectorError as exc:
                reason = exc.os_error.strerror or str(exc.os_error) if exc.os_error else str(exc)
                out = Outcome(error=Status.BROKEN, detail=f"cannot connect: {reason}")
            except (aiohttp.ClientError, OSError) as exc:
                out = Outcome(error=Status.BROKEN, detail=f"{type(exc).__name__}: {exc}")
            if out is not None:
                if attempt >= self.s.retries:
                    return out
                attempt += 1
                delay = 0.5 * 2**attempt
            await asyncio.sleep(delay)

    def classify(self, urls: list[str], out: Outcome) -> list[Result]:
        """Turn one fetch outcome into a result for each URL (same page, other fragments)."""
        return [self._classify(url, *split(url), out) for url in urls]

    def _classify(self, full: str, base: str, fragment: str, out: Outcome) -> Result:
        r = Result(full, Status.OK, out.code, out.detail, final_url=out.final_url)
        if out.error is not None:
            r.status = out.error
            r.advice = advice(r.status, out.code, self.s)
            return r
        code = out.code or 0
        if out.history and out.final_url != base:
            r.detail = f"redirected ({' → '.join(map(str, out.history))}) to {out.final_url}"
        if code >= 400:
            r.status = Status.BLOCKED if code in (401, 403) else Status.BROKEN
            r.detail = f"HTTP {code}" + (f" after {r.detail}" if r.detail else "")
            r.advice = advice(r.status, code, self.s)
            return r
        if out.history and out.final_url != base:
            allowed = [
                a
                for a in self.s.allowed_redirects
                if a.source.match(base) and a.target.match(out.final_url or "")
            ]
            if allowed:
                r.detail += f" (allowed: {allowed[0].reason})"
            elif any(c in (301, 308) for c in out.history):
                r.status = Status.REDIRECTED
                r.advice = (
                    f"The page moved for good: replace the link with {redact(out.final_url or '')}"
                    ", or allow this redirect in scripts/links/config.toml."
                )
        checked = out.ids is not None and self.anchors_checked(base, fragment)
        if checked and not _has_anchor(fragment, out.ids):
            r.status = Status.BROKEN
            r.detail = f"HTTP {code}, but no anchor #{fragment} in the page"
            r.advice = (
                "Link to a heading that exists on that page; if the site builds its headings "
                "with JavaScript, add it to external.ignore_anchors in scripts/links/config.toml."
            )
        return r

    def anchors_checked(self, url: str, fragment: str) -> bool:
        """Whether the fragment of ``url`` is checked against the page's ids."""
        return bool(
            self.s.anchors
            and fragment
            and not fragment.startswith("!")
            and not any(rule.matches(url) for rule in self.s.ignore_anchors)
        )

    async def run(self, urls: list[str]) -> list[Result]:
        """Check ``urls`` (fragments included); one request per distinct page."""
        import asyncio

        import aiohttp

        self.limit = asyncio.Semaphore(self.s.concurrency)
        pages: dict[str, list[str]] = defaultdict(list)
        for url in urls:
            base = split(url)[0]
            pages[base].append(url)
        connector = aiohttp.TCPConnector(limit=self.s.concurrency, ttl_dns_cache=600)
        timeout = aiohttp.ClientTimeout(total=self.s.timeout)
        headers = {"User-Agent": self.s.user_agent, "Accept": "text/html,*/*;q=0.8"}
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, headers=headers
        ) as session:

            async def one(base: str, group: list[str]) -> list[Result]:
                need = any(self.anchors_checked(base, split(u)[1]) for u in group)
                return self.classify(group, await self.fetch(session, base, need))

            done = await asyncio.gather(*(one(b, f) for b, f in pages.items()))
        return [r for group in done for r in group]


def _decode(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _has_anchor(fragment: str, ids: frozenset[str]) -> bool:
    return fragment in ids or unquote(fragment) in ids


def advice(status: Status, code: int | None, s: External) -> str:
    """What an editor should do about a link with this status."""
    if status is Status.TIMEOUT:
        return (
            "Re-run later; if this host is always slow, raise external.timeout or add it to "
            "external.ignore (with a reason) in scripts/links/config.toml."
        )
    if status is Status.RATE_LIMITED:
        return "The host limits request rates: re-run later (good results are cached)."
    if status is Status.BLOCKED:
        return "The host refuses automated checks: open the link by hand; ignore it if it works."
    if code == 404:
        return "The page is not there: find its new address (or an archived copy), or remove it."
    if code == 410:
        return "The page was removed on purpose: remove the link or point to an archived copy."
    if code and code >= 500:
        return "The server failed: re-run later; if it persists, find another source."
    if code and code >= 400:
        return f"The server refused the request (HTTP {code}): check the address."
    return "The host cannot be reached: check the address for typos, or re-run if it was down."


def check(
    links: dict[str, list[Location]], settings: External, cache: Cache | None = None
) -> tuple[list[Result], int]:
    """Check every URL (ignore list and cache first); results and the number of HTTP requests."""
    results, todo = [], []
    for url, locations in links.items():
        rule = next((r for r in settings.ignore if r.matches(url)), None)
        cached = cache.get(url) if cache and rule is None else None
        if rule is not None:
            results.append(Result(url, Status.IGNORED, detail=rule.reason, locations=locations))
        elif cached is not None:
            cached.locations = locations
            results.append(cached)
        else:
            todo.append(url)
    requests = 0
    if todo:
        checker = Checker(settings)
        for r in run_sync(checker.run(todo)):
            r.locations = links[r.url]
            results.append(r)
            if cache is not None:
                cache.put(r)
        requests = checker.requests
    results.sort(key=lambda r: (min(r.locations, default=Location("")), r.url))
    return results, requests
