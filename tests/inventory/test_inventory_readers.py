"""The extractor's provider table says exactly what it reads: checked against extraction itself."""

from __future__ import annotations

import pytest

from infradocs.core.inventory.extract import COMMON_FACTS, READERS, extract
from infradocs.core.inventory.locate import PROVIDERS
from infradocs.sphinxext.inventory_tables import readers

# One file per provider that holds every kind of fact any provider's reader looks for.
SAMPLES = {
    "github-actions": """\
name: CI
on:
  push:
  schedule:
    - cron: "0 0 * * *"
permissions: read-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: twine upload dist/* -p ${{ secrets.PYPI_TOKEN }}
""",
    "azure-pipelines": """\
name: az
schedules:
  - cron: "0 3 * * *"
jobs:
  - job: a
    pool: {vmImage: ubuntu-latest}
    steps:
      - script: anaconda upload x.tar.bz2
        env:
          TOKEN: $(BINSTAR_TOKEN)
""",
    "drone": """\
name: d
steps:
  - name: up
    environment:
      TOKEN: {from_secret: ANACONDA_TOKEN}
    commands: [anaconda upload x]
""",
    "woodpecker": """\
name: w
steps:
  up:
    secrets: [quay_token]
    commands: [twine upload dist/*]
""",
    "appveyor": """\
name: av
environment:
  BINSTAR_TOKEN:
    secure: abc
deploy_script: anaconda upload x
""",
    "travis-ci": "name: t\ndeploy:\n  provider: pypi\n",
    "gitlab-ci": "name: g\nupload:\n  script: [twine upload dist/*]\n",
}
SAMPLES["circleci"] = SAMPLES["github-actions"]
SAMPLES["cirun"] = SAMPLES["appveyor"]


def test_every_provider_the_locator_knows_has_a_reader() -> None:
    assert sorted(READERS) == sorted(PROVIDERS) == sorted(SAMPLES)


@pytest.mark.parametrize("provider", sorted(READERS))
def test_reader_declares_exactly_the_facts_extraction_gives(provider: str) -> None:
    facts = extract(provider, SAMPLES[provider].encode())
    assert facts["problems"] == []
    given = {k for k, v in facts.items() if v not in (None, [], "")} - {"problems"}
    reader = READERS[provider]
    assert given == (set(COMMON_FACTS) | set(reader.facts) if reader.parsed else set())
    assert bool(reader.reads) == bool(reader.facts)


def test_page_table_has_one_row_per_provider() -> None:
    intro, table = readers({})
    assert intro.astext().startswith("From every file it parses, the extractor reads the top-level")
    rows = {
        r[0].astext(): (r[1].astext(), r[2].astext())
        for r in table.findall(lambda n: n.tagname == "row")
        if r[0].astext() != "CI provider"
    }
    assert sorted(rows) == sorted(PROVIDERS)
    assert rows["circleci"] == (".circleci/config.yml", "Nothing inside: the file's presence only.")
    assert rows["gitlab-ci"][1] == "Only what every parsed file gives."
    assert rows["github-actions"][0] == ".github/workflows/*.y*ml"
    assert "secrets.NAME" in rows["github-actions"][1]
