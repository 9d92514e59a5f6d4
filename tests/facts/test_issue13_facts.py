"""Facts fixed for issue 13 stay fixed: the model and the pages fail these tests if they regress."""

from __future__ import annotations

import re

import pytest

from infradocs.core.archmodel import load_model
from infradocs.core.siteconfig import DOCS

MODEL = load_model()
# The version of conda-forge's infrastructure page the notes were checked against.
DOCS_COMMIT = "04577b756e824724b1e3aaba4ad2187abe219a69"


def _page(rel: str) -> str:
    """A page's source with line breaks folded, so phrases may wrap."""
    return " ".join((DOCS / rel).read_text(encoding="utf-8").split())


def _token_holding(secret: str):
    """The one token component whose credentials list ``secret``."""
    holders = [c for c in MODEL if c.kind == "token" and secret in c.get("credentials", [])]
    assert len(holders) == 1, f"{secret}: token components {[c.id for c in holders]}"
    return holders[0]


def _evidence(comp, fact: str) -> list[dict]:
    return [e for e in comp.get("evidence", []) if e["fact"] == fact]


ISSUE_SECRETS = [
    # Miniforge signing secrets (MACOS_*, WINDOWS_SIGNING_*)
    "MACOS_CERTIFICATE_INSTALLER_BASE64",
    "MACOS_CERTIFICATE_INSTALLER_PASSWORD",
    "MACOS_CERTIFICATE_APPLICATION_BASE64",
    "MACOS_CERTIFICATE_APPLICATION_PASSWORD",
    "MACOS_TEMP_KEYCHAIN_PASSWORD",
    "MACOS_NOTARIZATION_ISSUER_ID",
    "MACOS_NOTARIZATION_KEY_ID",
    "MACOS_NOTARIZATION_AUTHKEY_BASE64",
    "WINDOWS_SIGNING_AZURE_CLIENT_ID",
    "WINDOWS_SIGNING_AZURE_CLIENT_SECRET_VALUE",
    "WINDOWS_SIGNING_AZURE_SUBSCRIPTION_ID",
    "WINDOWS_SIGNING_AZURE_TENANT_ID",
    "WINDOWS_SIGNING_ENDPOINT",
    "WINDOWS_SIGNING_ACCOUNT_NAME",
    "WINDOWS_SIGNING_PROFILE_NAME",
    # the Azure IDs of .cirun's Windows image build
    "WINDOWS_CI_AZURE_CLIENT_ID",
    "WINDOWS_CI_AZURE_TENANT_ID",
    "WINDOWS_CI_AZURE_SUBSCRIPTION_ID",
    "MINIFORGE_AUTOUPDATE_SSH_PRIVATE_KEY",
    "MONGODB_CONNECTION_STRING",
]


@pytest.mark.parametrize("secret", ISSUE_SECRETS)
def test_every_secret_named_in_the_issue_has_a_token_entry_with_evidence(secret: str) -> None:
    comp = _token_holding(secret)
    assert (DOCS / f"{comp.page}.md").is_file(), comp.page
    assert _evidence(comp, f"credential: {secret}"), f"{comp.id}: no evidence for {secret}"


def test_miniforge_signs_macos_on_every_non_pull_request_run() -> None:
    signing = _token_holding("MACOS_NOTARIZATION_AUTHKEY_BASE64")
    triggers = " | ".join(signing.triggers)
    assert "not a pull request" in triggers and "pushes to main" in triggers
    assert re.search(r"Windows signing: pushed tags only", triggers)
    miniforge = MODEL["miniforge"]
    assert any(t.startswith("pushes to main") and "macOS" in t for t in miniforge.triggers)
    assert not any("build only" in t and "pushes to main" in t for t in miniforge.triggers)
    page = _page("reference/repositories/miniforge.md")
    assert "Only for tag pushes does it sign" not in page
    assert "| push to `main` | `.pkg` signed and notarised" in page


def test_cdt_builds_is_a_production_token_holder() -> None:
    cdt = MODEL["cdt-builds"]
    assert "BINSTAR_TOKEN" in cdt.credentials
    assert any(
        r["type"] == "holds-token-for" and r["target"] == "conda-forge-channel"
        for r in cdt.relations
    )
    assert _evidence(cdt, "relation: holds-token-for conda-forge-channel")
    assert "cdt-builds" in MODEL["prod-binstar-token"].runs_on
    job = _page("reference/automation/admin-requests-job.md")
    assert "only holders" not in job and "only holder" not in job
    assert "{doc}`/reference/repositories/cdt-builds`" in job
    assert "the only place that holds the production upload token" not in _page(
        "reference/automation/conda-forge-webservices.md"
    )


