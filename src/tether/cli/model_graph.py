"""The models and their relations as an entity-relationship diagram, in SVG (`tether graph`).

Written by hand, with no layout program: one box per model (its fields, the primary key and
relation targets named), columns by relation depth (a model stands right of the models its
foreign keys point to, so arrows run right to left), boxes in each column by label. A
many-to-many field is drawn through its table: a dashed line from the field to the join table
(the automatic through model, dashed too) or to the explicit through model (marked
«through»), whose two foreign keys point at both sides. Elements carry `class` and `data-*`
attributes naming what they draw, so the picture can be read by a program as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

CHAR = 7.2  # width of a character of the 12px monospace font
ROW = 18
HEADER = 24
PAD = 10
COLUMN_GAP = 90
BOX_GAP = 28
MARGIN = 40  # room for a self reference's loop on the left

STYLE = """
text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; fill: #222; }
.box rect.frame { fill: #fff; stroke: #555; }
.box rect.head { fill: #dde7f3; stroke: #555; }
.through rect.head { fill: #f6e3c6; }
.join rect.frame, .join rect.head { stroke-dasharray: 5 3; }
.join rect.head { fill: #eee; }
text.title { font-weight: bold; }
text.note { fill: #777; font-style: italic; }
tspan.type { fill: #555; }
path.fk { fill: none; stroke: #2a5d9f; marker-end: url(#arrow); }
path.m2m { fill: none; stroke: #a0632a; stroke-dasharray: 4 3; }
"""


@dataclass
class Box:
    """A model's box: its label, kind (model, through, join) and its field rows."""

    label: str
    kind: str
    rows: list[tuple[str, str]]
    note: str = ""
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0

    @property
    def height(self) -> float:
        return HEADER + (1 if self.note else 0) * ROW + len(self.rows) * ROW + PAD / 2

    @property
    def name_width(self) -> int:
        """Characters of the field-name column (the descriptions start after it)."""
        return max((len(name) for name, _ in self.rows), default=0) + 2

    def texts(self) -> list[str]:
        rows = [name.ljust(self.name_width) + desc for name, desc in self.rows]
        return [self.label, self.note, *rows]

    def row_y(self, index: int) -> float:
        return self.y + HEADER + (1 if self.note else 0) * ROW + index * ROW + ROW / 2 + 2


@dataclass
class Edge:
    kind: str  # "fk" (foreign key or one-to-one: an arrow) or "m2m" (field to its table)
    source: str
    row: int
    target: str
    name: str = ""


def label(model: Any) -> str:
    return str(model._meta.label)


def _describe(model_field: Any) -> str:
    text = model_field.get_internal_type()
    if model_field.is_relation:
        text += f" → {label(model_field.related_model)}"
    if model_field.primary_key:
        text = "PK " + text
    if model_field.null and not model_field.many_to_many:
        text += " null"
    return text


def _through_notes(models: list[Any]) -> dict[str, str]:
    """The note of each through model: which many-to-many field it carries."""
    notes = {}
    for model in models:
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            kind = "join table of" if through._meta.auto_created else "«through» of"
            notes[label(through)] = f"{kind} {model.__name__}.{m2m.name}"
    return notes


def collect(models: list[Any]) -> tuple[list[Box], list[Edge]]:
    """The boxes and edges of `models` (through models included when given)."""
    notes = _through_notes(models)
    shown = {label(m) for m in models}
    boxes, edges = [], []
    for model in sorted(models, key=label):
        opts = model._meta
        name = label(model)
        kind = "model"
        if name in notes:
            kind = "join" if opts.auto_created else "through"
        model_fields = [*opts.local_fields, *opts.local_many_to_many]
        boxes.append(
            Box(name, kind, [(f.name, _describe(f)) for f in model_fields], notes.get(name, ""))
        )
        for index, model_field in enumerate(model_fields):
            if not model_field.is_relation:
                continue
            if model_field.many_to_many:
                target = label(model_field.remote_field.through)
                kind_of_edge = "m2m"
            else:
                target = label(model_field.related_model)
                kind_of_edge = "fk"
            if target in shown:
                edges.append(Edge(kind_of_edge, name, index, target, model_field.name))
    return boxes, edges


def _ranks(boxes: list[Box], edges: list[Edge]) -> dict[str, int]:
    """Each box's column: one right of the deepest box its foreign keys point to (a cycle is
    cut where the walk meets a box it is still inside)."""
    targets: dict[str, list[str]] = {box.label: [] for box in boxes}
    for edge in edges:
        if edge.kind == "fk" and edge.target != edge.source:
            targets[edge.source].append(edge.target)
    ranks: dict[str, int] = {}
    inside: set[str] = set()

    def rank(name: str) -> int:
        if name in ranks:
            return ranks[name]
        if name in inside:
            return -1
        inside.add(name)
        value = 1 + max((rank(t) for t in targets[name]), default=-1)
        inside.discard(name)
        ranks[name] = value
        return value

    for box in boxes:
        rank(box.label)
    return ranks


def layout(boxes: list[Box], edges: list[Edge]) -> tuple[float, float]:
    """Place the boxes; the width and height of the picture. The first column keeps label
    order; in the others a box is centred, as far as the boxes above it allow, on the mean
    height of the boxes it points to (all in columns to its left, placed before it), which
    keeps arrows short."""
    ranks = _ranks(boxes, edges)
    targets: dict[str, list[str]] = {}
    for edge in edges:
        if edge.kind == "fk" and ranks[edge.target] < ranks[edge.source]:
            targets.setdefault(edge.source, []).append(edge.target)
    by_label = {box.label: box for box in boxes}
    columns: dict[int, list[Box]] = {}
    for box in boxes:
        box.width = max(len(t) for t in box.texts()) * CHAR + 2 * PAD
        columns.setdefault(ranks[box.label], []).append(box)
    x, height = float(MARGIN), 0.0
    for rank in sorted(columns):
        column = columns[rank]

        def middle(box: Box) -> float:
            ends = [by_label[t] for t in targets.get(box.label, ())]
            return sum(e.y + e.height / 2 for e in ends) / len(ends) if ends else 0.0

        if rank:
            column.sort(key=middle)
        y = float(MARGIN)
        width = max(box.width for box in column)
        for box in column:
            if rank:
                y = max(y, middle(box) - box.height / 2)
            box.x, box.y, box.width = x, y, width
            y += box.height + BOX_GAP
        height = max(height, y)
        x += width + COLUMN_GAP
    return x - COLUMN_GAP + MARGIN, height - BOX_GAP + MARGIN


def _box_svg(box: Box) -> list[str]:
    x, y, w = box.x, box.y, box.width
    kind = {"model": "box", "through": "box through", "join": "box join"}[box.kind]
    out = [
        f'<g class="{kind}" data-model="{escape(box.label)}">',
        f'<rect class="frame" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{box.height:.1f}"/>',
        f'<rect class="head" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{HEADER}"/>',
        f'<text class="title" x="{x + PAD:.1f}" y="{y + 16:.1f}">{escape(box.label)}</text>',
    ]
    if box.note:
        note_y = y + HEADER + 13
        out.append(
            f'<text class="note" x="{x + PAD:.1f}" y="{note_y:.1f}">{escape(box.note)}</text>'
        )
    for index, (name, desc) in enumerate(box.rows):
        row_y = box.row_y(index) + 4
        desc_x = x + PAD + box.name_width * CHAR
        out.append(
            f'<text class="field" data-field="{escape(name)}" y="{row_y:.1f}">'
            f'<tspan x="{x + PAD:.1f}">{escape(name)}</tspan>'
            f'<tspan class="type" x="{desc_x:.1f}">{escape(desc)}</tspan></text>'
        )
    out.append("</g>")
    return out


def _edge_svg(edge: Edge, boxes: dict[str, Box]) -> str:
    source, target = boxes[edge.source], boxes[edge.target]
    start_y, end_y = source.row_y(edge.row), target.y + HEADER / 2
    if edge.kind == "m2m":  # from the field rightwards to its table (always to the right)
        start_x, end_x, out, back = source.x + source.width, target.x, 1, -1
    elif target.x < source.x:  # a foreign key to a model on the left
        start_x, end_x, out, back = source.x, target.x + target.width, -1, 1
    else:  # a self reference or a cycle: round the left side
        start_x, end_x, out, back = source.x, target.x, -1, -1
    bend = max(30.0, abs(end_x - start_x) / 2) if end_x != start_x else 30.0
    return (
        f'<path class="{edge.kind}" data-from="{escape(edge.source)}.{escape(edge.name)}" '
        f'data-to="{escape(edge.target)}" d="M {start_x:.1f} {start_y:.1f} '
        f"C {start_x + out * bend:.1f} {start_y:.1f}, {end_x + back * bend:.1f} {end_y:.1f}, "
        f'{end_x:.1f} {end_y:.1f}"/>'
    )


def render(models: list[Any]) -> str:
    """The SVG document of `models` and the relations between them."""
    boxes, edges = collect(models)
    width, height = layout(boxes, edges) if boxes else (2.0 * MARGIN, 2.0 * MARGIN)
    by_label = {box.label: box for box in boxes}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">',
        f"<style>{STYLE}</style>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#2a5d9f"/></marker></defs>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#fafafa"/>',
    ]
    for box in boxes:
        lines.extend(_box_svg(box))
    lines.extend(_edge_svg(edge, by_label) for edge in edges)
    lines.append("</svg>")
    return "\n".join(lines) + "\n"
