"""`policyc doc POLICY`: compile one policy and write its document (Markdown or HTML)."""

from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import report
from .source import printable


def render(table: dict, lang: str, fmt: str) -> str:
    """The document of a compiled table in `lang`, as Markdown (`md`) or one HTML page (`html`)."""
    from .doc import Doc, build
    from .doc_render import html, markdown

    blocks = build(table, lang)
    if fmt == "html":
        return html(blocks, lang, Doc(table, lang).label(table["policy"]["title"], table["policy"]["id"]))
    return markdown(blocks, lang)


def run(path: str, lang: str | None, fmt: str, out: str | None, stdout, stderr) -> int:
    """Exit 0 written, 1 the policy has errors (findings printed), 2 bad input."""
    from .compiler import SchemaViolation, compile_paths

    if not Path(path).is_file():
        print(f"policyc: `{printable(path)}` is not a policy file", file=stderr)
        return 2
    try:
        result = compile_paths([path])
    except SchemaViolation as exc:
        print(f"policyc: {exc}", file=stderr)
        return 1
    if result.status():
        report(result.diagnostics, result.sources, "text", stream=stdout)
        return result.status()
    if len(result.tables) != 1:
        print(f"policyc: `{printable(path)}` holds {len(result.tables)} policies; name one policy file", file=stderr)
        return 2
    table = next(iter(result.tables.values()))
    langs = table["policy"]["languages"]
    lang = lang or langs[0]
    if lang not in langs:
        print(f"policyc: policy `{table['policy']['id']}` has no labels in `{printable(lang)}`\n"
              f"help: choose one of its languages: {', '.join(langs)}", file=stderr)
        return 2
    text = render(table, lang, fmt)
    if out is None:
        _print(text, stdout)
        return 0
    return _write(Path(out), text, stderr)


def _print(text: str, stdout) -> None:
    """UTF-8 on a byte stream whatever its encoding (a Russian document on an ASCII terminal)."""
    if hasattr(stdout, "buffer"):
        stdout.flush()
        stdout.buffer.write(text.encode("utf-8"))
        stdout.buffer.flush()
    else:
        stdout.write(text)


def _write(path: Path, text: str, stderr) -> int:
    """Write the file whole or not at all (a temporary file renamed over it)."""
    from .emit.write import _write_temp

    try:
        os.replace(_write_temp(path, text.encode("utf-8")), path)
    except OSError as exc:
        print(f"policyc: cannot write `{printable(str(path))}`: {exc.strerror}", file=stderr)
        return 2
    return 0
