"""``evidence upgrade-yaml``: text checks on YAML files become ``yaml:`` checks on the node the
text matched, comments and layout kept, idempotent, the rest listed to do by hand."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from evhelpers import PULUMI, SERVICE, TEAM, UPSTREAM_WORKFLOW, make_repo, run_verify

from infradocs.cli.evidence import main

HEAD = (
    "# The model: comments stay.\ncomponents:\n"
    + TEAM
    + SERVICE
    + """\
    credentials:
      - DEPLOY_TOKEN
    sources:
      - {title: src, url: "https://example.org/"}
    evidence:
"""
)
ITEMS = """\
      - fact: "credential: DEPLOY_TOKEN"
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        contains: "visibility: all"  # why this item
      - fact: "credential: DEPLOY_TOKEN"
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        matches: '# Secret: DEPLOY_TOKEN\\b(?:\\n(?!  # ).*)*?\\n\\s+- \\$\\{repo-bot\\.repoId\\}'
      - fact: "credential: DEPLOY_TOKEN"
        path: ci/u.yml
        contains: "DEPLOY_TOKEN: ${{ secrets.DEPLOY_TOKEN }}"
      - {fact: status, path: ci/u.yml, matches: '^  workflow_dispatch:'}
      - fact: status
        path: ci/u.yml
        contains: python -m service.update
      - fact: status
        path: ci/u.yml
        contains: "- cron: \\"30 */4 * * *\\""
"""
CONVERTED = """\
      - fact: "credential: DEPLOY_TOKEN"
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        yaml: [resources, gh-org-secret-staging-token, properties, visibility]
        equals: all  # why this item
      - fact: "credential: DEPLOY_TOKEN"
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        yaml: [resources, gh-org-secret-deploy-token-repos, properties, selectedRepositoryIds]
        equals: ["${repo-service.repoId}", "${repo-bot.repoId}"]
      - fact: "credential: DEPLOY_TOKEN"
        path: ci/u.yml
        yaml: [jobs, update, steps, {name: Update}, env, DEPLOY_TOKEN]
        equals: "${{ secrets.DEPLOY_TOKEN }}"
      - {fact: status, path: ci/u.yml, yaml: ["on", workflow_dispatch], present: true}
      - fact: status
        path: ci/u.yml
        yaml: [jobs, update, steps, {name: Update}, run]
        has: python -m service.update
      - fact: status
        path: ci/u.yml
        yaml: ["on", schedule, 0, cron]
        equals: "30 */4 * * *"
"""
COMMENT_ONLY = """\
      - fact: status
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        contains: "# Secret: STAGING_TOKEN"
      - fact: status
        repo: o/infra
        path: sync-secrets/Pulumi.yaml
        lacks: "visibility: private"
"""
PAGE = (
    "# Service\n\n```{component} service\n```\n\nIt {fact}`runs on Ubuntu "
    '<{path: ci/u.yml, contains: "runs-on: ubuntu-latest"}>`.\n'
)


def _upgrade(clones: Path, model: Path, docs: Path) -> tuple[int, list[str]]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(
            ["upgrade-yaml", "--clones", str(clones), "--model", str(model), "--docs", str(docs)]
        )
    return code, buf.getvalue().splitlines()


def test_upgrade_converts_keeps_comments_is_idempotent_and_lists_the_rest(tmp_path: Path) -> None:
    clones, model, docs = tmp_path / "clones", tmp_path / "model", tmp_path / "docs"
    make_repo(clones / "o" / "service", {"ci/u.yml": UPSTREAM_WORKFLOW})
    make_repo(clones / "o" / "infra", {"sync-secrets/Pulumi.yaml": PULUMI})
    model.mkdir()
    yaml_file = model / "automation.yaml"
    yaml_file.write_text(HEAD + ITEMS + COMMENT_ONLY)
    page = docs / "reference" / "automation" / "service.md"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE)

    code, out = _upgrade(clones, model, docs)
    assert code == 1  # two items are left to do by hand
    assert yaml_file.read_text() == HEAD + CONVERTED + COMMENT_ONLY
    assert page.read_text() == PAGE.replace(
        'contains: "runs-on: ubuntu-latest"', "yaml: [jobs, update, runs-on], equals: ubuntu-latest"
    )
    where = f"{yaml_file}:{{}}: service: "
    assert out == [
        where.format(25) + "credential: DEPLOY_TOKEN: converted "
        "(the old text also matched a comment: review)",
        where.format(29) + "credential: DEPLOY_TOKEN: converted "
        "(the old text also matched a comment: review)",
        where.format(33) + "credential: DEPLOY_TOKEN: converted",
        where.format(36) + "status: converted",
        where.format(37) + "status: converted",
        where.format(40) + "status: converted",
        where.format(43) + "status: NOT converted: the text matches only a comment: "
        "write the yaml: check by hand",
        where.format(47) + "status: NOT converted: lacks: say by hand which node must be "
        "absent (present: false)",
        f"{page}:6: {{fact}} 'runs on Ubuntu': converted",
        "converted 7 items; 2 left to convert by hand",
    ]
    converted = yaml_file.read_text()
    code, again = _upgrade(clones, model, docs)
    assert yaml_file.read_text() == converted and code == 1
    assert again[-1] == "converted 0 items; 2 left to convert by hand"

    # the converted items hold upstream once the two left over are written by hand
    yaml_file.write_text(HEAD + CONVERTED)
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 0, text
    assert report["counts"]["items_passing"] == 7


def test_a_model_file_ruamel_would_reformat_is_left_alone_naming_the_line(tmp_path: Path) -> None:
    clones, model, docs = tmp_path / "clones", tmp_path / "model", tmp_path / "docs"
    make_repo(clones / "o" / "service", {"ci/u.yml": UPSTREAM_WORKFLOW})
    make_repo(clones / "o" / "infra", {"sync-secrets/Pulumi.yaml": PULUMI})
    model.mkdir()
    docs.mkdir()
    yaml_file = model / "automation.yaml"
    wrapped = HEAD.replace(
        "    credentials:\n",
        "    keywords: [service, jobs,\n               dispatch]\n    credentials:\n",
    )
    yaml_file.write_text(wrapped + ITEMS)
    code, out = _upgrade(clones, model, docs)
    assert code == 1
    line = wrapped.splitlines().index("    keywords: [service, jobs,") + 1
    assert out == [
        f"{yaml_file}:{line}: NOT converted: ruamel.yaml would rewrite this line; "
        "write it as it dumps",
        "converted 0 items; 1 left to convert by hand",
    ]
    assert yaml_file.read_text() == wrapped + ITEMS
