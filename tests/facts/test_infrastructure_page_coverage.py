"""Everything conda-forge's infrastructure page names has a page or an entry on this site.

The checklist below follows conda-forge/conda-forge.github.io
docs/maintainer/infrastructure.mdx at commit 04577b756e824724b1e3aaba4ad2187abe219a69,
section by section: each name, the page that covers it, and the text that must be there.
"""

from __future__ import annotations

import pytest

from infradocs.core.siteconfig import DOCS

REPOS = "reference/repositories/"
AUTO = "reference/automation/"
CI = "reference/ci/"
DELIVERY = "reference/delivery/"
HOSTING = "reference/hosting/"
ORGS = "reference/organisations/"

CHECKLIST: dict[str, tuple[str, str]] = {
    # Repositories
    "staged-recipes": (REPOS + "staged-recipes.md", "{component} staged-recipes"),
    "feedstocks": (REPOS + "feedstock-repositories.md", "{component} feedstock-repositories"),
    "feedstocks monorepo": (REPOS + "feedstocks-repo.md", "{component} feedstocks-repo"),
    "feedstock-outputs": (REPOS + "feedstock-outputs.md", "{component} feedstock-outputs"),
    "cdt-builds": (REPOS + "cdt-builds.md", "{component} cdt-builds"),
    "msys2-recipes": (REPOS + "index.md", "conda-forge/msys2-recipes"),
    "website (conda-forge.github.io)": (
        HOSTING + "conda-forge-website.md",
        "{component} conda-forge-website",
    ),
    "website hosting: GitHub Pages": (HOSTING + "conda-forge-website.md", "**GitHub Pages**"),
    "website previews: Netlify": (HOSTING + "conda-forge-website.md", "**Netlify"),
    "website statistics: GoatCounter": (HOSTING + "conda-forge-website.md", "**GoatCounter"),
    "website search: Algolia": (HOSTING + "conda-forge-website.md", "**Algolia DocSearch"),
    "website DNS: Namecheap": (HOSTING + "conda-forge-website.md", "**Namecheap**"),
    "status page": (HOSTING + "status-page.md", "{component} status-page"),
    "packages-to-feedstock mapping": (
        REPOS + "feedstock-outputs.md",
        "conda-forge.org/feedstock-outputs",
    ),
    "conda-forge-pinning": (
        REPOS + "conda-forge-pinning-feedstock.md",
        "{component} conda-forge-pinning-feedstock",
    ),
    "conda-forge-repodata-patches": (
        REPOS + "conda-forge-repodata-patches-feedstock.md",
        "{component}",
    ),
    "conda-forge-ci-setup": (REPOS + "conda-forge-ci-setup-feedstock.md", "{component}"),
    "regro/cf-graph-countyfair": (REPOS + "cf-graph-countyfair.md", "regro/cf-graph-countyfair"),
    "docker-images": (REPOS + "docker-images.md", "{component} docker-images"),
    "conda-smithy": (REPOS + "conda-smithy.md", "{component} conda-smithy"),
    "conda-smithy-feedstock": (REPOS + "index.md", "conda-forge/conda-smithy-feedstock"),
    "webservices": (AUTO + "conda-forge-webservices.md", "{component} conda-forge-webservices"),
    "regro/cf-scripts": (REPOS + "cf-scripts.md", "regro/cf-scripts"),
    "admin-migrations": (REPOS + "admin-migrations.md", "{component} admin-migrations"),
    "admin-requests": (REPOS + "admin-requests.md", "{component} admin-requests"),
    "create_feedstocks": (AUTO + "create-feedstocks-job.md", "{component} create-feedstocks-job"),
    "autotick-bot": (AUTO + "autotick-bot-job.md", "{component} autotick-bot-job"),
    "regro/autotick-bot (no longer in use)": ("retired/autotick-bot-repo.md", "{component}"),
    # Organizations
    "conda-forge organisation": (ORGS + "conda-forge-org.md", "{component} conda-forge-org"),
    "regro organisation": (ORGS + "regro-org.md", "{component} regro-org"),
    "channel-mirrors organisation": (ORGS + "channel-mirrors-org.md", "{component}"),
    "conda-forge-abandoned (inactive)": ("retired/index.md", "`conda-forge-abandoned`"),
    "conda-forge-woodpecker-admins (inactive)": (
        "retired/index.md",
        "`conda-forge-woodpecker-admins`",
    ),
    # Teams
    "team Core": (ORGS + "core-team.md", "{component} core-team"),
    "team staged-recipes": (ORGS + "staged-recipes-team.md", "{component}"),
    "teams help-*": (ORGS + "help-teams.md", "help-cdts"),
    "team miniforge": (REPOS + "miniforge.md", "@conda-forge/miniforge"),
    "team all-members": (ORGS + "conda-forge-org.md", "all-members"),
    "team bot": (ORGS + "bot-team.md", "{component} bot-team"),
    # Configuration
    "conda-forge/.github": (ORGS + "conda-forge-org.md", "conda-forge/.github"),
    "conda-forge/.cirun": (CI + "cirun.md", "conda-forge/.cirun"),
    # Bot accounts
    "conda-forge-admin": (AUTO + "conda-forge-admin.md", "{component} conda-forge-admin"),
    "conda-forge-daemon": (AUTO + "conda-forge-daemon.md", "{component} conda-forge-daemon"),
    "regro-cf-autotick-bot": (AUTO + "regro-cf-autotick-bot.md", "{component}"),
    "conda-forge-bot (inactive account)": ("retired/index.md", "**`conda-forge-bot`** (bot"),
    "conda-forge-coordinator (inactive)": ("retired/index.md", "**`conda-forge-coordinator`**"),
    "conda-forge-drone-ci (inactive)": ("retired/index.md", "**`conda-forge-drone-ci`**"),
    "conda-forge-linter (inactive)": (
        AUTO + "conda-forge-linter.md",
        "{component} conda-forge-linter",
    ),
    "conda-forge-manager (inactive)": ("retired/index.md", "**`conda-forge-manager`**"),
    "conda-forge-status (inactive)": ("retired/index.md", "**`conda-forge-status`**"),
    # Apps
    "conda-forge-curator": (AUTO + "conda-forge-curator.md", "{component} conda-forge-curator"),
    "conda-forge-webservices app": (AUTO + "conda-forge-webservices-app.md", "{component}"),
    "conda-forge drone instance (inactive app)": (
        "retired/index.md",
        "**`conda-forge drone instance`**",
    ),
    # Workflows
    "beckermr/turnstyle-python": (REPOS + "index.md", "beckermr/turnstyle-python"),
    "conda-forge/automerge-action": ("retired/automerge-action.md", "{component}"),
    "conda-forge/webservices-dispatch-action": (
        "retired/webservices-dispatch-action.md",
        "{component}",
    ),
    # Continuous integration
    "Azure Pipelines": (CI + "azure-pipelines.md", "{component} azure-pipelines"),
    "Cirun": (CI + "cirun.md", "{component} cirun"),
    "Open GPU Server": (CI + "open-gpu-server.md", "{component}"),
    "GitHub Actions": (CI + "github-actions.md", "{component} github-actions"),
    "Travis CI (retired)": (CI + "travis-ci.md", "{component} travis-ci"),
    "AppVeyor (retired)": ("retired/appveyor.md", "{component}"),
    "Circle CI (retired)": ("retired/circleci.md", "{component}"),
    "Drone.io (retired)": ("retired/drone.md", "{component}"),
    # Delivery and distribution
    "Anaconda.org": (HOSTING + "anaconda-org.md", "{component} anaconda-org"),
    "cf-staging": (DELIVERY + "cf-staging-channel.md", "{component}"),
    "Docker Hub": (DELIVERY + "docker-hub-images.md", "{component}"),
    "miniforge-images": (REPOS + "miniforge-images.md", "{component} miniforge-images"),
    "GitHub Packages": (DELIVERY + "oci-mirror.md", "Github Packages"),
    "channel-mirrors/conda-oci-mirror": (REPOS + "index.md", "channel-mirrors/conda-oci-mirror"),
    "GitHub Releases": (REPOS + "miniforge.md", "GitHub releases"),
    "Quay": (DELIVERY + "quay-images.md", "{component}"),
    # Servers
    "Heroku": (HOSTING + "heroku.md", "{component} heroku"),
    # Compilers section: the feedstocks it names
    "compiler feedstocks": (REPOS + "index.md", "conda-forge/compilers-feedstock"),
    # Other services
    "Google condaforge@gmail.com": (ORGS + "conda-forge-org.md", "`condaforge@gmail.com`"),
    "Google Groups (retired)": ("retired/index.md", "Google Groups"),
    "HackMD": (ORGS + "conda-forge-org.md", "**HackMD**"),
    "Open Collective": (ORGS + "conda-forge-org.md", "**Open Collective**"),
    "Namecheap": (ORGS + "conda-forge-org.md", "**Namecheap**"),
    "Twitter": (ORGS + "conda-forge-org.md", "**Twitter**"),
    "YouTube": (ORGS + "conda-forge-org.md", "**YouTube**"),
}


@pytest.mark.parametrize("name", sorted(CHECKLIST))
def test_name_from_the_infrastructure_page_is_covered(name: str) -> None:
    page, needle = CHECKLIST[name]
    path = DOCS / page
    assert path.is_file(), f"{name}: {page} does not exist"
    assert needle in path.read_text(encoding="utf-8"), f"{name}: {needle!r} not in {page}"
