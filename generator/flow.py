"""The steps of a matter as a static, inline SVG flow diagram.

Static SVG needs no JavaScript, prints sharply and scales to a phone. The layout is a
vertical column of boxes, so it never needs horizontal scrolling; text is wrapped here
because SVG cannot wrap text by itself. Every string is escaped, and the picture carries
a <title>/<desc> text alternative (the page also lists the steps as text).
"""

from __future__ import annotations

from html import escape

from .model import Step

WIDTH = 360
MARGIN = 8
BOX_WIDTH = WIDTH - 2 * MARGIN
FONT = 15
SMALL = 13
LINE = 20
SMALL_LINE = 17
PADDING = 10
GAP = 26  # room for the arrow between boxes
TEXT_LEFT = MARGIN + 44
TEXT_EM = (BOX_WIDTH - 44 - PADDING) / FONT


def text_width(text: str) -> float:
    """Width in em: CJK and full-width characters take 1em, others about half."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)


def wrap(text: str, max_em: float) -> list[str]:
    lines, current, width = [], "", 0.0
    for ch in text:
        w = text_width(ch)
        if width + w > max_em and current:
            lines.append(current)
            current, width = "", 0.0
        current += ch
        width += w
    if current:
        lines.append(current)
    return lines or [""]


def step_meta(step: Step) -> str:
    parts = []
    if step.actor:
        parts.append(step.actor)
    if step.days is not None:
        parts.append("当场" if step.days == 0 else f"{step.days} 天")
    return " · ".join(parts)


def render(steps: tuple[Step, ...], title: str = "办理流程图") -> str:
    boxes = []
    y = MARGIN
    for number, step in enumerate(steps, start=1):
        name_lines = wrap(step.name, TEXT_EM)
        meta = step_meta(step)
        meta_lines = wrap(meta, BOX_WIDTH / SMALL - 5) if meta else []
        height = PADDING * 2 + len(name_lines) * LINE + len(meta_lines) * SMALL_LINE
        boxes.append((number, y, height, name_lines, meta_lines))
        y += height + GAP
    total = y - GAP + MARGIN

    parts = [
        f'<svg class="guide-flow" viewBox="0 0 {WIDTH} {total}" width="{WIDTH}" height="{total}" '
        f'role="img" aria-labelledby="flow-title flow-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="flow-title">{escape(title)}</title>',
        f'<desc id="flow-desc">{escape(describe(steps))}</desc>',
        '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="guide-flow__arrowhead"/></marker></defs>',
    ]
    for index, (number, top, height, name_lines, meta_lines) in enumerate(boxes):
        parts.append(f'<rect class="guide-flow__box" x="{MARGIN}" y="{top}" width="{BOX_WIDTH}" height="{height}" rx="8"/>')
        parts.append(f'<circle class="guide-flow__badge" cx="{MARGIN + 22}" cy="{top + PADDING + 12}" r="13"/>')
        parts.append(f'<text class="guide-flow__number" x="{MARGIN + 22}" y="{top + PADDING + 17}" '
                     f'text-anchor="middle" font-size="{SMALL}">{number}</text>')
        baseline = top + PADDING + FONT + 1
        for line in name_lines:
            parts.append(f'<text class="guide-flow__name" x="{TEXT_LEFT}" y="{baseline}" font-size="{FONT}">{escape(line)}</text>')
            baseline += LINE
        for line in meta_lines:
            parts.append(f'<text class="guide-flow__meta" x="{TEXT_LEFT}" y="{baseline - 2}" font-size="{SMALL}">{escape(line)}</text>')
            baseline += SMALL_LINE
        if index < len(boxes) - 1:
            x = WIDTH // 2
            parts.append(f'<line class="guide-flow__line" x1="{x}" y1="{top + height + 2}" x2="{x}" '
                         f'y2="{top + height + GAP - 6}" marker-end="url(#flow-arrow)"/>')
    parts.append("</svg>")
    return "".join(parts)


def describe(steps: tuple[Step, ...]) -> str:
    """The whole flow in one sentence, for screen readers."""
    described = []
    for number, step in enumerate(steps, start=1):
        meta = step_meta(step)
        described.append(f"第 {number} 步，{step.name}" + (f"（{meta}）" if meta else ""))
    return "；".join(described) + "。"
