"""The curated model each build loaded (by ``archmodel_dir``): the archmodel extension keeps it
here at ``config-inited``; the other extensions read it without importing that extension."""

from __future__ import annotations

from sphinx.config import Config

from infradocs.core.archmodel.load import Model

_LOADED: dict[str, Model] = {}


def keep_model(config: Config, model: Model) -> None:
    """Keep the model this build loaded from its ``archmodel_dir``."""
    _LOADED[config.archmodel_dir] = model


def loaded_model(config: Config) -> Model | None:
    """The model this build loaded from ``archmodel_dir``; None when the extension is not on."""
    return _LOADED.get(getattr(config, "archmodel_dir", ""))
