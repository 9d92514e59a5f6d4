"""The settings several extensions read, registered once: where the model and the snapshots are.

``inventory_snapshot`` names the snapshot (default: the committed one); ``inventory_org_snapshot``
the org-wide one when a build has it; ``archmodel_dir`` the curated model's folder;
``diagrams_dir`` the generated diagrams' folder. Relative paths are read from the conf.py folder,
so a copy of the repository builds its own files whichever checkout the package came from. Each
extension that reads them sets this one up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from infradocs.core.archmodel.load import MODEL_DIR
from infradocs.core.diagrams import GENERATED
from infradocs.core.inventory import snapshot
from infradocs.core.siteconfig import SNAPSHOT

PATHS = ("inventory_snapshot", "inventory_org_snapshot", "archmodel_dir", "diagrams_dir")


def _absolute(app: Sphinx, config: Config) -> None:
    """Relative paths are read from the conf.py folder: made absolute once."""
    for name in PATHS:
        value = config[name]
        if value and not Path(value).is_absolute():
            config[name] = str(Path(app.confdir) / value)


def kept_folder(doctreedir: str | Path) -> Path:
    """Where a build keeps what it derived from its inputs (infradocs.core.buildcache), beside
    its own pickles."""
    return Path(doctreedir) / "kept"


def snapshot_doc(path: Path, kept: Path) -> dict:
    """The schema-checked snapshot document at ``path`` (its findings kept in the folder
    ``kept``), read once per build process and file version for every extension that shows it.
    SnapshotError as ``snapshot.load``; the document is shared: read it, never change it."""
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return _snapshot_doc(str(path), mtime, str(kept))


@cache
def _snapshot_doc(path: str, mtime_ns: int, kept: str) -> dict:
    return snapshot.load(path, kept=Path(kept))


def committed_snapshot(config: Config) -> Path:
    """The snapshot of the manifest's repositories (``inventory_snapshot``)."""
    return Path(config.inventory_snapshot)


def widest_snapshot(config: Config) -> tuple[Path, bool]:
    """The org-wide snapshot when the build has one, else the committed one; and whether it is
    the org-wide one."""
    org = config.inventory_org_snapshot
    return Path(org or config.inventory_snapshot), bool(org)


def setup(app: Sphinx) -> dict:
    """Register the four settings."""
    app.add_config_value("inventory_snapshot", str(SNAPSHOT), "env", types=frozenset({str}))
    app.add_config_value("inventory_org_snapshot", "", "env", types=frozenset({str}))
    app.add_config_value("archmodel_dir", str(MODEL_DIR), "env", types=frozenset({str}))
    app.add_config_value("diagrams_dir", str(GENERATED), "env", types=frozenset({str}))
    app.connect("config-inited", _absolute, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
