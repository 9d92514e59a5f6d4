"""Jobs that write with the default GITHUB_TOKEN because no ``permissions:`` block limits it.

Kept beside zizmor's ``excessive-permissions``, which flags every job and workflow with no
``permissions:`` block, writing or not, and has no setting to narrow that (only disable, ignore
and remap): on the 37 repositories of the snapshot it has 132 such findings, among them the 4
lines found here; a read-only job (``run: echo ${{ github.token }}``) is one of them, not one of
ours."""

from __future__ import annotations

import re

from infradocs.core.inventory import yamlnodes as yn
from infradocs.core.security.findings import finding

AUDIT = "write-without-permissions"
# Signs that a job writes to the repository or its issues with the workflow's token.
WRITES = re.compile(
    r"git\s+push|gh\s+(?:pr|release|issue|label|api\s+(?:-X|--method)\s*(?:POST|PUT|PATCH|DELETE))"
    r"|peter-evans/create-pull-request|actions/github-script|softprops/action-gh-release"
    r"|stefanzweifel/git-auto-commit-action|contents:\s*write",
    re.I,
)
TOKEN = re.compile(r"secrets\s*\.\s*GITHUB_TOKEN|github\s*\.\s*token", re.I)


def check(data: bytes) -> list[dict]:
    """One finding per job that has no permissions (nor the workflow) and writes with the token."""
    out = []
    for doc in yn.compose(data):
        if yn.get(doc, "permissions") is not None:
            continue
        for name, key, job in yn.items(yn.get(doc, "jobs")):
            if yn.get(job, "permissions") is not None or yn.get(job, "uses") is not None:
                continue
            body = yn.all_text(job)
            if not (TOKEN.search(body) and WRITES.search(body)):
                continue
            out.append(
                finding(
                    AUDIT,
                    "medium",
                    "medium",
                    yn.line(key),
                    f"job {name!r} writes with the GITHUB_TOKEN but neither it nor the workflow "
                    "has a permissions: block, so it gets the repository's default (read-write "
                    "in older organisations); declare the write scopes it needs",
                )
            )
    return out
