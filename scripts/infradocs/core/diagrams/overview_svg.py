"""The architecture overview: the path of a package as an SVG of lanes, from diagrams/overview.yaml.

Boxes are model components, arrows model relations labelled with a verb phrase, key tags token
components. Mermaid 11.17.2 (dagre) lost on this picture: drawn as a flowchart the same 25 boxes
and 19 labelled arrows came out 1,900 px wide (each labelled edge widens its rank by the label)
with crossings, so its text shrank under 8 px in the 960 px column. Laying out fixed lanes is a
few arithmetic steps, crossing-free by construction, and the legibility test measures the result.

Mermaid with ELK (@mermaid-js/layout-elk 0.2.3, issue 20; generator and vendoring on branch
h-elk) lost too. Left to right it is 6,600 px wide; top-down (SIMPLE node placement, SVG labels)
it fits, but layout-elk puts every group's title at its top centre ("[H_CENTER V_TOP, INSIDE]",
not a Mermaid setting), where the top-down chain enters the group: 9 arrows run through titles
("merged recipes go to" through "New feedstock"; likewise Feedstock, CI builds, Staging, "2. From
staging to users", Validation and copy, Channel, CDN, "Mirrors, then users"). Measured by
tests/browser/legibility.py on the home page, 2026-12-07 (load 5 to 9 on 2 cores; the figures are
geometry, not timings), light and dark alike (px; text: the smallest; through: arrows through
text not their own):

    layout         viewport  width/column  natural  text  overlaps  crossings  through  height
    lanes (this)   1280x800  896/896       880      12.2  0         0 of 19    0        1,145
    ELK top-down   1280x800  862/896       1,146    12.0  0         0 of 29    9        2,067
    phone variant  390x844   358/358       360      11.9  0         0 of 19    0        1,661

(ELK's 29 edges are its 19 arrows and 10 dotted key lines; both branches show a phone the same
stacked SVG, overview_phone_svg.) So the lanes stay and ELK is not vendored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from infradocs.core.archmodel import Component, Model
from infradocs.core.diagrams.lifecycle import _LineLoader
from infradocs.core.diagrams.mermaid import CLASS_DEFS, KIND_CLASS, page_link
from infradocs.core.siteconfig import DIAGRAMS

OVERVIEW = DIAGRAMS / "overview.yaml"
ROWS = ("above", "path", "below")

# Geometry, in SVG user units (px when the drawing is shown at its natural width).
WIDTH = 880
LEFT = 26  # room on the left for the arrow from one band down to the next
GAP = 70  # between the boxes of two stages: the arrows' labels sit here
BOX_FONT, LABEL_FONT, STAGE_FONT, BAND_FONT, KEY_FONT = 13, 12, 13, 15, 12
LINE = 1.25  # line height, in font sizes
PAD_X, PAD_Y = 6, 7
FAN = 30  # vertical room between two boxes of one stage (their arrows' labels)
ROW_GAP = 12  # above/below a row without a labelled vertical arrow
KEY_GAP = 3  # between a box's title (or the tag above) and a key tag
KEY_PAD = 3  # inside a key tag, above and below its text
KEY_INSET = 3  # between a box's border and its key tags
KEY_PAD_X = 4  # inside a key tag, left and right of its text

# Advance widths of Arial / Liberation Sans, per 1000 units of the font size (ASCII).
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278]
        + [556] * 10
        + [278, 278, 584, 584, 584, 556, 1015]
        + [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833]
        + [722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611]
        + [278, 278, 278, 469, 556, 333]
        + [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833]
        + [556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500]
        + [334, 260, 334, 584],
        strict=True,
    )
)


class OverviewError(Exception):
    """A problem in the overview file, as ``file:line: message``."""


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width in Liberation Sans (Arial metrics) at ``size``."""
    units = sum(_WIDTHS.get(ch, 1000) for ch in text)
    return units * size / 1000 * (1.1 if bold else 1.04)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width``: break at spaces, else after - / _."""
    words: list[str] = []
    for word in text.split():
        while text_width(word, size, bold) > width:
            cut = max((word.rfind(c, 0, len(word) - 1) for c in "-/_"), default=-1)
            while cut > 0 and text_width(word[: cut + 1], size, bold) > width:
                cut = max(word.rfind(c, 0, cut) for c in "-/_")
            if cut <= 0:
                break
            words.append(word[: cut + 1] + "\u200b")
            word = word[cut + 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        glue = "" if lines and lines[-1].endswith("\u200b") else " "
        if lines and text_width(lines[-1] + glue + word, size, bold) <= width:
            lines[-1] = (lines[-1] + glue + word).replace("\u200b", "")
        else:
            lines.append(word)
    return [line.replace("\u200b", "") for line in lines]


@dataclass
class Key:
    """A token a box's component holds, drawn as a tag inside the box: its wrapped title."""

    comp: Component
    lines: list[str]

    @property
    def h(self) -> float:
        return len(self.lines) * KEY_FONT * LINE + 2 * KEY_PAD


