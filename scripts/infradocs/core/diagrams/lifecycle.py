"""Sequence diagrams of the life of a package, from flows.yaml with participants on model ids."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from infradocs.core.archmodel import Model
from infradocs.core.diagrams.mermaid import HEADER, NATURAL_SIZE, node_id, page_link, plain

FLOWS = Path(__file__).with_name("flows.yaml")


class FlowError(Exception):
    """A problem in flows.yaml, as ``file:line: message``."""


PHASE_PARTICIPANTS = 4  # at most this many lifelines per diagram: it fits a page's column


class _LineLoader(yaml.SafeLoader):
    """Keeps each mapping's 1-based line under the key ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


@dataclass(frozen=True)
class Missing:
    """A flow participant none of whose candidate ids is in the model."""

    flow: str
    participant: str
    ids: tuple[str, ...]


def load_flows(path: Path = FLOWS) -> dict:
    """Parse and check flows.yaml; raise FlowError naming the file and line of each problem."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise FlowError(f"{path}:{line}: invalid YAML: {exc.problem}") from None
    problems = []
    parts = data.get("participants", {}) if isinstance(data, dict) else {}
    for key, spec in parts.items():
        if key == "__line__":
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
            problems.append(f"{path}:{data['__line__']}: participant {key!r} needs a label")
    for flow in data.get("flows", []) if isinstance(data, dict) else []:
        for step in flow.get("steps", []):
            keys = set(step) - {"__line__"}
            if keys not in ({"from", "to", "say"}, {"note", "over"}):
                problems.append(
                    f"{path}:{step['__line__']}: a step has from/to/say or note/over, "
                    f"not {sorted(map(str, keys))} (quote text that has commas)"
                )
                continue
            names = [step.get("from"), step.get("to")] if "say" in step else step.get("over", [])
            for name in names:
                if name not in parts or name == "__line__":
                    problems.append(f"{path}:{step['__line__']}: unknown participant {name!r}")
    if problems:
        raise FlowError("\n".join(problems))
    return data


def _participants(steps: list[dict]) -> list[str]:
    """The participants of ``steps`` in order of first appearance."""
    used: list[str] = []
    for step in steps:
        for name in [step["from"], step["to"]] if "say" in step else step["over"]:
            if name not in used:
                used.append(name)
    return used


def phases(steps: list[dict], limit: int = PHASE_PARTICIPANTS) -> list[list[dict]]:
    """Consecutive runs of ``steps`` with at most ``limit`` participants each: one sequence
    diagram per phase stays within a page's column, where one for the whole flow did not."""
    out: list[list[dict]] = []
    for step in steps:
        if out and len(_participants([*out[-1], step])) <= limit:
            out[-1].append(step)
        else:
            out.append([step])
    return out


def sequences(model: Model, flows: dict) -> tuple[dict[str, str], list[Missing]]:
    """``<flow>-<N>.mmd`` -> a sequence diagram per phase; plus the participants not found in
    the model (once per flow)."""
    out, missing = {}, []
    parts = {k: v for k, v in flows["participants"].items() if k != "__line__"}
    for flow in flows["flows"]:
        seen: set[str] = set()
        runs = phases(flow["steps"])
        for n, steps in enumerate(runs, 1):
            title = f"{flow['title']} ({n} of {len(runs)})" if len(runs) > 1 else flow["title"]
            lines = [HEADER, f"%% {title}", NATURAL_SIZE["sequenceDiagram"], "sequenceDiagram"]
            links = []
            for name in _participants(steps):
                spec = parts[name]
                found = next((i for i in spec.get("ids", []) if i in model), None)
                kind = "actor" if spec.get("actor") else "participant"
                text = model[found].title if found else spec["label"]
                lines.append(f"  {kind} {node_id(name, 'p')} as {plain(text)}")
                if found:
                    page = page_link(model[found].page)
                    links.append(f"  link {node_id(name, 'p')}: Reference page @ {page}")
                elif spec.get("ids") and name not in seen:
                    missing.append(Missing(flow["name"], name, tuple(spec["ids"])))
                seen.add(name)
            for step in steps:
                if "say" in step:
                    src, dst = node_id(step["from"], "p"), node_id(step["to"], "p")
                    lines.append(f"  {src}->>{dst}: {plain(step['say'])}")
                else:
                    over = ",".join(node_id(n, "p") for n in step["over"])
                    lines.append(f"  Note over {over}: {plain(step['note'])}")
            name = f"{flow['name']}-{n}" if len(runs) > 1 else flow["name"]
            out[f"{name}.mmd"] = "\n".join(lines + links) + "\n"
    return out, missing
