from infradocs.core.security import write_permissions

PUSHES = """\
on: push
{perms}jobs:
  pusher:
    runs-on: ubuntu-latest
    steps:
      - run: git push https://x:${{{{ secrets.GITHUB_TOKEN }}}}@github.com/o/r
  reader:
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{{{ github.token }}}}
  limited:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - run: gh pr create
        env:
          GH_TOKEN: ${{{{ github.token }}}}
"""


def test_job_writing_with_default_token_is_flagged():
    found = write_permissions.check(PUSHES.format(perms="").encode())
    assert [(f["line"], f["audit"]) for f in found] == [(3, "write-without-permissions")]
    assert "'pusher'" in found[0]["message"]


def test_workflow_permissions_block_silences_it():
    text = PUSHES.format(perms="permissions:\n  contents: write\n")
    assert write_permissions.check(text.encode()) == []