@dataclass
class Box:
    """A drawn component: where it is, its wrapped title and the key tags of what it holds."""

    comp: Component
    x: float
    y: float
    w: float
    lines: list[str]
    cls: str
    keys: list[Key] = field(default_factory=list)

    @property
    def h(self) -> float:
        tags = sum(k.h + KEY_GAP for k in self.keys)
        return len(self.lines) * BOX_FONT * LINE + 2 * PAD_Y + tags

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Drawing:
    """SVG elements in drawing order (lanes, arrows, boxes, labels) and the height so far."""

    back: list[str] = field(default_factory=list)
    arrows: list[str] = field(default_factory=list)
    front: list[str] = field(default_factory=list)
    height: float = 0.0


def load_overview(model: Model, path: Path = OVERVIEW) -> dict:
    """Parse the overview file; raise OverviewError naming the line of every unknown id,
    relation that is not in the model, or box drawn twice."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise OverviewError(f"{path}:{line}: invalid YAML: {exc.problem}") from None
    problems, seen = [], set()
    for band in data.get("bands", []):
        for stage in band.get("stages", []):
            for row in ROWS:
                for cid in stage.get(row, []):
                    if cid not in model:
                        problems.append(f"{path}:{stage['__line__']}: {cid!r} is not in the model")
                    elif cid in seen:
                        problems.append(f"{path}:{stage['__line__']}: {cid!r} is drawn twice")
                    seen.add(cid)
    relations = {(c.id, r["type"], r["target"]) for c in model for r in c.get("relations", [])}
    for flow in data.get("flows", []):
        rel = tuple(flow.get("relation", ()))
        if rel not in relations:
            problems.append(f"{path}:{flow['__line__']}: no relation {' '.join(rel)} in the model")
        elif not {rel[0], rel[2]} <= seen:
            problems.append(f"{path}:{flow['__line__']}: an end of {' '.join(rel)} is not drawn")
        if not str(flow.get("verb", "")).strip():
            problems.append(f"{path}:{flow['__line__']}: the arrow needs a verb phrase")
    for band in data.get("bands", []):
        for stage in band.get("stages", []):
            for key in stage.get("keys", []):
                if key not in model or model[key].kind != "token":
                    problems.append(
                        f"{path}:{stage['__line__']}: key {key!r} is not a token of the model"
                    )
                elif not any(_holds(model[c], model[key]) for c in _ids(stage) if c in model):
                    problems.append(
                        f"{path}:{stage['__line__']}: no component of the stage holds {key!r}"
                    )
    if problems:
        raise OverviewError("\n".join(problems))
    return data


def _text(x: float, y: float, lines: list[str], size: float, cls: str, anchor: str) -> str:
    """A multi-line <text> whose first baseline is at ``y``."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * LINE:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{spans}</text>'


