"""The project's own inventory extractor reads this repository's workflows correctly."""

from __future__ import annotations

import pytest
from test_versions_workflows import MINE, WORKFLOWS, load

# The extractor is another part of the project (scripts/infradocs/core/inventory).
extract = pytest.importorskip("infradocs.core.inventory.extract")
locate = pytest.importorskip("infradocs.core.inventory.locate")


@pytest.mark.parametrize("name", MINE)
def test_extractor_reads_our_workflow(name: str) -> None:
    path = f".github/workflows/{name}"
    assert locate.provider_for(path) == "github-actions"
    facts = extract.extract("github-actions", (WORKFLOWS / name).read_bytes())
    workflow = load(name)
    assert facts["problems"] == []
    assert facts["name"] == workflow["name"]
    assert facts["triggers"] == sorted(workflow["on"])
    uses = {s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s}
    assert facts["actions"] == sorted(uses)
    assert facts["runners"] == ["ubuntu-latest"]
    # Nothing granted at the top; each job asks for what it needs (zizmor: excessive-permissions).
    assert facts["permissions"] == workflow["permissions"] == {}
    assert facts["secrets"] == []  # no secret is used (GITHUB_TOKEN comes via id-token)


def test_extractor_sees_the_pages_deployment() -> None:
    facts = extract.extract("github-actions", (WORKFLOWS / "pages.yml").read_bytes())
    assert "github-pages" in {service for service, _line in facts["services"]}
