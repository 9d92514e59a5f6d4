"""Produce every generated file's text, then write them or compare them with the committed ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from infradocs.core.archmodel import Model
from infradocs.core.diagrams.drift import drift_report, dump
from infradocs.core.diagrams.extracted import Inventory, extracted_edges
from infradocs.core.diagrams.group_matrix import group_matrix
from infradocs.core.diagrams.legend import legend
from infradocs.core.diagrams.lifecycle import sequences
from infradocs.core.diagrams.neighbourhood import neighbourhoods
from infradocs.core.diagrams.overview_phone_svg import overview_phone_svg
from infradocs.core.diagrams.overview_svg import overview_svg
from infradocs.core.diagrams.relations import all_edges
from infradocs.core.diagrams.repository_map import repository_maps
from infradocs.core.diagrams.token_matrix import dump_matrix, token_matrix

OWNED_SUFFIXES = {".mmd", ".json", ".svg"}


@dataclass
class Output:
    """Generated files by path relative to the output folder, and the drift report."""

    files: dict[str, str] = field(default_factory=dict)
    drift: dict = field(default_factory=dict)


def generate(model: Model, inv: Inventory, flows: dict, path: dict | None = None) -> Output:
    """Every diagram and the drift report as text, keyed by relative path (sorted); ``path``
    (the loaded diagrams/overview.yaml) adds the package-path overview ``overview.svg``."""
    edges = all_edges(model, extracted_edges(model, inv))
    files = {
        "group-matrix.json": dump_matrix(group_matrix(model, edges)),
        "token-matrix.json": dump_matrix(token_matrix(model, inv)),
        "legend.mmd": legend(),
    }
    if path is not None:
        files["overview.svg"] = overview_svg(model, path)
        files["overview-phone.svg"] = overview_phone_svg(model, path)
    files |= neighbourhoods(model, edges)
    files |= repository_maps(model)
    seqs, missing = sequences(model, flows)
    files |= seqs
    report = drift_report(model, inv, missing)
    files["drift.json"] = dump(report)
    return Output(dict(sorted(files.items())), report)


def existing(out_dir: Path) -> set[str]:
    """Relative paths of the generated-kind files already in ``out_dir``."""
    if not out_dir.exists():
        return set()
    return {
        p.relative_to(out_dir).as_posix()
        for p in out_dir.rglob("*")
        if p.is_file() and p.suffix in OWNED_SUFFIXES
    }


def stale(output: Output, out_dir: Path) -> list[str]:
    """Messages naming each committed file that differs, is missing, or is no longer generated."""
    problems = []
    for rel, text in output.files.items():
        path = out_dir / rel
        if not path.exists():
            problems.append(f"{path}: missing (not generated yet)")
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append(f"{path}: differs from what the model and inventory produce")
    for rel in sorted(existing(out_dir) - set(output.files)):
        problems.append(f"{out_dir / rel}: no longer generated (delete it)")
    return problems


def write(output: Output, out_dir: Path) -> list[str]:
    """Write changed files, delete files no longer generated; return the paths touched."""
    touched = []
    for rel, text in output.files.items():
        path = out_dir / rel
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            touched.append(f"wrote {path}")
    for rel in sorted(existing(out_dir) - set(output.files)):
        (out_dir / rel).unlink()
        touched.append(f"deleted {out_dir / rel}")
    return touched