def _label(x: float, top: float, lines: list[str], anchor: str = "middle") -> str:
    """An arrow's label with its first line's top at ``top``."""
    return _text(x, top + LABEL_FONT * 0.95, lines, LABEL_FONT, "ov-label", anchor)


def _box_svg(box: Box) -> str:
    """The box linked to its page, then each key tag inside it linked to the token's page."""
    fill, stroke = _colours(box.cls)
    title = escape(f"{box.comp.title}: {box.comp.summary}")
    text = _text(box.cx, box.y + PAD_Y + BOX_FONT * 0.95, box.lines, BOX_FONT, "ov-box", "middle")
    out = (
        f'<a href="{page_link(box.comp.page)}"><g class="ov-node"><title>{title}</title>'
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" '
        f'rx="5" fill="{fill}" stroke="{stroke}"/>{text}</g></a>'
    )
    y = box.y + PAD_Y + len(box.lines) * BOX_FONT * LINE + KEY_GAP
    for key in box.keys:
        out += _key_svg(key, box, y)
        y += key.h + KEY_GAP
    return out


def _keys(model: Model, stage: dict, cid: str, width: float) -> list[Key]:
    """The stage's key tags that ``cid`` holds, wrapped to fit inside a box ``width`` wide."""
    held = [model[k] for k in stage.get("keys", []) if _holds(model[cid], model[k])]
    inner = width - 2 * KEY_INSET - 2 * KEY_PAD_X
    return [Key(k, wrap(k.title, inner, KEY_FONT)) for k in held]


def _colours(cls: str) -> tuple[str, str]:
    """Fill and stroke of a colour class of the other diagrams."""
    parts = dict(p.split(":", 1) for p in CLASS_DEFS[cls].split(","))
    return parts["fill"], parts["stroke"]


def _arrow(points: list[tuple[float, float]], prefix: str = "ov") -> str:
    """A polyline arrow through ``points``, its head the marker of the SVG ``prefix`` names."""
    d = " ".join(f"{'M' if i == 0 else 'L'} {x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))
    return f'<path class="ov-edge" d="{d}" marker-end="url(#{prefix}-head)"/>'


def overview_svg(model: Model, data: dict) -> str:
    """The overview as a standalone SVG (deterministic for the same model and file)."""
    drawing = Drawing(height=4)
    boxes: dict[str, Box] = {}
    flows = [_oriented(f) for f in data["flows"]]
    exit_: tuple[Box, str] | None = None
    for band in data["bands"]:
        leg_y = None
        if exit_ is not None:
            lines = wrap(exit_[1], exit_[0].cx - LEFT - 20, LABEL_FONT)
            label_top = drawing.height + 10
            leg_y = label_top + len(lines) * LABEL_FONT * LINE + 6
            drawing.front.append(_label((LEFT + exit_[0].cx) / 2, label_top, lines))
            drawing.height = leg_y + 4
        # Laid out twice: the first pass measures how far the labels of the arrows between
        # stages reach out of the path row, the second leaves that much room.
        poke = _band(model, band, flows, {}, Drawing(height=drawing.height), (0.0, 0.0))[1]
        entry = _band(model, band, flows, boxes, drawing, poke)[0]
        if exit_ is not None and leg_y is not None:
            a = exit_[0]
            drawing.arrows.append(
                _arrow(
                    [
                        (a.cx, a.y + a.h),
                        (a.cx, leg_y),
                        (LEFT - 16, leg_y),
                        (LEFT - 16, entry.cy),
                        (entry.x - 1, entry.cy),
                    ]
                )
            )
        exit_ = _band_exit(band, flows, boxes)
    return svg_document(WIDTH, drawing)


def svg_document(width: float, drawing: Drawing, prefix: str = "ov", variant: str = "") -> str:
    """The drawing as a standalone SVG; ``prefix`` keeps its ids apart from another variant's
    on the same page, ``variant`` is an extra class."""
    height = drawing.height + 4
    head = (
        f'<defs><marker id="{prefix}-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'class="ov-head"/></marker></defs>'
    )
    body = "\n".join([*drawing.back, *drawing.arrows, *drawing.front])
    classes = " ".join(["package-path", *([variant] if variant else [])])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="figure" '
        f'aria-labelledby="{prefix}-title">\n<title id="{prefix}-title">Architecture overview: '
        f"the path of a package from a recipe to users, and what moves it</title>\n"
        f"<style>{_style()}</style>\n{head}\n{body}\n</svg>\n"
    )


