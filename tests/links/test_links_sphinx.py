"""The Sphinx extension on a tiny project: internal links checked at build time, URLs recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from linkhelpers import build
from sphinxapp import Built

INDEX = """\
# Home

```{toctree}
other
```

Good: [other](other.md), [its section](other.md#section-b), [myself](#home).

Broken anchor: [x](other.md#nope)

<a href="missing.html">raw HTML link to a missing page</a>

External: <https://example.org/a> and [b](https://example.org/b#frag).

![remote image](https://example.org/i.png)
"""

OTHER = """\
# Other

## Section B

[back](index.md) and <a href="https://example.org/raw">raw external</a>
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "infradocs.sphinxext.links"]\nmyst_heading_anchors = 3\n'
        'suppress_warnings = ["myst.xref_missing"]  # so only our checker reports\n'
    )
    (src / "index.md").write_text(INDEX)
    (src / "other.md").write_text(OTHER)
    return src


def warnings(proc: Built) -> list[str]:
    return [line for line in proc.stderr.splitlines() if "WARNING" in line]


def test_broken_internal_links_fail_the_build_at_their_line(project, tmp_path):
    proc = build(project, tmp_path / "out")
    assert proc.returncode != 0
    found = warnings(proc)
    assert (
        f"{project}/index.md:9: WARNING: broken link 'other.html#nope': no anchor #nope in "
        "other.html [links.internal]" in found
    )
    assert (
        f"{project}/index.md:11: WARNING: broken link 'missing.html': no such file: "
        "missing.html [links.internal]" in found
    )
    assert len(found) == 2, found


def test_clean_project_builds(project, tmp_path):
    index = project / "index.md"
    index.write_text(index.read_text().replace("#nope", "#section-b").replace("missing", "other"))
    proc = build(project, tmp_path / "out", jobs=2)
    assert proc.returncode == 0, proc.stderr


def test_external_urls_recorded_with_file_and_line(project, tmp_path):
    build(project, tmp_path / "out")
    docs = json.loads((tmp_path / "out" / "doctrees" / "links.json").read_text())["docs"]
    assert docs["index"]["source"] == "index.md"
    assert docs["index"]["external"] == [
        ["https://example.org/a", 13],
        ["https://example.org/b#frag", 13],
        ["https://example.org/i.png", 15],
    ]
    assert docs["other"]["external"] == [["https://example.org/raw", 5]]


def test_incremental_build_keeps_and_prunes_records(project, tmp_path):
    build(project, tmp_path / "out")
    (project / "other.md").write_text(OTHER.replace("raw external", "changed"))
    (project / "new.md").write_text("# New\n\n<https://example.org/new>\n")
    (project / "index.md").write_text(INDEX.replace("other\n```", "other\nnew\n```"))
    build(project, tmp_path / "out")
    record = tmp_path / "out" / "doctrees" / "links.json"
    assert set(json.loads(record.read_text())["docs"]) == {"index", "other", "new"}
    (project / "new.md").unlink()
    (project / "index.md").write_text(INDEX)
    build(project, tmp_path / "out")
    docs = json.loads(record.read_text())["docs"]
    assert set(docs) == {"index", "other"}
    assert docs["other"]["external"] == [["https://example.org/raw", 5]]


def test_template_link_reported_once_for_all_pages(project, tmp_path):
    templates = project / "_templates"
    templates.mkdir()
    (templates / "layout.html").write_text(
        '{% extends "!layout.html" %}{% block footer %}<a href="nowhere.html">x</a>'
        "{{ super() }}{% endblock %}"
    )
    (project / "conf.py").write_text(
        (project / "conf.py").read_text() + 'templates_path = ["_templates"]\n'
    )
    (project / "index.md").write_text(INDEX.replace("#nope", "").replace("missing", "other"))
    proc = build(project, tmp_path / "out")
    found = [w for w in warnings(proc) if "nowhere.html" in w]
    assert len(found) == 1, warnings(proc)
    assert "in the page template or generated page" in found[0]
    assert "more pages" in found[0]


def test_a_build_with_nothing_changed_rewrites_no_record_and_still_reports(project, tmp_path):
    """The record and the check's state are written only when pages changed; a broken link
    left in place is reported again, at its line, from the kept record."""
    out = tmp_path / "out"
    first = build(project, out)
    record = out / "doctrees" / "links.json"
    state = out / "doctrees" / "links-internal.json"
    times = record.stat().st_mtime_ns, state.stat().st_mtime_ns
    again = build(project, out)
    assert (record.stat().st_mtime_ns, state.stat().st_mtime_ns) == times
    assert warnings(again) == warnings(first) and len(warnings(again)) == 2
    assert any(
        w.startswith(f"{project}/index.md:11: WARNING: broken link") for w in warnings(again)
    )
    (project / "other.md").write_text(OTHER + "\n<https://example.org/added>\n")
    build(project, out)
    docs = json.loads(record.read_text())["docs"]
    assert ["https://example.org/added", 7] in docs["other"]["external"]
    assert docs["index"]["external"][0] == ["https://example.org/a", 13]  # kept from before
