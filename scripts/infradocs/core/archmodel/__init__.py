"""The curated architecture model: conda-forge's components, their facts and relations."""

from infradocs.core.archmodel.load import Component, Model, ModelError, load_model

__all__ = ["Component", "Model", "ModelError", "load_model"]
