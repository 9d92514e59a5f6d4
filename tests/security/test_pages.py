"""The Security posture and Token map pages of the real site, from the committed snapshot."""

import json
import re

import pytest

from infradocs.core.inventory.snapshot import PATH as SNAPSHOT

pytestmark = pytest.mark.slow


def test_posture_page_counts_and_links(built_site):
    doc = json.loads(SNAPSHOT.read_text())
    html = (built_site / "security" / "index.html").read_text()
    total = sum(len(w.get("findings", [])) for r in doc["repos"] for w in r["workflows"])
    if "security" not in doc:
        assert "has not been audited yet" in html
        return
    assert f"{total} findings in" in html
    assert f"zizmor {doc['security']['tools']['zizmor']}" in html
    # every finding links to its file and line at the snapshot's commit
    links = re.findall(r'href="(https://github.com/[^"]+/blob/[0-9a-f]{40}/[^"]+#L\d+)"', html)
    with_line = sum(
        1
        for r in doc["repos"]
        for w in r["workflows"]
        for f in w.get("findings", [])
        if f["line"] and "/" in r["name"] and r["commit"]
    )
    assert len(links) == with_line > 0
    assert "sec-audits" in html and "sec-worst" in html


def test_token_map_names_owner_and_reach_never_values(built_site):
    html = (built_site / "security" / "tokens.html").read_text()
    assert "STAGING_BINSTAR_TOKEN" in html
    row = html[
        html.index(
            '<code class="docutils literal notranslate"><span class="pre">STAGING_BINSTAR_TOKEN'
        ) :
    ]
    row = row[: row.index("</tr>")]
    assert "reference/tokens/staging-binstar-token.html" in row
    assert "reference/organisations/" in row  # who rotates it: a team page of the model
