"""The overview for a phone: the same boxes, arrows and key tags, the stages stacked top-down.

The path runs down the left column (a stage's boxes side by side); what acts on a stage stands
in the right column beside it, each box under its arrow's words; the words of the arrows from
one stage down to the next sit right of them. 360 units wide, so a 390 px screen shows it at
full size without scrolling sideways.
"""

from __future__ import annotations

from infradocs.core.archmodel import Component, Model
from infradocs.core.diagrams.mermaid import KIND_CLASS
from infradocs.core.diagrams.overview_svg import (
    BAND_FONT,
    BOX_FONT,
    LABEL_FONT,
    LINE,
    PAD_X,
    STAGE_FONT,
    Box,
    Drawing,
    _arrow,
    _box_svg,
    _ids,
    _keys,
    _label,
    _oriented,
    _text,
    svg_document,
    wrap,
)

WIDTH = 360
LEFT = 8
PATH_W = 204  # the left column: the path
SIDE_X = LEFT + PATH_W + 34  # the right column: what acts on a stage, titles, arrows' words
SIDE_W = WIDTH - SIDE_X - 6
PREFIX = "ovp"


def _box(model: Model, stage: dict, cid: str, x: float, y: float, w: float) -> Box:
    comp: Component = model[cid]
    cls = "retired" if comp.status == "retired" else KIND_CLASS[comp.kind]
    lines = wrap(comp.title, w - 2 * PAD_X, BOX_FONT)
    return Box(comp, x, y, w, lines, cls, _keys(model, stage, cid, w))


def overview_phone_svg(model: Model, data: dict) -> str:
    """The phone variant of the overview as a standalone SVG (deterministic)."""
    drawing = Drawing(height=4)
    flows = [_oriented(f) for f in data["flows"]]
    above: list[Box] = []  # the path boxes of the stage drawn last
    for band in data["bands"]:
        title = wrap(band["title"], WIDTH - SIDE_X + 26, BAND_FONT, bold=True)
        first = set(band["stages"][0]["path"])
        top, words = _gap(drawing, flows, above, first, len(title) * BAND_FONT * LINE + 8)
        ty = top - len(title) * BAND_FONT * LINE - 16
        drawing.front.append(_text(WIDTH - 6, ty + BAND_FONT, title, BAND_FONT, "ov-band", "end"))
        lane_top = ty - 4
        for n, stage in enumerate(band["stages"]):
            if n:
                top, words = _gap(drawing, flows, above, set(stage["path"]), 0)
            drawing.height = top
            above = _stage(model, stage, flows, drawing, above, words)
        drawing.back.append(
            f'<rect class="ov-lane" x="2" y="{lane_top:.1f}" width="{WIDTH - 4}" '
            f'height="{drawing.height + 6 - lane_top:.1f}" rx="8"/>'
        )
        drawing.height += 10
    return svg_document(WIDTH, drawing, PREFIX, "package-path-phone")


def _gap(
    drawing: Drawing, flows, above: list[Box], below: set[str], room: float
) -> tuple[float, tuple[float, list[str]]]:
    """Where the next stage starts below what is drawn, leaving room for the words of the
    arrows from the path boxes ``above`` to the path ids ``below`` (each verb once), then
    ``room`` more; and where those words go."""
    ids = {b.comp.id for b in above}
    verbs = sorted({v for s, d, v in flows if s in ids and d in below})
    lines = [line for v in verbs for line in wrap(v, WIDTH - LEFT - PATH_W - 12, LABEL_FONT)]
    label_top = drawing.height + 10
    return label_top + len(lines) * LABEL_FONT * LINE + room + 14, (label_top, lines)


def _stage(
    model: Model,
    stage: dict,
    flows,
    drawing: Drawing,
    above: list[Box],
    words: tuple[float, list[str]],
) -> list[Box]:
    """Lay out one stage from ``drawing.height`` down; draw the arrows into it from ``above``
    with ``words`` in the gap between; return its path boxes."""
    top = drawing.height
    acting = [c for c in _ids(stage) if c not in stage["path"]]
    linked = {s for s, d, _v in flows if d in acting} | {d for s, d, _v in flows if s in acting}
    path = sorted(stage["path"], key=lambda c: c in linked)  # boxes with side arrows rightmost
    width = (PATH_W - 8 * (len(path) - 1)) / len(path)
    boxes = [_box(model, stage, c, LEFT + i * (width + 8), top, width) for i, c in enumerate(path)]
    # The right column: the stage's title, then each acting box under its arrow's words.
    title = wrap(stage["title"], SIDE_W, STAGE_FONT, bold=True)
    drawing.front.append(_text(SIDE_X, top + STAGE_FONT, title, STAGE_FONT, "ov-stage", "start"))
    y = top + len(title) * STAGE_FONT * LINE + 4
    side: list[tuple[Box, Box | None, bool]] = []
    for cid in acting:
        flow = next(((s, d, v) for s, d, v in flows if cid in (s, d) and {s, d} & set(path)), None)
        lines = wrap(flow[2], SIDE_W, LABEL_FONT) if flow else []
        if lines:
            drawing.front.append(_label(SIDE_X, y, lines, anchor="start"))
        y += len(lines) * LABEL_FONT * LINE + 4
        box = _box(model, stage, cid, SIDE_X, y, SIDE_W)
        other = next((b for b in boxes if flow and b.comp.id in flow[:2]), None)
        side.append((box, other, bool(flow) and flow[0] == cid))
        y += box.h + 10
    for box, target, inward in side:
        if target is not None:
            ty = min(max(box.cy, target.y + 8), target.y + target.h - 8)
            ends = [(box.x - 1, box.cy), (target.x + target.w + 1, ty)]
            drawing.arrows.append(_arrow(ends if inward else ends[::-1], PREFIX))
    # The arrows into this stage from the one above, their words in the gap beside them.
    for src in above:
        for dst in boxes:
            if any(s == src.comp.id and d == dst.comp.id for s, d, _v in flows):
                drawing.arrows.append(
                    _arrow([(src.cx, src.y + src.h), (dst.cx, dst.y - 1)], PREFIX)
                )
    if words[1] and above:
        drawing.front.append(_label(LEFT + PATH_W + 6, words[0], words[1], anchor="start"))
    drawing.front += [_box_svg(b) for b in boxes] + [_box_svg(b) for b, *_r in side]
    drawing.height = max(y - 10, max(b.y + b.h for b in boxes))
    return boxes
