"""``evidence verify`` against real git repositories: each kind of change fails the right fact."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from evhelpers import ApiServer, git, line_of, run_verify, write_project


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    return write_project(tmp_path)


def _failing(report: dict) -> dict[str, dict]:
    return {f"{f['component']}: {f['fact']}": f for f in report["failing"]}


def _commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_unchanged_repositories_pass(project) -> None:
    clones, model, docs = project
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 0, text
    counts = report["counts"]
    assert counts["facts_failing"] == 0 and counts["items_passing"] == 4
    # archived: needs the API; with local clones it is reported as skipped, never passed
    assert counts["items_skipped"] == 1 and report["skipped"][0]["fact"] == "status"
    assert "all facts hold" in text.splitlines()[0]
    assert report["coverage"]["facts"] == 5 and report["coverage"]["with_evidence"] == 4


def _item_line(yaml_file: Path, needle: str) -> int:
    """The line of the ``- fact:`` that starts the item holding ``needle``."""
    lines = yaml_file.read_text().splitlines()
    at = line_of(yaml_file, needle)
    return max(n for n in range(1, at + 1) if lines[n - 1].strip().startswith("- fact:"))


def _assert_fails(project, fact: str, needle: str, found: str) -> dict:
    """Verify fails exactly ``fact``, naming the model line with ``needle`` and the page line."""
    clones, model, docs = project
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 1, text
    failing = _failing(report)
    assert list(failing) == [fact]
    entry = failing[fact]
    page = docs / "reference" / "automation" / "bot-job.md"
    assert entry["page"] == str(page) and entry["page_line"] == line_of(page, "{component}")
    [item] = entry["items"]
    yaml_file = model / "automation.yaml"
    assert item["file"] == str(yaml_file)
    assert item["line"] == _item_line(yaml_file, needle)
    assert found in item["found"]
    assert f"{yaml_file}:{item['line']}" in text and found.split(":")[0].split("'")[0] in text
    return item


def test_renamed_secret_fails_naming_the_new_name(project) -> None:
    repo = project[0] / "o" / "bot"
    wf = repo / ".github/workflows/bot.yml"
    wf.write_text(wf.read_text().replace("BOT_TOKEN", "BOT_GH_TOKEN"))
    _commit(repo)
    item = _assert_fails(project, "bot-job: credential: BOT_TOKEN", "secret: BOT_TOKEN", "secret")
    assert "BOT_GH_TOKEN" in item["found"] and "renamed to BOT_GH_TOKEN?" in item["found"]


def test_changed_cron_line_fails_with_the_new_schedule(project) -> None:
    repo = project[0] / "o" / "bot"
    wf = repo / ".github/workflows/bot.yml"
    wf.write_text(wf.read_text().replace("0 */6 * * *", "30 2 * * 1"))
    _commit(repo)
    _assert_fails(
        project,
        "bot-job: trigger: every six hours (cron)",
        'cron: "0 */6',
        "schedule changed to '30 2 * * 1'",
    )


def test_deleted_file_fails_as_gone(project) -> None:
    repo = project[0] / "o" / "bot"
    (repo / "README.md").unlink()
    _commit(repo)
    item = _assert_fails(project, "bot-job: note: readme", "contains: every six", "file gone")
    assert item["commit"] == git(repo, "rev-parse", "HEAD")


def test_moved_workflow_fails_both_of_its_facts(project) -> None:
    clones, model, docs = project
    repo = clones / "o" / "bot"
    git(repo, "mv", ".github/workflows/bot.yml", ".github/workflows/bot-cron.yml")
    _commit(repo)
    code, report, _ = run_verify(model, docs, "--clones", str(clones))
    assert code == 1
    failing = _failing(report)
    assert set(failing) == {
        "bot-job: credential: BOT_TOKEN",
        "bot-job: trigger: every six hours (cron)",
    }
    yaml_file, page = model / "automation.yaml", docs / "reference/automation/bot-job.md"
    needles = {"credential: BOT_TOKEN": "secret: BOT_TOKEN", "trigger": 'cron: "0 */6'}
    for fact, entry in failing.items():
        [item] = entry["items"]
        assert item["found"].startswith("file gone: .github/workflows/bot.yml")
        needle = next(n for key, n in needles.items() if key in fact)
        assert (item["file"], item["line"]) == (str(yaml_file), _item_line(yaml_file, needle))
        assert (entry["page"], entry["page_line"]) == (str(page), 5)
        assert entry["component"] == "bot-job"


def test_text_changed_names_the_closest_line(project) -> None:
    repo = project[0] / "o" / "bot"
    (repo / "README.md").write_text("# bot\n\nThe bot runs every four hours.\n")
    _commit(repo)
    item = _assert_fails(project, "bot-job: note: readme", "contains: every six", "no longer")
    assert "closest line 3" in item["found"]


def test_missing_clone_fails_its_facts_and_not_the_others(project) -> None:
    clones, model, docs = project
    subprocess.run(["rm", "-rf", str(clones / "o" / "other")], check=True)
    code, report, _ = run_verify(model, docs, "--clones", str(clones))
    assert code == 1
    failing = _failing(report)
    assert list(failing) == ["other-job: status"]
    assert "no local clone of o/other" in failing["other-job: status"]["items"][0]["found"]
    assert report["counts"]["items_passing"] == 3  # o/bot was still read


def _remote(project, api: ApiServer, *extra: str) -> tuple[int, dict, str]:
    clones, model, docs = project
    work = model.parent / "work"
    return run_verify(
        model,
        docs,
        "--git-base",
        f"file://{clones}",
        "--api-base",
        api.url,
        "--workdir",
        str(work),
        *extra,
    )


REPOS = {"o/bot": {"full_name": "o/bot", "archived": False}, "o/other": {"full_name": "o/other"}}


def test_remote_mode_passes_and_fetches_only_the_named_files(project, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_testtokenvalue123")
    for key in ("GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0"):
        monkeypatch.setenv(key, "")  # restored after the test: verify sets them for git
    with ApiServer(REPOS) as api:
        code, report, text = _remote(project, api)
    assert code == 0, text
    assert report["counts"]["items_passing"] == 5 and report["counts"]["items_skipped"] == 0
    assert api.auth and all(a == "Bearer ghp_testtokenvalue123" for a in api.auth)
    assert "ghp_testtokenvalue123" not in text + str(report)
    clone = project[1].parent / "work" / "evidence" / "o+bot"  # its own sparse clone
    objects = git(clone, "rev-list", "--objects", "--all", "--missing=print").splitlines()
    missing = {line[1:] for line in objects if line.startswith("?")}
    present = {line.split()[0] for line in objects if not line.startswith("?")}
    src = project[0] / "o" / "bot"
    for path in ("README.md", ".github/workflows/bot.yml"):
        assert git(src, "rev-parse", f"HEAD:{path}") in present, path
    for path in ("bot.py", "big/unrelated.txt"):
        assert git(src, "rev-parse", f"HEAD:{path}") in missing, path


def test_archived_repository_fails_in_remote_mode(project) -> None:
    repos = {**REPOS, "o/bot": {"full_name": "o/bot", "archived": True}}
    with ApiServer(repos) as api:
        code, report, _ = _remote(project, api)
    assert code == 1
    failing = _failing(report)
    assert list(failing) == ["bot-job: status"]
    item = failing["bot-job: status"]["items"][0]
    assert item["found"] == "repository archived"
    assert item["line"] == _item_line(project[1] / "automation.yaml", "archived: false")


def test_renamed_repository_fails_its_facts(project) -> None:
    repos = {**REPOS, "o/bot": {"full_name": "o/bot-renamed", "archived": False}}
    with ApiServer(repos) as api:
        code, report, _ = _remote(project, api)
    assert code == 1
    assert set(_failing(report)) == {
        "bot-job: status",
        "bot-job: trigger: every six hours (cron)",
        "bot-job: credential: BOT_TOKEN",
        "bot-job: note: readme",
    }
    found = {i["found"] for f in report["failing"] for i in f["items"]}
    assert found == {"repository renamed to o/bot-renamed"}


def test_unreachable_remote_repository_never_stops_the_others(project) -> None:
    repos = {"o/bot": REPOS["o/bot"]}  # o/other: 404 from the API
    with ApiServer(repos) as api:
        code, report, _ = _remote(project, api)
    assert code == 1
    assert list(_failing(report)) == ["other-job: status"]
    assert report["counts"]["items_passing"] == 4


def test_update_rewrites_only_verified_fields(project) -> None:
    clones, model, docs = project
    yaml_file = model / "automation.yaml"
    before = yaml_file.read_text()
    # a failing item keeps its (absent) verified: field
    (clones / "o" / "other" / "main.py").unlink()
    _commit(clones / "o" / "other")
    code, _, _ = run_verify(model, docs, "--clones", str(clones), "--update")
    assert code == 1
    after = yaml_file.read_text()
    head = git(clones / "o" / "bot", "rev-parse", "HEAD")
    added = [ln for ln in after.splitlines() if ln not in before.splitlines()]
    assert [ln.strip() for ln in after.splitlines() if "verified:" not in ln] == [
        ln.strip() for ln in before.splitlines()
    ]
    assert len(added) == 3  # cron, secret, contains; archived was skipped, main.py failed
    assert all(ln.startswith("        verified: {commit: " + head) for ln in added)
    assert "line: 4}" in after and "line: 12}" in after  # the cron and secret lines
    # Unchanged commits: a second update changes nothing.
    run_verify(model, docs, "--clones", str(clones), "--update")
    assert yaml_file.read_text() == after
    # A new commit rewrites the existing verified: lines in place.
    (clones / "o" / "bot" / "bot.py").write_text("print(2)\n")
    _commit(clones / "o" / "bot")
    run_verify(model, docs, "--clones", str(clones), "--update")
    newer = yaml_file.read_text()
    new_head = git(clones / "o" / "bot", "rev-parse", "HEAD")
    assert newer == after.replace(head, new_head)


def test_passing_facts_change_nothing_without_update(project) -> None:
    clones, model, docs = project
    before = (model / "automation.yaml").read_bytes()
    run_verify(model, docs, "--clones", str(clones))
    assert (model / "automation.yaml").read_bytes() == before


def test_repo_and_component_filters(project) -> None:
    clones, model, docs = project
    (clones / "o" / "other" / "main.py").unlink()
    _commit(clones / "o" / "other")
    code, report, _ = run_verify(model, docs, "--clones", str(clones), "--repo", "o/bot")
    assert code == 0 and report["counts"]["repositories"] == 1
    code, report, _ = run_verify(model, docs, "--clones", str(clones), "--component", "other-job")
    assert code == 1 and report["counts"]["items"] == 1


def test_a_clone_is_read_at_its_default_branch_not_a_checked_out_branch(project) -> None:
    clones, model, docs = project
    upstream = clones / "o" / "bot"
    moved = clones.parent / "upstream-bot"
    upstream.rename(moved)
    git(clones.parent, "clone", "-q", str(moved), str(upstream))
    git(upstream, "checkout", "-q", "-b", "feature")
    (upstream / "README.md").unlink()  # only on the feature branch that is checked out
    _commit(upstream)
    code, report, text = run_verify(model, docs, "--clones", str(clones))
    assert code == 0, text
    [repo] = [r for r in report["repositories"] if r["repo"] == "o/bot"]
    assert repo["commit"] == git(moved, "rev-parse", "HEAD")


def test_update_gives_each_claim_on_one_line_its_own_verified(project) -> None:
    """Two claims on one line read different files: each gets the line of its own match."""
    clones, model, docs = project
    page = docs / "reference" / "automation" / "bot-job.md"
    page.write_text(
        page.read_text() + "\nIt {fact}`says hello <{repo: o/bot, path: bot.py, "
        "contains: \"print('hello')\"}>` and {fact}`runs on a schedule <{repo: o/bot, "
        'path: README.md, contains: "every six hours"}>`.\n'
    )
    code, _, _ = run_verify(model, docs, "--clones", str(clones), "--update")
    assert code == 0
    (line,) = [t for t in page.read_text().splitlines() if "{fact}" in t]
    assert line.count("verified:") == 2
    lines = [int(n) for n in re.findall(r"verified: \{[^}]*line: (\d+)", line)]
    assert lines == [1, 3], line
