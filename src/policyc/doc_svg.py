"""The weekly picture of a calendar: one bar per open interval, weekdays over 0-24 h (SVG)."""

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
