"""`policyc doc` output: the blocks of doc.build as Markdown, or as one self-contained HTML page."""

from __future__ import annotations

from html import escape

from .doc_sections import hours
from .doc_svg import chain_svg, week_svg
from .graphview import mermaid_text
from .doc_words import words

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #c8ccd1;padding:.3rem .6rem;
text-align:left;vertical-align:top}th{background:#eef1f4}svg.week{display:block;margin:.5rem 0}
svg .grid{stroke:#d0d4d9;stroke-width:1}svg .open{fill:#2f7d4f}svg text{font-size:11px;fill:#444}
svg.chain{display:block;margin:.5rem 0}svg rect.step{fill:#eef1f4;stroke:#5b6570}svg line.arrow{stroke:#5b6570}
svg polygon.arrow{fill:#5b6570}"""


def markdown(blocks: list[tuple], lang: str) -> str:
    """The document as Markdown (the week as a table of open hours per day)."""
    out = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append("#" * block[1] + " " + block[2])
        elif kind == "p":
            out.append(block[1])
        elif kind == "list":
            out.append("\n".join((f"{i}. " if block[1] else "- ") + item
                                 for i, item in enumerate(block[2], 1)))
        elif kind == "table":
            out.append(_md_table(block[1], block[2]))
        elif kind == "chain":  # a Mermaid flowchart, which GitHub and most Markdown viewers draw
            nodes = [f'  s{i}["{mermaid_text(f"{i}. {step}")}"]' for i, step in enumerate(block[1], 1)]
            arrows = [f"  s{i} --> s{i + 1}" for i in range(1, len(block[1]))]
            out.append("```mermaid\nflowchart LR\n" + "\n".join(nodes + arrows) + "\n```")
        elif kind == "week":
            w = words(lang)
            rows = [[w["days"][i], hours(day, w)] for i, day in enumerate(block[2]["week"])]
            out.append(_md_table([w["day"], w["open"]], rows))
    return "\n\n".join(out) + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * len(header)] + [line(r) for r in rows])


def html(blocks: list[tuple], lang: str, title: str) -> str:
    """The document as one HTML page: CSS and SVG inline, no script, no outside resource."""
    out = ["<!DOCTYPE html>", f'<html lang="{escape(lang)}">', "<head>", '<meta charset="utf-8">',
           f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>"]
    for block in blocks:
        out.append(_html_block(block, lang))
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_block(block: tuple, lang: str) -> str:
    kind = block[0]
    if kind == "h":
        return f"<h{block[1]}>{escape(block[2])}</h{block[1]}>"
    if kind == "p":
        return f"<p>{escape(block[1])}</p>"
    if kind == "list":
        tag = "ol" if block[1] else "ul"
        return f"<{tag}>" + "".join(f"<li>{escape(i)}</li>" for i in block[2]) + f"</{tag}>"
    if kind == "table":
        return _html_table(block[1], block[2])
    if kind == "chain":
        return chain_svg(block[1])
    w = words(lang)  # "week"
    name, entry, label = block[1], block[2], block[3]
    rows = [[w["days"][i], hours(day, w)] for i, day in enumerate(entry["week"])]
    return week_svg(name, entry["week"], w["days"], f"{w['open']}: {label}") + _html_table([w["day"], w["open"]], rows)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table><thead>{head}</thead><tbody>{body}</tbody></table>'
