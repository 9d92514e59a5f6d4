"""Named tasks for this site: build, preview, test, lint, benchmark, vendor JavaScript."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import nox

# The noxfile reads the checkout's layout from the project package (requirements-nox.txt
# installs it), for its own folder: the package may be installed from another checkout.
from infradocs.core.siteconfig import Checkout, sphinx_build_args

HERE = Checkout.at(Path(__file__).resolve().parent)
ROOT, DOCS, BUILD, SNAPSHOT = HERE.root, HERE.docs, HERE.build, HERE.snapshot

nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["docs", "tests"]

BUILD_REQS = "requirements.txt"
TEST_REQS = "requirements-test.txt"


def install(session: nox.Session, *req_files: str) -> None:
    """Install the pinned requirement files, skipping pip when unchanged."""
    if session.venv_backend == "none":  # --no-venv: the running environment already has them
        return
    digest = hashlib.sha256()
    for name in req_files:
        for line in (ROOT / name).read_text().splitlines():
            digest.update(line.encode())
            if line.startswith("-r "):
                digest.update((ROOT / line[3:].strip()).read_bytes())
    stamp = Path(session.virtualenv.location) / ".requirements-sha256"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    args = [a for name in req_files for a in ("-r", name)]
    session.install("--disable-pip-version-check", "-q", *args)
    stamp.write_text(digest.hexdigest())


def ensure_chromium(session: nox.Session) -> None:
    """The browser tests drive Debian's Chromium; install it with apt-get when it is missing."""
    if shutil.which("chromium"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    session.log("Installing Debian's chromium package for the browser tests")
    session.run(*sudo, "apt-get", "update", "-qq", external=True)
    session.run(
        *sudo,
        "apt-get",
        "install",
        "-y",
        "-qq",
        "chromium",
        external=True,
        env={"DEBIAN_FRONTEND": "noninteractive"},
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site into build/html (strict, parallel). Extra args go to sphinx-build."""
    install(session, BUILD_REQS)
    session.run(
        "sphinx-build", *sphinx_build_args(DOCS, BUILD / "html", conf=ROOT), *session.posargs
    )


@nox.session
def live(session: nox.Session) -> None:
    """Serve a live preview on 127.0.0.1 that rebuilds on every save (``-- --port N`` to choose)."""
    install(session, BUILD_REQS)
    args = session.posargs or ["--port", "8000"]
    port = args[args.index("--port") + 1] if "--port" in args else "8000"
    session.log(f"Live preview: open http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--watch",
        "diagrams",
        *sphinx_build_args(DOCS, BUILD / "live", jobs="1", conf=ROOT),
        *args,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite. Extra args go to pytest."""
    install(session, TEST_REQS)
    ensure_chromium(session)
    # Exit code 5 means pytest collected nothing (e.g. a -k filter matched no test).
    session.run("pytest", *xdist_args(session.posargs), *session.posargs, success_codes=[0, 5])


def xdist_args(posargs: list[str]) -> list[str]:
    """Every core (pytest-xdist), tests handed out in the order tests/conftest.py gives them (the
    built site is made once and shared); none when the arguments choose (``-n 0``: serially)."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) or "xdist" in a for a in posargs):
        return []
    return ["-n", "auto", "--dist", "load"]


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff on the Python code, then the Markdown/MyST checks on docs/: the suite's lint tests
    (tests/site/test_lint.py, which ``nox -s tests`` runs too), alone."""
    install(session, TEST_REQS)
    session.run("pytest", "tests/site/test_lint.py", "-q", "-p", "no:cacheprovider")


@nox.session
def bench(session: nox.Session) -> None:
    """The contributor loop: the live preview's build after one page touched and after no change,
    against plain Sphinx (median of 5). ``-- --full`` adds full and parallel build figures."""
    install(session, BUILD_REQS)
    session.run("python", "-m", "benchmarks.contributor", *session.posargs)
    # The inventory explorer's browser benchmark runs next (it needs Playwright and Chromium).
    session.notify("bench-explorer")


@nox.session
def versions(session: nox.Session) -> None:
    """Build every release tag and main into build/site (cached by commit). Args go to the CLI.

    E.g. ``nox -s versions -- --base-url http://127.0.0.1:8000/`` then
    ``nox -s versions -- serve`` for a local preview; ``-- list`` shows what would be built.
    """
    install(session, BUILD_REQS)
    # Exit 2: some versions failed (reported above) but the others were still published.
    session.run("python", "-m", "infradocs.cli.versions", *session.posargs)


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external URL of the site (settings: scripts/infradocs/core/links/config.toml).

    Builds incrementally (recording each URL's file and line), then lychee (pinned in
    requirements.txt) checks the recorded URLs and the report names each file:line; extra args go to
    ``python -m infradocs.cli.links check`` (e.g. ``--json report.json``, ``--include REGEX``).
    ``nox -s bench-links`` times it against Sphinx's linkcheck and lychee.
    """
    install(session, BUILD_REQS)
    session.run("sphinx-build", *sphinx_build_args(DOCS, BUILD / "html", conf=ROOT))
    session.run("python", "-m", "infradocs.cli.links", "check", *session.posargs)


@nox.session(name="search")
def search_rank(session: nox.Session) -> None:
    """Rank every component query with Sphinx's search and with Pagefind on build/html."""
    install(session, TEST_REQS)
    ensure_chromium(session)
    session.run(
        "python",
        "-m",
        "infradocs.cli.sitesearch",
        str(BUILD / "html"),
        "--pagefind",
        *session.posargs,
    )


@nox.session
def inventory(session: nox.Session) -> None:
    """Refresh diagrams/inventory/inventory.json from the manifest (clones from GitHub).

    ``nox -s inventory -- --clones DIR`` reads local clones (DIR/owner/name) instead."""
    install(session, BUILD_REQS)
    session.run(
        "python",
        "-m",
        "infradocs.cli.inventory",
        "--generated",
        "--cache",
        str(BUILD / "inventory-cache"),
        "-o",
        str(SNAPSHOT),
        *session.posargs,
        "@diagrams/inventory/manifest.txt",
        success_codes=[0, 1],
    )


@nox.session(name="bench-tests")
def bench_tests(session: nox.Session) -> None:
    """The benchmark-sized tests the suite leaves out (marked ``bench``: the 2,000-feedstock
    org refresh on the local stand-in, the review screenshots). Extra args go to pytest."""
    install(session, TEST_REQS)
    ensure_chromium(session)
    session.run("pytest", "--bench", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="bench-inventory")
def bench_inventory(session: nox.Session) -> None:
    """Inventory benchmark on a synthetic org: first run and unchanged re-run vs three floors.

    ``nox -s bench-inventory -- --sizes 2000`` runs one size (default: 2000 and 25000)."""
    install(session, BUILD_REQS)
    session.run("python", "-m", "benchmarks.inventory", *session.posargs)


@nox.session(name="bench-org")
def bench_org(session: nox.Session) -> None:
    """Org-wide refresh on the local stand-in for GitHub: sparse vs depth-1 clone per
    repository, sharded vs one process, the refresh after 2 % changed, publishing cost.

    ``nox -s bench-org -- --count 2000`` for a smaller org (default 25,000 feedstocks)."""
    install(session, "requirements-security.txt")
    session.run("python", "-m", "benchmarks.org", *session.posargs)


@nox.session(name="bench-explorer")
def bench_explorer(session: nox.Session) -> None:
    """Explorer in Chromium with a synthetic 25,000-repository inventory: time to interactive
    and filter-change times (printed). ``-- --site build/html`` skips the site build."""
    install(session, TEST_REQS)
    ensure_chromium(session)
    session.run("python", "-m", "benchmarks.explorer", *session.posargs)


@nox.session(name="bench-links")
def bench_links(session: nox.Session) -> None:
    """Link check benchmark: ours vs Sphinx's linkcheck vs lychee run directly (defaults and
    tuned) on ~1,000 links to ten loopback hosts. ``-- --links 100 --repeat 1`` for a quick run."""
    install(session, TEST_REQS)
    session.run("python", "-m", "benchmarks.links", *session.posargs)


@nox.session(name="bench-evidence")
def bench_evidence(session: nox.Session) -> None:
    """Evidence benchmark: ``verify --clones DIR`` whole and by phase, and its reading of the
    clones against one git process per path and against reading every file.
    ``nox -s bench-evidence -- --clones DIR``."""
    install(session, BUILD_REQS)
    session.run("python", "-m", "benchmarks.evidence", *session.posargs)


@nox.session
def security(session: nox.Session) -> None:
    """Audit the inventory snapshot with zizmor (offline, no token) and our checks, in place.

    ``nox -s security -- SOURCE...``: the repository folders (or folders of clones) the
    snapshot was taken from; ``-- posture`` instead prints the posture data."""
    install(session, "requirements-security.txt")
    snapshot = str(SNAPSHOT)
    if session.posargs[:1] == ["posture"]:
        session.run(
            "python", "-m", "infradocs.cli.security", "posture", snapshot, *session.posargs[1:]
        )
        return
    if not session.posargs:
        session.error("name the SOURCE folders: nox -s security -- /path/to/clones")
    session.run("python", "-m", "infradocs.cli.security", "enrich", snapshot, *session.posargs)


@nox.session(python=False)
def vendor(session: nox.Session) -> None:
    """Refresh the vendored, pinned JavaScript (mermaid) from npm. Needs Node's npm."""
    session.run("python", "-m", "infradocs.cli.vendorjs")


@nox.session
def diagrams(session: nox.Session) -> None:
    """Regenerate the Mermaid diagrams and drift report in diagrams/generated/.

    ``nox -s diagrams -- --check`` writes nothing and fails naming each stale file;
    ``-- --drift`` writes nothing and prints each disagreement of the model and the inventory."""
    install(session, BUILD_REQS)
    session.run("python", "-m", "infradocs.cli.diagrams", *session.posargs)


@nox.session
def favicon(session: nox.Session) -> None:
    """Render docs/_extra/favicon.ico from docs/_static/logo.svg (``-- --check``: only compare)."""
    install(session, TEST_REQS)
    ensure_chromium(session)
    session.run("python", "-m", "infradocs.cli.favicon", *session.posargs)


@nox.session
def screenshots(session: nox.Session) -> None:
    """Build the site and write review screenshots to build/screenshots/ (real Chromium).

    Home (light, dark), every diagram page (light, dark, desktop, phone), the inventory tables
    and a phone view (tests marked ``bench``: the suite keeps one small screenshot test);
    ``SCREENSHOTS_DIR`` chooses another folder. Extra args go to pytest."""
    install(session, TEST_REQS)
    ensure_chromium(session)
    session.run(
        "pytest", "--bench", "tests/browser/test_screenshots.py", "-q", "-s", *session.posargs
    )


@nox.session
def audit(session: nox.Session) -> None:
    """Check the page audit records in docs/_audit (``-- stale --clones DIR``: pages to redo)."""
    install(session, BUILD_REQS)
    args = session.posargs or ["check"]
    session.run("python", "-m", "infradocs.cli.audit", *args)


@nox.session
def verify(session: nox.Session) -> None:
    """Re-check every fact's evidence against the repositories' default branches (exit 1: stale).

    ``-- --clones DIR`` reads local clones DIR/OWNER/NAME; without it, shallow sparse fetches from
    GitHub (``GITHUB_TOKEN`` if set). ``--json F``, ``--markdown F``, ``--update``;
    ``nox -s bench-evidence`` times it."""
    install(session, BUILD_REQS)
    session.run("python", "-m", "infradocs.cli.evidence", "verify", *session.posargs)