def _oriented(flow: dict) -> tuple[str, str, str]:
    """(drawn from, drawn to, verb) of a flow."""
    src, _type, dst = flow["relation"]
    if flow.get("drawn") == "backward":
        src, dst = dst, src
    return src, dst, str(flow["verb"])


def _ids(stage: dict) -> list[str]:
    return [c for row in ROWS for c in stage.get(row, [])]


def _holds(comp: Component, key: Component) -> bool:
    """Whether ``comp`` holds one of the token's secret names (a channel's list names the
    tokens that write to it, so channels hold none)."""
    return comp.kind != "channel" and bool(set(key.credentials) & set(comp.get("credentials", [])))


def _band(
    model: Model,
    band: dict,
    flows: list[tuple[str, str, str]],
    boxes: dict[str, Box],
    drawing: Drawing,
    poke: tuple[float, float],
) -> tuple[Box, tuple[float, float]]:
    """Lay out one band below what is drawn, leaving ``poke`` (above, below) around the path
    row for labels; return its first path box and how far labels reach out of the path row."""
    stages = band["stages"]
    col = (WIDTH - LEFT) / len(stages)
    box_w = col - GAP
    y = drawing.height + 8
    lane_top = y - 4
    drawing.front.append(_text(LEFT, y + BAND_FONT, [band["title"]], BAND_FONT, "ov-band", "start"))
    y += BAND_FONT * 1.8
    heads = [wrap(s["title"], col - 8, STAGE_FONT, bold=True) for s in stages]
    for i, lines in enumerate(heads):
        x = LEFT + i * col + box_w / 2
        drawing.front.append(_text(x, y + STAGE_FONT, lines, STAGE_FONT, "ov-stage", "middle"))
    y += STAGE_FONT * LINE * max(len(h) for h in heads) + 8

    # Boxes and their x: the path stacked, the boxes above or below side by side.
    rows: dict[str, list[list[Box]]] = {row: [] for row in ROWS}
    for i, stage in enumerate(stages):
        x0 = LEFT + i * col
        for row in ROWS:
            ids = stage.get(row, [])
            width = box_w if row == "path" or len(ids) < 2 else (col - 10) / len(ids) - 6
            cells = []
            for j, cid in enumerate(ids):
                comp = model[cid]
                cls = "retired" if comp.status == "retired" else KIND_CLASS[comp.kind]
                lines = wrap(comp.title, width - 2 * PAD_X, BOX_FONT)
                x = x0 if row == "path" or len(ids) < 2 else x0 + j * (col - 10) / len(ids)
                keys = _keys(model, stage, cid, width)
                boxes[cid] = Box(comp, x, 0, width, lines, cls, keys)
                cells.append(boxes[cid])
            rows[row].append(cells)
    # Vertical arrows (within a stage) near the left of the boxes, labelled on their right up
    # to the next such arrow or the column's edge (right of the path boxes, above or below).
    verticals = []
    for i, stage in enumerate(stages):
        ids = _ids(stage)
        xs = []
        for s, d, v in flows:
            if s in ids and d in ids:
                path_end, other = (s, d) if s in stage["path"] else (d, s)
                a, b = boxes[path_end], boxes[other]
                x = min(max(b.x, a.x) + 14, a.x + a.w - 14)
                row = next(r for r in ("above", "below") if other in stage.get(r, []))
                xs.append((x, s, d, v, row))
        xs.sort()
        for n, (x, s, d, v, row) in enumerate(xs):
            nxt = [x2 - 8 for x2, *_r, row2 in xs[n + 1 :] if row2 == row]
            right = min([LEFT + (i + 1) * col - 6, *nxt])
            verticals.append((x, s, d, row, wrap(v, right - x - 6, LABEL_FONT)))

    def row_gap(row: str) -> float:
        tallest = max((len(lines) for *_r, r, lines in verticals if r == row), default=0)
        room = poke[0] if row == "above" else poke[1]
        return max(tallest * LABEL_FONT * LINE + 8 + room, ROW_GAP + room)

    above_h = max((b.h for cells in rows["above"] for b in cells), default=0)
    if above_h:
        for cells in rows["above"]:
            for box in cells:
                box.y = y + above_h - box.h
        y += above_h + row_gap("above")
    # The first path box of every stage centred on one line, so that arrows run level.
    first = max(cells[0].h for cells in rows["path"])
    path_h = max(
        (first - cells[0].h) / 2 + sum(b.h for b in cells) + FAN * (len(cells) - 1)
        for cells in rows["path"]
    )
    for cells in rows["path"]:
        yy = y + (first - cells[0].h) / 2
        for box in cells:
            box.y = yy
            yy += box.h + FAN
    path_top, y = y, y + path_h
    if any(rows["below"]):
        y += row_gap("below")
        for cells in rows["below"]:
            for box in cells:
                box.y = y
        y += max(b.h for cells in rows["below"] for b in cells)
    bottom = y + 8
    drawing.back.append(
        f'<rect class="ov-lane" x="{LEFT - 8:.1f}" y="{lane_top:.1f}" '
        f'width="{WIDTH - LEFT + 6:.1f}" height="{bottom - lane_top:.1f}" rx="8"/>'
    )
    for cells in rows.values():
        for stage_cells in cells:
            drawing.front += [_box_svg(b) for b in stage_cells]
    for x, s, d, _row, lines in verticals:
        a, b = boxes[s], boxes[d]
        down = a.cy < b.cy
        y1, y2 = (a.y + a.h, b.y - 1) if down else (a.y, b.y + b.h + 1)
        drawing.arrows.append(_arrow([(x, y1), (x, y2)]))
        h = len(lines) * LABEL_FONT * LINE
        top = min(y1, y2) + 5 if _row == "above" else max(y1, y2) - h - 5
        drawing.front.append(_label(x + 6, top, lines, anchor="start"))
    top_most, bottom_most = _rightward(stages, flows, boxes, drawing)
    drawing.height = bottom
    reach = (max(0.0, path_top - top_most), max(0.0, bottom_most - (path_top + path_h)))
    return rows["path"][0][0], reach


