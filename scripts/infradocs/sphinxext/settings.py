"""The settings several extensions read, registered once: where the model and the snapshots are.

``inventory_snapshot`` names the snapshot (default: the committed one); ``inventory_org_snapshot``
the org-wide one when a build has it (relative paths: from the conf.py folder);
``archmodel_dir`` the curated model's folder. Each extension that reads them sets this one up.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from infradocs.core.archmodel.load import MODEL_DIR
from infradocs.core.siteconfig import SNAPSHOT


def _absolute(app: Sphinx, config: Config) -> None:
    """Relative snapshot paths are read from the conf.py folder: made absolute once."""
    for name in ("inventory_snapshot", "inventory_org_snapshot"):
        value = config[name]
        if value and not Path(value).is_absolute():
            config[name] = str(Path(app.confdir) / value)


def committed_snapshot(config: Config) -> Path:
    """The snapshot of the manifest's repositories (``inventory_snapshot``)."""
    return Path(config.inventory_snapshot)


def widest_snapshot(config: Config) -> tuple[Path, bool]:
    """The org-wide snapshot when the build has one, else the committed one; and whether it is
    the org-wide one."""
    org = config.inventory_org_snapshot
    return Path(org or config.inventory_snapshot), bool(org)


def setup(app: Sphinx) -> dict:
    """Register the three settings."""
    app.add_config_value("inventory_snapshot", str(SNAPSHOT), "env", types=frozenset({str}))
    app.add_config_value("inventory_org_snapshot", "", "env", types=frozenset({str}))
    app.add_config_value("archmodel_dir", str(MODEL_DIR), "env", types=frozenset({str}))
    app.connect("config-inited", _absolute, priority=100)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
