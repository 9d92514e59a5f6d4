"""Read the build's record of external links (``links.json``, written by the extension)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from infradocs.core.links.model import Location


class RecordError(ValueError):
    """The record file is missing or unreadable; the message names it."""


def load(path: Path) -> tuple[dict[str, list[Location]], list[str]]:
    """URL -> its locations, and a message for each malformed entry (the rest still load)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data["docs"]
    except FileNotFoundError:
        raise RecordError(f"{path}: not found; build the site first (nox -s docs)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RecordError(f"{path}: unreadable record of links ({exc!r})") from None
    links: dict[str, set[Location]] = defaultdict(set)
    errors = []
    for docname, doc in sorted(docs.items()):
        try:
            source = doc["source"]
            for url, line in doc["external"]:
                if not isinstance(url, str) or not (line is None or isinstance(line, int)):
                    raise ValueError(f"bad entry {[url, line]!r}")
                links[url].add(Location(source, line))
        except (KeyError, TypeError, ValueError) as exc:
            errors.append(f"{path}: document {docname!r}: skipped, malformed ({exc})")
    return {url: sorted(locs) for url, locs in links.items()}, errors
