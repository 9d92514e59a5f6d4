"""Mermaid architecture diagrams generated from the curated model and the inventory snapshot."""

from __future__ import annotations

from pathlib import Path

from infradocs.core.inventory.snapshot import PATH as INVENTORY
from infradocs.core.siteconfig import INSTALLED

GENERATED = INSTALLED.generated


def neighbourhood_path(component_id: str, generated: Path = GENERATED) -> Path:
    """The generated neighbourhood diagram of one component."""
    return generated / "components" / f"{component_id}.mmd"


__all__ = ["GENERATED", "INVENTORY", "neighbourhood_path"]