def _stage_of(stages: list[dict], cid: str) -> int:
    return next((i for i, stage in enumerate(stages) if cid in _ids(stage)), -1)


def _rightward(stages, flows, boxes: dict[str, Box], drawing: Drawing) -> tuple[float, float]:
    """Arrows from one stage's path to the next; in a gap with several, the upper arrow's
    label goes above it and the lowest arrow's below it. Returns the labels' top and bottom."""
    extent = [float("inf"), float("-inf")]
    by_gap: dict[int, list[tuple[str, str, str]]] = {}
    for s, d, v in flows:
        si, di = _stage_of(stages, s), _stage_of(stages, d)
        if si < 0 or di < 0 or si == di:
            continue
        if di != si + 1:
            raise OverviewError(f"{s} -> {d}: arrows join neighbouring stages of a band only")
        by_gap.setdefault(si, []).append((s, d, v))
    for _gap, arrows in sorted(by_gap.items()):
        arrows.sort(key=lambda a: boxes[a[0]].cy + boxes[a[1]].cy)
        count_s: dict[str, int] = {}
        count_e: dict[str, int] = {}
        for s, d, _v in arrows:
            count_s[s] = count_s.get(s, 0) + 1
            count_e[d] = count_e.get(d, 0) + 1
        used_s: dict[str, int] = {}
        used_e: dict[str, int] = {}
        for n, (s, d, v) in enumerate(arrows):
            a, b = boxes[s], boxes[d]
            ys = a.cy + _spread(used_s.get(s, 0), count_s[s])
            ye = b.cy + _spread(used_e.get(d, 0), count_e[d])
            used_s[s] = used_s.get(s, 0) + 1
            used_e[d] = used_e.get(d, 0) + 1
            x1, x2 = a.x + a.w, b.x
            drawing.arrows.append(_arrow([(x1, ys), (x2 - 1, ye)]))
            lines = wrap(v, GAP - 10, LABEL_FONT)
            h = len(lines) * LABEL_FONT * LINE
            below = len(arrows) > 1 and n == len(arrows) - 1
            top = max(ys, ye) + 5 if below else min(ys, ye) - h - 4
            drawing.front.append(_label((x1 + x2) / 2, top, lines))
            extent = [min(extent[0], top), max(extent[1], top + h)]
    return extent[0], extent[1]


