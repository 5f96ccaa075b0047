"""The command behind the documents generated from the code (docs/cli.md, docs/diagnostics.md):
`python -m policyc.MODULE [--check] PATH` writes PATH, or says whether it is fresh."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable


def main(module: str, render: Callable[[], str], argv: list[str] | None = None) -> int:
    """Write `render()` to the path given; with --check, exit 1 (and say so) when it differs."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if len(paths) != 1:
        print(f"usage: python -m policyc.{module} [--check] PATH", file=sys.stderr)
        return 2
    path, text = Path(paths[0]), render()
    if check:
        fresh = path.exists() and path.read_text(encoding="utf-8") == text
        if not fresh:
            print(f"{path} is stale; run `python -m policyc.{module} {path}`", file=sys.stderr)
        return 0 if fresh else 1
    path.write_text(text, encoding="utf-8")
    return 0