def test_miniforge_images_page_names_both_registries() -> None:
    comp = MODEL["miniforge-images"]
    targets = {r["target"] for r in comp.relations if r["type"] == "uploads-to"}
    assert targets == {"docker-hub-images", "quay-images"}
    assert {"CF_BOT_DH_PASSWORD", "CF_DAEMON_QUAY_PASSWORD"} <= set(comp.credentials)


def test_status_page_and_website_read_the_current_constants() -> None:
    status = _page("reference/hosting/status-page.md")
    assert "conda-forge/autotick-bot-graph" in status
    assert "prefix.dev" in status
    assert "commented out" in status
    assert "still lists AppVeyor" not in status
    assert "files under `status/` in `regro/cf-graph-countyfair`" not in status
    website = _page("reference/hosting/conda-forge-website.md")
    assert "raw files in `regro/cf-graph-countyfair`" not in website
    data = _page("reference/repositories/cf-graph-countyfair.md")
    assert "conda-forge/autotick-bot-graph" in data
    relations = MODEL["status-page"].relations
    assert any(r["type"] == "reads" and r["target"] == "cf-graph-countyfair" for r in relations)


def test_webservices_gh_token_is_the_admin_token() -> None:
    admin = _token_holding("CF_ADMIN_GITHUB_TOKEN")
    assert "GH_TOKEN" in admin.credentials
    heroku_items = [
        e
        for e in _evidence(admin, "credential: GH_TOKEN")
        if e.get("path") == "sync-secrets-heroku/Pulumi.yaml"
    ]
    assert heroku_items and heroku_items[0]["yaml"][-1] == "GH_TOKEN"
    assert heroku_items[0]["equals"] == "${cf-admin-github-token.credential}"
    ws = _page("reference/automation/conda-forge-webservices.md")
    assert "used only to own the forks" not in ws
    assert "{doc}`/reference/tokens/cf-admin-github-token`" in ws
    assert "separate, more powerful credential" not in _page(
        "reference/automation/conda-forge-admin.md"
    )
    assert "machine-user token used to make forks" not in _page("reference/hosting/heroku.md")


STALE_DOCS_CLAIMS = {
    # page: phrases describing an older conda-forge infrastructure page as if it were current
    "reference/automation/autotick-bot-job.md": ["says the bot runs from `regro/autotick-bot`"],
    "reference/automation/create-feedstocks-job.md": [
        "still place the `create_feedstocks` workflow and its script in staged-recipes"
    ],
    "reference/repositories/admin-requests.md": [
        "`.github/workflows/scripts/create_feedstocks.py` in staged-recipes"
    ],
    "reference/ci/github-actions.md": ["The older infrastructure page"],
    "reference/automation/conda-forge-linter.md": [
        "The conda-forge docs present `@conda-forge-linter` as the bot that comments"
    ],
}


@pytest.mark.parametrize("page", sorted(STALE_DOCS_CLAIMS))
def test_docs_notes_describe_the_current_infrastructure_page(page: str) -> None:
    text = _page(page)
    for phrase in STALE_DOCS_CLAIMS[page]:
        assert phrase not in text, (page, phrase)
    assert f"blob/{DOCS_COMMIT}/docs/maintainer/infrastructure.mdx" in text, page


def test_half_current_automerge_wording_is_called_half_current() -> None:
    for page in (
        "reference/automation/webservices-gha-tasks.md",
        "reference/automation/conda-forge-webservices.md",
        "retired/webservices-dispatch-action.md",
    ):
        assert "half current" in _page(page), page


def test_bot_job_table_and_route_table_are_complete() -> None:
    jobs = _page("reference/automation/autotick-bot-job.md")
    assert "| `bot-cache.yml` |" in jobs
    routes = _page("reference/automation/conda-forge-webservices.md")
    assert "| `/conda-webservice-update/versions` |" in routes
    heroku = _page("reference/hosting/heroku.md")
    assert "/org-hook" in heroku and "--without-webservice" in heroku
    assert "registers repository webhooks that point at" not in heroku


def test_inventory_page_explains_its_dates() -> None:
    page = _page("reference/inventory.md")
    assert "Why the dates differ" in page and "late August" in page
