"""The pictures of `policyc doc` (SVG): the week of a calendar, one bar per open interval over
0-24 h; an escalation chain, one box per step joined by arrows."""

from __future__ import annotations

from html import escape

LEFT, TOP, HOUR, ROW, BAR = 48, 22, 24, 26, 16  # margins, pixels per hour, row pitch, bar height


def week_svg(name: str, week: list, days: list[str], title: str) -> str:
    """Inline SVG of `week` (seven lists of [from, to) minutes, Monday first), in the zone's time."""
    width, height = LEFT + 24 * HOUR + 12, TOP + 7 * ROW + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="week" data-calendar="{escape(name)}" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
           f"<title>{escape(title)}</title>"]
    for hour in range(0, 25, 2):  # the hour grid, labelled every two hours
        x = LEFT + hour * HOUR
        out.append(f'<line class="grid" x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{height - 4}"/>')
        out.append(f'<text class="hour" x="{x}" y="{TOP - 8}" text-anchor="middle">{hour:02d}</text>')
    for i, intervals in enumerate(week):
        y = TOP + i * ROW
        out.append(f'<text class="day" x="{LEFT - 6}" y="{y + BAR - 3}" text-anchor="end">'
                   f"{escape(days[i])}</text>")
        for a, b in intervals:
            out.append(f'<rect class="open" data-day="{i}" x="{LEFT + a * HOUR / 60:g}" y="{y}" '
                       f'width="{(b - a) * HOUR / 60:g}" height="{BAR}" rx="2"/>')
    out.append("</svg>")
    return "\n".join(out)


STEP_W, STEP_H, GAP = 220, 52, 36  # an escalation step's box and the arrow between two


def chain_svg(steps: list[str]) -> str:
    """Inline SVG of an escalation chain: the steps left to right, in order, each box
    holding its text (wrapped at about 34 characters a line, three lines at most)."""
    width, height = len(steps) * (STEP_W + GAP) - GAP + 8, STEP_H + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img">']
    for i, text in enumerate(steps):
        x = 4 + i * (STEP_W + GAP)
        out.append(f'<rect class="step" data-step="{i + 1}" x="{x}" y="4" width="{STEP_W}" height="{STEP_H}" rx="6"/>')
        for j, line in enumerate(_wrap(f"{i + 1}. {text}")):
            out.append(f'<text class="step" x="{x + 8}" y="{20 + j * 14}">{escape(line)}</text>')
        if i:  # an arrow from the step before: a line and its head (no marker: ids would repeat)
            y = 4 + STEP_H / 2
            out.append(f'<line class="arrow" x1="{x - GAP + 2}" y1="{y:g}" x2="{x - 8}" y2="{y:g}"/>')
            out.append(f'<polygon class="arrow" points="{x - 2},{y:g} {x - 9},{y - 4:g} {x - 9},{y + 4:g}"/>')
    out.append("</svg>")
    return "\n".join(out)


def _wrap(text: str, width: int = 34, lines: int = 3) -> list[str]:
    """Words on lines of at most `width` characters; what does not fit ends in `…`."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out