def _spread(i: int, n: int) -> float:
    """Offsets of ``n`` arrow ends on one box side, 10 units apart, centred."""
    return (i - (n - 1) / 2) * 10


def _band_exit(band: dict, flows, boxes: dict[str, Box]) -> tuple[Box, str] | None:
    """The last path box of a band and the verb of its arrow out of the band, if any."""
    last = band["stages"][-1]["path"][-1]
    inside = {c for stage in band["stages"] for c in _ids(stage)}
    return next(((boxes[last], v) for s, d, v in flows if s == last and d not in inside), None)


def _key_svg(key: Key, box: Box, y: float) -> str:
    """A key tag at ``y`` inside ``box`` (the component holding the token), linked to its page."""
    fill, stroke = _colours("token")
    x, w = box.x + KEY_INSET, box.w - 2 * KEY_INSET
    title = escape(f"{key.comp.title}: held by {box.comp.title}")
    first = y + KEY_PAD + KEY_FONT * 0.95
    text = _text(x + w / 2, first, key.lines, KEY_FONT, "ov-key", "middle")
    return (
        f'<a href="{page_link(key.comp.page)}"><g class="ov-node ov-keytag"><title>{title}</title>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{key.h:.1f}" rx="8" '
        f'fill="{fill}" stroke="{stroke}"/>{text}</g></a>'
    )


def _style() -> str:
    """Colours that follow the page's light or dark theme (pydata-sphinx-theme variables)."""
    return (
        ".package-path text{font-family:'Liberation Sans',Arial,Helvetica,sans-serif}"
        ".ov-box,.ov-key{font-size:13px;fill:#111111}.ov-key{font-size:12px}"
        ".ov-label{font-size:12px;fill:var(--pst-color-text-base,#222);"
        "paint-order:stroke;stroke:var(--pst-color-background,#fff);stroke-width:3px}"
        ".ov-stage{font-size:13px;font-weight:bold;fill:var(--pst-color-text-muted,#555)}"
        ".ov-band{font-size:15px;font-weight:bold;fill:var(--pst-color-text-base,#222)}"
        ".ov-edge{fill:none;stroke:var(--pst-color-text-base,#333);stroke-width:1.4px}"
        ".ov-head{fill:var(--pst-color-text-base,#333)}"
        ".ov-lane{fill:none;stroke:var(--pst-color-border,#ccc);stroke-dasharray:4 3}"
        ".package-path a{text-decoration:none}"
        ".package-path a:hover rect,.package-path a:focus rect{stroke-width:3px}"
    )
