"""Single checks against file bytes: secrets as the inventory reads them, schedules, literals."""

from __future__ import annotations

from pathlib import Path

from evhelpers import WORKFLOW

from infradocs.core.evidence.checks import run
from infradocs.core.evidence.items import Item
from infradocs.core.evidence.sources import Entry, Snapshot

PATH = ".github/workflows/bot.yml"


def _item(kind: str, value, path: str = PATH) -> Item:
    return Item(
        kind, "o/r", path, value, Path("m.yaml"), 1, "f", "c", None, None, None, {kind: value}, "k"
    )


def _snap(text: str, path: str = PATH) -> Snapshot:
    return Snapshot("o/r", "c" * 40, {path: Entry("blob", text.encode())})


def test_secret_by_secret_name_or_by_the_env_name_it_is_given() -> None:
    snap = _snap(WORKFLOW)
    assert run(_item("secret", "BOT_TOKEN"), snap).line == 12
    # GH_TOKEN is the env name the secret is passed as: the inventory's "env names"
    assert run(_item("secret", "GH_TOKEN"), snap).line == 12
    out = run(_item("secret", "OTHER"), snap)
    assert not out.ok and "references secrets: BOT_TOKEN" in out.found
    plain = WORKFLOW.replace("${{ secrets.BOT_TOKEN }}", "literal")
    assert not run(_item("secret", "GH_TOKEN"), _snap(plain)).ok


def test_secret_in_azure_pipelines_and_in_other_files() -> None:
    azure = "jobs:\n- job: a\n  steps:\n  - script: x\n    env:\n      TOKEN: $(BINSTAR_TOKEN)\n"
    snap = _snap(azure, "azure-pipelines.yml")
    assert run(_item("secret", "BINSTAR_TOKEN", "azure-pipelines.yml"), snap).ok
    py = "import os\n\ntoken = os.environ['GH_TOKEN']\n"
    out = run(_item("secret", "GH_TOKEN", "app.py"), _snap(py, "app.py"))
    assert out.ok and out.line == 3
    assert not run(_item("secret", "GH_TOK", "app.py"), _snap(py, "app.py")).ok


def test_cron_literal_and_pattern() -> None:
    snap = _snap(WORKFLOW)
    assert run(_item("cron", "0  */6 * * *"), snap).ok  # whitespace-normalised
    assert run(_item("cron", "0 */6 * * *"), snap).line == 4
    assert run(_item("contains", "python bot.py"), snap).line == 10
    assert run(_item("matches", r"^\s+runs-on: ubuntu-"), snap).line == 8
    assert not run(_item("matches", r"^runs-on"), snap).ok
    out = run(_item("cron", "0 * * * *", "README.md"), _snap("x", "README.md"))
    assert not out.ok and "not a GitHub Actions or Azure Pipelines file" in out.found


def test_folder_is_not_a_file_and_exists_reads_no_content() -> None:
    snap = Snapshot("o/r", "c" * 40, {".github": Entry("tree")})
    assert run(_item("exists", True, ".github"), snap).ok
    assert not run(_item("exists", False, ".github"), snap).ok
    out = run(_item("contains", "x", ".github"), snap)
    assert not out.ok and "is a tree, not a file" in out.found


def test_lacks_holds_while_the_text_is_absent() -> None:
    snap = _snap(WORKFLOW)
    assert run(_item("lacks", "appveyor"), snap).ok
    out = run(_item("lacks", "python bot.py"), snap)
    assert not out.ok and out.found == "text is there again, at line 10" and out.line == 10
