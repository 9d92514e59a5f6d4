from infradocs.core.security import azure_fork_upload as az

STEPS = b"""\
jobs:
- job: build
  steps:
  - script: ./build.sh
    env:
      BINSTAR_TOKEN: $(BINSTAR_TOKEN)
      CONFIG: $(CONFIG)
  - script: ./upload.sh
    condition: ne(variables['Build.Reason'], 'PullRequest')
    env:
      MY_SECRET: $(PROD_UPLOAD_TOKEN)
  - script: ./other.sh
    env:
      OTHER: $(PROD_UPLOAD_TOKEN)
"""


def test_credentials_in_steps_that_run_on_prs():
    found = az.check(STEPS, runs_on_prs=True, known=frozenset({"PROD_UPLOAD_TOKEN"}))
    assert [(f["line"], f["audit"], f["confidence"]) for f in found] == [
        (6, "azure-fork-pr-credentials", "low"),
        (14, "azure-fork-pr-credentials", "low"),
    ]
    assert "BINSTAR_TOKEN" in found[0]["message"]


def test_no_findings_when_prs_are_off():
    assert az.check(STEPS, runs_on_prs=False) == []
    assert az.pr_enabled(b"pr: none\ntrigger: [main]\n") is False
    assert az.pr_enabled(b"pr:\n  branches: {include: [main]}\n") is True
    assert az.pr_enabled(b"trigger: [main]\n") is True
    assert az.pr_enabled(None) is True


def test_condition_on_a_job_guards_its_steps():
    text = b"jobs:\n- job: up\n  condition: eq(variables['System.PullRequest.IsFork'], 'False')\n"
    text += b"  steps:\n  - script: x\n    env: {T: $(BINSTAR_TOKEN)}\n"
    assert az.check(text, runs_on_prs=True) == []
