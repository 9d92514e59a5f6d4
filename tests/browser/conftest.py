"""Browser fixtures: the built site served on 127.0.0.1 and pages that guard what they load.

Every page fixture aborts and records any request to a host other than 127.0.0.1 and records
console errors and uncaught exceptions; a test fails if either list is not empty at its end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_support import Guard, guard_context
from sitehelpers import shared_root
from visits import Visit, visit_site

from infradocs.core.localsite import serve


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The real site (built once, strict) served on 127.0.0.1; the base URL ending in '/'."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def site_visits(
    browser, built_site: Path, site_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Visit]]:
    """Every page of the built site in each colour scheme, each visited once in this run (the
    workers share the visits, tests/browser/visits.py); scheme -> page path -> Visit."""
    return visit_site(browser, built_site, site_url, shared_root(tmp_path_factory))


@pytest.fixture
def new_context(browser) -> Iterator[Callable[..., tuple[object, Guard]]]:
    """Factory: a guarded browser context (keyword args go to ``new_context``).

    At the end of the test, fails if any context made a foreign request or logged an error.
    """
    made: list[tuple[object, Guard]] = []

    def make(**kwargs) -> tuple[object, Guard]:
        context = browser.new_context(**kwargs)
        guard = Guard()
        guard_context(context, guard)
        made.append((context, guard))
        return context, guard

    yield make
    problems = [p for _, guard in made for p in guard.problems()]
    for context, _ in made:
        context.close()
    if problems:
        pytest.fail("the browser saw:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_context):
    """A guarded page, light colour scheme, desktop size."""
    context, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    return context.new_page()
